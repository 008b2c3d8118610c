/**
 * Queue arguments: RabbitMQ's validation when a queue is created (rabbit_amqqueue's
 * check_declare_arguments, with its order and its texts: "invalid arg 'x-message-ttl' for queue
 * 'q' in vhost '/': {value_negative,-1}") and the QueueConfig the queue runs with.
 *
 * Queue types: classic (the default); quorum, which on one node is a classic queue with
 * quorum's rules (durable, not exclusive, not auto-delete, not server-named, a delivery limit of
 * 20 by default); stream (broker/stream/), with its own argument set and checks.
 */
import { tableGet, type FieldTable, type FieldValue } from '../codec/field-table.js';
import { PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import { TYPE_ATOMS } from './erlang-format.js';
import type { PolicyDefinition } from './policies.js';
import { DEFAULT_CACHE_SIZE, DEFAULT_DEDUP_HEADER } from './deduplication.js';

export type Overflow = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
export type QueueType = 'classic' | 'quorum' | 'stream';

export interface QueueConfig {
  readonly type: QueueType;
  /** ms; undefined = no per-queue TTL. */
  readonly messageTtl?: number;
  /** ms of disuse after which the queue is deleted. */
  readonly expires?: number;
  readonly deadLetterExchange?: string;
  readonly deadLetterRoutingKey?: string;
  readonly maxLength?: number;
  readonly maxLengthBytes?: number;
  readonly overflow: Overflow;
  /** 0 = not a priority queue. */
  readonly maxPriority: number;
  readonly singleActiveConsumer: boolean;
  /** Deliveries after which a message is dead-lettered (reason delivery_limit); undefined = none. */
  readonly deliveryLimit?: number;
  /** ms an unacknowledged delivery may stay out before its channel is closed. */
  readonly consumerTimeout?: number;
  /** Deduplication (x-message-deduplication, classic queues): which kind, see deduplication.ts. */
  readonly dedup?: QueueDedupConfig;
  /** Streams: retention by age (ms, x-max-age); maxLengthBytes is their retention by size. */
  readonly maxAge?: number;
  /** Streams: bytes after which the log starts a new segment (the unit retention drops). */
  readonly maxSegmentSize?: number;
}

/**
 * A queue's deduplication. 'in-queue' (the rabbitmq-message-deduplication plugin): a duplicate
 * is a message whose x-deduplication-header is that of a message in the queue. 'cache'
 * (LavinMQ, chosen when x-cache-size, x-cache-ttl or x-deduplication-header is given): one whose
 * key is among the last `size` keys the queue took, within their TTL.
 */
export type QueueDedupConfig =
  | { readonly mode: 'in-queue' }
  | { readonly mode: 'cache'; readonly size: number; readonly ttl?: number; readonly header: string };

const IN_QUEUE_DEDUP: QueueDedupConfig = Object.freeze({ mode: 'in-queue' });

/** Queue arguments RabbitMQ's classic queue type knows (compared on redeclaration). */
export const CLASSIC_QUEUE_ARGUMENTS: readonly string[] = [
  'x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length',
  'x-max-length-bytes', 'x-max-priority', 'x-overflow', 'x-queue-mode', 'x-queue-version',
  'x-single-active-consumer', 'x-queue-type', 'x-queue-master-locator', 'x-queue-leader-locator',
  // RabbitMQ takes these on classic queues without comparing them on redeclaration; Warren
  // compares them (x-delivery-limit on a classic queue is Warren's own: SQS's maxReceiveCount)
  'x-delivery-limit', 'x-consumer-timeout',
];

export const QUORUM_QUEUE_ARGUMENTS: readonly string[] = [
  'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-dead-letter-strategy', 'x-expires', 'x-max-length',
  'x-max-length-bytes', 'x-max-in-memory-length', 'x-max-in-memory-bytes', 'x-overflow', 'x-single-active-consumer',
  'x-queue-type', 'x-quorum-initial-group-size', 'x-member-placement-tag', 'x-delivery-limit', 'x-message-ttl',
  'x-queue-leader-locator', 'x-consumer-disconnected-timeout', 'x-consumer-timeout',
];

/** RabbitMQ 4's stream queue type (rabbit_stream_queue:capabilities; 3.13 added the filter size). */
export const STREAM_QUEUE_ARGUMENTS: readonly string[] = [
  'x-max-length-bytes', 'x-queue-type', 'x-max-age', 'x-stream-max-segment-size-bytes', 'x-stream-filter-size-bytes',
  'x-initial-cluster-size', 'x-queue-leader-locator',
];

/** Arguments some queue type knows: on a queue of another type they are refused. */
const KNOWN_ANYWHERE = new Set([...CLASSIC_QUEUE_ARGUMENTS, ...QUORUM_QUEUE_ARGUMENTS, ...STREAM_QUEUE_ARGUMENTS]);

/** The argument names a queue type knows (compared on redeclaration, refused on other types). */
export function queueTypeArguments(type: QueueType): readonly string[] {
  return type === 'quorum' ? QUORUM_QUEUE_ARGUMENTS : type === 'stream' ? STREAM_QUEUE_ARGUMENTS : CLASSIC_QUEUE_ARGUMENTS;
}

/** The module name RabbitMQ's texts give a queue type ("… of queue type rabbit_stream_queue"). */
const TYPE_MODULES: Readonly<Record<QueueType, string>> = {
  classic: 'rabbit_classic_queue', quorum: 'rabbit_quorum_queue', stream: 'rabbit_stream_queue',
};

/** rabbit_stream_queue's largest segment (3 GB) and its filter sizes. */
const MAX_STREAM_SEGMENT_SIZE = 3_000_000_000;
const MIN_FILTER_SIZE = 16;
const MAX_FILTER_SIZE = 255;

const AGE_UNITS_MS: Readonly<Record<string, number>> = {
  Y: 365 * 86_400_000, M: 30 * 86_400_000, D: 86_400_000, h: 3_600_000, m: 60_000, s: 1000,
};

/**
 * A stream age ("7D", "1h", "10m": digits then one of Y M D h m s, case-sensitive, above zero)
 * in ms, as rabbit_amqqueue:check_max_age reads it (x-max-age, the max-age policy, and an
 * interval given as x-stream-offset); null when it is not one.
 */
export function parseMaxAge(text: string): number | null {
  const m = /^([0-9]+)(.*)$/s.exec(text);
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = AGE_UNITS_MS[m[2]];
  return n > 0 && unit !== undefined && Object.hasOwn(AGE_UNITS_MS, m[2]) ? n * unit : null;
}

/** RabbitMQ 4's default delivery limit of quorum queues. */
export const QUORUM_DELIVERY_LIMIT = 20;
const MAX_EXPIRY = 315_360_000_000; // 10 years in ms, rabbit_misc:check_expiry
const MAX_PRIORITY = 255;

type Check = (v: FieldValue, args: FieldTable) => string | null;

const isInt = (v: FieldValue) => 'bBsuIilL'.includes(v.type);
const intOf = (v: FieldValue) => Number(v.value as number | bigint);
const str = (v: FieldValue) => (v.type === 'S' ? v.value.toString('utf8') : '');

/** An Erlang string in an error term prints with its quotes. */
const quoted = (s: string) => `"${s}"`;

const checkInt: Check = (v) => (isInt(v) ? null : quoted(`expected integer, got ${TYPE_ATOMS[v.type]}`));
const checkNonNegInt: Check = (v, a) => checkInt(v, a) ?? (intOf(v) < 0 ? `{value_negative,${intOf(v)}}` : null);
const checkExpiry = (n: number) => (n < 0 ? `{value_negative,${n}}` : n > MAX_EXPIRY ? `{value_too_large,${n}}` : null);

const VALIDATORS: readonly [string, Check][] = [
  ['x-expires', (v, a) => checkInt(v, a) ?? (intOf(v) === 0 ? '{value_zero,0}' : checkExpiry(intOf(v)))],
  ['x-message-ttl', (v, a) => checkInt(v, a) ?? checkExpiry(intOf(v))],
  ['x-dead-letter-exchange', (v) => (v.type === 'S' ? null : `{unacceptable_type,${TYPE_ATOMS[v.type]}}`)],
  ['x-dead-letter-routing-key', (v, a) => {
    if (v.type !== 'S') return `{unacceptable_type,${TYPE_ATOMS[v.type]}}`;
    return tableGet(a, 'x-dead-letter-exchange') === undefined ? 'routing_key_but_no_dlx_defined' : null;
  }],
  ['x-dead-letter-strategy', (v) => {
    if (v.type !== 'S') return `{unacceptable_type,${TYPE_ATOMS[v.type]}}`;
    return ['at-most-once', 'at-least-once'].includes(str(v)) ? null : 'invalid_dlx_strategy';
  }],
  ['x-max-length', checkNonNegInt],
  ['x-max-length-bytes', checkNonNegInt],
  ['x-max-in-memory-length', checkNonNegInt],
  ['x-max-in-memory-bytes', checkNonNegInt],
  ['x-max-priority', (v, a) => checkNonNegInt(v, a) ?? (intOf(v) > MAX_PRIORITY ? `{max_value_exceeded,${intOf(v)}}` : null)],
  ['x-overflow', (v) => {
    if (v.type !== 'S') return `{unacceptable_type,${TYPE_ATOMS[v.type]}}`;
    return ['drop-head', 'reject-publish', 'reject-publish-dlx'].includes(str(v)) ? null : 'invalid_overflow';
  }],
  ['x-queue-version', (v, a) => checkInt(v, a) ?? ([1, 2].includes(intOf(v)) ? null : quoted(`unsupported queue version '${intOf(v)}'`))],
  ['x-single-active-consumer', (v) => (v.type === 't' ? null : `{unacceptable_type,${TYPE_ATOMS[v.type]}}`)],
  ['x-consumer-timeout', checkNonNegInt],
  ['x-delivery-limit', checkInt],
  ['x-max-age', (v) => (v.type !== 'S' ? `{unacceptable_type,${TYPE_ATOMS[v.type]}}` : parseMaxAge(str(v)) === null ? 'invalid_max_age' : null)],
  ['x-stream-max-segment-size-bytes', checkNonNegInt],
  ['x-stream-filter-size-bytes', checkNonNegInt],
  ['x-initial-cluster-size', (v, a) => checkNonNegInt(v, a) ?? (intOf(v) === 0 ? '{value_zero,0}' : null)],
];

/**
 * Validates the arguments of a queue being created and returns its config. `resource` is
 * RabbitMQ's name for it (`queue 'q' in vhost '/'`). Throws AmqpError(406) with RabbitMQ's text.
 */
export function queueConfig(
  args: FieldTable, resource: string, props: { durable: boolean; exclusive: boolean; autoDelete: boolean; serverNamed: boolean },
): QueueConfig {
  const fail = (text: string): never => {
    throw new AmqpError(PRECONDITION_FAILED, text);
  };
  const dlx = tableGet(args, 'x-dead-letter-exchange');
  if (dlx !== undefined && dlx.type !== 'S') {
    fail(`invalid type '${TYPE_ATOMS[dlx.type]}' for arg 'x-dead-letter-exchange' in ${resource}`);
  }
  const typeArg = tableGet(args, 'x-queue-type');
  let type: QueueType = 'classic';
  if (typeArg !== undefined) {
    if (typeArg.type !== 'S') fail(`invalid arg 'x-queue-type' for ${resource}: {unacceptable_type,${TYPE_ATOMS[typeArg.type]}}`);
    const t = str(typeArg);
    if (t === 'quorum' || t === 'stream') type = t;
    else if (t !== 'classic') fail(`invalid arg 'x-queue-type' for ${resource}: ${quoted(`unsupported queue type '${t}'`)}`);
  }
  if (type === 'quorum') {
    if (props.serverNamed) fail('Cannot declare a server-named queue for type rabbit_quorum_queue');
    if (props.autoDelete) fail(`invalid property 'auto-delete' for ${resource}`);
    if (props.exclusive) fail(`invalid property 'exclusive-owner' for ${resource}`);
    if (!props.durable) fail(`invalid property 'non-durable' for ${resource}`);
  }
  const known = queueTypeArguments(type);
  for (const [key, check] of VALIDATORS) {
    if (!known.includes(key)) continue;
    const v = tableGet(args, key);
    if (v === undefined) continue;
    const problem = check(v, args);
    if (problem !== null) fail(`invalid arg '${key}' for ${resource}: ${problem}`);
  }
  for (const e of args) {
    if (KNOWN_ANYWHERE.has(e.name) && !known.includes(e.name)) {
      fail(`invalid arg '${e.name}' for ${resource} of queue type ${TYPE_MODULES[type]}`);
    }
  }
  if (type === 'stream') return streamConfig(args, resource, props, fail);
  const num = (key: string): number | undefined => {
    const v = tableGet(args, key);
    return v !== undefined && isInt(v) ? intOf(v) : undefined;
  };
  const deliveryLimit = num('x-delivery-limit');
  const dedup = type === 'classic' ? dedupConfig(args, undefined) : undefined;
  return {
    type,
    messageTtl: num('x-message-ttl'),
    expires: num('x-expires'),
    deadLetterExchange: dlx !== undefined ? str(dlx) : undefined,
    deadLetterRoutingKey: tableGet(args, 'x-dead-letter-routing-key') ? str(tableGet(args, 'x-dead-letter-routing-key') as FieldValue) : undefined,
    maxLength: num('x-max-length'),
    maxLengthBytes: num('x-max-length-bytes'),
    overflow: (tableGet(args, 'x-overflow') ? str(tableGet(args, 'x-overflow') as FieldValue) : 'drop-head') as Overflow,
    maxPriority: num('x-max-priority') ?? 0,
    singleActiveConsumer: tableGet(args, 'x-single-active-consumer')?.value === true,
    // a negative limit means none (RabbitMQ 4); quorum queues default to 20
    deliveryLimit: deliveryLimit !== undefined ? (deliveryLimit < 0 ? undefined : deliveryLimit)
      : type === 'quorum' ? QUORUM_DELIVERY_LIMIT : undefined,
    consumerTimeout: num('x-consumer-timeout'),
    ...(dedup !== undefined ? { dedup } : {}),
  };
}

/**
 * A stream's rules, checked after its arguments (rabbit_stream_queue:declare): durable, not
 * exclusive, not auto-delete, then the segment and filter size limits.
 */
function streamConfig(
  args: FieldTable, resource: string, props: { durable: boolean; exclusive: boolean; autoDelete: boolean; serverNamed: boolean },
  fail: (text: string) => never,
): QueueConfig {
  if (props.serverNamed) fail('Cannot declare a server-named queue for type rabbit_stream_queue');
  if (props.autoDelete) fail(`invalid property 'auto-delete' for ${resource}`);
  if (props.exclusive) fail(`invalid property 'exclusive-owner' for ${resource}`);
  if (!props.durable) fail(`invalid property 'non-durable' for ${resource}`);
  const num = (key: string): number | undefined => {
    const v = tableGet(args, key);
    return v !== undefined && isInt(v) ? intOf(v) : undefined;
  };
  const segment = num('x-stream-max-segment-size-bytes');
  if (segment !== undefined && segment > MAX_STREAM_SEGMENT_SIZE) fail('Exceeded max value for x-stream-max-segment-size-bytes');
  // its type was checked with the other arguments (an integer); RabbitMQ 3.13–4.1 print this
  // text with two spaces after "for", later versions with one
  const filter = num('x-stream-filter-size-bytes');
  if (filter !== undefined && (filter < MIN_FILTER_SIZE || filter > MAX_FILTER_SIZE)) fail('Invalid value for x-stream-filter-size-bytes');
  const age = tableGet(args, 'x-max-age');
  return {
    ...DEFAULT_QUEUE_CONFIG,
    type: 'stream',
    maxLengthBytes: num('x-max-length-bytes'),
    maxAge: age !== undefined ? parseMaxAge(str(age)) ?? undefined : undefined,
    maxSegmentSize: segment,
  };
}

/**
 * x-message-deduplication and its options on a classic queue (the plugin supports classic
 * queues only; on a quorum queue they are ignored, as any argument RabbitMQ does not know).
 * `enabled` is what the policy says when one sets x-message-deduplication (the plugin reads the
 * policy's key before the argument's). Nothing here is refused: RabbitMQ with the plugin checks
 * no queue argument (the classic queue type ignores unknown ones, and the plugin reads the flag
 * as Elixir does, any value but false enabling it), so a malformed x-cache-size, x-cache-ttl or
 * x-deduplication-header falls back to its default.
 */
function dedupConfig(args: FieldTable, enabled: boolean | undefined): QueueDedupConfig | undefined {
  const flag = tableGet(args, 'x-message-deduplication');
  const on = enabled ?? (flag !== undefined && flag.type !== 'V' && !(flag.type === 't' && flag.value === false));
  if (!on) return undefined;
  const positive = (key: string): number | undefined => {
    const v = tableGet(args, key);
    return v !== undefined && checkInt(v, args) === null && intOf(v) > 0 ? intOf(v) : undefined;
  };
  const size = positive('x-cache-size');
  const ttl = positive('x-cache-ttl');
  const header = tableGet(args, 'x-deduplication-header');
  if (tableGet(args, 'x-cache-size') === undefined && tableGet(args, 'x-cache-ttl') === undefined && header === undefined) {
    return IN_QUEUE_DEDUP;
  }
  return {
    mode: 'cache',
    size: size ?? DEFAULT_CACHE_SIZE,
    ...(ttl !== undefined ? { ttl } : {}),
    header: header?.type === 'S' ? header.value.toString('utf8') : DEFAULT_DEDUP_HEADER,
  };
}

/** What basic.consume's arguments ask for. */
export interface ConsumerOptions {
  /** x-priority: higher-priority consumers are served first while they have room. */
  readonly priority: number;
  /** x-consumer-timeout (ms): overrides the queue's and the broker's consumer timeout. */
  readonly timeout?: number;
}

/**
 * basic.consume's arguments, checked as RabbitMQ's consume_args are (x-priority any integer,
 * x-consumer-timeout a non-negative one): "invalid arg 'x-priority' for queue …: …".
 */
export function consumerOptions(args: FieldTable, resource: string): ConsumerOptions {
  const check = (name: string, validate: Check): number | undefined => {
    const v = tableGet(args, name);
    if (v === undefined) return undefined;
    const problem = validate(v, args);
    if (problem !== null) throw new AmqpError(PRECONDITION_FAILED, `invalid arg '${name}' for ${resource}: ${problem}`);
    return intOf(v);
  };
  return { priority: check('x-priority', checkInt) ?? 0, timeout: check('x-consumer-timeout', checkNonNegInt) };
}

/** The default config of a queue with no arguments. */
export const DEFAULT_QUEUE_CONFIG: QueueConfig = { type: 'classic', overflow: 'drop-head', maxPriority: 0, singleActiveConsumer: false };


/**
 * What a queue runs with under a policy definition (the merged policy and operator policy): per
 * key, the argument or the policy, as RabbitMQ 4 decides it — the lower of the two for TTLs,
 * expiry and limits; the argument for dead-lettering (and for overflow on a classic queue); the
 * policy for overflow on a quorum queue; for a quorum queue's delivery limit the lower, or the
 * higher when either is negative (unlimited), 20 when neither says.
 */
export function withPolicy(base: QueueConfig, args: FieldTable, def: PolicyDefinition): QueueConfig {
  const policyNum = (key: string): number | undefined => (typeof def[key] === 'number' ? def[key] as number : undefined);
  const policyStr = (key: string): string | undefined => (typeof def[key] === 'string' ? def[key] as string : undefined);
  const lower = (arg: number | undefined, key: string): number | undefined => {
    const p = policyNum(key);
    return p === undefined ? arg : arg === undefined ? p : Math.min(arg, p);
  };
  if (base.type === 'stream') return streamUnderPolicy(base, def);
  const quorum = base.type === 'quorum';
  const argOverflow = tableGet(args, 'x-overflow') !== undefined ? base.overflow : undefined;
  let overflow = (quorum ? policyStr('overflow') ?? argOverflow : argOverflow ?? policyStr('overflow')) ?? 'drop-head';
  if (quorum && overflow === 'reject-publish-dlx') overflow = 'drop-head'; // quorum queues do not support it
  let deliveryLimit = base.deliveryLimit;
  if (quorum) {
    const argValue = tableGet(args, 'x-delivery-limit');
    const arg = argValue !== undefined && isInt(argValue) ? intOf(argValue) : undefined;
    const p = policyNum('delivery-limit');
    const limit = p === undefined ? arg : arg === undefined ? p : (p < 0 || arg < 0 ? Math.max(p, arg) : Math.min(p, arg));
    deliveryLimit = limit === undefined ? QUORUM_DELIVERY_LIMIT : limit < 0 ? undefined : limit;
  }
  return {
    ...base,
    messageTtl: lower(base.messageTtl, 'message-ttl'),
    expires: lower(base.expires, 'expires'),
    maxLength: lower(base.maxLength, 'max-length'),
    maxLengthBytes: lower(base.maxLengthBytes, 'max-length-bytes'),
    overflow: overflow as Overflow,
    deadLetterExchange: base.deadLetterExchange ?? policyStr('dead-letter-exchange'),
    deadLetterRoutingKey: base.deadLetterRoutingKey ?? policyStr('dead-letter-routing-key'),
    deliveryLimit,
    consumerTimeout: lower(base.consumerTimeout, 'consumer-timeout'),
    ...dedupUnderPolicy(base, args, def),
  };
}

/**
 * A stream under a policy: the policy's retention and segment size win over the arguments
 * (rabbit_stream_queue's policy_precedence); the other keys do not apply to streams.
 */
function streamUnderPolicy(base: QueueConfig, def: PolicyDefinition): QueueConfig {
  const n = (key: string): number | undefined => (typeof def[key] === 'number' ? def[key] as number : undefined);
  const age = typeof def['max-age'] === 'string' ? parseMaxAge(def['max-age']) ?? undefined : undefined;
  return {
    ...base,
    maxLengthBytes: n('max-length-bytes') ?? base.maxLengthBytes,
    maxAge: age ?? base.maxAge,
    maxSegmentSize: n('stream-max-segment-size-bytes') ?? base.maxSegmentSize,
  };
}

/** The plugin's policy key x-message-deduplication turns a classic queue's deduplication on or off. */
function dedupUnderPolicy(base: QueueConfig, args: FieldTable, def: PolicyDefinition): { dedup?: QueueDedupConfig } {
  const p = def['x-message-deduplication'];
  if (base.type !== 'classic' || typeof p !== 'boolean') return {};
  return { dedup: dedupConfig(args, p) };
}
