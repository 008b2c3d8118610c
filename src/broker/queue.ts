/**
 * A queue: its messages (through a QueueStorage), its consumers, and who gets which message.
 * Dispatch hands ready messages round-robin to the consumers that have room in their prefetch
 * window (a consumer says so through canTake()); it runs whenever something changes that could
 * let a message move: a publish, an ack, a new consumer, a connection that drained its socket.
 */
import type { FieldTable } from '../codec/field-table.js';
import type { Message, QueuedMessage } from './message.js';
import { MemoryQueueStorage, type QueueStorage } from './queue-storage.js';

/** What a queue needs from a consumer (implemented by the session layer). */
export interface QueueConsumer {
  readonly tag: string;
  readonly exclusive: boolean;
  /** Room for one more delivery now (prefetch, channel and connection state). */
  canTake(): boolean;
  /** Takes the message: writes it out and, unless no-ack, records it as unacknowledged. */
  deliver(qm: QueuedMessage, queue: Queue): void;
  /** The queue is gone; the consumer is cancelled by the server. */
  queueDeleted(queue: Queue): void;
}

export interface QueueOptions {
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly arguments: FieldTable;
  /** Id of the connection that owns an exclusive queue. */
  readonly owner: number | null;
}

/** Called by a queue that must go (auto-delete): the vhost unbinds and forgets it. */
export type QueueDeleter = (queue: Queue) => void;

export class Queue {
  readonly consumers: QueueConsumer[] = [];
  private nextConsumer = 0;
  private everHadConsumer = false;
  private dispatching = false;
  deleted = false;

  constructor(
    readonly name: string,
    readonly vhost: string,
    readonly options: QueueOptions,
    private readonly deleter: QueueDeleter,
    readonly storage: QueueStorage = new MemoryQueueStorage(),
  ) {}

  get durable(): boolean {
    return this.options.durable;
  }

  get exclusive(): boolean {
    return this.options.exclusive;
  }

  get autoDelete(): boolean {
    return this.options.autoDelete;
  }

  get messageCount(): number {
    return this.storage.readyCount;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  get hasExclusiveConsumer(): boolean {
    return this.consumers.length === 1 && this.consumers[0].exclusive;
  }

  /** A routed message arrives; `position` is where the message store wrote it (-1: nowhere). */
  enqueue(message: Message, position = -1): void {
    this.storage.append(message, position);
    if (this.consumers.length > 0) this.dispatch();
  }

  /** Gives ready messages to consumers with room, round-robin, until either runs out. */
  dispatch(): void {
    if (this.dispatching || this.deleted) return; // a delivery that triggers dispatch again
    this.dispatching = true;
    try {
      const consumers = this.consumers;
      let idle = 0; // consecutive consumers that could take nothing
      while (this.storage.readyCount > 0 && idle < consumers.length) {
        if (this.nextConsumer >= consumers.length) this.nextConsumer = 0;
        const c = consumers[this.nextConsumer++];
        if (!c.canTake()) {
          idle++;
          continue;
        }
        idle = 0;
        c.deliver(this.storage.read() as QueuedMessage, this);
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** basic.get: the next ready message, or undefined. */
  get(): QueuedMessage | undefined {
    return this.storage.read();
  }

  /** A delivered message was acknowledged (or taken with no-ack). */
  ack(qm: QueuedMessage): void {
    this.storage.ack(qm);
  }

  /**
   * A delivered message comes back (nack/reject with requeue, recover, channel closed). After
   * the queue is deleted the storage just lets go of it.
   */
  requeue(qm: QueuedMessage): void {
    this.storage.requeue(qm);
  }

  addConsumer(c: QueueConsumer): void {
    this.consumers.push(c);
    this.everHadConsumer = true;
  }

  /**
   * Removes a consumer (cancelled, or its channel closed). An auto-delete queue goes when its
   * last consumer does — but only once it has had one, as in RabbitMQ.
   */
  removeConsumer(c: QueueConsumer): void {
    const i = this.consumers.indexOf(c);
    if (i < 0) return;
    this.consumers.splice(i, 1);
    if (this.nextConsumer > i) this.nextConsumer--;
    if (this.consumers.length === 0 && this.options.autoDelete && this.everHadConsumer && !this.deleted) {
      this.deleter(this);
    }
  }

  purge(): number {
    return this.storage.purge();
  }

  /** Marks the queue deleted and cancels its consumers; returns the ready count it had. */
  markDeleted(): number {
    const count = this.storage.readyCount;
    this.deleted = true;
    const consumers = this.consumers.splice(0);
    for (const c of consumers) c.queueDeleted(this);
    this.storage.destroy();
    return count;
  }
}
