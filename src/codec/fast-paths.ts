/**
 * Hand-written codecs for the methods on every message's path: basic.publish and basic.ack in,
 * basic.deliver out (from pre-encoded bytes). They skip binary-parser's per-call DataView and result objects (see
 * bench/codec.bench.ts for the gain) and must agree byte for byte and value for value with the
 * generated codecs, which test/codec/fast-paths.test.ts checks over generated inputs.
 */
import type { ByteWriter } from './byte-writer.js';
import { DecodeFailure } from './decode-failure.js';
import { argumentFailure } from './method-faults.js';
import { internedString } from './short-string-cache.js';
import { BASIC_ACK, BASIC_DELIVER, BASIC_PUBLISH } from './generated/protocol.js';
import type { BasicAckArgs, BasicPublishArgs } from './generated/method-types.js';

/** basic.publish: reserved-1 u16, exchange shortstr, routing-key shortstr, mandatory|immediate bits. */
export function decodeBasicPublishFast(p: Buffer): BasicPublishArgs | DecodeFailure {
  const out = { reserved1: 0, exchange: '', routingKey: '', mandatory: false, immediate: false };
  const failure = decodeBasicPublishInto(p, out);
  return failure ?? out;
}

export type MutablePublishArgs = { -readonly [K in keyof BasicPublishArgs]-?: BasicPublishArgs[K] };

/**
 * The same, into an object the caller reuses for every publish (the session's per-channel
 * assembler), so a publish allocates no method object. Returns null or the failure.
 */
export function decodeBasicPublishInto(p: Buffer, out: MutablePublishArgs): DecodeFailure | null {
  const len = p.length;
  if (len < 7) return argumentFailure(BASIC_PUBLISH, p);
  const exEnd = 7 + p[6];
  if (exEnd >= len) return argumentFailure(BASIC_PUBLISH, p);
  const rkEnd = exEnd + 1 + p[exEnd];
  if (rkEnd + 1 !== len) return argumentFailure(BASIC_PUBLISH, p);
  const bits = p[rkEnd];
  out.reserved1 = p.readUInt16BE(4);
  out.exchange = internedString(p, 7, exEnd);
  out.routingKey = internedString(p, exEnd + 1, rkEnd);
  out.mandatory = (bits & 1) !== 0;
  out.immediate = (bits & 2) !== 0;
  return null;
}

/** basic.ack: delivery-tag u64, multiple bit. */
export function decodeBasicAckFast(p: Buffer): BasicAckArgs | DecodeFailure {
  if (p.length !== 13) return argumentFailure(BASIC_ACK, p);
  return {
    deliveryTag: p.readUInt32BE(4) * 0x1_0000_0000 + p.readUInt32BE(8),
    multiple: (p[12] & 1) !== 0,
  };
}

/**
 * Where the exchange and routing key of a well-formed basic.publish payload are: its two short
 * strings, between reserved-1 and the bits octet. basic.deliver and basic.get-ok carry the same
 * two fields in the same encoding.
 */
export const PUBLISH_ROUTING_START = 6;
export function publishRoutingEnd(publish: Buffer): number {
  return publish.length - 1;
}

/** The two names in routing bytes (exchange, routing key), or null when they do not fit. */
export function decodeShortstrPair(b: Buffer): [string, string] | null {
  if (b.length < 2) return null;
  const firstEnd = 1 + b[0];
  if (firstEnd >= b.length || firstEnd + 1 + b[firstEnd] !== b.length) return null;
  return [internedString(b, 1, firstEnd), internedString(b, firstEnd + 1, b.length)];
}

/** Routing bytes (exchange and routing key short strings) for a message the broker makes. */
export function encodeRouting(exchange: string, routingKey: string): Buffer {
  const b = Buffer.allocUnsafe(2 + 3 * (exchange.length + routingKey.length));
  return b.subarray(0, writeShortstr(b, writeShortstr(b, 0, exchange), routingKey));
}

/**
 * basic.deliver from pre-encoded parts: the consumer tag as a shortstr (encoded once per
 * consumer) and the message's routing bytes (exchange and routing key as they arrived, at
 * [start, end) of `routing`), so delivering a message encodes no strings at all.
 */
export function encodeBasicDeliverRaw(
  w: ByteWriter, consumerTag: Buffer, deliveryTag: number, redelivered: boolean, routing: Buffer,
  start = 0, end = routing.length,
): void {
  w.ensure(4 + consumerTag.length + 9 + end - start);
  const b = w.buf;
  let p = w.pos;
  b.writeUInt32BE(BASIC_DELIVER, p);
  p = copySmall(consumerTag, 0, consumerTag.length, b, p + 4);
  b.writeUInt32BE(Math.floor(deliveryTag / 0x1_0000_0000) >>> 0, p);
  b.writeUInt32BE(deliveryTag >>> 0, p + 4);
  b[p + 8] = redelivered ? 1 : 0;
  w.pos = copySmall(routing, start, end, b, p + 9);
}

/** A string as shortstr bytes (length octet + UTF-8). Throws beyond 255 bytes. */
export function encodeShortstr(s: string): Buffer {
  const b = Buffer.allocUnsafe(1 + s.length * 3);
  return b.subarray(0, writeShortstr(b, 0, s));
}

/**
 * Copies src[start, end) into dst at p; returns the end. Below ~24 bytes a plain loop beats a
 * call into C++ (measured: set/copy ≈ 40 ns whatever the size, a loop ≈ 1.8 ns a byte).
 */
export function copySmall(src: Buffer, start: number, end: number, dst: Buffer, p: number): number {
  const n = end - start;
  if (n <= 24) for (let i = 0; i < n; i++) dst[p + i] = src[start + i];
  else src.copy(dst, p, start, end);
  return p + n;
}

/**
 * Writes a shortstr at p (room for 1 + 3 × length bytes is ensured). Names and keys are almost
 * always short ASCII, which a plain loop copies faster than Buffer#write's encoder call.
 */
export function writeShortstr(b: Buffer, p: number, s: string): number {
  const len = s.length;
  if (len <= 255) {
    let i = 0;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      b[p + 1 + i] = c;
    }
    if (i === len) {
      b[p] = len;
      return p + 1 + len;
    }
  }
  if (len > 85 && Buffer.byteLength(s) > 255) {
    throw new RangeError(`shortstr longer than 255 bytes: ${s.slice(0, 40)}…`);
  }
  const n = b.write(s, p + 1, 'utf8');
  b[p] = n;
  return p + 1 + n;
}
