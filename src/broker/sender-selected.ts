/**
 * Sender-selected distribution: a message's CC and BCC headers name more routing keys to route
 * it with, and BCC is removed before anyone receives it. As in RabbitMQ (rabbit_basic's
 * header_routes): each header must be an array, of which only the long strings count; any
 * other type closes the channel with 406 "invalid message: {unacceptable_type_in_header,"CC",
 * longstr}". CC is looked at before BCC, and only the first entry of each name.
 */
import { ContentHeader } from '../codec/content-header.js';
import { tableGet, type FieldTable } from '../codec/field-table.js';
import { withHeaderEntries } from '../codec/header-edit.js';
import { PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import { TYPE_ATOMS } from './erlang-format.js';

export type RoutingHeader = 'CC' | 'BCC';

/** The routing keys header `name` adds; throws RabbitMQ's 406 when it is not an array. */
export function headerRoutes(headers: FieldTable | undefined, name: RoutingHeader): string[] {
  const v = headers === undefined ? undefined : tableGet(headers, name);
  if (v === undefined) return [];
  if (v.type !== 'A') {
    throw new AmqpError(PRECONDITION_FAILED, `invalid message: {unacceptable_type_in_header,"${name}",${TYPE_ATOMS[v.type]}}`);
  }
  const keys: string[] = [];
  for (const e of v.value) if (e.type === 'S') keys.push(e.value.toString('utf8'));
  return keys;
}

/** Both headers' routing keys, CC's first, each header checked in RabbitMQ's order. */
export function senderSelectedKeys(headers: FieldTable | undefined): string[] {
  const cc = headerRoutes(headers, 'CC');
  const bcc = headerRoutes(headers, 'BCC');
  return bcc.length === 0 ? cc : [...cc, ...bcc];
}

/** The header without its BCC entry, every other byte kept. */
export function withoutBcc(header: ContentHeader): ContentHeader {
  return ContentHeader.edited(withHeaderEntries(header.raw, [], ['BCC']));
}
