/**
 * The data directory's format version, in the file `warren-format`, checked before anything
 * else is read, so that a directory is never misread:
 *
 *   1  (no file) Warren before 0.2: a segment record held the whole basic.publish method
 *      payload (ids, reserved-1, exchange, routing key, bits) where version 2 keeps only the
 *      exchange and routing key; segment and ack files say version 1 in their headers
 *   2  records hold routing bytes (record-format.ts)
 *   3  the definitions log also keeps users, vhosts and permissions: a Warren of format 2 would
 *      drop them when it rewrites the log, so it must not open the directory. Segments are
 *      unchanged (their record format stays 2): a format 2 directory is upgraded by stamping it.
 *
 * A format 1 directory is migrated on start: each segment is rewritten in format 2 with only
 * its unacknowledged (record, queue) references — as compaction rewrites one, under the next
 * generation, through temporary files synced before they are renamed over the originals — and
 * `warren-format` is written last. A crash part way leaves no `warren-format`: the next start
 * converts what is still in format 1. A crash between a segment's two renames leaves a format
 * 2 segment beside its format 1 ack file, which recovery ignores: harmless, the rewritten
 * segment holds only unacknowledged references (what is lost is only "delivered" marks).
 * A directory of a newer format is refused with a message saying what to do.
 */
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from 'pino';
import { ByteWriter } from '../codec/byte-writer.js';
import { QueueOffsetSet } from './queue-offset-set.js';
import {
  ACK_ENTRY_SIZE, ACK_MAGIC, DELIVERED_FLAG, FILE_HEADER_SIZE, FORMAT_VERSION, RECORD_PREFIX, SEGMENT_MAGIC, ackFileName,
  fileHeader, writeRecord,
} from './record-format.js';
import { syncDirectory, type StoreFs } from './store-fs.js';

export const FORMAT_FILE = 'warren-format';
/** The directory's format (the segment records' own version is record-format.ts's FORMAT_VERSION). */
export const DATA_DIR_FORMAT = 3;
const SEGMENT_FILE = /^msgs\.(\d{10})$/;
const MIGRATION_TEMP = '.migrate';

/** Checks the directory's format; migrates format 1; throws (saying what to do) on a newer one. */
export function checkDataDirFormat(dir: string, log: Logger, io: StoreFs, fsync: boolean): void {
  const file = path.join(dir, FORMAT_FILE);
  if (io.existsSync(file)) {
    const text = io.readFileSync(file).toString('utf8').trim();
    if (text === String(DATA_DIR_FORMAT)) return;
    if (text === '2') {
      // records and segments as format 3 has them; the log gains access records from now on
      log.info({ dir }, 'data directory format 2: stamping it format 3 (users, vhosts and permissions kept)');
      writeFormatFile(dir, io, fsync);
      return;
    }
    if (/^\d+$/.test(text) && Number(text) > DATA_DIR_FORMAT) {
      throw new Error(`data directory ${dir} was written by a newer Warren (format ${text}); this Warren reads format `
        + `${DATA_DIR_FORMAT}: run that newer Warren, or start this one with another --data-dir`);
    }
    throw new Error(`data directory ${dir}: ${FORMAT_FILE} says '${text}', which is no format this Warren knows `
      + `(it writes ${DATA_DIR_FORMAT}); start with another --data-dir`);
  }
  const hasData = io.existsSync(path.join(dir, 'definitions.log')) || io.existsSync(path.join(dir, 'vhosts'));
  if (hasData) migrateFormat1(dir, log, io, fsync);
  writeFormatFile(dir, io, fsync);
}

function writeFormatFile(dir: string, io: StoreFs, fsync: boolean): void {
  const file = path.join(dir, FORMAT_FILE);
  const data = Buffer.from(`${DATA_DIR_FORMAT}\n`);
  const fd = io.openSync(`${file}.tmp`, 'w');
  try {
    io.writeSync(fd, data, 0, data.length, 0);
    if (fsync) io.fdatasyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
  io.renameSync(`${file}.tmp`, file);
  if (fsync) syncDirectory(io, dir);
}

function migrateFormat1(dir: string, log: Logger, io: StoreFs, fsync: boolean): void {
  const vhosts = path.join(dir, 'vhosts');
  if (!io.existsSync(vhosts)) return;
  let segments = 0;
  let records = 0;
  for (const vhost of io.readdirSync(vhosts)) {
    const store = path.join(vhosts, vhost);
    for (const name of io.readdirSync(store)) {
      if (name.endsWith(MIGRATION_TEMP)) io.unlinkSync(path.join(store, name)); // an interrupted migration
    }
    for (const name of io.readdirSync(store)) {
      const m = SEGMENT_FILE.exec(name);
      if (m === null) continue;
      const converted = convertSegment(store, Number(m[1]), io, fsync, log);
      if (converted >= 0) {
        segments++;
        records += converted;
      }
    }
    if (fsync) syncDirectory(io, store);
  }
  log.warn({ dir, segments, records }, 'data directory migrated from format 1 to format 2');
}

/** Rewrites segment n in format 2 if it is in format 1; returns the records kept, or -1 if not format 1. */
function convertSegment(store: string, n: number, io: StoreFs, fsync: boolean, log: Logger): number {
  const segFile = path.join(store, `msgs.${String(n).padStart(10, '0')}`);
  const ackFile = path.join(store, ackFileName(n));
  const data = io.readFileSync(segFile);
  const generation = format1Generation(data, SEGMENT_MAGIC);
  if (generation < 0) return -1;
  const { acked, delivered } = format1Acks(io, ackFile, generation);
  const out = new ByteWriter(Math.max(64 * 1024, data.length));
  out.bytes(fileHeader(SEGMENT_MAGIC, generation + 1));
  const acks = new ByteWriter(1024);
  acks.bytes(fileHeader(ACK_MAGIC, generation + 1));
  let kept = 0;
  let dropped = 0;
  for (let off = FILE_HEADER_SIZE; off < data.length;) {
    const record = off + RECORD_PREFIX <= data.length ? format1Record(data, off) : null;
    if (record === null) {
      // damaged bytes (a torn tail, most likely): look for the next record that checks out
      off++;
      dropped++;
      continue;
    }
    const ids = record.queueIds.filter((id) => !acked.has(id, off));
    if (ids.length > 0) {
      const at = out.pos;
      writeRecord(out, record.timestamp, ids, record.routing, record.header, record.body);
      for (const id of ids) {
        if (!delivered.has(id, off)) continue;
        acks.u32((id | DELIVERED_FLAG) >>> 0);
        acks.u32(at);
      }
      kept++;
    }
    off += record.size;
  }
  if (dropped > 0) log.warn({ file: segFile, bytes: dropped }, 'format 1 segment: dropped bytes that are no record');
  writeWhole(io, `${segFile}${MIGRATION_TEMP}`, out.take(), fsync);
  writeWhole(io, `${ackFile}${MIGRATION_TEMP}`, acks.take(), fsync);
  io.renameSync(`${segFile}${MIGRATION_TEMP}`, segFile);
  io.renameSync(`${ackFile}${MIGRATION_TEMP}`, ackFile);
  return kept;
}

/** A file header of format 1 with this magic: its generation, else -1. */
function format1Generation(b: Buffer, magic: Buffer): number {
  if (b.length < FILE_HEADER_SIZE || !b.subarray(0, 8).equals(magic) || b.readUInt32BE(8) !== 1) return -1;
  return b.readUInt32BE(12);
}

/** Acknowledged and delivered (queue, offset) pairs of a format 1 ack file of this generation. */
function format1Acks(io: StoreFs, file: string, generation: number): { acked: QueueOffsetSet; delivered: QueueOffsetSet } {
  const acked = new QueueOffsetSet();
  const delivered = new QueueOffsetSet();
  if (!io.existsSync(file)) return { acked, delivered };
  const data = io.readFileSync(file);
  if (format1Generation(data, ACK_MAGIC) !== generation) return { acked, delivered };
  for (let p = FILE_HEADER_SIZE; p + ACK_ENTRY_SIZE <= data.length; p += ACK_ENTRY_SIZE) {
    const word = data.readUInt32BE(p);
    ((word & DELIVERED_FLAG) !== 0 ? delivered : acked).add((word & ~DELIVERED_FLAG) >>> 0, data.readUInt32BE(p + 4));
  }
  return { acked, delivered };
}

interface Format1Record {
  readonly size: number;
  readonly timestamp: number;
  readonly queueIds: number[];
  readonly routing: Buffer;
  readonly header: Buffer;
  readonly body: Buffer;
}

/**
 * The format 1 record at `off`, or null when none checks out there. Its payload: timestamp f64,
 * queue count u16 and ids u32, the basic.publish payload (u16 length: class and method ids,
 * reserved-1 u16, exchange and routing key short strings, bits octet), the header (u32 length),
 * the body. The routing bytes are the publish payload less its first 6 bytes and its last.
 */
function format1Record(data: Buffer, off: number): Format1Record | null {
  const length = data.readUInt32BE(off);
  if (length < 4 + 16 || off + 4 + length > data.length) return null;
  const payload = data.subarray(off + RECORD_PREFIX, off + 4 + length);
  if (crc32(payload) !== data.readUInt32BE(off + 4)) return null;
  const nq = payload.readUInt16BE(8);
  let p = 10 + 4 * nq;
  if (p + 2 > payload.length) return null;
  const queueIds: number[] = [];
  for (let i = 0; i < nq; i++) queueIds.push(payload.readUInt32BE(10 + 4 * i));
  const pl = payload.readUInt16BE(p);
  p += 2;
  if (pl < 9 || p + pl + 4 > payload.length) return null;
  const routing = payload.subarray(p + 6, p + pl - 1);
  p += pl;
  const hl = payload.readUInt32BE(p);
  p += 4;
  if (p + hl > payload.length) return null;
  return {
    size: 4 + length, timestamp: payload.readDoubleBE(0), queueIds, routing,
    header: payload.subarray(p, p + hl), body: payload.subarray(p + hl),
  };
}

function writeWhole(io: StoreFs, file: string, data: Buffer, fsync: boolean): void {
  const fd = io.openSync(file, 'w');
  try {
    io.writeSync(fd, data, 0, data.length, 0);
    if (fsync) io.fdatasyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
}
