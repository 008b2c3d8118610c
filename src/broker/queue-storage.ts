/**
 * How a queue keeps its messages. The queue decides who gets what; the storage keeps the ready
 * messages in order: append at the tail, read from the head (requeued messages first, in their
 * original order, as RabbitMQ does), requeue a delivered message, ack one for good.
 * MemoryQueueStorage is the implementation for transient data; the segment log (issue 5) plugs
 * in behind the same interface for durable queues.
 */
import { QueuedMessage, type Message } from './message.js';

export interface QueueStorage {
  /** Adds a message at the tail. */
  append(message: Message): QueuedMessage;
  /** Takes the next ready message, or undefined. */
  read(): QueuedMessage | undefined;
  /** The next ready message without taking it. */
  peek(): QueuedMessage | undefined;
  /** Puts a delivered message back, marked redelivered. */
  requeue(qm: QueuedMessage): void;
  /** A delivered message is settled for good (acked, or taken with no-ack, or dropped). */
  ack(qm: QueuedMessage): void;
  /** Drops every ready message; returns how many. */
  purge(): number;
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
 * Ready messages in memory. Requeued messages wait in a list sorted by arrival order and are
 * read before the never-delivered ones: everything that was delivered arrived earlier than
 * anything still waiting its first delivery, so this gives RabbitMQ's "back to its original
 * position" order without inserting into the middle of the main list.
 */
export class MemoryQueueStorage implements QueueStorage {
  private readonly fresh = new Deque<QueuedMessage>();
  /** Requeued messages, ascending seq, from index requeuedHead on. Usually short. */
  private requeued: QueuedMessage[] = [];
  private requeuedHead = 0;
  private nextSeq = 1;
  private bytes = 0;

  append(message: Message): QueuedMessage {
    const qm = new QueuedMessage(message, this.nextSeq++);
    this.fresh.push(qm);
    this.bytes += message.bodySize;
    return qm;
  }

  read(): QueuedMessage | undefined {
    let qm: QueuedMessage | undefined;
    if (this.requeuedHead < this.requeued.length) {
      qm = this.requeued[this.requeuedHead++];
      if (this.requeuedHead === this.requeued.length) {
        this.requeued = [];
        this.requeuedHead = 0;
      }
    } else {
      qm = this.fresh.shift();
    }
    if (qm !== undefined) this.bytes -= qm.message.bodySize;
    return qm;
  }

  peek(): QueuedMessage | undefined {
    return this.requeuedHead < this.requeued.length ? this.requeued[this.requeuedHead] : this.fresh.peek();
  }

  requeue(qm: QueuedMessage): void {
    qm.redelivered = true;
    this.bytes += qm.message.bodySize;
    const list = this.requeued;
    // common cases: requeueing in order, or putting back the one just taken
    if (this.requeuedHead === list.length || list[list.length - 1].seq < qm.seq) list.push(qm);
    else if (this.requeuedHead > 0 && list[this.requeuedHead].seq > qm.seq) list[--this.requeuedHead] = qm;
    else list.splice(insertionPoint(list, this.requeuedHead, qm.seq), 0, qm);
  }

  ack(_qm: QueuedMessage): void {
    // nothing to release: the message is garbage once no queue or channel refers to it
  }

  purge(): number {
    const n = this.readyCount;
    this.fresh.clear();
    this.requeued = [];
    this.requeuedHead = 0;
    this.bytes = 0;
    return n;
  }

  get readyCount(): number {
    return this.fresh.length + this.requeued.length - this.requeuedHead;
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
