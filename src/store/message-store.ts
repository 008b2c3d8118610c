/**
 * The message store of one virtual host: persistent messages of durable queues in an
 * append-only log of fixed-size segments (record-format.ts), one copy per message however many
 * durable queues it was routed to, with per-segment ack files.
 *
 * Writes are group-committed: records appended during an event-loop turn form a batch; one
 * batch is written and fdatasync'ed at a time, and whatever arrives meanwhile is the next
 * batch. Callers waiting on durability (publisher confirms) are answered when the sync that
 * covers their record returns — no fixed timer anywhere.
 *
 * A position is `segment * 2^32 + offset`, a JS number: exact while segment numbers stay below
 * 2^21 (numbers are never reused: that is 16 TiB written at the default 8 MiB segments, but only
 * 8 GiB at the smallest allowed, 4 KiB). A segment is deleted when no queue refers to any of
 * its records any more; a sparsely used one is compacted (see segment-compactor.ts).
 *
 * Records go into a shared arena (ByteWriter) that the batch is cut from, except large ones
 * (over LARGE_RECORD): each is a chunk of the batch of its own, a small buffer for the fields
 * before the body and then the message's body buffer itself (bodies are never written again
 * once received), so that a 100 MB message is neither copied nor leaves a 200 MB arena behind.
 *
 * A failed write or sync (ENOSPC, EIO) raises the disk alarm (publishers are blocked), keeps
 * the unwritten batch — and the callers waiting for it — in memory and retries it every second
 * at the same offsets; data already written is never touched. Nobody waiting is ever answered
 * with the error: a publisher's basic.nack means "not taken", and the retry stores the message
 * and its queues deliver it, so a nack would make the publisher send a duplicate. Its confirm
 * is sent once the retry has put the record on disk; a crash before that loses only messages
 * that were never confirmed.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { ByteWriter } from '../codec/byte-writer.js';
import {
  ACK_ENTRY_SIZE, ACK_MAGIC, DELIVERED_FLAG, FILE_HEADER_SIZE, SEGMENT_MAGIC, ackFileName, fileHeader, parseAt,
  recordHead, recordSize, segmentFileName, writeRecord, type StoredRecord,
} from './record-format.js';
import { ReadCache } from './read-cache.js';
import { abandonCompaction, commitCompaction, prepareCompaction, stillReady, type CompactionQueues } from './segment-compactor.js';
import { closeAsync, datasync, nodeFs, syncDirectory, syncDirectoryAsync, writeFully, type StoreFs } from './store-fs.js';

export const POSITION_SEGMENT = 0x1_0000_0000;
export const DEFAULT_SEGMENT_SIZE = 8 * 1024 * 1024;
const RETRY_MS = 1000;
/** A record larger than this bypasses the arena: a chunk of its own, its body not copied. */
export const LARGE_RECORD = 1024 * 1024;
/**
 * An arena grown past this (a big batch of records up to LARGE_RECORD) is replaced by a fresh
 * one once its bytes are handed to the batch, instead of being kept for good.
 */
const MAX_ARENA = 8 * 1024 * 1024;

export interface MessageStoreOptions {
  readonly dir: string;
  readonly log: Logger;
  readonly segmentSize?: number;
  /** false: never fdatasync (fast, unsafe: for throwaway brokers). */
  readonly fsync?: boolean;
  readonly fs?: StoreFs;
}

export interface Segment {
  readonly n: number;
  /** Logical end: bytes written plus bytes waiting to be written. */
  size: number;
  /** (record, queue) references not yet acknowledged or released. */
  live: number;
  /** Records in the segment (for compaction decisions). */
  records: number;
  fd: number;
  ackFd: number;
  /** Where the next ack entry goes in the ack file. */
  ackSize: number;
  /** Bumped each time compaction rewrites the segment (its ack file carries the same). */
  generation: number;
  /** When a reference to it was last released (a segment still being consumed is left alone). */
  lastRelease: number;
  /**
   * Bumped by every ack entry, delivered mark and release for the segment: a compaction whose
   * files were prepared while this moved on is abandoned.
   */
  changes: number;
}

interface Chunk {
  readonly segment: Segment;
  readonly offset: number;
  /** Records cut from the arena, or the head of a large record. */
  readonly data: Buffer;
  /** A large record's body (the message's own buffer), written right after `data`. */
  readonly body?: Buffer;
  /** A large record as read() returns it until it is written. */
  readonly record?: StoredRecord;
}

const chunkEnd = (c: Chunk) => c.offset + c.data.length + (c.body?.length ?? 0);

/** Called once what was appended before it is on disk (never with a failure: failed writes are retried). */
export type DurabilityCallback = () => void;

export class MessageStore {
  readonly dir: string;
  readonly segments = new Map<number, Segment>();
  head!: Segment;
  private readonly io: StoreFs;
  private readonly log: Logger;
  private readonly segmentSize: number;
  private readonly fsync: boolean;
  private readonly cache: ReadCache;

  /** Records of the current batch for the head segment, starting at pendingBase. */
  private writer = new ByteWriter();
  private pendingBase = 0;
  /** Finished parts of the current batch (earlier segments after a rotation). */
  private pendingChunks: Chunk[] = [];
  /** The batch being written now (readable until written). */
  private inflight: Chunk[] = [];
  /** Segments whose ack files the batch being written appends to. */
  private inflightAcks: ReadonlyMap<Segment, number[]> = new Map();
  /** Ack-file entries waiting to be written, per segment. */
  private pendingAcks = new Map<Segment, number[]>();
  private waiters: DurabilityCallback[] = [];
  private writing = false;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** close() has begun: compaction stops. */
  private closing = false;
  /** Every record that starts below this position is on disk (and synced, if syncing). */
  durablePosition = 0;
  /** Empty segments that were still being written when they emptied. */
  private readonly deleteLater = new Set<Segment>();
  /** Disk trouble: set while writes fail. */
  failure: Error | null = null;
  /** Called when the disk alarm is raised (err) or cleared (null). */
  onAlarm: (err: Error | null) => void = () => undefined;

  constructor(options: MessageStoreOptions) {
    this.dir = options.dir;
    this.io = options.fs ?? nodeFs;
    this.log = options.log;
    this.segmentSize = options.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    this.fsync = options.fsync ?? true;
    this.cache = new ReadCache(this.io);
    this.io.mkdirSync(this.dir, { recursive: true });
  }

  // ---- segments ----

  /**
   * Registers a segment found on disk by recovery. `ackFileValid`: recovery read its ack file
   * (else it is recreated empty for this generation).
   */
  adoptSegment(n: number, size: number, records: number, live: number, generation: number, ackFileValid: boolean): Segment {
    const ackFd = this.openAckFile(n, !ackFileValid, generation);
    const ackBytes = this.io.fstatSync(ackFd).size - FILE_HEADER_SIZE;
    const seg: Segment = {
      n, size, records, live, generation, lastRelease: Date.now(), changes: 0,
      fd: this.io.openSync(this.segmentPath(n), 'r+'),
      ackFd,
      // a torn entry at the end is overwritten by the next one
      ackSize: FILE_HEADER_SIZE + Math.max(0, ackBytes - (ackBytes % ACK_ENTRY_SIZE)),
    };
    this.segments.set(n, seg);
    return seg;
  }

  /** After recovery: continue in the last segment, or start segment 1. */
  start(): void {
    let last: Segment | undefined;
    for (const s of this.segments.values()) if (!last || s.n > last.n) last = s;
    this.head = last ?? this.createSegment(1);
    this.pendingBase = this.head.size;
    // what recovery found is on disk (streams deliver only up to here)
    this.durablePosition = this.head.n * POSITION_SEGMENT + this.head.size;
  }

  /** A new segment and its ack file; on a failure (a full disk) neither is left behind. */
  private createSegment(n: number): Segment {
    const file = this.segmentPath(n);
    let fd = -1;
    let ackFd = -1;
    try {
      fd = this.io.openSync(file, 'w+');
      const header = fileHeader(SEGMENT_MAGIC);
      this.io.writeSync(fd, header, 0, header.length, 0);
      ackFd = this.openAckFile(n, true, 0);
      if (this.fsync) syncDirectory(this.io, this.dir);
    } catch (err) {
      for (const d of [fd, ackFd]) if (d >= 0) this.io.closeSync(d);
      for (const f of [file, path.join(this.dir, ackFileName(n))]) {
        try {
          if (this.io.existsSync(f)) this.io.unlinkSync(f);
        } catch {
          // recovery ignores a segment too short for its header
        }
      }
      throw err;
    }
    const seg: Segment = {
      n, size: FILE_HEADER_SIZE, live: 0, records: 0, fd, ackFd, ackSize: FILE_HEADER_SIZE,
      generation: 0, lastRelease: Date.now(), changes: 0,
    };
    this.segments.set(n, seg);
    return seg;
  }

  private openAckFile(n: number, create: boolean, generation: number): number {
    const file = path.join(this.dir, ackFileName(n));
    if (create || !this.io.existsSync(file)) {
      const fd = this.io.openSync(file, 'w+');
      const header = fileHeader(ACK_MAGIC, generation);
      this.io.writeSync(fd, header, 0, header.length, 0);
      return fd;
    }
    return this.io.openSync(file, 'r+');
  }

  segmentPath(n: number): string {
    return path.join(this.dir, segmentFileName(n));
  }

  // ---- writing ----

  /**
   * Appends a message record — its routing bytes (exchange and routing key as short strings),
   * content header and body, as bytes — for these durable queues (ids); returns its position.
   * The record is durable once a whenDurable() callback registered after this call has been
   * answered. The buffers must not change afterwards (a large body is written from itself).
   */
  append(queueIds: readonly number[], routing: Buffer, header: Buffer, body: Buffer, timestamp = Date.now()): number {
    const size = recordSize(queueIds.length, routing, header, body);
    if (this.head.size > FILE_HEADER_SIZE && this.head.size + size > this.segmentSize) this.rotate();
    const seg = this.head;
    const offset = seg.size;
    if (size > LARGE_RECORD) {
      this.finishHeadChunk();
      const data = recordHead(timestamp, queueIds, routing, header, body);
      const record = { timestamp, queueIds: [...queueIds], routing, header, body };
      this.pendingChunks.push({ segment: seg, offset, data, body, record });
      this.pendingBase = offset + size; // the arena's next record follows it
    } else {
      writeRecord(this.writer, timestamp, queueIds, routing, header, body);
    }
    seg.size += size;
    seg.records++;
    seg.live += queueIds.length;
    this.schedule();
    return seg.n * POSITION_SEGMENT + offset;
  }

  /**
   * Calls back once everything appended so far is on disk. A write that fails is
   * retried (the disk alarm holds meanwhile) and the callback waits for it, however long; at
   * close() a batch that still cannot be written is dropped with its callbacks uncalled.
   */
  whenDurable(cb: DurabilityCallback): void {
    this.waiters.push(cb);
    this.schedule();
  }

  // ---- compaction ----

  /** Set by the broker (DurablePersistence): how compaction reaches the queues. */
  compactionQueues: CompactionQueues | null = null;
  private compactionTimer: NodeJS.Timeout | null = null;

  /**
   * A segment pinned by a few live records: mostly acknowledged, and no longer being consumed
   * (nothing released for a while) — a segment consumers are working through empties by itself.
   */
  private pinned(seg: Segment, now: number): boolean {
    return seg !== this.head && seg.live > 0 && seg.live * 4 <= seg.records
      && seg.size >= this.segmentSize / 2 && now - seg.lastRelease >= this.compactAfterMs;
  }

  /** How long a sparse segment must sit untouched before it is compacted. */
  compactAfterMs = 10_000;

  /** Looks for pinned segments now and then (one timer per store, never per message). */
  startCompaction(intervalMs = 5000): void {
    this.stopCompaction();
    this.compactionTimer = setInterval(() => void this.compactPinned(), intervalMs);
    this.compactionTimer.unref();
  }

  /** No more compaction rounds (benchmarks compare runs with and without it). */
  stopCompaction(): void {
    if (this.compactionTimer !== null) clearInterval(this.compactionTimer);
    this.compactionTimer = null;
  }

  /** The compaction round under way (one at a time). */
  private compaction: Promise<number> | null = null;

  /**
   * Compacts every pinned segment that can be (none of its live records out with a consumer),
   * one after the other; resolves with how many were. A round already under way is joined.
   */
  compactPinned(): Promise<number> {
    if (this.compaction === null) {
      this.compaction = this.compactionRound().finally(() => {
        this.compaction = null;
      });
    }
    return this.compaction;
  }

  private async compactionRound(): Promise<number> {
    let done = 0;
    for (const seg of [...this.segments.values()]) {
      const queues = this.compactionQueues;
      if (this.closing || queues === null) break;
      if (!this.pinned(seg, Date.now()) || this.hasChunks(seg)) continue;
      let compacted = false;
      try {
        compacted = await this.compact(seg, queues);
      } catch (err) {
        // a timer started this: nothing above would catch it
        this.log.error({ err, segment: seg.n, dir: this.dir }, 'compacting a segment failed; it is left as it was');
      }
      if (compacted) done++;
      else seg.lastRelease = Date.now(); // in use, or changed meanwhile: look again later
    }
    return done;
  }

  /**
   * Rewrites a sparse segment; false when it could not be (a record is out with a consumer, or
   * the segment changed while the new files were being written).
   */
  async compact(seg: Segment, queues: CompactionQueues): Promise<boolean> {
    const changes = seg.changes;
    const generation = seg.generation;
    // acks not in the ack file yet: waiting for the next batch, or being written by this one
    const pendingAcks = [...(this.inflightAcks.get(seg) ?? []), ...(this.pendingAcks.get(seg) ?? [])];
    const rewrite = await prepareCompaction(this.io, this.dir, { n: seg.n, generation, pendingAcks, live: seg.live, size: seg.size }, queues, this.fsync);
    if (rewrite === null) return false;
    if (this.closing || this.segments.get(seg.n) !== seg || seg.changes !== changes || seg.generation !== generation
      || this.inflightAcks.has(seg) || this.hasChunks(seg) || !stillReady(rewrite, queues)) {
      await abandonCompaction(this.io, this.dir, rewrite);
      return false;
    }
    // from here to the end of the swap nothing else runs: the renames, the queues' new
    // positions and the store's view of the segment change together
    try {
      commitCompaction(this.io, this.dir, rewrite, queues);
    } catch (e) {
      // a failed rename: the old files (still open here) stay in use; after a restart, at worst
      // a rewritten segment with its old ack file, read as "all live" (see segment-compactor.ts)
      await abandonCompaction(this.io, this.dir, rewrite);
      throw e;
    }
    const before = seg.size;
    const replaced = [seg.fd, seg.ackFd];
    this.pendingAcks.delete(seg); // accounted for in the rewrite
    this.cache.forget(seg.n);
    seg.fd = rewrite.fd;
    seg.ackFd = rewrite.ackFd;
    seg.size = rewrite.size;
    seg.records = rewrite.records;
    seg.generation = rewrite.generation;
    seg.ackSize = rewrite.ackSize;
    seg.changes++;
    this.log.info({ segment: seg.n, before, after: rewrite.size, records: rewrite.records }, 'compacted a sparse segment');
    // Closing the last descriptor of the renamed-over files frees their blocks (about a
    // millisecond for 8 MiB): not on the loop. Nothing else uses these descriptors any more.
    try {
      await Promise.all(replaced.map((fd) => closeAsync(this.io, fd)));
      if (this.fsync) await syncDirectoryAsync(this.io, this.dir);
    } catch (err) {
      // done all the same: the renames are in place (durable with the next directory sync, at the
      // next new segment)
      this.log.warn({ err, segment: seg.n, dir: this.dir }, 'after compacting a segment: closing its old files or syncing the directory failed');
    }
    return true;
  }

  private hasChunks(seg: Segment): boolean {
    return this.pendingChunks.some((c) => c.segment === seg) || this.inflight.some((c) => c.segment === seg);
  }

  /** A queue is done with a message for good: append an ack entry. */
  ack(queueId: number, position: number): void {
    this.addAckEntry(queueId, position);
    this.release(position);
  }

  /** A message was handed to a consumer: after a crash it comes back as redelivered. */
  markDelivered(queueId: number, position: number): void {
    this.addAckEntry((queueId | DELIVERED_FLAG) >>> 0, position);
  }

  /** Drops a reference without writing anything (its queue was deleted). */
  release(position: number): void {
    const seg = this.segments.get(Math.floor(position / POSITION_SEGMENT));
    if (seg === undefined) return;
    seg.live--;
    seg.changes++;
    seg.lastRelease = Date.now();
    if (seg.live <= 0 && seg !== this.head) this.deleteSegment(seg);
  }

  private addAckEntry(queueWord: number, position: number): void {
    const seg = this.segments.get(Math.floor(position / POSITION_SEGMENT));
    if (seg === undefined) return;
    let entries = this.pendingAcks.get(seg);
    if (entries === undefined) this.pendingAcks.set(seg, (entries = []));
    entries.push(queueWord, position % POSITION_SEGMENT);
    seg.changes++;
    this.schedule();
  }

  private rotate(): void {
    this.finishHeadChunk();
    const old = this.head;
    let next: Segment;
    try {
      next = this.createSegment(old.n + 1);
    } catch (err) {
      // no room for another file (ENOSPC): keep appending to this segment, past its size; its
      // batch fails and is retried like any write, and rotating is tried again at the next append
      this.raiseAlarm(err as Error);
      return;
    }
    this.head = next;
    this.pendingBase = this.head.size;
    if (old.live <= 0) this.deleteSegment(old);
  }

  private finishHeadChunk(): void {
    if (this.writer.pending > 0) {
      this.pendingChunks.push({ segment: this.head, offset: this.pendingBase, data: this.writer.take() });
      // the batch keeps its view of a big arena until written; the store does not keep the arena
      if (this.writer.buf.length > MAX_ARENA) this.writer = new ByteWriter();
    }
    this.pendingBase = this.head.size;
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.closed || this.retryTimer !== null) return;
    this.scheduled = true;
    setImmediate(this.runBatch);
  }

  private readonly runBatch = (): void => {
    this.scheduled = false;
    if (this.writing || this.closed) return;
    void this.writeBatch();
  };

  private async writeBatch(): Promise<void> {
    this.finishHeadChunk();
    const chunks = this.pendingChunks;
    const acks = this.pendingAcks;
    const waiters = this.waiters;
    if (chunks.length === 0 && acks.size === 0 && waiters.length === 0) return;
    this.pendingChunks = [];
    this.pendingAcks = new Map();
    this.waiters = [];
    this.inflight = chunks;
    this.inflightAcks = acks;
    this.writing = true;
    try {
      const touched = new Set<Segment>();
      for (const c of chunks) {
        await writeFully(this.io, c.segment.fd, c.data, c.offset);
        if (c.body !== undefined) await writeFully(this.io, c.segment.fd, c.body, c.offset + c.data.length);
        touched.add(c.segment);
      }
      for (const [seg, entries] of acks) {
        if (this.segments.get(seg.n) !== seg) continue; // deleted meanwhile
        const data = ackEntries(entries);
        const at = seg.ackSize;
        seg.ackSize += data.length; // reserved before the await: a retry rewrites the same place
        try {
          await writeFully(this.io, seg.ackFd, data, at);
        } catch (e) {
          seg.ackSize = at;
          throw e;
        }
      }
      if (this.fsync) for (const seg of touched) if (this.segments.get(seg.n) === seg) await datasync(this.io, seg.fd);
      for (const c of chunks) {
        this.durablePosition = Math.max(this.durablePosition, c.segment.n * POSITION_SEGMENT + chunkEnd(c));
      }
      this.inflight = [];
      this.inflightAcks = new Map();
      this.writing = false;
      if (this.failure !== null) this.clearAlarm();
      for (const seg of [...this.deleteLater]) {
        this.deleteLater.delete(seg);
        if (seg.live <= 0) this.deleteSegment(seg);
      }
      for (const w of waiters) w();
    } catch (e) {
      const err = e as Error;
      // keep the batch for a retry at the same offsets, and its waiters with it: their confirms
      // wait until the records are on disk. A nack now would tell the publisher the message
      // was not taken while the retry stores and delivers it (a duplicate once republished).
      this.pendingChunks = [...chunks, ...this.pendingChunks];
      this.waiters = [...waiters, ...this.waiters];
      for (const [seg, entries] of acks) {
        const later = this.pendingAcks.get(seg) ?? [];
        this.pendingAcks.set(seg, [...entries, ...later]);
      }
      this.inflight = [];
      this.inflightAcks = new Map();
      this.writing = false;
      this.raiseAlarm(err);
      return;
    }
    if (this.pendingChunks.length > 0 || this.writer.pending > 0 || this.pendingAcks.size > 0 || this.waiters.length > 0) {
      this.schedule();
    }
  }

  private raiseAlarm(err: Error): void {
    if (this.failure === null) {
      this.log.error({ err, dir: this.dir }, 'message store write failed: publishers blocked until the disk recovers');
      this.failure = err;
      this.onAlarm(err);
    }
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.schedule();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private clearAlarm(): void {
    this.log.info({ dir: this.dir }, 'message store writes succeed again');
    this.failure = null;
    this.onAlarm(null);
  }

  // ---- reading ----

  /** The record at `position`, from the unwritten batch, the batch being written, or disk. */
  read(position: number): StoredRecord {
    const n = Math.floor(position / POSITION_SEGMENT);
    const offset = position % POSITION_SEGMENT;
    const seg = this.segments.get(n);
    if (seg === undefined) throw new Error(`no segment ${n} for position ${position}`);
    if (seg === this.head && offset >= this.pendingBase) {
      return parseAt(this.writer.untaken(), offset - this.pendingBase);
    }
    for (const list of [this.pendingChunks, this.inflight]) {
      for (const c of list) {
        if (c.segment === seg && offset >= c.offset && offset < chunkEnd(c)) {
          return c.record ?? parseAt(c.data, offset - c.offset);
        }
      }
    }
    return this.cache.read(seg.n, seg.fd, offset, seg.size);
  }

  /**
   * A queue found a stored message it cannot use (unreadable, damaged, or not a message): it
   * drops its reference without an ack entry, so a restart looks at the record again.
   */
  unreadable(queueId: number, position: number, err: unknown): void {
    const segment = Math.floor(position / POSITION_SEGMENT);
    this.log.error({ err, queue: queueId, position, segment, offset: position % POSITION_SEGMENT, dir: this.dir },
      'a stored message cannot be read: skipped (kept on disk for the next start)');
  }

  // ---- deletion and closing ----

  deleteSegment(seg: Segment): void {
    if (this.segments.get(seg.n) !== seg || seg === this.head) return;
    // Still being written: delete after the batch. Closing a file with a write outstanding
    // would fail it (EBADF) or, once the descriptor number is reused, write into another file.
    if (this.inflight.some((c) => c.segment === seg) || this.pendingChunks.some((c) => c.segment === seg)
      || this.inflightAcks.has(seg)) {
      this.deleteLater.add(seg);
      return;
    }
    this.segments.delete(seg.n);
    this.pendingAcks.delete(seg);
    this.cache.forget(seg.n);
    this.io.closeSync(seg.fd);
    this.io.closeSync(seg.ackFd);
    this.io.unlinkSync(this.segmentPath(seg.n));
    this.io.unlinkSync(path.join(this.dir, ackFileName(seg.n)));
  }

  /** Writes what is pending and closes the files. */
  async close(): Promise<void> {
    // never started (a vhost deleted again while its records were replayed): nothing to write
    if (this.head === undefined) {
      this.closed = true;
      return;
    }
    this.closing = true;
    this.stopCompaction();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.compaction; // it gives up at its next step (its errors are logged, not thrown)
    while (this.writing) await new Promise((r) => setImmediate(r));
    // one last attempt even while the disk alarm holds: what can still be saved is; a batch
    // that fails again is dropped (none of its publishes was confirmed)
    await this.writeBatch();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.closed = true;
    for (const seg of this.segments.values()) {
      this.io.closeSync(seg.fd);
      this.io.closeSync(seg.ackFd);
    }
    this.segments.clear();
  }

  /** Bytes the write arena holds (for tests and stats). */
  get arenaBytes(): number {
    return this.writer.buf.length;
  }

  /** Bytes the read cache holds (for tests and stats). */
  get cachedBytes(): number {
    return this.cache.cachedBytes;
  }

  /** Bytes and batches waiting (for tests and stats). */
  get idle(): boolean {
    return !this.writing && this.writer.pending === 0 && this.pendingChunks.length === 0 && this.pendingAcks.size === 0;
  }
}

function ackEntries(entries: number[]): Buffer {
  const b = Buffer.allocUnsafe((entries.length / 2) * ACK_ENTRY_SIZE);
  for (let i = 0, p = 0; i < entries.length; i += 2, p += 8) {
    b.writeUInt32BE(entries[i], p);
    b.writeUInt32BE(entries[i + 1], p + 4);
  }
  return b;
}
