/**
 * A basic.consume subscription: the link between a queue and a channel. It answers the queue's
 * "can you take one more?" from its own prefetch window (basic.qos global=false, fixed when it
 * was created, as RabbitMQ does) and the channel's (global=true and the connection's output).
 */
import type { FieldTable } from '../codec/field-table.js';
import { encodeShortstr } from '../codec/fast-paths.js';
import type { QueuedMessage } from '../broker/message.js';
import type { Queue, QueueConsumer } from '../broker/queue.js';
import type { Channel } from './channel.js';

export class Consumer implements QueueConsumer {
  /** The tag as shortstr bytes, encoded once for every basic.deliver. */
  readonly tagBytes: Buffer;
  /** Deliveries not yet acknowledged. */
  unacked = 0;

  constructor(
    readonly channel: Channel,
    readonly queue: Queue,
    readonly tag: string,
    readonly noAck: boolean,
    readonly exclusive: boolean,
    /** 0 = unlimited. */
    readonly prefetch: number,
    readonly args: FieldTable,
    /** x-priority: higher-priority consumers are served first while they have room. */
    readonly priority = 0,
    /** x-consumer-timeout given on basic.consume (ms), over the queue's and the broker's. */
    readonly timeout?: number,
  ) {
    this.tagBytes = encodeShortstr(tag);
  }

  canTake(): boolean {
    return (this.prefetch === 0 || this.unacked < this.prefetch) && this.channel.canDeliver();
  }

  deliver(qm: QueuedMessage, queue: Queue): void {
    this.channel.deliver(this, qm, queue);
  }

  queueDeleted(queue: Queue): void {
    this.channel.consumerCancelledByServer(this, queue);
  }
}
