/**
 * Where a stream's messages are: an append-only log read by offset, each message kept once
 * however many readers it has. StoredStreamLog keeps them in the vhost's message store (every
 * message, persistent or not, as RabbitMQ's streams write every message to disk), holding only
 * their positions; MemoryStreamLog keeps the messages themselves (a broker without a data
 * directory).
 *
 * It is the stream's QueueStorage too, so that the vhost, the management API and persistence
 * treat a stream as the queue it is; the queue-only operations (read from the head, requeue,
 * purge) are never asked of it (StreamQueue answers them itself).
 *
 * Retention drops whole segments (stream-index.ts). A stored log that dropped messages records
 * where it now starts — its first offset and that message's store position — before it
 * acknowledges the dropped records, so that a restart numbers the remaining messages from that
 * offset, and treats any dropped record whose acknowledgement had not reached the disk yet as
 * dropped again (its position is below the start).
 */
import type { MessageStore } from '../../store/message-store.js';
import { POSITION_SEGMENT } from '../../store/message-store.js';
import type { RecoveredProperties, StoredQueue } from '../durable-queue-storage.js';
import { readStoredMessage } from '../durable-queue-storage.js';
import type { Message, QueuedMessage } from '../message.js';
import type { QueueStorage } from '../queue-storage.js';
import { CHUNK, StreamIndex, type IndexChunk } from './stream-index.js';

/** The retention and segment size a stream runs with (its arguments under its policy). */
export interface StreamLimits {
  readonly maxBytes?: number;
  readonly maxAge?: number;
  readonly segmentSize: number;
}

export abstract class StreamLog<V> implements QueueStorage {
  abstract readonly storeId: number;
  protected readonly index: StreamIndex<V>;
  /** What the stream runs with now (set by its queue, at creation and when a policy changes). */
  limits: StreamLimits = { segmentSize: Number.MAX_SAFE_INTEGER };

  constructor(newChunk: () => IndexChunk<V>) {
    this.index = new StreamIndex(newChunk);
  }

  get first(): number {
    return this.index.first;
  }

  get next(): number {
    return this.index.next;
  }

  /** Where readers asking for messages from `ms` (epoch ms) on start. */
  offsetAtTime(ms: number): number {
    return this.index.offsetAtTime(ms);
  }

  /**
   * Appends a message written at `now` (`position`: where the store wrote it); applies
   * retention when a segment begins.
   */
  add(message: Message, position: number, now: number): void {
    if (this.index.push(this.entry(message, position), now, message.bodySize, this.limits.segmentSize)) this.retain(now);
  }

  /** QueueStorage's append: a stream's messages never expire. */
  append(message: Message, position: number): void {
    this.add(message, position, Date.now());
  }

  /** The message at an offset between first and next; undefined when it cannot be read (logged). */
  abstract message(offset: number): Message | undefined;

  /**
   * Where readers stop: the offset after the last message on disk. A stored stream's readers
   * get a message only once it is durable (as osiris delivers committed chunks only), so that
   * after a crash no reader has seen an offset that then holds another message.
   */
  abstract readableEnd(): number;

  /** Called when more of the log became readable (set by its queue: it dispatches). */
  onReadable: () => void = () => undefined;

  protected abstract entry(message: Message, position: number): V;

  /** Drops the segments retention no longer keeps (also when the stream's limits change). */
  retain(now = Date.now()): void {
    const limits = this.limits;
    if (limits.maxBytes === undefined && limits.maxAge === undefined) return;
    const from = this.index.retainedFrom(limits.maxBytes, limits.maxAge, now);
    if (from > this.index.first) this.dropBefore(from);
  }

  protected abstract dropBefore(offset: number): void;

  /** Its records are back after a restart (a stored log): retention applies to what came back. */
  finishRecovery(): void {
    this.retain();
  }

  // ---- QueueStorage: what a queue's storage answers for a stream ----

  get readyCount(): number {
    return this.index.count;
  }

  get readyBytes(): number {
    return this.index.bytes;
  }

  read(): QueuedMessage | undefined {
    return undefined;
  }

  headExpiresAt(): number {
    return Infinity;
  }

  discardHead(): void {}
  requeue(): void {}
  ack(): void {}

  purge(): number {
    return 0;
  }

  abstract destroy(): void;

  /** A record written for the stream after it was deleted: its reference is dropped. */
  letGo(_position: number): void {}
}

class ArrayChunk<V> implements IndexChunk<V> {
  private readonly entries: V[] = [];
  get(slot: number): V {
    return this.entries[slot];
  }
  set(slot: number, entry: V): void {
    this.entries[slot] = entry;
  }
}

/**
 * CHUNK store positions in 4 bytes each: the offset within its segment, and the segment once
 * per run of records in the same segment (positions only grow along a log, and compaction
 * moves a record within its segment).
 */
export class PositionChunk implements IndexChunk<number> {
  private readonly offsets = new Uint32Array(CHUNK);
  /** Where each run of one segment begins, and that segment. */
  private readonly runSlots: number[] = [];
  private readonly runSegments: number[] = [];
  private written = -1;

  get(slot: number): number {
    return this.runSegments[this.runOf(slot)] * POSITION_SEGMENT + this.offsets[slot];
  }

  set(slot: number, position: number): void {
    const segment = Math.floor(position / POSITION_SEGMENT);
    if (slot > this.written) {
      const n = this.runSegments.length;
      if (n === 0 || this.runSegments[n - 1] !== segment) {
        this.runSlots.push(slot);
        this.runSegments.push(segment);
      }
      this.written = slot;
    } else if (this.runSegments[this.runOf(slot)] !== segment) {
      throw new Error(`a stream record at slot ${slot} cannot move to another segment (${segment})`);
    }
    this.offsets[slot] = position - segment * POSITION_SEGMENT;
  }

  /** The run holding `slot`: the last one beginning at or before it. */
  private runOf(slot: number): number {
    let lo = 0;
    let hi = this.runSlots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runSlots[mid] <= slot) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A stream of a broker without a data directory: its messages in memory. */
export class MemoryStreamLog extends StreamLog<Message | undefined> {
  readonly storeId = -1;

  constructor() {
    super(() => new ArrayChunk<Message | undefined>());
  }

  protected entry(message: Message): Message {
    return message;
  }

  message(offset: number): Message | undefined {
    return this.index.at(offset);
  }

  readableEnd(): number {
    return this.index.next;
  }

  protected dropBefore(offset: number): void {
    this.index.dropBefore(offset);
  }

  destroy(): void {
    this.index.clear();
  }
}

/** Messages just appended stay readable from memory: readers that keep up never go to the store. */
const TAIL = 1024;
const TAIL_MAX_BODY = 64 * 1024;

/** Where a stored stream's log begins (recorded when retention drops messages). */
export interface StreamStart {
  readonly offset: number;
  readonly position: number;
}

/** A stream of a durable vhost: its messages in the message store, their positions here. */
export class StoredStreamLog extends StreamLog<number> implements StoredQueue {
  readonly keepsEveryMessage = true;
  private readonly tail: (Message | undefined)[] = new Array<Message | undefined>(TAIL);
  /** Where the log begins on disk: records below `position` were dropped (see the top). */
  private start: StreamStart = { offset: 0, position: 0 };
  /** Dropped records found again at start, acknowledged once recovery is over. */
  private stale: number[] = [];
  private destroyed = false;

  constructor(
    readonly storeId: number,
    private readonly store: MessageStore,
    /** Records where the log now begins, synchronously and durably (the definitions log). */
    private readonly recordStart: (start: StreamStart) => void,
  ) {
    super(() => new PositionChunk());
  }

  protected entry(message: Message, position: number): number {
    this.tail[this.index.next % TAIL] = message.bodySize <= TAIL_MAX_BODY ? message : undefined;
    if (!this.waitingForDisk && position >= this.store.durablePosition) {
      // one callback per stream and sync, whatever the number of messages in the batch
      this.waitingForDisk = true;
      this.store.whenDurable(this.synced);
    }
    return position;
  }

  private waitingForDisk = false;
  /** Offsets below this are on disk. */
  private durableEnd = 0;

  private readonly synced = (): void => {
    this.waitingForDisk = false;
    if (this.destroyed) return;
    this.onReadable();
  };

  readableEnd(): number {
    const durable = this.store.durablePosition;
    const next = this.index.next;
    let end = Math.max(this.durableEnd, this.index.first);
    // positions grow with offsets: a reader at the head walks a few, one opened on a log that
    // grew unread (or just recovered) searches
    for (let steps = 0; end < next && this.index.at(end) < durable; steps++) {
      if (steps === 64) {
        end = this.index.search((p) => p, durable);
        break;
      }
      end++;
    }
    this.durableEnd = end;
    if (end < next && !this.waitingForDisk) {
      // appended before a sync that is still under way: ask again when the next one is done
      this.waitingForDisk = true;
      this.store.whenDurable(this.synced);
    }
    return end;
  }

  message(offset: number): Message | undefined {
    if (offset >= this.index.next - TAIL) {
      const m = this.tail[offset % TAIL];
      if (m !== undefined) return m;
    }
    const position = this.index.at(offset);
    try {
      return readStoredMessage(this.store, position);
    } catch (err) {
      this.store.unreadable(this.storeId, position, err);
      return undefined;
    }
  }

  protected dropBefore(offset: number): void {
    const position = this.index.at(offset);
    // first the new start, durably: a crash before the acknowledgements below are on disk
    // then finds the dropped records below it and drops them again
    this.start = { offset, position };
    this.recordStart(this.start);
    for (let o = this.index.first; o < offset; o++) {
      this.store.ack(this.storeId, this.index.at(o));
      this.tail[o % TAIL] = undefined;
    }
    this.index.dropBefore(offset);
  }

  override letGo(position: number): void {
    if (position >= 0) this.store.release(position);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (let o = this.index.first; o < this.index.next; o++) this.store.release(this.index.at(o));
    this.index.clear();
    this.tail.fill(undefined);
  }

  // ---- StoredQueue: recovery and compaction ----

  /** At start, before its records are recovered: where the log began when the broker stopped. */
  startFrom(start: StreamStart): void {
    this.start = start;
    this.index.startAt(start.offset);
  }

  /** A stored record found at start, in log order: the next offset, or a dropped one. */
  recovered(position: number, _delivered: boolean, bodySize: number, record: RecoveredProperties): void {
    if (position < this.start.position) {
      this.stale.push(position);
      return;
    }
    // retention is applied once everything is back (finishRecovery)
    this.index.push(position, record.timestamp, bodySize, this.limits.segmentSize);
  }

  /** Recovery is over: the dropped records found again are acknowledged again, and retention applies. */
  override finishRecovery(): void {
    for (const p of this.stale) this.store.ack(this.storeId, p);
    this.stale = [];
    this.retain();
  }

  /** Where the log begins, as last recorded (offset 0: it never dropped anything). */
  get recordedStart(): StreamStart {
    return this.start;
  }

  /**
   * Compaction may move the records of any segment but the one holding the log's recorded start
   * (its position must stay what the definitions log says): 0 there, so that one is left alone.
   */
  countReady(positions: ReadonlySet<number>): number {
    if (this.start.position === 0) return positions.size;
    const startSegment = Math.floor(this.start.position / POSITION_SEGMENT);
    for (const p of positions) return Math.floor(p / POSITION_SEGMENT) === startSegment ? 0 : positions.size;
    return 0;
  }

  /** Compaction moved records within one segment, keeping their order: the positions follow. */
  relocate(moves: ReadonlyMap<number, number>): void {
    let lo = Infinity;
    for (const p of moves.keys()) lo = Math.min(lo, p);
    if (lo === Infinity) return;
    const segmentEnd = (Math.floor(lo / POSITION_SEGMENT) + 1) * POSITION_SEGMENT;
    for (let o = this.index.search((p) => p, lo); o < this.index.next; o++) {
      const p = this.index.at(o);
      if (p >= segmentEnd) break;
      const to = moves.get(p);
      if (to !== undefined) this.index.set(o, to);
    }
  }
}
