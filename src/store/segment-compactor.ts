/**
 * Compaction: a segment kept alive by a few old messages is rewritten with only its live
 * records, under the same segment number (so log order, and with it each queue's order after a
 * restart, is unchanged) and the next generation.
 *
 * Crash safety: the rewrite goes to temporary files (`msgs.N.compact`, `acks.N.compact`) that
 * are written and fdatasync'ed before anything is renamed; then they are renamed over the
 * segment first and its ack file second, and the directory is synced. A crash before the first
 * rename leaves the old pair (recovery deletes stray temporary files). A crash between the two
 * renames leaves a segment whose ack file has the old generation, which recovery ignores —
 * harmless, since the rewritten segment holds only records that were live (at worst some
 * come back without their delivered mark). Acks and delivered marks of the old segment that
 * were not yet in its ack file are part of the rewrite.
 *
 * The event loop only does the cheap parts (compaction used to read 8 MiB and fdatasync three
 * times synchronously: deliveries stalled for up to a second, see bench/compaction-latency.ts).
 * prepareCompaction() reads the segment and its ack file, and writes and syncs the temporary
 * files, asynchronously (the thread pool); in between it scans the ack entries and records on
 * the loop, in slices of about 2 ms. The caller then commits in one synchronous step
 * (commitCompaction: two renames, then the queues learn the new offsets) only if nothing about
 * the segment changed while the I/O ran — the message store keeps a change counter per segment
 * (acks, delivered marks, releases), no batch is writing its ack file, and every live record is
 * still waiting in its queue (stillReady) — and otherwise abandons the temporary files and
 * tries again in a later round. The old files' descriptors are closed, and the directory
 * synced, asynchronously after the commit.
 *
 * Queues hold positions, so a segment is compacted only when every live record in it is
 * waiting in its queues (none delivered and unacknowledged), and only when the scan accounts
 * for every live reference the store counts (a damaged record, or a deleted queue's delivery
 * not yet settled, and the segment is left as it is).
 */
import path from 'node:path';
import { ByteWriter } from '../codec/byte-writer.js';
import {
  ACK_ENTRY_SIZE, ACK_MAGIC, DELIVERED_FLAG, FILE_HEADER_SIZE, RECORD_PREFIX, SEGMENT_MAGIC, ackFileName,
  fileGeneration, fileHeader, parsePayload, payloadCrcOk, segmentFileName, writeRecord,
} from './record-format.js';
import { QueueOffsetSet } from './queue-offset-set.js';
import type { StoreFs } from './store-fs.js';
import { closeAsync, datasync, openAsync, readFileAsync, unlinkAsync, writeFully } from './store-fs.js';

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
  /** Ack entries (queue word, offset) that may not be in the ack file yet. */
  readonly pendingAcks: readonly number[];
  /** (record, queue) references the store counts as live in the segment. */
  readonly live: number;
  /** Where its records end (recovery may have left unreadable bytes after that). */
  readonly size: number;
}

/** A rewrite written and synced to temporary files, not yet in place. */
export interface PreparedRewrite {
  readonly n: number;
  readonly size: number;
  readonly records: number;
  readonly generation: number;
  readonly ackSize: number;
  /** Open descriptors of the temporary files: after the renames, the segment's new files. */
  readonly fd: number;
  readonly ackFd: number;
  /** Per queue: old → new position. */
  readonly moves: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** Per queue: the old positions (all waiting in the queue when the rewrite was prepared). */
  readonly positions: ReadonlyMap<number, ReadonlySet<number>>;
}

const POSITION_SEGMENT = 0x1_0000_0000;
/** CPU work done in one go before the event loop gets a turn. */
const SLICE_MS = 2;

/**
 * Cuts a long loop into slices of about SLICE_MS: a segment of small records has tens of
 * thousands of records and ack entries, tens of milliseconds of work in all.
 */
class Pacer {
  private until = performance.now() + SLICE_MS;
  private count = 0;

  /** Whether the loop should `await pause()` now (the clock is read every 256 calls). */
  due(): boolean {
    return (++this.count & 255) === 0 && performance.now() >= this.until;
  }

  async pause(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.until = performance.now() + SLICE_MS;
  }
}

const tempOf = (file: string) => `${file}.compact`;

/** Whether a file name is a compaction's temporary file (recovery deletes leftovers). */
export function isCompactionTemp(name: string): boolean {
  return name.endsWith('.compact');
}

/**
 * Builds the rewrite of segment `t` in temporary files; null when it cannot be compacted now (a
 * live record is out with a consumer, or the scan does not account for every live reference).
 */
export async function prepareCompaction(
  io: StoreFs, dir: string, t: CompactionTarget, queues: CompactionQueues, fsync: boolean,
): Promise<PreparedRewrite | null> {
  const segFile = path.join(dir, segmentFileName(t.n));
  const ackFile = path.join(dir, ackFileName(t.n));
  const file = await readFileAsync(io, segFile);
  const data = file.subarray(0, Math.min(file.length, t.size));
  if (fileGeneration(file, SEGMENT_MAGIC) !== t.generation) return null; // not the file the store has open
  const pacer = new Pacer();
  const { acked, delivered } = await settled(await readAckFile(io, ackFile), t, pacer);
  const base = t.n * POSITION_SEGMENT;

  // which records are still referenced, by which queues
  interface Kept { off: number; length: number; ids: number[]; whole: boolean }
  const kept: Kept[] = [];
  const perQueue = new Map<number, Set<number>>();
  let refs = 0;
  for (let off = FILE_HEADER_SIZE; off + RECORD_PREFIX + 10 <= data.length;) {
    if (pacer.due()) await pacer.pause();
    const length = data.readUInt32BE(off);
    if (off + 4 + length > data.length) break;
    const nq = data.readUInt16BE(off + RECORD_PREFIX + 8);
    const idsAt = off + RECORD_PREFIX + 10;
    let ids: number[] | null = null;
    if (idsAt + 4 * nq <= off + 4 + length) {
      for (let i = 0; i < nq; i++) {
        const id = data.readUInt32BE(idsAt + 4 * i);
        if (queues.isQueue(id) && !acked.has(id, off)) (ids ??= []).push(id);
      }
    }
    // only records someone still needs are checked (and copied)
    if (ids !== null && payloadCrcOk(data, off, length)) {
      kept.push({ off, length, ids, whole: ids.length === nq });
      refs += ids.length;
      for (const id of ids) {
        let set = perQueue.get(id);
        if (!set) perQueue.set(id, (set = new Set()));
        set.add(base + off);
      }
    }
    off += 4 + length;
  }
  if (refs !== t.live) return null;
  for (const [id, positions] of perQueue) if (!queues.allReady(id, positions)) return null;

  // the rewritten segment and its ack file (delivered marks carried over)
  const generation = t.generation + 1;
  const w = new ByteWriter(64 * 1024);
  w.bytes(fileHeader(SEGMENT_MAGIC, generation));
  const acks = new ByteWriter(1024);
  acks.bytes(fileHeader(ACK_MAGIC, generation));
  const moves = new Map<number, Map<number, number>>();
  for (const k of kept) {
    if (pacer.due()) await pacer.pause();
    const newOff = w.pos;
    if (k.whole) {
      w.bytes(data.subarray(k.off, k.off + 4 + k.length)); // unchanged: its CRC still holds
    } else {
      const record = parsePayload(data.subarray(k.off + RECORD_PREFIX, k.off + 4 + k.length));
      if (record === null) return null;
      writeRecord(w, record.timestamp, k.ids, record.routing, record.header, record.body);
    }
    for (const id of k.ids) {
      let m = moves.get(id);
      if (!m) moves.set(id, (m = new Map()));
      m.set(base + k.off, base + newOff);
      if (delivered.has(id, k.off)) {
        acks.u32((id | DELIVERED_FLAG) >>> 0);
        acks.u32(newOff);
      }
    }
  }
  const segData = w.take();
  const ackData = acks.take();
  const fd = await writeTemp(io, tempOf(segFile), segData, fsync);
  let ackFd: number;
  try {
    ackFd = await writeTemp(io, tempOf(ackFile), ackData, fsync);
  } catch (e) {
    await discard(io, fd, tempOf(segFile));
    throw e;
  }
  return { n: t.n, size: segData.length, records: kept.length, generation, ackSize: ackData.length, fd, ackFd, moves, positions: perQueue };
}

/**
 * Whether every live record is still waiting in its queue. A requeued message handed out again
 * changes nothing in the store, so the change counter does not see it: this is asked again just
 * before the commit, or its consumer would hold a position that no longer exists.
 */
export function stillReady(r: PreparedRewrite, queues: CompactionQueues): boolean {
  for (const [id, positions] of r.positions) if (!queues.allReady(id, positions)) return false;
  return true;
}

/**
 * Puts a prepared rewrite in place and tells the queues (synchronous: nothing can happen to
 * the segment in between). The caller swaps its descriptors for `r.fd` and `r.ackFd` and then
 * syncs the directory.
 */
export function commitCompaction(io: StoreFs, dir: string, r: PreparedRewrite, queues: CompactionQueues): void {
  const segFile = path.join(dir, segmentFileName(r.n));
  const ackFile = path.join(dir, ackFileName(r.n));
  io.renameSync(tempOf(segFile), segFile);
  io.renameSync(tempOf(ackFile), ackFile);
  for (const [id, m] of r.moves) queues.relocate(id, m);
}

/** Drops a prepared rewrite (the segment changed meanwhile, or the store is closing). */
export async function abandonCompaction(io: StoreFs, dir: string, r: PreparedRewrite): Promise<void> {
  await discard(io, r.fd, tempOf(path.join(dir, segmentFileName(r.n))));
  await discard(io, r.ackFd, tempOf(path.join(dir, ackFileName(r.n))));
}

/** The ack file's bytes, or null when it is missing. */
async function readAckFile(io: StoreFs, file: string): Promise<Buffer | null> {
  try {
    return await readFileAsync(io, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Acks and delivered marks of the segment: its ack file (if current) plus the unwritten ones. */
async function settled(
  ackData: Buffer | null, t: CompactionTarget, pacer: Pacer,
): Promise<{ acked: QueueOffsetSet; delivered: QueueOffsetSet }> {
  const acked = new QueueOffsetSet();
  const delivered = new QueueOffsetSet();
  const note = (word: number, offset: number) => {
    const queueId = (word & ~DELIVERED_FLAG) >>> 0;
    if (word & DELIVERED_FLAG) delivered.add(queueId, offset);
    else acked.add(queueId, offset);
  };
  if (ackData !== null && fileGeneration(ackData, ACK_MAGIC) === t.generation) {
    for (let p = FILE_HEADER_SIZE; p + ACK_ENTRY_SIZE <= ackData.length; p += ACK_ENTRY_SIZE) {
      if (pacer.due()) await pacer.pause();
      note(ackData.readUInt32BE(p), ackData.readUInt32BE(p + 4));
    }
  }
  for (let i = 0; i < t.pendingAcks.length; i += 2) note(t.pendingAcks[i], t.pendingAcks[i + 1]);
  return { acked, delivered };
}

/** Writes (and syncs) a temporary file; returns its open descriptor. */
async function writeTemp(io: StoreFs, file: string, data: Buffer, fsync: boolean): Promise<number> {
  const fd = await openAsync(io, file, 'w+');
  try {
    await writeFully(io, fd, data, 0);
    if (fsync) await datasync(io, fd);
    return fd;
  } catch (e) {
    await discard(io, fd, file);
    throw e;
  }
}

async function discard(io: StoreFs, fd: number, file: string): Promise<void> {
  await closeAsync(io, fd).catch(() => undefined);
  await unlinkAsync(io, file).catch(() => undefined);
}
