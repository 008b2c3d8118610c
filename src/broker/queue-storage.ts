/**
 * How a queue keeps its messages. The queue decides who gets what; the storage keeps the ready
 * messages in order: append at the tail, read from the head (requeued messages first, in their
 * original order, as RabbitMQ does), requeue a delivered message, ack one for good.
 * MemoryQueueStorage is the implementation for transient data; the segment log (issue 5) plugs
 * in behind the same interface for durable queues.
 */
import { QueuedMessage, type Message } from './message.js';

export interface QueueStorage {
  /** The queue's id in the message store, or -1 when its messages are never written to disk. */
  readonly storeId: number;
  /** True for a stored stream: every message is written for it, persistent or not. */
  readonly keepsEveryMessage?: boolean;
  /**
   * Adds a message at the tail. `position` is where the message store wrote it for this queue
   * (-1: not stored — a transient message, or a queue that is not durable); `expiresAt` when it
   * expires (Infinity: never).
   */
  append(message: Message, position: number, expiresAt: number): void;
  /** Takes the next ready message, or undefined. */
  read(): QueuedMessage | undefined;
  /** When the message read() would return next expires (Infinity: never, or none). */
  headExpiresAt(): number;
  /**
   * Removes the message read() would return, for good, without handing it out (an expired or
   * over-limit message nobody dead-letters: a stored one need not be read back from disk).
   */
  discardHead(): void;
  /** Puts a delivered message back, marked redelivered. */
  requeue(qm: QueuedMessage): void;
  /** A delivered message is settled for good (acked, or taken with no-ack, or dropped). */
  ack(qm: QueuedMessage): void;
  /** Drops every ready message; returns how many. */
  purge(): number;
  /** The queue was deleted: let go of everything it holds. */
  destroy(): void;
  /** Ready messages. */
  readonly readyCount: number;
  /** Body bytes of the ready messages. */
  readonly readyBytes: number;
}

/** A growable ring buffer: O(1) push/shift. */
export class Deque<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  unshift(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** Item i from the head. */
  at(i: number): T | undefined {
    return i < 0 || i >= this.count ? undefined : this.items[(this.head + i) & (this.items.length - 1)];
  }

  clear(): void {
    this.items = new Array<T | undefined>(16);
    this.head = 0;
    this.count = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) & (this.items.length - 1)] as T;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = next;
    this.head = 0;
  }
}

/**
 * Delivered messages that came back, waiting to be read again before any never-delivered one,
 * in their original order (seq). Everything that was delivered arrived earlier than anything
 * still waiting its first delivery, so reading this list first gives RabbitMQ's "back to its
 * original position" order without inserting into the middle of the main list.
 */
export class RequeueList {
  /** Ascending seq from index head on. Usually short. */
  private items_: QueuedMessage[] = [];
  private head = 0;

  get length(): number {
    return this.items_.length - this.head;
  }

  insert(qm: QueuedMessage): void {
    const list = this.items_;
    // common cases: requeueing in order, or putting back the one just taken
    if (this.head === list.length || list[list.length - 1].seq < qm.seq) list.push(qm);
    else if (this.head > 0 && list[this.head].seq > qm.seq) list[--this.head] = qm;
    else list.splice(insertionPoint(list, this.head, qm.seq), 0, qm);
  }

  peek(): QueuedMessage | undefined {
    return this.head === this.items_.length ? undefined : this.items_[this.head];
  }

  shift(): QueuedMessage | undefined {
    if (this.head === this.items_.length) return undefined;
    const qm = this.items_[this.head++];
    if (this.head === this.items_.length) this.clear();
    return qm;
  }

  /** The waiting messages (not removed). */
  items(): readonly QueuedMessage[] {
    return this.items_.slice(this.head);
  }

  /** Removes and returns everything. */
  drain(): QueuedMessage[] {
    const out = this.items_.slice(this.head);
    this.clear();
    return out;
  }

  clear(): void {
    this.items_ = [];
    this.head = 0;
  }
}

/**
 * Ready messages in memory (queues that are not durable, and every queue with --ephemeral). A
 * message's arrival order (seq) is given when it is first read: reads of never-delivered
 * messages are in arrival order, so the numbers are too.
 */
export class MemoryQueueStorage implements QueueStorage {
  readonly storeId = -1;
  private readonly fresh = new Deque<Message>();
  /** Expiry of each fresh message (kept in step with `fresh`). */
  private readonly expiries = new Deque<number>();
  private readonly requeued = new RequeueList();
  private nextSeq = 1;
  private bytes = 0;
  private destroyed = false;

  append(message: Message, _position: number, expiresAt: number): void {
    this.fresh.push(message);
    this.expiries.push(expiresAt);
    this.bytes += message.bodySize;
  }

  read(): QueuedMessage | undefined {
    let qm = this.requeued.shift();
    if (qm === undefined) {
      const m = this.fresh.shift();
      if (m !== undefined) qm = new QueuedMessage(m, this.nextSeq++, -1, this.expiries.shift() as number);
    }
    if (qm !== undefined) this.bytes -= qm.message.bodySize;
    return qm;
  }

  requeue(qm: QueuedMessage): void {
    if (this.destroyed) return;
    qm.redelivered = true;
    this.bytes += qm.message.bodySize;
    this.requeued.insert(qm);
  }

  ack(_qm: QueuedMessage): void {
    // nothing to release: the message is garbage once no queue or channel refers to it
  }

  headExpiresAt(): number {
    const r = this.requeued.peek();
    if (r !== undefined) return r.expiresAt;
    return this.expiries.peek() ?? Infinity;
  }

  discardHead(): void {
    this.read();
  }

  purge(): number {
    const n = this.readyCount;
    this.fresh.clear();
    this.expiries.clear();
    this.requeued.clear();
    this.bytes = 0;
    return n;
  }

  destroy(): void {
    this.destroyed = true;
    this.purge();
  }

  get readyCount(): number {
    return this.fresh.length + this.requeued.length;
  }

  get readyBytes(): number {
    return this.bytes;
  }
}

function insertionPoint(list: QueuedMessage[], from: number, seq: number): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
