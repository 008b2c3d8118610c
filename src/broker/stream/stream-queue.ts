/**
 * A stream queue (x-queue-type stream) over AMQP 0-9-1: an append-only log (stream-log.ts)
 * that every consumer reads from an offset of its own. A consumer is a cursor — its next
 * offset and its filter — never a copy of the messages: each delivery reads the message at the
 * cursor from the log, adds x-stream-offset to its headers, and goes out through the channel as
 * any delivery does. Credit is the consumer's prefetch window: settling a delivery (ack, and in
 * RabbitMQ 3.13+ nack and reject too, with or without requeue) only makes room for the next;
 * nothing is ever removed or redelivered, and the offset is forgotten when the consumer goes.
 *
 * It is a Queue to everything else — routing, declare, delete, the management API — and
 * answers what a stream does not do as RabbitMQ does: basic.get and queue.purge are refused
 * (540), and the classic queue's arguments (TTL, length limits, dead-lettering, priorities)
 * never apply.
 */
import { AmqpError } from '../../codec/amqp-error.js';
import { withSortedHeaderEntry } from '../../codec/header-edit.js';
import { NOT_IMPLEMENTED } from '../../codec/generated/protocol.js';
import { QueuedMessage, type Message } from '../message.js';
import { effectiveDefinition, type Policy } from '../policies.js';
import { withPolicy } from '../queue-arguments.js';
import { Queue, type QueueConsumer, type QueueHost, type QueueOptions } from '../queue.js';
import { rs } from '../resource-names.js';
import { DEFAULT_SEGMENT_BYTES } from './stream-index.js';
import type { StreamLog } from './stream-log.js';
import { passesFilter, type StreamReadOptions } from './stream-reading.js';

/** Messages a filtered reader may pass over in one go before the others get their turn. */
const SKIP_BUDGET = 4096;

/** A consumer's place in the log. */
class StreamReader {
  constructor(readonly consumer: QueueConsumer, public offset: number, readonly options: StreamReadOptions) {}
}

export class StreamQueue extends Queue {
  private readonly readers: StreamReader[] = [];
  private feeding = false;
  /** A pass over filtered-out messages stopped at its budget: the rest continues on the next turn. */
  private resumeScheduled = false;

  constructor(name: string, vhost: string, options: QueueOptions, host: QueueHost, readonly log: StreamLog<unknown>) {
    super(name, vhost, options, host, log);
    log.onReadable = () => this.dispatchSafely('stream delivery after a sync');
    this.applyLimits();
  }

  override get messageCount(): number {
    return this.log.readyCount;
  }

  /** rabbit_stream_queue:stat reports no consumers, whatever reads the stream (3.10 to 4.x). */
  override get declaredConsumerCount(): number {
    return 0;
  }

  /** A classic queue's limits do not apply: a stream's max-length-bytes is its retention. */
  override applyPolicy(policy: Policy | null, operatorPolicy: Policy | null): void {
    this.policy = policy;
    this.operatorPolicy = operatorPolicy;
    this.config = policy === null && operatorPolicy === null
      ? this.argConfig
      : withPolicy(this.argConfig, this.options.arguments, effectiveDefinition(policy, operatorPolicy));
    this.applyLimits();
  }

  /** Its retention and segment size now (arguments under policy); tighter limits apply at once. */
  private applyLimits(): void {
    const c = this.config;
    this.log.limits = { maxBytes: c.maxLengthBytes, maxAge: c.maxAge, segmentSize: c.maxSegmentSize ?? DEFAULT_SEGMENT_BYTES };
    if (!this.deleted) this.log.retain();
  }

  // ---- arriving ----

  override refuses(): boolean {
    return false;
  }

  override enqueue(message: Message, position = -1): void {
    if (this.deleted) {
      // routed before the stream was deleted (a transaction committed later): nothing keeps it
      this.log.letGo(position);
      return;
    }
    this.publishCount++;
    this.log.append(message, position);
    if (this.readers.length > 0) this.dispatch();
  }

  // ---- reading ----

  /** Each reader with credit gets the messages from its offset on, until its credit or the log ends. */
  override dispatch(): void {
    if (this.feeding || this.deleted) return;
    this.feeding = true;
    try {
      if (this.readers.length === 0) return;
      const end = this.log.readableEnd();
      for (let i = 0; i < this.readers.length; i++) this.feed(this.readers[i], end);
    } finally {
      this.feeding = false;
    }
  }

  private feed(r: StreamReader, end: number): void {
    const log = this.log;
    if (r.offset < log.first) r.offset = log.first; // retention dropped what it had not read yet
    let skipped = 0;
    while (r.offset < end && r.consumer.canTake()) {
      const offset = r.offset++;
      const m = log.message(offset);
      if (m === undefined) continue; // could not be read back (logged by the store)
      if (r.options.filter !== null && !passesFilter(r.options, m.header)) {
        if (++skipped >= SKIP_BUDGET) {
          this.resumeLater();
          return;
        }
        continue;
      }
      const qm = new QueuedMessage(m, offset, -1);
      qm.header = withSortedHeaderEntry(m.header.raw, { name: 'x-stream-offset', value: { type: 'l', value: BigInt(offset) } });
      this.deliverGetCount++;
      r.consumer.deliver(qm, this);
    }
  }

  private resumeLater(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => {
      this.resumeScheduled = false;
      this.dispatchSafely('filtered stream delivery');
    });
  }

  /** Dispatch from a callback of its own (a timer, the store's sync): a bug is logged, nothing more. */
  private dispatchSafely(during: string): void {
    try {
      this.dispatch();
    } catch (err) {
      this.host.queueFailed(this, err, during);
    }
  }

  /** basic.get: a stream has no head to take from. */
  override get(): QueuedMessage | undefined {
    throw new AmqpError(NOT_IMPLEMENTED, `basic.get not supported by stream ${rs('queue', this.name, this.vhost)}`);
  }

  override purge(): number {
    throw new AmqpError(NOT_IMPLEMENTED, `queue.purge not supported by stream ${rs('queue', this.name, this.vhost)}`);
  }

  /** Settling a delivery only gives its consumer room for the next (the channel counts it). */
  override ack(_qm: QueuedMessage): void {
    this.ackCount++;
  }

  override reject(_qm: QueuedMessage): void {}

  override requeue(_qm: QueuedMessage, _failed: boolean): void {}

  /** Its records are back after a restart: what retention no longer keeps goes now. */
  override startExpiry(): void {
    try {
      this.log.finishRecovery();
    } catch (err) {
      this.host.queueFailed(this, err, 'stream recovery');
    }
  }

  // ---- consumers ----

  /** A consumer reading from where its basic.consume asked (streamReadOptions). */
  addReader(c: QueueConsumer, options: StreamReadOptions): void {
    this.readers.push(new StreamReader(c, this.startOffset(options), options));
    this.addConsumer(c);
  }

  private startOffset(o: StreamReadOptions): number {
    const log = this.log;
    const s = o.start;
    switch (s.kind) {
      case 'first': return log.first;
      case 'next': return log.next;
      // the last message (RabbitMQ: the last chunk it wrote, which may hold several)
      case 'last': return Math.max(log.first, log.next - 1);
      case 'offset': return Math.min(Math.max(s.offset, log.first), log.next);
      case 'time': return log.offsetAtTime(s.ms);
    }
  }

  override removeConsumer(c: QueueConsumer): void {
    const i = this.readers.findIndex((r) => r.consumer === c);
    if (i >= 0) this.readers.splice(i, 1);
    super.removeConsumer(c);
  }

  override markDeleted(): number {
    this.readers.length = 0;
    return super.markDeleted();
  }
}
