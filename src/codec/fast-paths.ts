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
  const len = p.length;
  if (len < 7) return argumentFailure(BASIC_PUBLISH, p);
  const exEnd = 7 + p[6];
  if (exEnd >= len) return argumentFailure(BASIC_PUBLISH, p);
  const rkEnd = exEnd + 1 + p[exEnd];
  if (rkEnd + 1 !== len) return argumentFailure(BASIC_PUBLISH, p);
  const bits = p[rkEnd];
  return {
    reserved1: p.readUInt16BE(4),
    exchange: internedString(p, 7, exEnd),
    routingKey: internedString(p, exEnd + 1, rkEnd),
    mandatory: (bits & 1) !== 0,
    immediate: (bits & 2) !== 0,
  };
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
 * basic.deliver from pre-encoded parts: the consumer tag as a shortstr (encoded once per
 * consumer) and the exchange and routing key as the two shortstrs exactly as they arrived in the
 * basic.publish (publishRoutingBytes), so delivering a message encodes no strings at all.
 */
export function encodeBasicDeliverRaw(
  w: ByteWriter, consumerTag: Buffer, deliveryTag: number, redelivered: boolean, routing: Buffer,
): void {
  w.ensure(4 + consumerTag.length + 9 + routing.length);
  const b = w.buf;
  let p = w.pos;
  b.writeUInt32BE(BASIC_DELIVER, p);
  p = copySmall(consumerTag, b, p + 4);
  b.writeUInt32BE(Math.floor(deliveryTag / 0x1_0000_0000) >>> 0, p);
  b.writeUInt32BE(deliveryTag >>> 0, p + 4);
  b[p + 8] = redelivered ? 1 : 0;
  w.pos = copySmall(routing, b, p + 9);
}

/** The exchange and routing-key shortstrs of a basic.publish payload, as a view. */
export function publishRoutingBytes(publish: Buffer): Buffer {
  const exEnd = 7 + publish[6];
  return publish.subarray(6, exEnd + 1 + publish[exEnd]);
}

/** A string as shortstr bytes (length octet + UTF-8). Throws beyond 255 bytes. */
export function encodeShortstr(s: string): Buffer {
  const b = Buffer.allocUnsafe(1 + s.length * 3);
  return b.subarray(0, writeShortstr(b, 0, s));
}

/**
 * Copies src into dst at p; returns the end. Below ~24 bytes a plain loop beats
 * TypedArray#set's fixed cost (measured: set ≈ 39 ns whatever the size, a loop ≈ 1.8 ns a byte).
 */
export function copySmall(src: Buffer, dst: Buffer, p: number): number {
  const n = src.length;
  if (n <= 24) for (let i = 0; i < n; i++) dst[p + i] = src[i];
  else dst.set(src, p);
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
