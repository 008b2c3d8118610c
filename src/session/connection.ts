/**
 * A client connection once open. The negotiation (negotiation.ts) builds it with what was
 * agreed; it takes the socket, the frame reader and the writer over and routes each frame — to
 * channel 0 (the client's close, update-secret) or to its channel (channel-table.ts) — and owns
 * output backpressure, resource alarms and closing in either direction. Its states are
 * RabbitMQ's: running, closing, closed.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { AmqpError } from '../codec/amqp-error.js';
import { DecodeFailure } from '../codec/decode-failure.js';
import {
  CHANNEL_ERROR, CONNECTION_BLOCKED, CONNECTION_CLOSE, CONNECTION_CLOSE_OK, CONNECTION_FORCED, CONNECTION_UNBLOCKED,
  CONNECTION_UPDATE_SECRET, CONNECTION_UPDATE_SECRET_OK, FRAME_HEARTBEAT, INTERNAL_ERROR,
} from '../codec/generated/protocol.js';
import type { ResourceAccess } from '../access/resource-access.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { BadProtocolHeader, FrameReader, FrameSink } from '../net/frame-reader.js';
import type { FrameOutput, FrameWriter } from '../net/frame-writer.js';
import type { BrokerContext } from './broker-context.js';
import type { Channel } from './channel.js';
import { ChannelTable } from './channel-table.js';
import { ConnectionCloser } from './connection-closer.js';
import { channelZeroMethod, unexpectedFrame } from './connection-frames.js';
import type { Heartbeat } from './heartbeat.js';
import type { Negotiated, Transport } from './negotiated.js';
import { ReadGate } from './read-gate.js';
import type { ClientCapabilities, SessionConnection } from './session-connection.js';

export type ConnectionState = 'running' | 'closing' | 'closed';

/** Output queued in one event-loop turn before consumers pause until it is flushed. */
const OUTPUT_TURN_LIMIT = 1 << 20;

export class Connection implements SessionConnection, FrameSink, FrameOutput {
  readonly id: number;
  readonly socket: Socket;
  readonly log: Logger;
  readonly writer: FrameWriter;
  readonly user: string;
  readonly vhost: VirtualHost;
  readonly access: ResourceAccess;
  readonly capabilities: ClientCapabilities;
  readonly maxMessageSize: number;
  readonly consumerTimeout: number;
  state: ConnectionState = 'running';
  canWrite: boolean;
  /** Paused because this turn's output passed OUTPUT_TURN_LIMIT: resume after the flush. */
  private turnLimited = false;
  /** Paused because the socket's buffer is full: resume on 'drain'. */
  private awaitingDrain: boolean;
  /** Set while the broker blocks publishers (a resource alarm). */
  private blockedReason: string | null = null;
  private readonly reader: FrameReader;
  private readonly channels: ChannelTable;
  private readonly input: ReadGate;
  private readonly heartbeat: Heartbeat | null;
  private readonly closer: ConnectionCloser;

  constructor(transport: Transport, readonly negotiated: Negotiated, private readonly broker: BrokerContext) {
    const { socket, writer } = transport;
    this.id = transport.id;
    this.socket = socket;
    this.log = transport.log;
    this.reader = transport.reader;
    this.writer = writer;
    this.heartbeat = transport.heartbeat;
    this.user = negotiated.user;
    this.vhost = negotiated.vhost;
    this.access = negotiated.access;
    this.capabilities = negotiated.capabilities;
    this.maxMessageSize = broker.limits.maxMessageSize;
    this.consumerTimeout = broker.limits.consumerTimeout;
    this.channels = new ChannelTable(this, negotiated.vhost, negotiated.channelMax, broker.sessionTotals,
      () => broker.checkChannelLimit(this.user));
    this.input = new ReadGate(socket);
    this.closer = new ConnectionCloser(socket, writer);
    // should the handshake's output have filled the socket's buffer, wait for 'drain' as write() would
    this.awaitingDrain = socket.writableNeedDrain;
    this.canWrite = !this.awaitingDrain;
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    // from the frame after connection.open on, and the output from open-ok (not flushed yet) on
    this.reader.setSink(this);
    writer.setOutput(this);
    broker.connectionOpened(this);
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.reader.push(chunk);
    } catch (err) {
      this.internalError(err, 'handling input');
    }
    this.input.read(chunk.length, this.channels.hasConsumers);
  };

  private readonly onError = (err: Error): void => {
    this.log.debug({ err }, 'socket error');
  };

  // ---- FrameSink: input from the reader ----

  frame(type: number, channel: number, payload: Buffer): void {
    if (channel === 0) {
      this.channel0(type, payload);
      return;
    }
    if (this.state !== 'running') return;
    if (type === FRAME_HEARTBEAT) {
      this.fail(unexpectedFrame(type, payload));
      return;
    }
    const ch = this.channels.get(channel);
    if (ch !== undefined) ch.frame(type, payload);
    else this.openChannel(channel, type, payload);
  }

  /** Only frame errors come here: the protocol header was the negotiation's. */
  failure(f: DecodeFailure | BadProtocolHeader): void {
    if (f instanceof DecodeFailure) this.fail(AmqpError.fromDecodeFailure(f), true);
  }

  private channel0(type: number, payload: Buffer): void {
    const m = channelZeroMethod(type, payload);
    if (m === null) return;
    if (m instanceof AmqpError) {
      this.fail(m);
    } else if (this.state !== 'running') {
      if (this.state === 'closing') this.closer.answerWhileClosing(m.id);
    } else if (m.id === CONNECTION_CLOSE) {
      this.log.info({ code: m.args.replyCode, text: m.args.replyText }, 'client closed the connection');
      this.channels.releaseAll();
      this.writer.method(0, CONNECTION_CLOSE_OK, {});
      this.state = 'closing';
      this.closer.endAfterFlush();
    } else if (m.id === CONNECTION_UPDATE_SECRET) {
      this.updateSecret(m.args.reason);
    } else {
      this.fail(new AmqpError(CHANNEL_ERROR, 'unexpected method in connection state running', m.id >>> 16, m.id & 0xffff));
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
    try {
      this.broker.checkVhostAccess(this.vhost.name, this.user);
    } catch (e) {
      if (!(e instanceof AmqpError)) throw e;
      this.fail(e.withMethod(CONNECTION_UPDATE_SECRET));
      return;
    }
    this.writer.method(0, CONNECTION_UPDATE_SECRET_OK, {});
    this.log.info({ user: this.user, reason }, 'user updated secret');
  }

  private openChannel(number: number, type: number, payload: Buffer): void {
    try {
      this.channels.open(number, type, payload);
    } catch (e) {
      if (!(e instanceof AmqpError)) throw e;
      this.fail(e);
    }
  }

  /** The open channels (the management API lists them). */
  channelList(): IterableIterator<Channel> {
    return this.channels.all();
  }

  /** How many channels are open (the user's max-channels limit counts them). */
  get channelCount(): number {
    return this.channels.size;
  }

  channelClosed(ch: Channel): void {
    this.channels.closed(ch);
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

  /** Output has room again (socket and flush callbacks). */
  private resumeDeliveries(): void {
    try {
      this.channels.resumeDeliveries();
    } catch (err) {
      this.internalError(err, 'resuming deliveries');
    }
  }

  /**
   * Something threw on a socket or timer path of this connection: a bug, not bad input (bad
   * input never throws). Logged, and this connection is closed with 541; the broker and every
   * other connection carry on.
   */
  internalError(err: unknown, during: string): void {
    this.log.error({ err, during }, 'internal error: closing the connection');
    this.fail(new AmqpError(INTERNAL_ERROR, 'internal error'), true);
  }

  // ---- resource alarms ----

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
      this.input.resumeAfterAlarm();
    }
  }

  /** Called on every publish: while an alarm holds, a publishing connection is not read from. */
  publishing(): void {
    if (this.blockedReason !== null) this.input.pauseForAlarm();
  }

  // ---- closing ----

  /**
   * A connection error: connection.close with its code and text, then wait for close-ok.
   * `readerDead`: the input cannot be trusted any more (a frame error), so do not wait.
   */
  fail(err: AmqpError, readerDead = false): void {
    if (this.state !== 'running') return;
    this.log.warn({ code: err.replyCode, text: err.replyText, classId: err.classId, methodId: err.methodId }, 'closing connection after error');
    this.sendClose(err.replyCode, err.replyText, err.classId, err.methodId);
    if (readerDead) {
      this.reader.stop();
      this.closer.endAfterFlush();
    }
  }

  /** Closes the connection from the server side (e.g. on shutdown) with CONNECTION_FORCED. */
  forceClose(reason: string): void {
    if (this.state === 'running') this.sendClose(CONNECTION_FORCED, `CONNECTION_FORCED - ${reason}`, 0, 0);
    else if (this.state !== 'closed') this.socket.destroy();
  }

  private sendClose(replyCode: number, replyText: string, classId: number, methodId: number): void {
    this.closer.send(replyCode, replyText, classId, methodId);
    this.state = 'closing';
    this.channels.releaseAll();
  }

  private readonly onClose = (): void => {
    this.state = 'closed';
    this.input.close();
    this.closer.cancel();
    this.heartbeat?.stop();
    this.reader.stop();
    this.writer.close();
    try {
      this.channels.releaseAll();
      this.vhost.deleteExclusiveQueues(this.id);
    } catch (err) {
      this.log.error({ err }, 'internal error releasing a closed connection');
    }
    this.broker.connectionClosed(this);
    this.log.info({ user: this.user || undefined }, 'connection closed');
  };
}
