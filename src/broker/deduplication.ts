/**
 * Message deduplication (issue 16), as two implementations define it: the
 * rabbitmq-message-deduplication plugin (exchange type `x-message-deduplication`, queue argument
 * `x-message-deduplication`) and LavinMQ (argument `x-message-deduplication` on any exchange or
 * queue, with `x-cache-size`, `x-cache-ttl` and `x-deduplication-header`). A message's key is the
 * value of one of its headers; a message without it is never a duplicate.
 *
 * Two kinds of memory, because the two define a queue's duplicate differently:
 * - DedupCache, "seen recently": at most `size` keys, the oldest evicted first (FIFO), each
 *   forgotten after its TTL. Exchanges of both kinds, and LavinMQ-style queues.
 * - InQueueKeys, "currently in the queue": the plugin's queue level; a key is held from the
 *   enqueue until its message leaves the queue (acked, taken with no-ack, purged, expired,
 *   dead-lettered, dropped).
 *
 * Expiry is judged when a key is looked up (no timer per entry); an expired key keeps its slot
 * in the FIFO until it is evicted or looked up.
 */
import { tableGet, type FieldTable, type FieldValue } from '../codec/field-table.js';
import { PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import type { PolicyDefinition } from './policies.js';

/** The exchange type of the rabbitmq-message-deduplication plugin (routes like fanout). */
export const DEDUP_EXCHANGE_TYPE = 'x-message-deduplication';
/** The header holding the key, unless x-deduplication-header names another (LavinMQ). */
export const DEFAULT_DEDUP_HEADER = 'x-deduplication-header';
/** LavinMQ's cache size when x-cache-size is not given. */
export const DEFAULT_CACHE_SIZE = 128;

/** Milliseconds now; injected by tests. */
export type Clock = () => number;

/** Keys seen recently: at most `size`, FIFO eviction, each live until its expiry. */
export class DedupCache {
  /** key → when it expires (ms since the epoch; Infinity: never). A Map iterates in insertion order: the first key is the oldest. */
  private readonly entries = new Map<string, number>();

  constructor(
    /** Most keys kept; may be changed (a policy), the excess going at the next insert. */
    public size: number,
    /** Default ms a key is kept; undefined: until evicted. */
    public ttl: number | undefined,
    private readonly now: Clock = Date.now,
  ) {}

  /** Keys held, live or expired but not yet found out. */
  get count(): number {
    return this.entries.size;
  }

  /** Whether `key` is held and live; an expired one is forgotten here. */
  has(key: string): boolean {
    const expiresAt = this.entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt === Infinity || expiresAt > this.now()) return true;
    this.entries.delete(key);
    return false;
  }

  /** Adds `key` (not held) for `ttl` ms (else the cache's TTL), evicting the oldest keys when full. */
  add(key: string, ttl?: number): void {
    while (this.entries.size >= this.size && this.entries.size > 0) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    const t = ttl ?? this.ttl;
    this.entries.set(key, t === undefined ? Infinity : this.now() + t);
  }

  /** True when `key` is a live duplicate; otherwise remembers it (for `ttl` ms) and returns false. */
  seen(key: string, ttl?: number): boolean {
    if (this.has(key)) return true;
    this.add(key, ttl);
    return false;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The keys of the messages in one queue (the plugin's queue level). A key is freed when a
 * message with it leaves, whichever message that is, as the plugin deletes the key of whatever
 * it acknowledges (a message can be read back from disk as a new object, so identity would not
 * do). Each key keeps its message's expiry, as the plugin's cache entry carries the message's
 * TTL: a message past its TTL but not yet at the head (expired messages leave from the head
 * only) stops counting.
 */
export class InQueueKeys {
  /** key → when its message expires (Infinity: never). */
  private readonly keys = new Map<string, number>();

  constructor(private readonly now: Clock = Date.now) {}

  get count(): number {
    return this.keys.size;
  }

  /** Whether a live message in the queue holds `key`. */
  has(key: string): boolean {
    const expiresAt = this.keys.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt === Infinity || expiresAt > this.now()) return true;
    this.keys.delete(key);
    return false;
  }

  /** A message with `key` entered the queue, live until `expiresAt`. */
  add(key: string, expiresAt: number): void {
    this.keys.set(key, expiresAt);
  }

  /** A message with `key` left the queue: the key is free again. */
  release(key: string): void {
    this.keys.delete(key);
  }

  clear(): void {
    this.keys.clear();
  }
}

/**
 * The key of a header value: its type's family and its value, so that the string "1" and the
 * integer 1 are different keys while a short 1 and a long 1 are the same (both plugins compare
 * decoded values: Erlang terms, Crystal fields). Void, tables and arrays are no key.
 */
export function dedupKeyOf(v: FieldValue): string | undefined {
  switch (v.type) {
    case 'S': case 'x': return `s${v.value.toString('latin1')}`;
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': case 'l': case 'L': case 'T': return `i${v.value}`;
    case 'f': case 'd': return `f${v.value}`;
    case 't': return `b${v.value}`;
    case 'D': return `d${v.value.scale}:${v.value.digits}`;
    default: return undefined;
  }
}

/** The message's key under header `name`, or undefined (no headers, no such header, no usable value). */
export function messageKey(headers: FieldTable | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const v = tableGet(headers, name);
  return v === undefined ? undefined : dedupKeyOf(v);
}

/** A message header x-cache-ttl overrides the cache's TTL for its key (an integer ≥ 0, ms). */
export function messageTtl(headers: FieldTable | undefined): number | undefined {
  if (headers === undefined) return undefined;
  const v = tableGet(headers, 'x-cache-ttl');
  if (v === undefined || !isIntValue(v)) return undefined;
  const n = Number(v.value);
  return n >= 0 ? n : undefined;
}

/** An exchange's deduplication: the cache and the header its keys come from. */
export class ExchangeDedup {
  constructor(
    readonly cache: DedupCache,
    readonly header: string,
    /** The plugin's exchange type: a duplicate still goes to the alternate exchange (its route is empty). */
    readonly pluginType: boolean,
    /** What the arguments say, restored when a policy goes. */
    private readonly argSize: number,
    private readonly argTtl: number | undefined,
  ) {}

  /** True when the message is a duplicate; otherwise its key (if any) is remembered. */
  isDuplicate(headers: FieldTable | undefined): boolean {
    const key = messageKey(headers, this.header);
    return key !== undefined && this.cache.seen(key, messageTtl(headers));
  }

  /** The plugin's policy keys x-cache-size and x-cache-ttl win over the arguments while they apply. */
  applyPolicy(def: PolicyDefinition): void {
    const size = def['x-cache-size'];
    const ttl = def['x-cache-ttl'];
    this.cache.size = typeof size === 'number' && size > 0 ? size : this.argSize;
    this.cache.ttl = typeof ttl === 'number' && ttl > 0 ? ttl : this.argTtl;
  }
}

const INT_TYPES = 'bBsuIilL';
const isIntValue = (v: FieldValue): boolean => INT_TYPES.includes(v.type);

/**
 * An integer argument as the plugin reads it: an integer, or a longstr holding one (Elixir's
 * Integer.parse: leading digits, optional sign). undefined when it is neither.
 */
function pluginInt(v: FieldValue): number | undefined {
  if (isIntValue(v)) return Number(v.value);
  if (v.type !== 'S') return undefined;
  const m = /^[+-]?[0-9]+/.exec(v.value.toString('utf8'));
  return m === null ? undefined : Number(m[0]);
}

/**
 * The plugin's 406 texts, byte for byte. Its source writes each across two lines with a `\`
 * continuation, which in Elixir drops the newline but keeps the next line's indentation: the
 * texts clients get carry a run of spaces, longer in the branch for a longstr that does not
 * parse (indented deeper) than in the others.
 */
const pad = (n: number) => ' '.repeat(n);
export const CACHE_SIZE_TEXT = `Missing or invalid argument, ${pad(10)}'x-cache-size' must be an integer greater than 0`;
export const CACHE_SIZE_STRING_TEXT = `Missing or invalid argument, ${pad(22)}'x-cache-size' must be an integer greater than 0`;
export const CACHE_TTL_TEXT = `Invalid argument, ${pad(13)}'x-cache-ttl' must be an integer greater than 0`;
export const CACHE_TTL_STRING_TEXT = `Invalid argument, ${pad(22)}'x-cache-ttl' must be an integer greater than 0`;
export const CACHE_PERSISTENCE_TEXT = `Invalid argument, ${pad(13)}'x-cache-persistence' must be either 'disk' or 'memory'`;

function fail(text: string): never {
  throw new AmqpError(PRECONDITION_FAILED, text);
}

/**
 * The deduplication an exchange declaration asks for, validated (406 with the plugin's texts),
 * or null: the plugin's type (x-cache-size required), or LavinMQ's argument
 * x-message-deduplication = true on any other type (x-cache-size optional, 128 by default).
 */
export function exchangeDedup(type: string, args: FieldTable): ExchangeDedup | null {
  const pluginType = type === DEDUP_EXCHANGE_TYPE;
  if (!pluginType && tableGet(args, 'x-message-deduplication')?.value !== true) return null;
  const sizeArg = tableGet(args, 'x-cache-size');
  const size = sizeArg === undefined ? undefined : pluginInt(sizeArg);
  if (pluginType) {
    // the plugin takes a longstr size that parses, even "0" (Integer.parse succeeds); a cache
    // of 0 would hold nothing, so Warren keeps one key then
    if (sizeArg === undefined || size === undefined || (sizeArg.type !== 'S' && size <= 0)) {
      fail(sizeArg?.type === 'S' ? CACHE_SIZE_STRING_TEXT : CACHE_SIZE_TEXT);
    }
  }
  // LavinMQ's argument on another type is not checked: RabbitMQ checks no argument of the
  // standard types, so a malformed option there takes its default instead of a refusal
  const ttlArg = tableGet(args, 'x-cache-ttl');
  let ttl = ttlArg === undefined ? undefined : pluginInt(ttlArg);
  if (ttlArg !== undefined && (ttl === undefined || (ttlArg.type !== 'S' && ttl <= 0))) {
    if (pluginType) fail(ttlArg.type === 'S' ? CACHE_TTL_STRING_TEXT : CACHE_TTL_TEXT);
    ttl = undefined;
  }
  const persistence = tableGet(args, 'x-cache-persistence');
  if (pluginType && persistence !== undefined) {
    const p = persistence.type === 'S' ? persistence.value.toString('utf8') : '';
    if (p !== 'memory' && p !== 'disk') fail(CACHE_PERSISTENCE_TEXT);
  }
  const headerArg = tableGet(args, 'x-deduplication-header');
  const header = headerArg?.type === 'S' ? headerArg.value.toString('utf8') : DEFAULT_DEDUP_HEADER;
  const cacheSize = Math.max(1, size !== undefined && size > 0 ? size : DEFAULT_CACHE_SIZE);
  // a longstr TTL of "0" passes the plugin's check: its keys expire at once
  const cacheTtl = ttl !== undefined ? Math.max(0, ttl) : undefined;
  return new ExchangeDedup(new DedupCache(cacheSize, cacheTtl), header, pluginType, cacheSize, cacheTtl);
}
