/**
 * The bytes on disk of the message store.
 *
 * Segment file `msgs.%010d`: a 16-byte header (magic `WARRENSG`, version u32, generation u32)
 * then records (version 2; version 1 stored the whole basic.publish method payload where the
 * routing bytes now are, and is converted at start by data-dir-format.ts):
 *
 *   length u32        bytes that follow (crc and payload)
 *   crc32  u32        zlib.crc32 of the payload
 *   payload:
 *     timestamp f64   when it was stored (ms since the epoch)
 *     queues   u16    how many durable queues it was routed to, then each queue id u32
 *     routingLength u16, the exchange and the routing key as two short strings (length
 *                   octet and bytes each), as they arrived in basic.publish
 *     headerLength  u32, the content header frame payload as received
 *     body             the rest
 *
 * Ack file `acks.%010d` beside each segment: a 16-byte header (magic `WARRENAK`, version u32,
 * generation u32) then 8-byte entries [queue id u32][offset u32], the offset of a record in
 * that segment. An entry with the top bit of the queue id set says "delivered" (so a restart can
 * set redelivered) rather than "acknowledged", which is why queue ids stay below 2^31
 * (MAX_QUEUE_ID). Compaction rewrites a segment with the next generation; an ack file whose
 * generation is not its segment's belongs to the old one.
 */
import { crc32 } from 'node:zlib';
import type { ByteWriter } from '../codec/byte-writer.js';

export const SEGMENT_MAGIC = Buffer.from('WARRENSG', 'latin1');
export const ACK_MAGIC = Buffer.from('WARRENAK', 'latin1');
/** Version of segment and ack files (both change together; see data-dir-format.ts). */
export const FORMAT_VERSION = 2;
export const FILE_HEADER_SIZE = 16;
export const ACK_ENTRY_SIZE = 8;
export const DELIVERED_FLAG = 0x8000_0000;
/** Queue ids are below this: the ack entry word's top bit is the delivered flag. */
export const MAX_QUEUE_ID = DELIVERED_FLAG;
/** length + crc */
export const RECORD_PREFIX = 8;

export function fileHeader(magic: Buffer, generation = 0): Buffer {
  const b = Buffer.alloc(FILE_HEADER_SIZE);
  magic.copy(b, 0);
  b.writeUInt32BE(FORMAT_VERSION, 8);
  b.writeUInt32BE(generation, 12);
  return b;
}

/** The file's generation, or -1 when the header is not ours. */
export function fileGeneration(b: Buffer, magic: Buffer): number {
  if (b.length < FILE_HEADER_SIZE || !b.subarray(0, 8).equals(magic) || b.readUInt32BE(8) !== FORMAT_VERSION) return -1;
  return b.readUInt32BE(12);
}

export function checkFileHeader(b: Buffer, magic: Buffer): boolean {
  return fileGeneration(b, magic) >= 0;
}

export function segmentFileName(n: number): string {
  return `msgs.${String(n).padStart(10, '0')}`;
}

export function ackFileName(n: number): string {
  return `acks.${String(n).padStart(10, '0')}`;
}

/** Size of the record a message makes. */
export function recordSize(queueCount: number, routing: Buffer, header: Buffer, body: Buffer): number {
  return RECORD_PREFIX + 8 + 2 + 4 * queueCount + 2 + routing.length + 4 + header.length + body.length;
}

/** Appends one record to `w`; returns its size. */
export function writeRecord(
  w: ByteWriter, timestamp: number, queueIds: readonly number[], routing: Buffer, header: Buffer, body: Buffer,
): number {
  const size = recordSize(queueIds.length, routing, header, body);
  w.ensure(size);
  const b = w.buf;
  const start = w.pos;
  const at = encodeHead(b, start, size, timestamp, queueIds, routing, header);
  body.copy(b, at);
  b.writeUInt32BE(crc32(b.subarray(start + RECORD_PREFIX, start + size)), start + 4);
  w.pos = start + size;
  return size;
}

/**
 * A record as two buffers: its head (everything before the body) and the body itself, which is
 * not copied — for large messages, whose body buffer is never written again once received.
 */
export function recordHead(
  timestamp: number, queueIds: readonly number[], routing: Buffer, header: Buffer, body: Buffer,
): Buffer {
  const size = recordSize(queueIds.length, routing, header, body);
  const head = Buffer.allocUnsafe(size - body.length);
  encodeHead(head, 0, size, timestamp, queueIds, routing, header);
  head.writeUInt32BE(crc32(body, crc32(head.subarray(RECORD_PREFIX))), 4);
  return head;
}

/** Writes the fields of a record of `size` bytes up to its body (not the CRC); returns where the body goes. */
function encodeHead(
  b: Buffer, start: number, size: number, timestamp: number, queueIds: readonly number[], routing: Buffer, header: Buffer,
): number {
  let p = start + RECORD_PREFIX;
  b.writeUInt32BE(size - 4, start);
  b.writeDoubleBE(timestamp, p);
  b.writeUInt16BE(queueIds.length, p + 8);
  p += 10;
  for (const id of queueIds) {
    b.writeUInt32BE(id, p);
    p += 4;
  }
  b.writeUInt16BE(routing.length, p);
  routing.copy(b, p + 2);
  p += 2 + routing.length;
  b.writeUInt32BE(header.length, p);
  header.copy(b, p + 4);
  return p + 4 + header.length;
}

export interface StoredRecord {
  readonly timestamp: number;
  readonly queueIds: number[];
  readonly routing: Buffer;
  readonly header: Buffer;
  readonly body: Buffer;
}

/** Parses the payload of a record whose CRC has been checked; null if its fields do not fit. */
export function parsePayload(payload: Buffer): StoredRecord | null {
  const end = payload.length;
  if (end < 10) return null;
  const timestamp = payload.readDoubleBE(0);
  const nq = payload.readUInt16BE(8);
  let p = 10;
  if (p + 4 * nq + 2 > end) return null;
  const queueIds: number[] = [];
  for (let i = 0; i < nq; i++, p += 4) queueIds.push(payload.readUInt32BE(p));
  const pl = payload.readUInt16BE(p);
  p += 2;
  if (p + pl + 4 > end) return null;
  const routing = payload.subarray(p, p + pl);
  p += pl;
  const hl = payload.readUInt32BE(p);
  p += 4;
  if (p + hl > end) return null;
  const header = payload.subarray(p, p + hl);
  return { timestamp, queueIds, routing, header, body: payload.subarray(p + hl) };
}

/** Parses the record starting at `at` in a buffer that holds it whole. */
export function parseAt(b: Buffer, at: number): StoredRecord {
  const length = b.readUInt32BE(at);
  const record = parsePayload(b.subarray(at + RECORD_PREFIX, at + 4 + length));
  if (record === null) throw new Error(`malformed record at ${at}`);
  return record;
}

/** Body size of a record payload, or -1 if its fields do not fit. */
export function payloadBodySize(payload: Buffer): number {
  const end = payload.length;
  if (end < 12) return -1;
  let p = 10 + 4 * payload.readUInt16BE(8);
  if (p + 2 > end) return -1;
  p += 2 + payload.readUInt16BE(p);
  if (p + 4 > end) return -1;
  p += 4 + payload.readUInt32BE(p);
  return p > end ? -1 : end - p;
}

/** Only the queue ids of a record payload (recovery needs no more). */
export function payloadQueueIds(payload: Buffer): number[] | null {
  if (payload.length < 10) return null;
  const nq = payload.readUInt16BE(8);
  if (10 + 4 * nq > payload.length) return null;
  const ids: number[] = [];
  for (let i = 0; i < nq; i++) ids.push(payload.readUInt32BE(10 + 4 * i));
  return ids;
}

export function payloadCrcOk(b: Buffer, recordStart: number, length: number): boolean {
  const stored = b.readUInt32BE(recordStart + 4);
  return crc32(b.subarray(recordStart + RECORD_PREFIX, recordStart + 4 + length)) === stored;
}
