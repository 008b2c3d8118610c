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
import { ByteWriter } from '../codec/byte-writer.js';
import { tableGet, type FieldTable, type FieldValue, type TableEntry } from '../codec/field-table.js';
import { encodeBasicPublish } from '../codec/generated/method-encoders.js';
import type { BasicProperties } from '../codec/generated/basic-properties.js';
import { CLASS_BASIC } from '../codec/generated/protocol.js';
import { Message } from './message.js';

export type DeathReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

const S = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s, 'utf8') });
const text = (v: FieldValue | undefined): string | undefined => (v?.type === 'S' || v?.type === 'x' ? v.value.toString('utf8') : undefined);

/** The CC routing keys of a message (sender-selected distribution). */
export function ccKeys(headers: FieldTable | undefined): string[] {
  const cc = headers ? tableGet(headers, 'CC') : undefined;
  if (cc?.type !== 'A') return [];
  return cc.value.map(text).filter((k): k is string => k !== undefined);
}

/** A basic.publish payload naming this exchange and routing key (for messages the broker makes). */
export function publishPayload(exchange: string, routingKey: string): Buffer {
  const w = new ByteWriter(64);
  encodeBasicPublish(w, { exchange, routingKey, mandatory: false, immediate: false });
  return Buffer.from(w.take());
}

/**
 * The message as dead-lettered from `queue` for `reason`, addressed to `exchange` with
 * `routingKeys` (the first is its routing key), its headers recording the death at `now`.
 */
export function deadLettered(
  message: Message, reason: DeathReason, queue: string, exchange: string, routingKeys: readonly string[], now: number,
): Message {
  const props: BasicProperties = { ...message.header.properties };
  const headers: TableEntry[] = [...(props.headers ?? [])];
  const deathKeys = [message.routingKey, ...ccKeys(props.headers)];
  const entry: TableEntry[] = [];
  if (props.expiration !== undefined) entry.push({ name: 'original-expiration', value: S(props.expiration) });
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
  setHeader(headers, 'x-death', { type: 'A', value: deaths.map((d) => ({ type: 'F', value: d })) });
  if (tableGet(headers, 'x-first-death-reason') === undefined) {
    setHeader(headers, 'x-first-death-reason', S(reason));
    setHeader(headers, 'x-first-death-queue', S(queue));
    setHeader(headers, 'x-first-death-exchange', S(message.exchange));
  }
  setHeader(headers, 'x-last-death-reason', S(reason));
  setHeader(headers, 'x-last-death-queue', S(queue));
  setHeader(headers, 'x-last-death-exchange', S(message.exchange));
  props.headers = headers;
  delete props.expiration;
  const header = ContentHeader.build(CLASS_BASIC, message.bodySize, props);
  return new Message(exchange, routingKeys[0], publishPayload(exchange, routingKeys[0]), header, message.body);
}

function* deathEntries(headers: FieldTable): Generator<TableEntry[]> {
  const xd = tableGet(headers, 'x-death');
  if (xd?.type !== 'A') return;
  for (const v of xd.value) if (v.type === 'F') yield [...v.value];
}

function setHeader(headers: TableEntry[], name: string, value: FieldValue): void {
  const i = headers.findIndex((e) => e.name === name);
  if (i >= 0) headers[i] = { name, value };
  else headers.push({ name, value });
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
  const props: BasicProperties = { ...header.properties };
  const headers = [...(props.headers ?? [])];
  if (acquired !== null) setHeader(headers, 'x-acquired-count', { type: 'l', value: BigInt(acquired) });
  if (delivery !== null) setHeader(headers, 'x-delivery-count', { type: 'l', value: BigInt(delivery) });
  props.headers = headers;
  return ContentHeader.build(header.classId, header.bodySize, props).raw;
}

/** The header without its BCC entry (sender-selected distribution hides BCC from consumers). */
export function withoutBcc(header: ContentHeader): ContentHeader {
  const props: BasicProperties = { ...header.properties };
  props.headers = (props.headers ?? []).filter((e) => e.name !== 'BCC');
  return ContentHeader.build(header.classId, header.bodySize, props);
}
