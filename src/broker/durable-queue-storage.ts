/**
 * QueueStorage of a durable queue. Persistent messages are in the message store; the queue
 * keeps only their positions (packed-ring.ts) and, while its in-memory budget allows, the
 * message itself, so that a queue whose consumers keep up never reads back from disk while a
 * backlog of millions costs a few tens of megabytes. Transient messages in a durable queue are
 * never written and always kept in memory (they do not survive a restart, as in RabbitMQ).
 *
 * Reading a stored message records a "delivered" mark, so that after a crash it comes back
 * with redelivered set; acknowledging it appends an ack entry.
 *
 * A stored message that cannot be read back (an I/O error, a missing segment, bytes that fail
 * their CRC or do not decode) must not take the broker down — reads happen under queue timers
 * (expiry, dead-lettering) where nothing would catch an exception. It is logged once, dropped
 * from the queue without an ack entry (and without releasing its record, so the segment stays:
 * if the disk recovers, the next start finds the message again), and the next one is read.
 */
import { ContentHeader } from '../codec/content-header.js';
import { DecodeFailure } from '../codec/decode-failure.js';
import { decodeShortstrPair } from '../codec/fast-paths.js';
import type { MessageStore } from '../store/message-store.js';
import type { RecoveredRecord } from '../store/segment-recovery.js';
import { Message, QueuedMessage } from './message.js';
import { expiryOf } from './message-expiry.js';
import { RequeueList, type QueueStorage } from './queue-storage.js';
import { PackedRing, REDELIVERED } from './packed-ring.js';

/**
 * The message stored at `position`, as it was published; throws when it cannot be read back or
 * does not decode (the caller logs it through store.unreadable and goes on without it).
 */
export function readStoredMessage(store: MessageStore, position: number): Message {
  const r = store.read(position);
  const names = decodeShortstrPair(r.routing);
  if (names === null) throw new Error('its exchange and routing key do not decode');
  const header = ContentHeader.fromPayload(r.header);
  if (header instanceof DecodeFailure) throw new Error(`its content header does not decode: ${header.detail}`);
  return new Message(names[0], names[1], r.routing, header, r.body);
}

/**
 * Memory a durable queue may spend keeping stored messages in memory as well (a message is
 * counted as its body and header plus its objects, ~0.5 KB).
 */
export const DEFAULT_HOT_BYTES = 2 * 1024 * 1024;

/**
 * What a queue's storage needs to know of a recovered message — its expiry and priority — from
 * its stored content header, decoded only when asked and once per record (recovery reuses one
 * object for every record).
 */
export class RecoveredProperties {
  private record: RecoveredRecord | null = null;
  private decoded: ContentHeader | null = null;

  set(record: RecoveredRecord): this {
    this.record = record;
    this.decoded = null;
    return this;
  }

  private header(): ContentHeader | null {
    if (this.decoded === null && this.record !== null) {
      const h = ContentHeader.fromPayload(this.record.header());
      this.decoded = h instanceof ContentHeader ? h : null;
    }
    return this.decoded;
  }

  hasExpiration(): boolean {
    return this.header()?.has('expiration') ?? false;
  }

  /** When it expires given the queue's TTL (Infinity: never), counted from when it was stored. */
  expiresAt(queueTtl: number | undefined): number {
    const h = this.header();
    if (h === null || this.record === null) return Infinity;
    return expiryOf(h, queueTtl, this.record.timestamp);
  }

  /** When the record was written (ms since the epoch). */
  get timestamp(): number {
    return this.record?.timestamp ?? 0;
  }

  /** Its content header, or null when it does not decode. */
  contentHeader(): ContentHeader | null {
    return this.header();
  }

  /** Its priority property (0 when absent). */
  priority(): number {
    return this.header()?.priority ?? 0;
  }
}

/** A queue storage the message store's recovery and compaction can work with. */
export interface StoredQueue {
  readonly storeId: number;
  recovered(position: number, delivered: boolean, bodySize: number, record: RecoveredProperties): void;
  countReady(positions: ReadonlySet<number>): number;
  relocate(moves: ReadonlyMap<number, number>): void;
}

export class DurableQueueStorage implements QueueStorage, StoredQueue {
  /** Keys in queue order: the store position, or a negative id for a message that is not stored. */
  private readonly ring = new PackedRing();
  /** Messages kept in memory, by key: every unstored one, stored ones while the budget allows. */
  private readonly hot = new Map<number, Message>();
  private nextUnstored = -1;
  private readonly requeued = new RequeueList();
  private nextSeq = 1;
  private bytes = 0;
  private hotBytes = 0;
  private destroyed = false;

  constructor(
    readonly storeId: number,
    private readonly store: MessageStore,
    /** The queue's x-message-ttl, to compute recovered messages' expiry. */
    private readonly messageTtl?: number,
    private readonly hotBudget = DEFAULT_HOT_BYTES,
  ) {}

  append(message: Message, position: number, expiresAt: number): void {
    const key = position >= 0 ? position : this.nextUnstored--;
    const cost = messageCost(message);
    if (position < 0 || this.hotBytes + cost <= this.hotBudget) {
      this.hot.set(key, message);
      this.hotBytes += cost;
    }
    this.ring.push(key, message.bodySize, 0, expiresAt);
    this.bytes += message.bodySize;
  }

  /**
   * Recovery: a stored message of this queue, in log order. `record` is only read when the
   * message might expire (a queue TTL, or an expiration property in its header).
   */
  recovered(position: number, delivered: boolean, bodySize: number, record: RecoveredProperties): void {
    let expiresAt = Infinity;
    if (this.messageTtl !== undefined || record.hasExpiration()) expiresAt = record.expiresAt(this.messageTtl);
    this.ring.push(position, bodySize, delivered ? REDELIVERED : 0, expiresAt);
    this.bytes += bodySize;
  }

  discardHead(): void {
    const qm = this.requeued.shift();
    if (qm !== undefined) {
      this.bytes -= qm.message.bodySize;
      this.ack(qm);
      return;
    }
    if (this.ring.length === 0) return;
    const slot = this.ring.headSlot;
    const key = this.ring.position(slot);
    const hot = this.hot.get(key);
    if (hot !== undefined) {
      this.hot.delete(key);
      this.hotBytes -= messageCost(hot);
    }
    this.bytes -= this.ring.size(slot);
    this.ring.shift();
    if (key >= 0) this.store.ack(this.storeId, key);
  }

  headExpiresAt(): number {
    const r = this.requeued.peek();
    if (r !== undefined) return r.expiresAt;
    return this.ring.length === 0 ? Infinity : this.ring.expiresAt(this.ring.headSlot);
  }

  /** The next ready message; one that cannot be read back is skipped (see the top). */
  read(): QueuedMessage | undefined {
    const qm = this.requeued.shift() ?? this.readRing();
    if (qm !== undefined) this.bytes -= qm.message.bodySize;
    return qm;
  }

  private readRing(): QueuedMessage | undefined {
    const ring = this.ring;
    while (ring.length > 0) {
      const slot = ring.headSlot;
      const key = ring.position(slot);
      const position = key >= 0 ? key : -1;
      let message = this.hot.get(key);
      if (message !== undefined) {
        this.hot.delete(key);
        this.hotBytes -= messageCost(message);
      } else {
        message = this.load(position);
        if (message === undefined) {
          this.bytes -= ring.size(slot);
          ring.shift();
          continue;
        }
      }
      const qm = new QueuedMessage(message, this.nextSeq++, position, ring.expiresAt(slot));
      qm.redelivered = (ring.flag(slot) & REDELIVERED) !== 0;
      ring.shift();
      if (position >= 0) this.store.markDelivered(this.storeId, position);
      return qm;
    }
    return undefined;
  }

  requeue(qm: QueuedMessage): void {
    if (this.destroyed) {
      if (qm.position >= 0) this.store.release(qm.position);
      return;
    }
    qm.redelivered = true;
    this.bytes += qm.message.bodySize;
    this.requeued.insert(qm);
  }

  ack(qm: QueuedMessage): void {
    if (qm.position < 0) return;
    if (this.destroyed) this.store.release(qm.position);
    else this.store.ack(this.storeId, qm.position);
  }

  purge(): number {
    const n = this.readyCount;
    this.forEachPosition((p) => this.store.ack(this.storeId, p));
    this.clear();
    return n;
  }

  destroy(): void {
    this.destroyed = true;
    this.forEachPosition((p) => this.store.release(p));
    this.clear();
  }

  get readyCount(): number {
    return this.ring.length + this.requeued.length;
  }

  get readyBytes(): number {
    return this.bytes;
  }

  /**
   * Compaction: how many of these stored messages are waiting here (not out with a consumer).
   * The positions are of one segment: a range test spares a backlog of millions as many hash
   * lookups (this runs on the event loop).
   */
  countReady(positions: ReadonlySet<number>): number {
    const [lo, hi] = range(positions.keys());
    let found = 0;
    for (let i = 0; i < this.ring.length; i++) {
      const p = this.ring.position(this.ring.slot(i));
      if (p >= lo && p <= hi && positions.has(p)) found++;
    }
    for (const qm of this.requeued.items()) if (positions.has(qm.position)) found++;
    return found;
  }

  /** Compaction moved stored messages: old → new position. */
  relocate(moves: ReadonlyMap<number, number>): void {
    const [lo, hi] = range(moves.keys());
    for (let i = 0; i < this.ring.length; i++) {
      const slot = this.ring.slot(i);
      const from = this.ring.position(slot);
      if (from < lo || from > hi) continue;
      const to = moves.get(from);
      if (to === undefined) continue;
      this.ring.setPosition(slot, to);
      const m = this.hot.get(from);
      if (m !== undefined) {
        this.hot.delete(from);
        this.hot.set(to, m);
      }
    }
    for (const qm of this.requeued.items()) {
      const to = moves.get(qm.position);
      if (to !== undefined) qm.position = to;
    }
  }

  /** The stored message at `position`, or undefined (logged) when it cannot be read back. */
  private load(position: number): Message | undefined {
    try {
      return readStoredMessage(this.store, position);
    } catch (err) {
      this.store.unreadable(this.storeId, position, err);
      return undefined;
    }
  }

  private forEachPosition(fn: (position: number) => void): void {
    for (let i = 0; i < this.ring.length; i++) {
      const p = this.ring.position(this.ring.slot(i));
      if (p >= 0) fn(p);
    }
    for (const qm of this.requeued.drain()) if (qm.position >= 0) fn(qm.position);
  }

  private clear(): void {
    this.ring.clear();
    this.hot.clear();
    this.requeued.clear();
    this.bytes = 0;
    this.hotBytes = 0;
  }
}

/** Smallest and largest of some positions. */
function range(positions: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of positions) {
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  return [lo, hi];
}

function messageCost(m: Message): number {
  return m.bodySize + m.header.raw.length + 512;
}
