/**
 * Compaction: a segment kept alive by a few old messages is rewritten with only its live
 * records, under the same segment number (so log order, and with it each queue's order after a
 * restart, is unchanged) and the next generation. The rewrite goes to temporary files that are
 * synced and then renamed over the segment first and its ack file second; a crash between the
 * two renames leaves a segment whose ack file has the old generation, which recovery ignores —
 * harmless, since the rewritten segment holds only records that were live.
 *
 * Queues hold positions, so a segment is compacted only when every live record in it is
 * waiting in its queues (none delivered and unacknowledged); the queues are then told the new
 * offsets. It runs synchronously between turns on small amounts of data (the live part of a
 * mostly empty segment).
 */
import path from 'node:path';
import { ByteWriter } from '../codec/byte-writer.js';
import {
  ACK_ENTRY_SIZE, ACK_MAGIC, DELIVERED_FLAG, FILE_HEADER_SIZE, RECORD_PREFIX, SEGMENT_MAGIC, ackFileName,
  fileGeneration, fileHeader, parsePayload, payloadCrcOk, writeRecord,
} from './record-format.js';
import type { StoreFs } from './store-fs.js';
import { syncDirectory } from './store-fs.js';

/** What compaction needs from the queues that hold positions in the store. */
export interface CompactionQueues {
  isQueue(id: number): boolean;
  /** True when every one of these positions is waiting in the queue (not delivered). */
  allReady(queueId: number, positions: ReadonlySet<number>): boolean;
  /** The records moved: old → new position. */
  relocate(queueId: number, moves: ReadonlyMap<number, number>): void;
}

export interface CompactionTarget {
  readonly n: number;
  readonly generation: number;
  /** Ack entries (queue word, offset) not yet written to the ack file. */
  readonly pendingAcks: readonly number[];
}

export interface CompactionResult {
  size: number;
  records: number;
  generation: number;
  ackSize: number;
}

const POSITION_SEGMENT = 0x1_0000_0000;

/**
 * Rewrites segment `t` of `dir`; returns the new shape, or null when it cannot be compacted now
 * (a live record is out with a consumer). The caller swaps its open files afterwards.
 */
export function compactSegment(
  io: StoreFs, dir: string, t: CompactionTarget, queues: CompactionQueues, fsync: boolean,
): CompactionResult | null {
  const segFile = path.join(dir, `msgs.${String(t.n).padStart(10, '0')}`);
  const ackFile = path.join(dir, ackFileName(t.n));
  const data = io.readFileSync(segFile);
  const { acked, delivered } = settled(io, ackFile, t);
  const base = t.n * POSITION_SEGMENT;

  // which records are still referenced, by which queues
  interface Kept { off: number; length: number; ids: number[] }
  const kept: Kept[] = [];
  const perQueue = new Map<number, Set<number>>();
  for (let off = FILE_HEADER_SIZE; off + RECORD_PREFIX <= data.length;) {
    const length = data.readUInt32BE(off);
    if (off + 4 + length > data.length) break;
    if (payloadCrcOk(data, off, length)) {
      const payload = data.subarray(off + RECORD_PREFIX, off + 4 + length);
      const record = parsePayload(payload);
      const ids = (record?.queueIds ?? []).filter((id) => queues.isQueue(id) && !acked.has(key(id, off)));
      if (ids.length > 0) {
        kept.push({ off, length, ids });
        for (const id of ids) {
          let set = perQueue.get(id);
          if (!set) perQueue.set(id, (set = new Set()));
          set.add(base + off);
        }
      }
    }
    off += 4 + length;
  }
  for (const [id, positions] of perQueue) if (!queues.allReady(id, positions)) return null;

  // the rewritten segment and its ack file (delivered marks carried over)
  const generation = t.generation + 1;
  const w = new ByteWriter(64 * 1024);
  w.bytes(fileHeader(SEGMENT_MAGIC, generation));
  const acks = new ByteWriter(1024);
  acks.bytes(fileHeader(ACK_MAGIC, generation));
  const moves = new Map<number, Map<number, number>>();
  for (const k of kept) {
    const record = parsePayload(data.subarray(k.off + RECORD_PREFIX, k.off + 4 + k.length));
    if (record === null) continue;
    const newOff = w.pos;
    writeRecord(w, record.timestamp, k.ids, record.publish, record.header, record.body);
    for (const id of k.ids) {
      let m = moves.get(id);
      if (!m) moves.set(id, (m = new Map()));
      m.set(base + k.off, base + newOff);
      if (delivered.has(key(id, k.off))) {
        acks.u32((id | DELIVERED_FLAG) >>> 0);
        acks.u32(newOff);
      }
    }
  }
  const segData = w.take();
  const ackData = acks.take();
  writeWhole(io, `${segFile}.compact`, segData, fsync);
  writeWhole(io, `${ackFile}.compact`, ackData, fsync);
  io.renameSync(`${segFile}.compact`, segFile);
  io.renameSync(`${ackFile}.compact`, ackFile);
  if (fsync) syncDirectory(io, dir);
  for (const [id, m] of moves) queues.relocate(id, m);
  return { size: segData.length, records: kept.length, generation, ackSize: ackData.length };
}

function key(queueId: number, offset: number): number {
  return queueId * POSITION_SEGMENT + offset;
}

/** Acks and delivered marks of the segment: its ack file (if current) plus the unwritten ones. */
function settled(io: StoreFs, ackFile: string, t: CompactionTarget): { acked: Set<number>; delivered: Set<number> } {
  const acked = new Set<number>();
  const delivered = new Set<number>();
  const note = (word: number, offset: number) => {
    const k = key((word & ~DELIVERED_FLAG) >>> 0, offset);
    if (word & DELIVERED_FLAG) delivered.add(k);
    else acked.add(k);
  };
  if (io.existsSync(ackFile)) {
    const data = io.readFileSync(ackFile);
    if (fileGeneration(data, ACK_MAGIC) === t.generation) {
      for (let p = FILE_HEADER_SIZE; p + ACK_ENTRY_SIZE <= data.length; p += ACK_ENTRY_SIZE) {
        note(data.readUInt32BE(p), data.readUInt32BE(p + 4));
      }
    }
  }
  for (let i = 0; i < t.pendingAcks.length; i += 2) note(t.pendingAcks[i], t.pendingAcks[i + 1]);
  return { acked, delivered };
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
