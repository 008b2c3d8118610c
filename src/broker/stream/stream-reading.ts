/**
 * What a basic.consume on a stream asks for, read from its arguments as RabbitMQ reads them:
 * where to start (x-stream-offset) and which messages (x-stream-filter,
 * x-stream-match-unfiltered); and RabbitMQ's refusals of a consume a stream cannot serve.
 */
import { AmqpError } from '../../codec/amqp-error.js';
import type { ContentHeader } from '../../codec/content-header.js';
import { tableGet, type FieldTable, type FieldValue } from '../../codec/field-table.js';
import { NOT_IMPLEMENTED, PRECONDITION_FAILED } from '../../codec/generated/protocol.js';
import { erlangTerm, TYPE_ATOMS } from '../erlang-format.js';
import { parseMaxAge } from '../queue-arguments.js';

/** Where a reader starts. */
export type StreamStartSpec =
  | { readonly kind: 'first' | 'last' | 'next' }
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'time'; readonly ms: number };

export interface StreamReadOptions {
  readonly start: StreamStartSpec;
  /** Filter values a message's x-stream-filter-value must be one of; null: every message. */
  readonly filter: ReadonlySet<string> | null;
  /** With a filter: messages without a filter value come too. */
  readonly matchUnfiltered: boolean;
}

/** Consumer arguments every queue type but streams knows: refused on a stream. */
const FOREIGN_CONSUMER_ARGUMENTS = ['x-priority', 'x-consumer-timeout'];

const NEXT: StreamStartSpec = Object.freeze({ kind: 'next' });

/**
 * Checks a consume on stream `resource` in RabbitMQ's order (its consumer arguments, then
 * rabbit_stream_queue:consume's clauses) and reads what it asks for. `prefetch` is the
 * per-consumer basic.qos; `globalPrefetch` the channel-wide one. The texts are RabbitMQ 4's
 * (3.x words two of them differently: REFERENCE.md).
 */
export function streamReadOptions(
  args: FieldTable, resource: string, noAck: boolean, prefetch: number, globalPrefetch: number, now = Date.now(),
): StreamReadOptions {
  const offsetArg = tableGet(args, 'x-stream-offset');
  const start = offsetArg === undefined ? NEXT : startSpec(offsetArg, now);
  if (start === null) {
    const term = `{${TYPE_ATOMS[(offsetArg as FieldValue).type]},${erlangTerm(offsetArg as FieldValue)}}`;
    throw new AmqpError(PRECONDITION_FAILED, `invalid arg 'x-stream-offset' for ${resource}: {invalid_stream_offset_arg,${term}}`);
  }
  for (const e of args) {
    if (FOREIGN_CONSUMER_ARGUMENTS.includes(e.name)) {
      throw new AmqpError(PRECONDITION_FAILED, `invalid arg '${e.name}' for ${resource} of queue type rabbit_stream_queue`);
    }
  }
  const stream = resource.replace(/^queue /, 'stream queue ');
  if (prefetch === 0) throw new AmqpError(PRECONDITION_FAILED, `consumer prefetch count is not set for ${stream}`);
  if (noAck) throw new AmqpError(NOT_IMPLEMENTED, `automatic acknowledgement not supported by ${stream}`);
  if (globalPrefetch > 0) throw new AmqpError(NOT_IMPLEMENTED, `${resource} does not support global qos`);
  return { start, ...filterOf(args) };
}

/**
 * x-stream-offset as rabbit_stream_queue:parse_offset_arg reads it: "first", "last", "next";
 * an AMQP timestamp (seconds); a string in x-max-age's syntax ("10m": that long ago); any other
 * value is taken as an offset — an integer is one, and a value that is no number at all (a
 * boolean…) RabbitMQ lets through to its log, where it means nothing: Warren starts such a
 * reader at the next message. null: a string that is none of these (refused).
 */
function startSpec(v: FieldValue, now: number): StreamStartSpec | null {
  if (v.type === 'S' || v.type === 'x') {
    const s = v.value.toString('utf8');
    if (s === 'first' || s === 'last' || s === 'next') return { kind: s };
    if (v.type === 'x') return NEXT;
    const age = parseMaxAge(s);
    return age === null ? null : { kind: 'time', ms: now - age };
  }
  if (v.type === 'T') return { kind: 'time', ms: Number(v.value) * 1000 };
  if ('bBsuIilL'.includes(v.type)) return { kind: 'offset', offset: Math.max(0, Number(v.value as number | bigint)) };
  return NEXT;
}

/** x-stream-filter (a string, or an array whose strings count) and x-stream-match-unfiltered (a boolean; false by default). */
function filterOf(args: FieldTable): { filter: ReadonlySet<string> | null; matchUnfiltered: boolean } {
  const f = tableGet(args, 'x-stream-filter');
  let values: string[] | null = null;
  if (f?.type === 'S') values = [f.value.toString('utf8')];
  else if (f?.type === 'A') values = f.value.flatMap((e) => (e.type === 'S' ? [e.value.toString('utf8')] : []));
  if (values === null) return { filter: null, matchUnfiltered: false };
  const m = tableGet(args, 'x-stream-match-unfiltered');
  return { filter: new Set(values), matchUnfiltered: m?.type === 't' && m.value };
}

/**
 * Whether a reader with this filter gets a message: exactly those whose x-stream-filter-value
 * is one of the filter's values (RabbitMQ's per-chunk Bloom filter lets some others through
 * too, which its clients filter out again; Warren has nothing to let through).
 */
export function passesFilter(o: StreamReadOptions, header: ContentHeader): boolean {
  if (o.filter === null) return true;
  const headers = header.has('headers') ? header.headers : undefined;
  const v = headers === undefined ? undefined : tableGet(headers, 'x-stream-filter-value');
  if (v === undefined || v.type !== 'S') return o.matchUnfiltered;
  return o.filter.has(v.value.toString('utf8'));
}
