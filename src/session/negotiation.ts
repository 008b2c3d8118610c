/**
 * A client from accept until connection.open-ok. It owns the socket, the frame reader and the
 * writer, reads the protocol header, and goes through start → start-ok (PLAIN or AMQPLAIN) →
 * tune → tune-ok → open → open-ok (handshake.ts has the rules). What was agreed becomes a
 * Negotiated value, the running Connection is built with it and takes the socket over from the
 * frame after connection.open on — within the same chunk when the client pipelined.
 *
 * State names are RabbitMQ's (starting, tuning, opening), as they appear in its reply texts.
 * How a failure is answered depends on how far the client got, as in RabbitMQ:
 *  - while starting: no frame, the socket is dropped after the silent-close delay — except a
 *    refused login for a client with the authentication_failure_close capability
 *    (ACCESS_REFUSED), and a protocol header Warren does not speak (answered with its own);
 *  - while tuning or opening: connection.close with the error, as on a running connection.
 *
 * The broker tracks this object from accept to close (shutdown calls forceClose); once the
 * connection runs, forceClose is passed on to it.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { AmqpError } from '../codec/amqp-error.js';
import type { DecodeFailure } from '../codec/decode-failure.js';
import type { FieldTable } from '../codec/field-table.js';
import type { ConnectionStartOkArgs, ConnectionTuneOkArgs, Method } from '../codec/generated/method-types.js';
import {
  ACCESS_REFUSED, CHANNEL_ERROR, CONNECTION_OPEN, CONNECTION_OPEN_OK, CONNECTION_START, CONNECTION_START_OK,
  CONNECTION_TUNE, CONNECTION_TUNE_OK, INTERNAL_ERROR,
} from '../codec/generated/protocol.js';
import { BadProtocolHeader, FrameReader, PROTOCOL_HEADER, type FrameSink } from '../net/frame-reader.js';
import { FrameWriter, socketOutput } from '../net/frame-writer.js';
import type { BrokerContext } from './broker-context.js';
import { Connection } from './connection.js';
import { ConnectionCloser } from './connection-closer.js';
import { channelZeroMethod, unexpectedFrame } from './connection-frames.js';
import {
  capabilitiesOf, checkTuneOk, connectionStart, credentialsOf, loginRefusedText, mechanismsFor, tuneOffer,
} from './handshake.js';
import { startHeartbeat, type Heartbeat } from './heartbeat.js';
import type { Negotiated } from './negotiated.js';
import { externalIdentity, type ExternalIdentity } from './sasl.js';
import type { ClientCapabilities } from './session-connection.js';

/** 'opened': open-ok sent, the running connection has taken over. */
export type NegotiationState = 'awaiting-header' | 'starting' | 'tuning' | 'opening' | 'closing' | 'closed' | 'opened';

const NO_CAPABILITIES: ClientCapabilities = { consumerCancelNotify: false, connectionBlocked: false, authenticationFailureClose: false };

let nextConnectionId = 1;

export class Negotiation implements FrameSink {
  /** The connection's number in logs, kept by the running connection. */
  readonly id = nextConnectionId++;
  readonly log: Logger;
  state: NegotiationState = 'awaiting-header';
  private readonly reader: FrameReader;
  private readonly writer: FrameWriter;
  private readonly closer: ConnectionCloser;
  private readonly timeout: NodeJS.Timeout;
  // agreed so far
  private clientProperties: FieldTable = [];
  private capabilities = NO_CAPABILITIES;
  private user = '';
  private tuned: ConnectionTuneOkArgs | null = null;
  private heartbeat: Heartbeat | null = null;
  /** The running connection, from open-ok on. */
  private connection: Connection | null = null;
  /** On a TLS connection, what EXTERNAL finds in the client certificate; null on plain TCP. */
  private readonly external: ExternalIdentity | null;

  constructor(readonly socket: Socket, private readonly broker: BrokerContext) {
    this.log = broker.log.child({ conn: this.id, peer: `${socket.remoteAddress}:${socket.remotePort}` });
    this.writer = new FrameWriter(socketOutput(socket));
    this.reader = new FrameReader(this);
    this.closer = new ConnectionCloser(socket, this.writer);
    this.external = externalIdentityOf(socket);
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    this.timeout = setTimeout(() => this.timedOut(), broker.limits.handshakeTimeoutMs);
    this.timeout.unref();
    this.log.info('accepting AMQP connection');
  }

  /** Shutdown: a client still negotiating is dropped; a running connection gets CONNECTION_FORCED. */
  forceClose(reason: string): void {
    if (this.connection !== null) this.connection.forceClose(reason);
    else if (this.state !== 'closed') this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.reader.push(chunk);
    } catch (err) {
      // once open-ok is sent the rest of the chunk is the running connection's input
      if (this.connection !== null) this.connection.internalError(err, 'handling input');
      else this.internalError(err, 'handling input');
    }
  };

  private readonly onError = (err: Error): void => {
    this.log.debug({ err }, 'socket error');
  };

  // ---- FrameSink: input from the reader ----

  protocolHeader(): void {
    this.state = 'starting';
    this.writer.method(0, CONNECTION_START, connectionStart(this.broker.serverProperties, mechanismsFor(this.external)));
  }

  frame(type: number, channel: number, payload: Buffer): void {
    if (channel !== 0) {
      this.fail(unexpectedFrame(type, payload)); // no channel before connection.open-ok
      return;
    }
    const m = channelZeroMethod(type, payload);
    if (m === null) return;
    if (m instanceof AmqpError) this.fail(m);
    else if (this.state === 'closing') this.closer.answerWhileClosing(m.id);
    else this.step(m);
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

  // ---- the handshake ----

  private step(m: Method): void {
    try {
      if (m.id === CONNECTION_START_OK && this.state === 'starting') this.startOk(m.args);
      else if (m.id === CONNECTION_TUNE_OK && this.state === 'tuning') this.tuneOk(m.args);
      else if (m.id === CONNECTION_OPEN && this.state === 'opening') this.open(m.args.virtualHost);
      else throw new AmqpError(CHANNEL_ERROR, `unexpected method in connection state ${this.state}`);
    } catch (e) {
      if (!(e instanceof AmqpError)) throw e;
      this.fail(e.withMethod(m.id));
    }
  }

  private startOk(a: ConnectionStartOkArgs): void {
    this.clientProperties = a.clientProperties;
    this.capabilities = capabilitiesOf(a.clientProperties);
    const creds = credentialsOf(a.mechanism, a.response, this.external);
    const refusal = creds.refusal ?? (this.broker.authenticate(creds.username, creds.password)
      ? this.broker.loginRestriction(creds.username, this.socket.remoteAddress)
      : `user '${creds.username}' - invalid credentials`);
    if (refusal !== null) {
      this.log.warn({ user: creds.username, mechanism: a.mechanism }, `${a.mechanism} login refused: ${refusal}`);
      if (this.capabilities.authenticationFailureClose) this.sendClose(ACCESS_REFUSED, loginRefusedText(a.mechanism), 0, 0);
      else this.fail(new AmqpError(ACCESS_REFUSED, 'login refused'));
      return;
    }
    this.user = creds.username;
    this.state = 'tuning';
    this.writer.method(0, CONNECTION_TUNE, tuneOffer(this.broker.limits));
  }

  private tuneOk(a: ConnectionTuneOkArgs): void {
    checkTuneOk(this.broker.limits, a);
    this.tuned = a;
    this.reader.setFrameMax(a.frameMax);
    this.writer.frameMax = a.frameMax;
    if (a.heartbeat > 0) this.heartbeat = startHeartbeat(this.socket, this.writer, this.log, a.heartbeat);
    this.state = 'opening';
  }

  /** open-ok, then the running connection takes the socket, the reader and the writer over. */
  private open(virtualHost: string): void {
    const { vhost, access } = this.broker.openVhost(virtualHost, this.user);
    this.writer.method(0, CONNECTION_OPEN_OK, {});
    clearTimeout(this.timeout);
    this.state = 'opened';
    this.socket.off('data', this.onData).off('error', this.onError).off('close', this.onClose);
    const tuned = this.tuned as ConnectionTuneOkArgs;
    const negotiated: Negotiated = Object.freeze({
      user: this.user,
      vhost,
      access,
      frameMax: tuned.frameMax,
      channelMax: tuned.channelMax,
      heartbeat: tuned.heartbeat,
      clientProperties: this.clientProperties,
      capabilities: Object.freeze(this.capabilities),
    });
    const { id, socket, log, reader, writer, heartbeat } = this;
    this.connection = new Connection({ id, socket, log, reader, writer, heartbeat }, negotiated, this.broker);
    this.log.info({ user: this.user, vhost: virtualHost }, 'connection opened');
  }

  // ---- failing and closing ----

  /** `readerDead`: the input cannot be trusted any more (a frame error), so do not wait for close-ok. */
  private fail(err: AmqpError, readerDead = false): void {
    if (this.state === 'closing' || this.state === 'closed' || this.state === 'opened') return;
    if (this.state === 'awaiting-header' || this.state === 'starting') {
      this.log.warn({ code: err.replyCode, text: err.replyText }, 'handshake failed');
      this.state = 'closing';
      this.reader.stop();
      this.closer.silent();
      return;
    }
    this.log.warn({ code: err.replyCode, text: err.replyText, classId: err.classId, methodId: err.methodId }, 'closing connection after error');
    this.sendClose(err.replyCode, err.replyText, err.classId, err.methodId);
    if (readerDead) {
      this.reader.stop();
      this.closer.endAfterFlush();
    }
  }

  private sendClose(replyCode: number, replyText: string, classId: number, methodId: number): void {
    this.closer.send(replyCode, replyText, classId, methodId);
    this.state = 'closing';
  }

  /** A bug, not bad input (bad input never throws): logged, and the client is turned away with 541. */
  private internalError(err: unknown, during: string): void {
    this.log.error({ err, during }, 'internal error: closing the connection');
    this.fail(new AmqpError(INTERNAL_ERROR, 'internal error'), true);
  }

  private timedOut(): void {
    if (this.state === 'closed') return;
    this.log.warn({ state: this.state }, 'closing connection: handshake timeout');
    this.socket.destroy();
  }

  private readonly onClose = (): void => {
    this.state = 'closed';
    clearTimeout(this.timeout);
    this.closer.cancel();
    this.heartbeat?.stop();
    this.reader.stop();
    this.writer.close();
    this.log.info({ user: this.user || undefined }, 'connection closed');
  };
}

/** EXTERNAL's view of a TLS connection; the listener has already dropped clients whose certificate failed verification. */
function externalIdentityOf(socket: Socket): ExternalIdentity | null {
  if (!(socket instanceof TLSSocket)) return null;
  return externalIdentity(socket.authorized ? socket.getPeerCertificate() : null);
}
