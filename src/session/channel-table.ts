/**
 * The channels of a running connection by number: opening one on its first frame (with
 * RabbitMQ's answers when that frame is not channel.open, or channel_max is reached), forgetting
 * one after its close handshake, tearing them all down when the connection ends.
 */
import { AmqpError } from '../codec/amqp-error.js';
import { DecodeFailure } from '../codec/decode-failure.js';
import { CHANNEL_ERROR, CHANNEL_OPEN, CHANNEL_OPEN_OK, FRAME_METHOD, NOT_ALLOWED, UNEXPECTED_FRAME } from '../codec/generated/protocol.js';
import { decodeMethod } from '../codec/method-codec.js';
import type { VirtualHost } from '../broker/vhost.js';
import { Channel } from './channel.js';
import type { SessionConnection } from './session-connection.js';
import type { SessionTotals } from './channel-stats.js';

export class ChannelTable {
  private readonly byNumber = new Map<number, Channel>();

  constructor(
    private readonly conn: SessionConnection,
    private readonly vhost: VirtualHost,
    /** Negotiated; 0 = no limit. A limit on how many are open, not on their numbers (as RabbitMQ). */
    private readonly channelMax: number,
    /** Where a closed channel's counts go. */
    private readonly totals: SessionTotals,
    /** Throws when the user's max-channels limit (across all their connections) is reached. */
    private readonly checkUserLimit: () => void = () => undefined,
  ) {}

  /** The open channels (for the management API). */
  all(): IterableIterator<Channel> {
    return this.byNumber.values();
  }

  /** How many channels are open. */
  get size(): number {
    return this.byNumber.size;
  }

  /** The open channel with this number (every incoming frame looks its channel up here). */
  get(number: number): Channel | undefined {
    return this.byNumber.get(number);
  }

  /** A frame on a number not in use: it must be channel.open. Throws the connection error if not. */
  open(number: number, type: number, payload: Buffer): void {
    if (type !== FRAME_METHOD) throw new AmqpError(UNEXPECTED_FRAME, 'expected method frame, got non method frame instead');
    const id = payload.length >= 4 ? payload.readUInt32BE(0) : 0;
    if (id !== CHANNEL_OPEN) throw new AmqpError(CHANNEL_ERROR, "expected 'channel.open'", id >>> 16, id & 0xffff);
    const m = decodeMethod(payload);
    if (m instanceof DecodeFailure) throw AmqpError.fromDecodeFailure(m);
    if (this.channelMax !== 0 && this.byNumber.size >= this.channelMax) {
      throw new AmqpError(NOT_ALLOWED,
        `number of channels opened (${this.byNumber.size}) has reached the negotiated channel_max (${this.channelMax})`);
    }
    this.checkUserLimit();
    this.byNumber.set(number, new Channel(number, this.conn, this.vhost));
    this.totals.channelsOpened++;
    this.conn.writer.method(number, CHANNEL_OPEN_OK, {});
  }

  /** The channel finished its close handshake: its number is free again. */
  closed(ch: Channel): void {
    ch.state = 'closed';
    if (this.byNumber.get(ch.number) === ch) {
      this.byNumber.delete(ch.number);
      this.totals.retire(ch.stats);
    }
  }

  /** The connection is closing or closed: every channel lets go of what it holds. */
  releaseAll(): void {
    for (const ch of this.byNumber.values()) {
      ch.teardown();
      ch.state = 'closed';
      this.totals.retire(ch.stats);
    }
    this.byNumber.clear();
  }

  /** Some channel has a consumer (tells a consuming connection from a pure publisher). */
  get hasConsumers(): boolean {
    for (const ch of this.byNumber.values()) if (ch.consumers.size > 0) return true;
    return false;
  }

  /** Output has room again: the queues these channels consume from may deliver. */
  resumeDeliveries(): void {
    for (const ch of this.byNumber.values()) {
      for (const c of ch.consumers.values()) c.queue.dispatch();
    }
  }
}
