/** Checks on a binding's arguments that depend on the source exchange's type. */
import type { FieldTable } from '../../codec/field-table.js';
import { PRECONDITION_FAILED } from '../../codec/generated/protocol.js';
import type { Exchange } from '../../broker/exchange.js';
import { validateHeadersBindingArgs } from '../../broker/exchange/headers-routing.js';
import { AmqpError } from '../../codec/amqp-error.js';

export function checkBindingArgs(source: Exchange, args: FieldTable): void {
  if (source.type !== 'headers') return;
  const problem = validateHeadersBindingArgs(args);
  if (problem !== null) throw new AmqpError(PRECONDITION_FAILED, problem);
}
