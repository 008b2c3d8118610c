/**
 * QueueStorage of a durable queue. Persistent messages are in the message store; the queue
 * keeps only their positions (packed-ring.ts) and, while its in-memory budget allows, the
 * message itself, so that a queue whose consumers keep up never reads back from disk while a
 * backlog of millions costs a few tens of megabytes. Transient messages in a durable queue are
 * never written and always kept in memory (they do not survive a restart, as in RabbitMQ).
 *
 * Reading a stored message records a "delivered" mark, so that after a crash it comes back
 * with redelivered set; acknowledging it appends an ack entry.
 */
import { ContentHeader } from '../codec/content-header.js';
import { DecodeFailure } from '../codec/decode-failure.js';
import { decodeBasicPublishFast } from '../codec/fast-paths.js';
import { Message, QueuedMessage } from '../broker/message.js';
import { RequeueList, type QueueStorage } from '../broker/queue-storage.js';
import type { MessageStore } from './message-store.js';
import { PackedRing, REDELIVERED } from './packed-ring.js';

/**
 * Memory a durable queue may spend keeping stored messages in memory as well (a message is
 * counted as its body and header plus its objects, ~0.5 KB).
 */
export const DEFAULT_HOT_BYTES = 2 * 1024 * 1024;

/** What recovery can tell about a stored message, read from its record only when asked. */
export interface RecordInfo {
  hasExpiration(): boolean;
  /** When it expires given the queue's TTL (Infinity: never). */
  expiresAt(queueTtl: number | undefined): number;
  /** Its priority property (0 when absent). */
  priority(): number;
}

/** A queue storage the message store's recovery and compaction can work with. */
export interface StoredQueue {
  readonly storeId: number;
  recovered(position: number, delivered: boolean, bodySize: number, record: RecordInfo): void;
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
  recovered(position: number, delivered: boolean, bodySize: number, record: RecordInfo): void {
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

  read(): QueuedMessage | undefined {
    let qm = this.requeued.shift();
    if (qm === undefined) {
      if (this.ring.length === 0) return undefined;
      const ring = this.ring;
      const slot = ring.headSlot;
      const key = ring.position(slot);
      const position = key >= 0 ? key : -1;
      let message = this.hot.get(key);
      if (message !== undefined) {
        this.hot.delete(key);
        this.hotBytes -= messageCost(message);
      } else {
        message = this.load(position);
      }
      qm = new QueuedMessage(message, this.nextSeq++, position, ring.expiresAt(slot));
      qm.redelivered = (ring.flag(slot) & REDELIVERED) !== 0;
      ring.shift();
      if (position >= 0) this.store.markDelivered(this.storeId, position);
    }
    this.bytes -= qm.message.bodySize;
    return qm;
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

  /** Compaction: how many of these stored messages are waiting here (not out with a consumer). */
  countReady(positions: ReadonlySet<number>): number {
    let found = 0;
    for (let i = 0; i < this.ring.length; i++) if (positions.has(this.ring.position(this.ring.slot(i)))) found++;
    for (const qm of this.requeued.items()) if (positions.has(qm.position)) found++;
    return found;
  }

  /** Compaction moved stored messages: old → new position. */
  relocate(moves: ReadonlyMap<number, number>): void {
    for (let i = 0; i < this.ring.length; i++) {
      const slot = this.ring.slot(i);
      const from = this.ring.position(slot);
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

  private load(position: number): Message {
    const r = this.store.read(position);
    const publish = decodeBasicPublishFast(r.publish);
    const header = ContentHeader.fromPayload(r.header);
    if (publish instanceof DecodeFailure || header instanceof DecodeFailure) {
      throw new Error(`stored message at ${position} does not decode`);
    }
    return new Message(publish.exchange, publish.routingKey, r.publish, header, r.body);
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

function messageCost(m: Message): number {
  return m.bodySize + m.header.raw.length + 512;
}
