/**
 * One AMQP channel: assembles its frames into commands, hands each to its handler, and owns
 * what a channel owns in RabbitMQ — consumers, the unacknowledged deliveries, prefetch limits,
 * confirm and transaction mode. A soft error closes just this channel (channel.close, then every
 * frame but close/close-ok is ignored until the client's close-ok); a hard error is passed up to
 * the connection.
 */
import type { BasicPublishArgs, Method } from '../codec/generated/method-types.js';
import {
  BASIC_ACK, BASIC_CANCEL, BASIC_NACK, CHANNEL_CLOSE, CHANNEL_CLOSE_OK, FRAME_METHOD, INTERNAL_ERROR, PRECONDITION_FAILED,
} from '../codec/generated/protocol.js';
import type { MethodInitById } from '../codec/generated/method-types.js';
import type { Message, QueuedMessage } from '../broker/message.js';
import type { ReplyConsumer } from './direct-reply-to.js';
import type { Queue } from '../broker/queue.js';
import type { PublishOutcome, VirtualHost } from '../broker/vhost.js';
import { AmqpError } from '../codec/amqp-error.js';
import { CommandAssembler } from './command-assembler.js';
import type { Consumer } from './consumer.js';
import { dispatchMethod } from './handlers/dispatch.js';
import { PublisherConfirms } from './publisher-confirms.js';
import type { SessionConnection } from './session-connection.js';
import type { Transaction } from './transaction.js';
import { UnackedLedger, type SettleFn } from './unacked-ledger.js';
import { coarseNow } from './coarse-clock.js';
import { ChannelStats } from './channel-stats.js';

/** How often a channel with deliveries out checks for a consumer timeout. */
const TIMEOUT_CHECK_MS = 250;

export class Channel {
  readonly assembler: CommandAssembler;
  state: 'open' | 'closing' | 'closed' = 'open';
  readonly ledger = new UnackedLedger();
  readonly consumers = new Map<string, Consumer>();
  /** What this channel published, delivered and had acknowledged (management API, metrics). */
  readonly stats = new ChannelStats();
  private lastDeliveryTag = 0;
  /** basic.qos global=false: the prefetch given to consumers created from now on. */
  consumerPrefetch = 0;
  /** basic.qos global=true: a limit on all this channel's consumer deliveries together. */
  channelPrefetch = 0;
  /** Outstanding deliveries to this channel's consumers (what channelPrefetch limits). */
  consumerUnacked = 0;
  /** Name of the queue this channel declared last ('' = none): queue '' means it, as in RabbitMQ. */
  lastQueue = '';
  confirms: PublisherConfirms | null = null;
  /** The consumer of amq.rabbitmq.reply-to on this channel, if any. */
  replyConsumer: ReplyConsumer | null = null;
  tx: Transaction | null = null;
  /**
   * Queues whose consumers gained room during the current ack, to dispatch afterwards. The usual
   * case is one queue, kept in a field; more go to a set.
   */
  private freedQueue: Queue | null = null;
  private readonly moreFreedQueues = new Set<Queue>();

  constructor(
    readonly number: number,
    readonly conn: SessionConnection,
    readonly vhost: VirtualHost,
  ) {
    this.assembler = new CommandAssembler(conn.maxMessageSize);
  }

  // ---- frames in ----

  frame(type: number, payload: Buffer): void {
    if (this.state !== 'open') {
      this.frameWhileClosing(type, payload);
      return;
    }
    // basic.ack is as frequent as publish: settle it straight from the frame, no method object
    if (type === FRAME_METHOD && payload.length === 13 && this.tx === null && this.assembler.idle
      && payload.readUInt32BE(0) === BASIC_ACK) {
      try {
        this.settle(payload.readUInt32BE(4) * 0x1_0000_0000 + payload.readUInt32BE(8), (payload[12] & 1) !== 0, null, BASIC_ACK);
      } catch (e) {
        this.fail(e);
      }
      return;
    }
    try {
      if (this.assembler.frame(type, payload)) {
        const a = this.assembler;
        dispatchMethod(this, a.method as Method);
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** After channel.close was sent: only close and close-ok matter (RabbitMQ's 'closing' state). */
  private frameWhileClosing(type: number, payload: Buffer): void {
    if (type !== 1 || payload.length < 4) return;
    const id = payload.readUInt32BE(0);
    if (id === CHANNEL_CLOSE_OK) this.conn.channelClosed(this);
    else if (id === CHANNEL_CLOSE) this.send(CHANNEL_CLOSE_OK, {});
  }

  /** Routes an error to the right scope. Anything not an AmqpError is a bug: 541, connection. */
  fail(e: unknown): void {
    if (!(e instanceof AmqpError)) {
      this.conn.log.error({ err: e, channel: this.number }, 'internal error handling a method');
      const id = this.assembler.method?.id ?? 0;
      this.conn.fail(new AmqpError(INTERNAL_ERROR, 'internal error', id >>> 16, id & 0xffff));
      return;
    }
    const id = this.assembler.method?.id ?? 0;
    const err = e.withMethod(id);
    if (err.scope === 'connection') {
      this.conn.fail(err);
      return;
    }
    this.conn.log.info({ channel: this.number, code: err.replyCode, text: err.replyText }, 'channel error');
    this.closeWithError(err);
  }

  private closeWithError(err: AmqpError): void {
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer);
    this.timeoutTimer = null;
    this.send(CHANNEL_CLOSE, {
      replyCode: err.replyCode, replyText: err.replyText, classId: err.classId, methodId: err.methodId,
    });
    this.assembler.reset();
    this.teardown();
    this.state = 'closing';
  }

  /** The publish being assembled, with its content (valid inside the publish handler). */
  get publish(): BasicPublishArgs {
    return (this.assembler.method as { args: BasicPublishArgs }).args;
  }

  // ---- frames out ----

  send<K extends keyof MethodInitById>(id: K, args: MethodInitById[K]): void {
    this.conn.writer.method(this.number, id, args);
  }

  /** Room for another consumer delivery: channel open, channel prefetch, connection output. */
  canDeliver(): boolean {
    return this.state === 'open'
      && (this.channelPrefetch === 0 || this.consumerUnacked < this.channelPrefetch)
      && this.conn.canWrite;
  }

  /** A queue hands a message to one of this channel's consumers. */
  deliver(consumer: Consumer, qm: QueuedMessage, queue: Queue): void {
    const tag = ++this.lastDeliveryTag;
    const m = qm.message;
    this.conn.writer.deliver(this.number, consumer.tagBytes, tag, qm.redelivered, m.routingFrame, m.routingStart, m.routingEnd,
      qm.header ?? m.header.raw, m.body);
    if (qm.redelivered) this.stats.redeliver++;
    if (consumer.noAck) {
      this.stats.deliverNoAck++;
      queue.ack(qm);
    } else {
      this.stats.deliver++;
      this.ledger.add(tag, qm, queue, consumer, coarseNow());
      consumer.unacked++;
      this.consumerUnacked++;
      if (this.timeoutTimer === null) this.watchTimeouts();
    }
    this.conn.noteOutput();
  }

  // ---- consumer timeout ----

  private timeoutTimer: NodeJS.Timeout | null = null;

  /** Records a basic.get delivery awaiting its ack. */
  recordGet(tag: number, qm: QueuedMessage, queue: Queue): void {
    this.ledger.add(tag, qm, queue, null, coarseNow());
    if (this.timeoutTimer === null) this.watchTimeouts();
  }

  /**
   * While deliveries are out, a timer per channel looks for one older than its timeout (the
   * consumer's x-consumer-timeout, else the queue's, else the broker's --consumer-timeout, as in
   * RabbitMQ 3.12–4.2); RabbitMQ then closes the channel with 406, and the deliveries go back to
   * their queues.
   */
  private watchTimeouts(): void {
    const fallback = this.conn.consumerTimeout;
    this.timeoutTimer = setTimeout(() => {
      this.timeoutTimer = null;
      try {
        this.checkTimeouts(fallback);
      } catch (e) {
        this.fail(e); // a bug: 541 for this connection, the broker carries on
      }
    }, TIMEOUT_CHECK_MS);
    this.timeoutTimer.unref();
  }

  /** One look for a delivery out longer than its timeout: the channel closes with 406, or the watch goes on. */
  private checkTimeouts(fallback: number): void {
    if (this.state !== 'open' || this.ledger.size === 0) return;
    const now = coarseNow();
    let used = 0;
    const late = this.ledger.findLate((at, queue, consumer) => {
      const timeout = consumer?.timeout ?? queue.config.consumerTimeout ?? fallback;
      used = timeout;
      return timeout > 0 && now - at > timeout;
    });
    if (late !== null) {
      this.conn.log.warn({ channel: this.number, queue: late.queue.name, timeout: used },
        'consumer timed out waiting for an acknowledgement');
      this.fail(new AmqpError(PRECONDITION_FAILED,
        `delivery acknowledgement on channel ${this.number} timed out. Timeout value used: ${used} ms. `
        + 'This timeout value can be configured, see consumers doc guide to learn more', 0, 0));
      return;
    }
    this.watchTimeouts();
  }

  /** A reply for this channel's amq.rabbitmq.reply-to consumer: delivered at once, no-ack. */
  deliverReply(m: Message): void {
    const rc = this.replyConsumer;
    if (rc === null || this.state !== 'open') return;
    this.conn.writer.deliver(this.number, rc.tagBytes, ++this.lastDeliveryTag, false, m.routingFrame, m.routingStart, m.routingEnd,
      m.header.raw, m.body);
    this.conn.noteOutput();
  }

  /** A delivery tag for a basic.get. */
  nextDeliveryTag(): number {
    return ++this.lastDeliveryTag;
  }

  // ---- acknowledgements ----

  /** basic.ack / nack / reject (outside a transaction). */
  settle(tag: number, multiple: boolean, requeue: boolean | null, methodId: number): void {
    const fn = requeue === null ? this.ackOne : requeue ? this.requeueOne : this.discardOne;
    if (!this.ledger.settle(tag, multiple, fn)) {
      throw new AmqpError(PRECONDITION_FAILED, `unknown delivery tag ${tag}`, methodId >>> 16, methodId & 0xffff);
    }
    this.dispatchFreed();
  }

  private readonly ackOne: SettleFn = (_tag, qm, queue, consumer) => {
    this.stats.ack++;
    queue.ack(qm);
    this.released(queue, consumer);
  };

  /** nack/reject with requeue: a failed delivery. */
  private readonly requeueOne: SettleFn = (_tag, qm, queue, consumer) => {
    queue.requeue(qm, true);
    this.freed(queue);
    this.released(queue, consumer);
  };

  /** Back because the channel closes or the client asked basic.recover: not a failed delivery. */
  private readonly returnOne: SettleFn = (_tag, qm, queue, consumer) => {
    queue.requeue(qm, false);
    this.freed(queue);
    this.released(queue, consumer);
  };

  /** Rejected without requeue: dead-lettered if the queue has a dead-letter exchange, else dropped. */
  private readonly discardOne: SettleFn = (_tag, qm, queue, consumer) => {
    queue.reject(qm);
    this.released(queue, consumer);
  };

  private released(queue: Queue, consumer: Consumer | null): void {
    if (consumer === null) return;
    consumer.unacked--;
    this.consumerUnacked--;
    this.freed(queue);
  }

  private freed(queue: Queue): void {
    if (this.freedQueue === null) this.freedQueue = queue;
    else if (this.freedQueue !== queue) this.moreFreedQueues.add(queue);
  }

  /** Lets queues use the room an ack made. */
  dispatchFreed(): void {
    const first = this.freedQueue;
    if (first === null) return;
    this.freedQueue = null;
    if (this.channelPrefetch > 0) {
      // a channel-wide window: any of this channel's consumers may now take more
      for (const c of this.consumers.values()) if (c.queue !== first) this.moreFreedQueues.add(c.queue);
    }
    first.dispatch();
    if (this.moreFreedQueues.size > 0) {
      const more = [...this.moreFreedQueues];
      this.moreFreedQueues.clear();
      for (const q of more) q.dispatch();
    }
  }

  /** Puts every unacknowledged delivery back in its queue (basic.recover, channel close). */
  requeueAll(): void {
    for (const u of this.ledger.takeAll()) this.returnOne(u.tag, u.qm, u.queue, u.consumer, u.at);
  }

  // ---- consumers ----

  consumerCancelledByServer(consumer: Consumer, _queue: Queue): void {
    this.consumers.delete(consumer.tag);
    if (this.state === 'open' && this.conn.capabilities.consumerCancelNotify) {
      this.send(BASIC_CANCEL, { consumerTag: consumer.tag, noWait: true });
    }
  }

  // ---- confirms of persistent messages ----

  /** Publishes waiting for the message store's sync: seqs and their store positions, in order. */
  private durableSeqs: number[] = [];
  private durablePositions: number[] = [];
  private waitingForDisk = false;

  /** The confirm of a publish, from what became of it: nack if a full queue refused it, ack once it is safe. */
  confirmPublished(seq: number, outcome: PublishOutcome): void {
    if (outcome.refused) this.confirms?.nack(seq);
    else if (outcome.position >= 0) this.confirmWhenDurable(seq, outcome.position);
    else this.confirms?.ack(seq);
  }

  /** Confirms `seq` once the record at `position` is on disk. */
  confirmWhenDurable(seq: number, position: number): void {
    this.durableSeqs.push(seq);
    this.durablePositions.push(position);
    if (!this.waitingForDisk) {
      this.waitingForDisk = true;
      this.vhost.whenDurable(this.onDurable);
    }
  }

  private readonly onDurable = (): void => {
    try {
      this.confirmDurable();
    } catch (e) {
      this.fail(e);
    }
  };

  /** The message store answered: confirm what is on disk now, and wait again for the rest. */
  private confirmDurable(): void {
    this.waitingForDisk = false;
    const confirms = this.confirms;
    if (confirms === null) return;
    let done = 0;
    while (done < this.durableSeqs.length && this.vhost.isDurable(this.durablePositions[done])) confirms.ack(this.durableSeqs[done++]);
    this.durableSeqs = this.durableSeqs.slice(done);
    this.durablePositions = this.durablePositions.slice(done);
    if (this.durableSeqs.length > 0) {
      this.waitingForDisk = true;
      this.vhost.whenDurable(this.onDurable);
    }
  }

  /** Confirm sink: basic.ack / basic.nack from the server. */
  readonly confirmSink = {
    ack: (seq: number, multiple: boolean) => {
      if (this.state === 'open') this.send(BASIC_ACK, { deliveryTag: seq, multiple });
    },
    nack: (seq: number, multiple: boolean) => {
      if (this.state === 'open') this.send(BASIC_NACK, { deliveryTag: seq, multiple, requeue: false });
    },
  };

  // ---- closing ----

  /**
   * Releases what the channel holds: consumers leave their queues (auto-delete may follow),
   * unacknowledged deliveries go back to their queues, an open transaction is dropped.
   */
  teardown(): void {
    if (this.state === 'closed') return;
    if (this.timeoutTimer !== null) clearTimeout(this.timeoutTimer);
    this.timeoutTimer = null;
    if (this.replyConsumer !== null) {
      this.vhost.replyTargets.delete(this.replyConsumer.token);
      this.replyConsumer = null;
    }
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    this.tx = null;
    // the unacknowledged go back first, then the consumers leave: a queue dispatches when a
    // consumer leaves, and the next single active consumer must get those messages before any
    // later one (RabbitMQ's requeue_and_run after a channel goes down), or a key's order breaks
    this.requeueAll();
    for (const c of consumers) c.queue.removeConsumer(c);
    this.dispatchFreed();
    this.confirms = null;
  }
}
