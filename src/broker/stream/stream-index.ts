/**
 * The offsets of a stream: offset → where its message is (a store position, or the message
 * itself for a log kept in memory), in chunks of CHUNK offsets so that dropping the oldest
 * messages frees whole chunks and an offset is found with one division. Beside them:
 *
 * - a timestamp every STAMP_EVERY offsets (the first message's of each run), enough to find
 *   where an `x-stream-offset` timestamp or interval starts, as RabbitMQ finds the chunk;
 * - the segments: runs of offsets of at most the stream's segment size in bytes, the unit that
 *   retention (x-max-length-bytes, x-max-age) drops, always keeping the last one, as osiris does.
 *
 * A stored log's chunk (stream-log.ts) takes 4 bytes a message, whatever the message's size.
 */

/** CHUNK consecutive offsets' entries (store positions, or messages kept in memory). */
export interface IndexChunk<V> {
  get(slot: number): V;
  /** Written in slot order as the log grows; a written slot may be set again (its record moved). */
  set(slot: number, entry: V): void;
}

export const CHUNK = 4096;
const STAMP_EVERY = 64;
const STAMPS_PER_CHUNK = CHUNK / STAMP_EVERY;

/** The segment size when neither x-stream-max-segment-size-bytes nor a policy says (RabbitMQ's 500 MB). */
export const DEFAULT_SEGMENT_BYTES = 500_000_000;

export class StreamIndex<V> {
  private readonly chunks: IndexChunk<V>[] = [];
  private readonly stamps: Float64Array[] = [];
  /** The chunk number (offset / CHUNK) of chunks[0]. */
  private baseChunk = 0;
  /** The oldest offset still in the log. */
  first = 0;
  /** The offset the next message gets. */
  next = 0;
  /** Timestamp (ms) of the newest message; 0 while there is none. */
  lastStamp = 0;

  /** Segment starts (offsets), their body bytes and their newest timestamps; the last is being written. */
  private readonly segStarts: number[] = [];
  private readonly segBytes: number[] = [];
  private readonly segLastStamps: number[] = [];
  /** Body bytes of the messages in the log. */
  bytes = 0;

  constructor(private readonly newChunk: () => IndexChunk<V>) {}

  /** The log is empty and its next offset is `offset` (a recovered stream that had dropped messages). */
  startAt(offset: number): void {
    if (this.next !== this.first) throw new Error('startAt on a stream index that has messages');
    this.first = this.next = offset;
  }

  get count(): number {
    return this.next - this.first;
  }

  get segments(): number {
    return this.segStarts.length;
  }

  /**
   * Adds the next offset's entry; `bytes` is its body size. Returns true when it began a new
   * segment (after the first), the moment retention is looked at.
   */
  push(entry: V, timestamp: number, bytes: number, segmentSize: number): boolean {
    const o = this.next;
    const c = Math.floor(o / CHUNK);
    if (this.chunks.length === 0) this.baseChunk = c;
    const i = c - this.baseChunk;
    if (i === this.chunks.length) {
      this.chunks.push(this.newChunk());
      this.stamps.push(new Float64Array(STAMPS_PER_CHUNK));
    }
    const slot = o - c * CHUNK;
    this.chunks[i].set(slot, entry);
    if (slot % STAMP_EVERY === 0 || o === this.first) this.stamps[i][Math.floor(slot / STAMP_EVERY)] = timestamp;
    this.next = o + 1;
    this.lastStamp = timestamp;
    this.bytes += bytes;
    const n = this.segStarts.length;
    const rolled = n === 0 || this.segBytes[n - 1] + bytes > segmentSize;
    if (rolled) {
      this.segStarts.push(o);
      this.segBytes.push(bytes);
      this.segLastStamps.push(timestamp);
    } else {
      this.segBytes[n - 1] += bytes;
      this.segLastStamps[n - 1] = timestamp;
    }
    return rolled && n > 0;
  }

  /** The entry of an offset between first and next. */
  at(offset: number): V {
    const c = Math.floor(offset / CHUNK);
    return this.chunks[c - this.baseChunk].get(offset - c * CHUNK);
  }

  set(offset: number, entry: V): void {
    const c = Math.floor(offset / CHUNK);
    this.chunks[c - this.baseChunk].set(offset - c * CHUNK, entry);
  }

  /**
   * Where a reader asking for messages from `ms` on starts: the run of STAMP_EVERY offsets
   * before the first run stamped at or after `ms` (its later messages may be that recent), so
   * a few earlier messages may come too, as from RabbitMQ's chunks; `next` when every message
   * is older.
   */
  offsetAtTime(ms: number): number {
    if (this.count === 0 || ms > this.lastStamp) return this.next;
    const firstRun = Math.floor(this.first / STAMP_EVERY);
    const lastRun = Math.floor((this.next - 1) / STAMP_EVERY);
    let lo = firstRun;
    let hi = lastRun + 1; // the first run stamped at or after ms, in [lo, hi]
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.runStamp(mid) >= ms) hi = mid;
      else lo = mid + 1;
    }
    return Math.max(this.first, (lo > firstRun ? lo - 1 : lo) * STAMP_EVERY);
  }

  private runStamp(run: number): number {
    const c = Math.floor((run * STAMP_EVERY) / CHUNK);
    return this.stamps[c - this.baseChunk][run - c * STAMPS_PER_CHUNK];
  }

  /**
   * Which segments retention drops now: the oldest ones while the log holds more than
   * `maxBytes`, or while their newest message is older than `maxAge` ms — never the last.
   * Returns the offset the log then starts at (first when nothing goes).
   */
  retainedFrom(maxBytes: number | undefined, maxAge: number | undefined, now: number): number {
    let drop = 0;
    let bytes = this.bytes;
    while (drop < this.segStarts.length - 1) {
      const tooBig = maxBytes !== undefined && bytes > maxBytes;
      const tooOld = maxAge !== undefined && this.segLastStamps[drop] < now - maxAge;
      if (!tooBig && !tooOld) break;
      bytes -= this.segBytes[drop];
      drop++;
    }
    return drop === 0 ? this.first : this.segStarts[drop];
  }

  /** Forgets every offset before `offset` (a segment start from retainedFrom), freeing whole chunks. */
  dropBefore(offset: number): void {
    while (this.segStarts.length > 1 && this.segStarts[1] <= offset) {
      this.bytes -= this.segBytes[0];
      this.segStarts.shift();
      this.segBytes.shift();
      this.segLastStamps.shift();
    }
    this.first = offset;
    const keepFrom = Math.floor(offset / CHUNK) - this.baseChunk;
    if (keepFrom > 0) {
      this.chunks.splice(0, keepFrom);
      this.stamps.splice(0, keepFrom);
      this.baseChunk += keepFrom;
    }
  }

  /** The first offset whose entry is at least `key` (entries ordered by key, e.g. store positions). */
  search(key: (entry: V) => number, target: number): number {
    let lo = this.first;
    let hi = this.next;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (key(this.at(mid)) >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Empties the index (the stream is deleted). */
  clear(): void {
    this.chunks.length = 0;
    this.stamps.length = 0;
    this.segStarts.length = 0;
    this.segBytes.length = 0;
    this.segLastStamps.length = 0;
    this.first = this.next;
    this.bytes = 0;
  }
}
