/**
 * Rebuilding the message store at start: every segment is read in order and every record's CRC
 * checked. A torn tail (a crash in the middle of a write) is cut off; a record with a bad CRC is
 * skipped and logged; bytes that are not a record at all are skipped up to the next record that
 * checks out. Ack files say which (queue, record) pairs are settled; a missing ack file means
 * none, an entry past the end of its segment or for a record that is not there is ignored.
 * Every remaining reference goes to `onMessage`, in log order, which is each queue's order.
 * Temporary files of a compaction that a crash interrupted are deleted (what they were to
 * replace is still in place: see segment-compactor.ts).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { MessageStore, POSITION_SEGMENT } from './message-store.js';
import {
  ACK_ENTRY_SIZE, ACK_MAGIC, DELIVERED_FLAG, FILE_HEADER_SIZE, FORMAT_VERSION, RECORD_PREFIX, SEGMENT_MAGIC, ackFileName, fileGeneration,
  parsePayload, payloadBodySize, payloadCrcOk, payloadQueueIds, segmentFileName,
} from './record-format.js';
import { QueueOffsetSet } from './queue-offset-set.js';
import { isCompactionTemp } from './segment-compactor.js';
import { nodeFs, type StoreFs } from './store-fs.js';

export interface RecoveryStats {
  segments: number;
  records: number;
  messages: number;
  droppedRecords: number;
  truncatedBytes: number;
}

/**
 * What recovery hands over of a stored message's record besides its place: when it was stored,
 * and its content header's bytes, read from the record only when asked.
 */
export interface RecoveredRecord {
  readonly timestamp: number;
  header(): Buffer;
}

/** A recovered reference of a durable queue to a stored message. */
export type RecoveredMessage = (queueId: number, position: number, delivered: boolean, bodySize: number, record: RecoveredRecord) => void;

/** The record being recovered (one object, reused for every record). */
class LazyRecord implements RecoveredRecord {
  private payload: Buffer = Buffer.alloc(0);

  set(payload: Buffer): void {
    this.payload = payload;
  }

  get timestamp(): number {
    return this.payload.readDoubleBE(0);
  }

  header(): Buffer {
    return parsePayload(this.payload)?.header ?? EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

const SEGMENT_FILE = /^msgs\.(\d{10})$/;
const ACK_FILE = /^acks\.(\d{10})$/;
/** The smallest payload a record can have: timestamp, queue count, routing and header lengths. */
const MIN_PAYLOAD = 8 + 2 + 2 + 4;

export function recoverMessageStore(
  store: MessageStore, isQueue: (id: number) => boolean, onMessage: RecoveredMessage, log: Logger, io: StoreFs = nodeFs,
): RecoveryStats {
  const stats: RecoveryStats = { segments: 0, records: 0, messages: 0, droppedRecords: 0, truncatedBytes: 0 };
  const names = io.readdirSync(store.dir);
  const numbers = names.map((f) => SEGMENT_FILE.exec(f)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
  for (const f of names) {
    const m = ACK_FILE.exec(f);
    if (m && !numbers.includes(Number(m[1]))) io.unlinkSync(path.join(store.dir, f)); // its segment is gone
    if (isCompactionTemp(f)) io.unlinkSync(path.join(store.dir, f)); // a compaction the crash interrupted
  }
  const started = Date.now();
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i];
    const last = i === numbers.length - 1;
    recoverSegment(store, n, last, isQueue, onMessage, stats, log, io);
    if (Date.now() - started > 1000 && stats.segments % 10 === 0) {
      log.info({ segments: stats.segments, of: numbers.length, messages: stats.messages }, 'recovering messages');
    }
  }
  store.start();
  return stats;
}

function recoverSegment(
  store: MessageStore, n: number, last: boolean, isQueue: (id: number) => boolean, onMessage: RecoveredMessage,
  stats: RecoveryStats, log: Logger, io: StoreFs,
): void {
  const file = path.join(store.dir, segmentFileName(n));
  const data = io.readFileSync(file);
  const generation = fileGeneration(data, SEGMENT_MAGIC);
  if (generation < 0) {
    log.error({ file }, 'not a Warren segment file (bad header): moved aside');
    io.renameSync(file, `${file}.corrupt`);
    return;
  }
  const { acked, delivered, valid } = readAcks(store.dir, n, generation, log, io);
  const base = n * POSITION_SEGMENT;
  const info = new LazyRecord();
  let records = 0;
  let live = 0;
  let off = FILE_HEADER_SIZE;
  let end = data.length;
  while (off < end) {
    const length = off + RECORD_PREFIX <= end ? data.readUInt32BE(off) : -1;
    const fits = length >= 4 + MIN_PAYLOAD && off + 4 + length <= end;
    if (!fits || !payloadCrcOk(data, off, length)) {
      if (fits && off + 4 + length < end && looksLikeRecordAfter(data, off + 4 + length)) {
        // the length is believable and a record follows: only this one is damaged
        log.warn({ file, offset: off, length }, 'dropping a stored message whose CRC does not match');
        stats.droppedRecords++;
        off += 4 + length;
        continue;
      }
      const next = findNextRecord(data, off + 1);
      if (next < 0) {
        // nothing valid follows: a torn tail (the usual crash) or garbage at the end
        if (last) {
          log.warn({ file, offset: off, bytes: end - off }, 'cutting a torn tail off the last segment');
          truncate(io, file, off);
        } else {
          log.error({ file, offset: off, bytes: end - off }, 'ignoring unreadable bytes at the end of a segment');
        }
        stats.truncatedBytes += end - off;
        end = off;
        break;
      }
      log.warn({ file, offset: off, skipped: next - off }, 'skipping unreadable bytes up to the next valid record');
      stats.droppedRecords++;
      off = next;
      continue;
    }
    const payload = data.subarray(off + RECORD_PREFIX, off + 4 + length);
    const ids = payloadQueueIds(payload) ?? [];
    const bodySize = payloadBodySize(payload);
    info.set(payload);
    records++;
    for (const id of ids) {
      if (!isQueue(id)) continue; // its queue was deleted
      if (acked.has(id, off)) continue;
      live++;
      stats.messages++;
      onMessage(id, base + off, delivered.has(id, off), bodySize, info);
    }
    off += 4 + length;
  }
  stats.segments++;
  stats.records += records;
  const seg = store.adoptSegment(n, end, records, live, generation, valid);
  if (live === 0 && !last) store.deleteSegment(seg);
}

interface Acks {
  acked: QueueOffsetSet;
  delivered: QueueOffsetSet;
  /** The ack file was read (exists, our header, this segment's generation). */
  valid: boolean;
}

function readAcks(dir: string, n: number, generation: number, log: Logger, io: StoreFs): Acks {
  const acked = new QueueOffsetSet();
  const delivered = new QueueOffsetSet();
  const file = path.join(dir, ackFileName(n));
  if (!io.existsSync(file)) {
    log.warn({ file }, 'ack file missing: every message of its segment counts as unacknowledged');
    return { acked, delivered, valid: false };
  }
  const data = io.readFileSync(file);
  const ackGeneration = fileGeneration(data, ACK_MAGIC);
  if (ackGeneration < 0) {
    if (data.subarray(0, 8).equals(ACK_MAGIC) && data.length >= FILE_HEADER_SIZE && data.readUInt32BE(8) < FORMAT_VERSION) {
      // a migration interrupted between its renames (data-dir-format.ts): the segment holds only
      // unacknowledged references, so nothing is lost but delivered marks
      log.warn({ file }, 'ack file of an earlier format beside a migrated segment: ignored');
    } else {
      log.error({ file }, 'ack file has a bad header: ignored');
    }
    return { acked, delivered, valid: false };
  }
  if (ackGeneration !== generation) {
    // a crash between compaction's two renames: the segment holds only live records, the old
    // acks are for offsets that no longer exist
    log.warn({ file }, 'ack file belongs to the segment before compaction: ignored');
    return { acked, delivered, valid: false };
  }
  const whole = FILE_HEADER_SIZE + Math.floor((data.length - FILE_HEADER_SIZE) / ACK_ENTRY_SIZE) * ACK_ENTRY_SIZE;
  for (let p = FILE_HEADER_SIZE; p < whole; p += ACK_ENTRY_SIZE) {
    const word = data.readUInt32BE(p);
    const queueId = (word & ~DELIVERED_FLAG) >>> 0;
    if (word & DELIVERED_FLAG) delivered.add(queueId, data.readUInt32BE(p + 4));
    else acked.add(queueId, data.readUInt32BE(p + 4));
  }
  return { acked, delivered, valid: true };
}

/** A record with a good CRC starts at `at` (or `at` is exactly the end). */
function looksLikeRecordAfter(data: Buffer, at: number): boolean {
  if (at === data.length) return true;
  if (at + RECORD_PREFIX > data.length) return false;
  const length = data.readUInt32BE(at);
  return length >= 4 + MIN_PAYLOAD && at + 4 + length <= data.length && payloadCrcOk(data, at, length);
}

function findNextRecord(data: Buffer, from: number): number {
  for (let at = from; at + RECORD_PREFIX <= data.length; at++) {
    if (at + RECORD_PREFIX + MIN_PAYLOAD > data.length) return -1;
    if (looksLikeRecordAfter(data, at) && at !== data.length) return at;
  }
  return -1;
}

function truncate(io: StoreFs, file: string, size: number): void {
  const fd = io.openSync(file, 'r+');
  try {
    io.ftruncateSync(fd, size);
    io.fdatasyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
}
