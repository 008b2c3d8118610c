/**
 * One client connection: the socket, its frame reader and writer, the handshake (handshake.ts),
 * channel 0, the channel table, heartbeats, output backpressure and closing in either direction.
 * State names are RabbitMQ's (starting, tuning, opening, running, closing), as they appear in
 * its reply texts.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { DecodeFailure, payloadSnippet } from '../codec/decode-failure.js';
import type { FieldTable } from '../codec/field-table.js';
import {
  CHANNEL_ERROR, CHANNEL_OPEN, CHANNEL_OPEN_OK, CONNECTION_BLOCKED, CONNECTION_CLOSE, CONNECTION_CLOSE_OK, CONNECTION_FORCED,
  CONNECTION_UNBLOCKED, CONNECTION_UPDATE_SECRET, CONNECTION_UPDATE_SECRET_OK,
  FRAME_HEARTBEAT, FRAME_METHOD, INTERNAL_ERROR, NOT_ALLOWED, UNEXPECTED_FRAME,
} from '../codec/generated/protocol.js';
import { decodeMethod } from '../codec/method-codec.js';
import type { VirtualHost } from '../broker/vhost.js';
import { BadProtocolHeader, FrameReader, PROTOCOL_HEADER, type FrameSink } from '../net/frame-reader.js';
import { FrameWriter, type FrameOutput } from '../net/frame-writer.js';
import { AmqpError } from '../codec/amqp-error.js';
import type { BrokerContext } from './broker-context.js';
import { Channel } from './channel.js';
import { handleHandshakeMethod, sendConnectionStart } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import type { ClientCapabilities, SessionConnection } from './session-connection.js';

export type ConnectionState = 'awaiting-header' | 'starting' | 'tuning' | 'opening' | 'running' | 'closing' | 'closed';

/** Output queued in one event-loop turn before consumers pause until it is flushed. */
const OUTPUT_TURN_LIMIT = 1 << 20;
/**
 * Input handled from one socket before it yields to the others for a turn. libuv reads a busy
 * socket up to 32 times per poll (2 MiB), so without this a fast publisher starves consumers
 * (whose acks and deliveries then wait a whole turn behind it).
 */
const READ_TURN_LIMIT = 256 * 1024;
/** The same for a connection with no consumers (a pure publisher): it yields sooner, so that
 * consumers' acks — and the deliveries they release — are not stuck behind its backlog. */
const PUBLISHER_READ_TURN_LIMIT = 32 * 1024;
/** How long to wait for the client's close-ok (or to let an error reach it) before dropping the socket. */
const CLOSE_TIMEOUT_MS = 3000;
/** RabbitMQ makes a failed handshake wait before the socket is closed (no DoS by retrying fast). */
const SILENT_CLOSE_DELAY_MS = 3000;

let nextConnectionId = 1;

export class Connection implements SessionConnection, FrameSink, FrameOutput {
  readonly id = nextConnectionId++;
  readonly writer: FrameWriter;
  readonly reader: FrameReader;
  readonly log: Logger;
  state: ConnectionState = 'awaiting-header';
  user = '';
  vhost: VirtualHost | null = null;
  clientProperties: FieldTable = [];
  capabilities: ClientCapabilities = { consumerCancelNotify: false, connectionBlocked: false, authenticationFailureClose: false };
  channelMax = 0;
  canWrite = true;
  /** Paused because this turn's output passed OUTPUT_TURN_LIMIT: resume after the flush. */
  private turnLimited = false;
  /** Paused because the socket's buffer is full: resume on 'drain'. */
  private awaitingDrain = false;
  private readonly channels = new Map<number, Channel>();
  private heartbeat: Heartbeat | null = null;
  private readonly handshakeTimer: NodeJS.Timeout;
  private closeTimer: NodeJS.Timeout | null = null;

  constructor(readonly socket: Socket, readonly broker: BrokerContext) {
    this.log = broker.log.child({ conn: this.id, peer: `${socket.remoteAddress}:${socket.remotePort}` });
    this.writer = new FrameWriter(this);
    this.reader = new FrameReader(this);
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
    socket.on('close', () => this.onSocketClosed());
    this.handshakeTimer = setTimeout(() => this.handshakeTimedOut(), broker.limits.handshakeTimeoutMs);
    this.handshakeTimer.unref();
    this.log.info('accepting AMQP connection');
  }

  get maxMessageSize(): number {
    return this.broker.limits.maxMessageSize;
  }

  get consumerTimeout(): number {
    return this.broker.limits.consumerTimeout;
  }

  // ---- input ----

  private readSinceYield = 0;

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.reader.push(chunk);
    } catch (err) {
      this.internalError(err, 'handling input');
    }
    this.readSinceYield += chunk.length;
    const limit = this.consumerCount === 0 ? PUBLISHER_READ_TURN_LIMIT : READ_TURN_LIMIT;
    if (this.readSinceYield > limit && !this.socket.isPaused()) {
      this.socket.pause();
      setImmediate(this.resumeReading);
    }
  };

  /** Consumers on all channels (tells a publisher connection from a consuming one). */
  private get consumerCount(): number {
    let n = 0;
    for (const ch of this.channels.values()) n += ch.consumers.size;
    return n;
  }

  private readonly resumeReading = (): void => {
    this.readSinceYield = 0;
    if (this.state !== 'closed' && !this.pausedByAlarm) this.socket.resume();
  };

  // ---- FrameSink: input from the reader ----

  protocolHeader(): void {
    this.state = 'starting';
    sendConnectionStart(this);
  }

  frame(type: number, channel: number, payload: Buffer): void {
    if (channel === 0) {
      this.channel0(type, payload);
      return;
    }
    if (this.state !== 'running') {
      if (this.state !== 'closing' && this.state !== 'closed') {
        this.fail(new AmqpError(UNEXPECTED_FRAME, `type ${type}, ${payloadSnippet(payload)}`));
      }
      return;
    }
    if (type === FRAME_HEARTBEAT) {
      this.fail(new AmqpError(UNEXPECTED_FRAME, `type ${type}, ${payloadSnippet(payload)}`));
      return;
    }
    const ch = this.channels.get(channel);
    if (ch !== undefined) ch.frame(type, payload);
    else this.openChannel(channel, type, payload);
  }

  failure(f: DecodeFailure | BadProtocolHeader): void {
    if (f instanceof BadProtocolHeader) {
      // RabbitMQ answers a header it does not speak with its own, then closes
      this.log.info({ received: f.received.toString('latin1') }, 'refusing connection: bad protocol header');
      this.socket.end(PROTOCOL_HEADER);
      return;
    }
    this.fail(AmqpError.fromDecodeFailure(f), true);
  }

  // ---- channel 0 ----

  private channel0(type: number, payload: Buffer): void {
    if (type === FRAME_HEARTBEAT) return;
    if (type !== FRAME_METHOD) {
      if (this.state !== 'closing') this.fail(new AmqpError(UNEXPECTED_FRAME, `type ${type}, ${payloadSnippet(payload)}`));
      return;
    }
    const m = decodeMethod(payload);
    if (m instanceof DecodeFailure) {
      if (this.state !== 'closing') this.fail(AmqpError.fromDecodeFailure(m));
      return;
    }
    if (this.state === 'closing') {
      if (m.id === CONNECTION_CLOSE_OK) this.socket.end();
      else if (m.id === CONNECTION_CLOSE) this.writer.method(0, CONNECTION_CLOSE_OK, {});
      return;
    }
    if (m.id === CONNECTION_CLOSE && this.state === 'running') {
      this.log.info({ code: m.args.replyCode, text: m.args.replyText }, 'client closed the connection');
      this.releaseChannels();
      this.writer.method(0, CONNECTION_CLOSE_OK, {});
      this.endAfterFlush();
      return;
    }
    if (m.id === CONNECTION_UPDATE_SECRET && this.state === 'running') {
      this.updateSecret(m.args.reason);
      return;
    }
    try {
      handleHandshakeMethod(this, m);
    } catch (e) {
      if (e instanceof AmqpError) this.fail(e.withMethod(m.id));
      else throw e;
    }
  }

  /**
   * connection.update-secret (a client rotating its OAuth token, say): answered with
   * update-secret-ok, the connection and its channels carry on. As in RabbitMQ, a backend whose
   * credentials never expire — Warren's users, RabbitMQ's internal database — does not look at
   * the new secret (rabbit_access_control:update_state skips it); access to the vhost is
   * checked again.
   */
  private updateSecret(reason: string): void {
    const vhost = this.vhost as VirtualHost;
    if (this.broker.vhost(vhost.name, this.user) === undefined) {
      this.fail(new AmqpError(NOT_ALLOWED, `vhost ${vhost.name} not found`, CONNECTION_UPDATE_SECRET >>> 16, CONNECTION_UPDATE_SECRET & 0xffff));
      return;
    }
    this.writer.method(0, CONNECTION_UPDATE_SECRET_OK, {});
    this.log.info({ user: this.user, reason }, 'user updated secret');
  }

  /** Called by handshake.ts when connection.open succeeded. */
  opened(vhost: VirtualHost): void {
    clearTimeout(this.handshakeTimer);
    this.vhost = vhost;
    this.state = 'running';
    this.broker.connectionOpened(this);
  }

  /** Called by handshake.ts with the negotiated heartbeat. */
  startHeartbeat(seconds: number): void {
    this.heartbeat = new Heartbeat(this.socket, seconds, () => this.writer.heartbeat(), () => {
      this.log.warn({ timeout: seconds }, 'missed heartbeats from client, closing');
      this.socket.destroy();
    });
    this.heartbeat.start();
  }

  // ---- channels ----

  private openChannel(number: number, type: number, payload: Buffer): void {
    if (type !== FRAME_METHOD) {
      this.fail(new AmqpError(UNEXPECTED_FRAME, 'expected method frame, got non method frame instead'));
      return;
    }
    const id = payload.length >= 4 ? payload.readUInt32BE(0) : 0;
    if (id !== CHANNEL_OPEN) {
      this.fail(new AmqpError(CHANNEL_ERROR, "expected 'channel.open'", id >>> 16, id & 0xffff));
      return;
    }
    const m = decodeMethod(payload);
    if (m instanceof DecodeFailure) {
      this.fail(AmqpError.fromDecodeFailure(m));
      return;
    }
    if (this.channelMax !== 0 && this.channels.size >= this.channelMax) {
      this.fail(new AmqpError(NOT_ALLOWED,
        `number of channels opened (${this.channels.size}) has reached the negotiated channel_max (${this.channelMax})`));
      return;
    }
    this.channels.set(number, new Channel(number, this, this.vhost as VirtualHost));
    this.writer.method(number, CHANNEL_OPEN_OK, {});
  }

  channelClosed(ch: Channel): void {
    ch.state = 'closed';
    if (this.channels.get(ch.number) === ch) this.channels.delete(ch.number);
  }

  private releaseChannels(): void {
    for (const ch of this.channels.values()) {
      ch.teardown();
      ch.state = 'closed';
    }
    this.channels.clear();
  }

  // ---- output and backpressure ----

  /** FrameOutput: the writer's batch for this turn, as one writev. */
  write(chunks: Buffer[]): void {
    const s = this.socket;
    if (s.destroyed) return;
    if (chunks.length === 1) {
      s.write(chunks[0]);
    } else {
      s.cork();
      for (const c of chunks) s.write(c);
      s.uncork();
    }
    if (s.writableNeedDrain) {
      this.canWrite = false;
      this.turnLimited = false;
      this.awaitingDrain = true;
    } else if (this.turnLimited) {
      this.turnLimited = false;
      this.canWrite = true;
      this.resumeDeliveries();
    }
  }

  noteOutput(): void {
    if (this.writer.buffered > OUTPUT_TURN_LIMIT && this.canWrite) {
      this.canWrite = false;
      this.turnLimited = true;
    }
  }

  private readonly onDrain = (): void => {
    if (!this.awaitingDrain) return;
    this.awaitingDrain = false;
    this.canWrite = true;
    if (this.state === 'running') this.resumeDeliveries();
  };

  /** Output has room again: queues with consumers here may deliver (socket and flush callbacks). */
  private resumeDeliveries(): void {
    try {
      for (const ch of this.channels.values()) {
        for (const c of ch.consumers.values()) c.queue.dispatch();
      }
    } catch (err) {
      this.internalError(err, 'resuming deliveries');
    }
  }

  /**
   * Something threw on a socket or timer path of this connection: a bug, not bad input (bad
   * input never throws). Logged, and this connection is closed with 541; the broker and every
   * other connection carry on.
   */
  private internalError(err: unknown, during: string): void {
    this.log.error({ err, during }, 'internal error: closing the connection');
    this.fail(new AmqpError(INTERNAL_ERROR, 'internal error'), true);
  }

  // ---- resource alarms ----

  /** Set while the broker blocks publishers (a disk alarm). */
  private blockedReason: string | null = null;
  private pausedByAlarm = false;

  /** The broker raised (reason) or cleared (null) an alarm: tell clients that understand it. */
  setBlocked(reason: string | null): void {
    if (this.state !== 'running' || (reason === null) === (this.blockedReason === null)) {
      this.blockedReason = reason;
      return; // no transition between blocked and unblocked
    }
    this.blockedReason = reason;
    if (reason !== null) {
      if (this.capabilities.connectionBlocked) this.writer.method(0, CONNECTION_BLOCKED, { reason });
    } else {
      if (this.capabilities.connectionBlocked) this.writer.method(0, CONNECTION_UNBLOCKED, {});
      if (this.pausedByAlarm) {
        this.pausedByAlarm = false;
        this.socket.resume();
      }
    }
  }

  /** Called on every publish: while an alarm holds, a publishing connection is not read from. */
  publishing(): void {
    if (this.blockedReason !== null && !this.pausedByAlarm) {
      this.pausedByAlarm = true;
      this.socket.pause();
    }
  }

  // ---- closing ----

  /**
   * A connection error: connection.close with its code and text, then wait for close-ok. During
   * the handshake RabbitMQ mostly closes without a word (see handshake.ts for the exceptions).
   * `readerDead`: the input cannot be trusted any more (a frame error), so do not wait.
   */
  fail(err: AmqpError, readerDead = false): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    if (this.state === 'awaiting-header' || this.state === 'starting') {
      this.log.warn({ code: err.replyCode, text: err.replyText }, 'handshake failed');
      this.silentClose();
      return;
    }
    this.log.warn({ code: err.replyCode, text: err.replyText, classId: err.classId, methodId: err.methodId }, 'closing connection after error');
    this.sendClose(err.replyCode, err.replyText, err.classId, err.methodId);
    if (readerDead) {
      this.reader.stop();
      this.endAfterFlush();
    }
  }

  /** Closes the connection from the server side (e.g. on shutdown) with CONNECTION_FORCED. */
  forceClose(reason: string): void {
    if (this.state === 'running') {
      this.sendClose(CONNECTION_FORCED, `CONNECTION_FORCED - ${reason}`, 0, 0);
    } else if (this.state !== 'closed') {
      this.socket.destroy();
    }
  }

  sendClose(replyCode: number, replyText: string, classId: number, methodId: number): void {
    this.writer.method(0, CONNECTION_CLOSE, { replyCode, replyText, classId, methodId });
    this.state = 'closing';
    this.releaseChannels();
    this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
    this.closeTimer.unref();
  }

  /** Sends what is queued, then closes our side. */
  endAfterFlush(): void {
    this.state = 'closing';
    this.writer.flush();
    this.socket.end();
    this.closeTimer ??= setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
    this.closeTimer.unref();
  }

  private silentClose(): void {
    this.state = 'closing';
    this.reader.stop();
    this.closeTimer = setTimeout(() => this.socket.destroy(), SILENT_CLOSE_DELAY_MS);
    this.closeTimer.unref();
  }

  private handshakeTimedOut(): void {
    if (this.state === 'running' || this.state === 'closed') return;
    this.log.warn({ state: this.state }, 'closing connection: handshake timeout');
    this.socket.destroy();
  }

  private onSocketClosed(): void {
    const wasOpen = this.vhost !== null;
    this.state = 'closed';
    clearTimeout(this.handshakeTimer);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.heartbeat?.stop();
    this.reader.stop();
    this.writer.close();
    try {
      this.releaseChannels();
      this.vhost?.deleteExclusiveQueues(this.id);
    } catch (err) {
      this.log.error({ err }, 'internal error releasing a closed connection');
    }
    if (wasOpen) this.broker.connectionClosed(this);
    this.log.info({ user: this.user || undefined }, 'connection closed');
  }
}
