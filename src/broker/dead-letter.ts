/**
 * Dead-lettering, as RabbitMQ 4 does it (rabbit_dead_letter, mc:record_death): a message that is
 * rejected without requeue, expires, is dropped by a length limit or passes its delivery limit
 * is republished to the queue's x-dead-letter-exchange, with x-dead-letter-routing-key or its own
 * routing keys, and its headers record the death:
 *
 *   x-death: array of tables, most recent first, one per (queue, reason), each
 *            {original-expiration?, count, reason, queue, time, exchange, routing-keys}
 *   x-first-death-reason/-queue/-exchange (set once), x-last-death-* (every time)
 *
 * The expiration property is removed (kept as original-expiration). A dead-letter cycle that
 * includes no rejection is dropped.
 */
import { ContentHeader } from '../codec/content-header.js';
import { EMPTY_TABLE, tableGet, type FieldTable, type FieldValue, type TableEntry } from '../codec/field-table.js';
import { encodeRouting } from '../codec/fast-paths.js';
import { PROPERTY_INDEX } from '../codec/generated/basic-properties.js';
import { withHeaderEntries, withProperty } from '../codec/header-edit.js';
import { Message } from './message.js';
import { headerRoutes } from './sender-selected.js';

export type DeathReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

const S = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s, 'utf8') });
const text = (v: FieldValue | undefined): string | undefined => (v?.type === 'S' || v?.type === 'x' ? v.value.toString('utf8') : undefined);

/**
 * The message as dead-lettered from `queue` for `reason`, addressed to `exchange` with
 * `routingKeys` (the first is its routing key), its headers recording the death at `now`.
 */
export function deadLettered(
  message: Message, reason: DeathReason, queue: string, exchange: string, routingKeys: readonly string[], now: number,
): Message {
  const source = message.header;
  const headers = source.has('headers') ? (source.headers as FieldTable) : EMPTY_TABLE;
  const expiration = source.expiration;
  const deathKeys = [message.routingKey, ...headerRoutes(headers, 'CC')];
  const entry: TableEntry[] = [];
  if (expiration !== undefined) entry.push({ name: 'original-expiration', value: S(expiration) });
  entry.push(
    { name: 'count', value: { type: 'l', value: 1n } },
    { name: 'reason', value: S(reason) },
    { name: 'queue', value: S(queue) },
    { name: 'time', value: { type: 'T', value: BigInt(Math.floor(now / 1000)) } },
    { name: 'exchange', value: S(message.exchange) },
    { name: 'routing-keys', value: { type: 'A', value: deathKeys.map(S) } },
  );
  const deaths = [...deathEntries(headers)];
  const same = deaths.findIndex((d) => text(tableGet(d, 'queue')) === queue && text(tableGet(d, 'reason')) === reason);
  if (same >= 0) {
    // the same (queue, reason) again: count it and move it to the front, keeping its first time
    const old = deaths.splice(same, 1)[0];
    const count = tableGet(old, 'count');
    const n = count !== undefined && typeof count.value === 'bigint' ? count.value : BigInt(Number(count?.value ?? 0));
    deaths.unshift(old.map((e) => (e.name === 'count' ? { name: 'count', value: { type: 'l', value: n + 1n } } : e)));
  } else {
    deaths.unshift(entry);
  }
  const set: TableEntry[] = [{ name: 'x-death', value: { type: 'A', value: deaths.map((d) => ({ type: 'F', value: d })) } }];
  if (tableGet(headers, 'x-first-death-reason') === undefined) {
    set.push(
      { name: 'x-first-death-reason', value: S(reason) },
      { name: 'x-first-death-queue', value: S(queue) },
      { name: 'x-first-death-exchange', value: S(message.exchange) },
    );
  }
  set.push(
    { name: 'x-last-death-reason', value: S(reason) },
    { name: 'x-last-death-queue', value: S(queue) },
    { name: 'x-last-death-exchange', value: S(message.exchange) },
  );
  // only the headers table and the expiration change; every other byte stays the publisher's
  let raw = withHeaderEntries(source.raw, set);
  if (expiration !== undefined) raw = withProperty(raw, PROPERTY_INDEX.expiration, null);
  return new Message(exchange, routingKeys[0], encodeRouting(exchange, routingKeys[0]), ContentHeader.edited(raw), message.body, routingKeys.slice(1));
}

function* deathEntries(headers: FieldTable): Generator<TableEntry[]> {
  const xd = tableGet(headers, 'x-death');
  if (xd?.type !== 'A') return;
  for (const v of xd.value) if (v.type === 'F') yield [...v.value];
}

/**
 * RabbitMQ's is_cycle_v2: dead-lettering into `target` is a cycle if `target` appears among the
 * message's deaths and no death from the most recent one back to that one was a rejection.
 */
export function isDeadLetterCycle(message: Message, target: string): boolean {
  const headers = message.header.headers;
  if (headers === undefined) return false;
  const deaths = [...deathEntries(headers)];
  const i = deaths.findIndex((d) => text(tableGet(d, 'queue')) === target);
  if (i < 0) return false;
  return deaths.slice(0, i + 1).every((d) => text(tableGet(d, 'reason')) !== 'rejected');
}

/** The header with x-delivery-count and/or x-acquired-count set (null: left out). */
export function withDeliveryCounts(header: ContentHeader, delivery: number | null, acquired: number | null): Buffer {
  const set: TableEntry[] = [];
  if (acquired !== null) set.push({ name: 'x-acquired-count', value: { type: 'l', value: BigInt(acquired) } });
  if (delivery !== null) set.push({ name: 'x-delivery-count', value: { type: 'l', value: BigInt(delivery) } });
  return withHeaderEntries(header.raw, set);
}
