/**
 * Message TTL: a queue's x-message-ttl and a message's own `expiration` property (milliseconds
 * as a decimal string; the lower of the two wins). RabbitMQ checks the property on publish and
 * refuses a bad one with its own texts ("invalid expiration 'abc': no_integer").
 */
import { PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import type { ContentHeader } from '../codec/content-header.js';

const MAX_EXPIRY = 315_360_000_000;

/** The expiration property in ms, or a RabbitMQ-style error term. */
export function parseExpiration(text: string): number | string {
  const m = /^[+-]?\d+/.exec(text);
  if (m === null) return 'no_integer';
  if (m[0].length !== text.length) return `{leftover_string,"${text.slice(m[0].length)}"}`;
  const n = Number(m[0]);
  if (n < 0) return `{value_negative,${n}}`;
  if (n > MAX_EXPIRY) return `{value_too_large,${n}}`;
  return n;
}

/** Refuses a publish whose expiration property is not a valid TTL. */
export function checkExpiration(header: ContentHeader): void {
  if (!header.has('expiration')) return;
  const text = header.get('expiration') as string;
  const v = parseExpiration(text);
  if (typeof v === 'string') throw new AmqpError(PRECONDITION_FAILED, `invalid expiration '${text}': ${v}`);
}

/** When a message with this header, arriving at `now`, expires in a queue with this TTL (Infinity: never). */
export function expiryOf(header: ContentHeader, queueTtl: number | undefined, now: number): number {
  let ttl = queueTtl;
  if (header.has('expiration')) {
    const v = parseExpiration(header.get('expiration') as string);
    if (typeof v === 'number') ttl = ttl === undefined ? v : Math.min(ttl, v);
  }
  return ttl === undefined ? Infinity : now + ttl;
}
