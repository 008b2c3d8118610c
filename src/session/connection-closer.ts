/**
 * Closing a client connection from the server's side, the same during the negotiation and once
 * running: connection.close, then the client's close-ok; ending our side once the last answer is
 * flushed; the silent close of a failed handshake. Whatever the client does, the socket is
 * dropped a few seconds later.
 */
import type { Socket } from 'node:net';
import { CONNECTION_CLOSE, CONNECTION_CLOSE_OK } from '../codec/generated/protocol.js';
import type { FrameWriter } from '../net/frame-writer.js';

/** How long to wait for the client's close-ok (or to let an error reach it) before dropping the socket. */
const CLOSE_TIMEOUT_MS = 3000;
/** RabbitMQ makes a failed handshake wait before the socket is closed (no DoS by retrying fast). */
const SILENT_CLOSE_DELAY_MS = 3000;

export class ConnectionCloser {
  private dropTimer: NodeJS.Timeout | null = null;

  constructor(private readonly socket: Socket, private readonly writer: FrameWriter) {}

  /** connection.close; then the client's close-ok (see answerWhileClosing) or the deadline. */
  send(replyCode: number, replyText: string, classId: number, methodId: number): void {
    this.writer.method(0, CONNECTION_CLOSE, { replyCode, replyText, classId, methodId });
    this.dropAfter(CLOSE_TIMEOUT_MS);
  }

  /** Sends what is queued, then closes our side. */
  endAfterFlush(): void {
    this.writer.flush();
    this.socket.end();
    if (this.dropTimer === null) this.dropAfter(CLOSE_TIMEOUT_MS);
  }

  /** No frame at all; the socket is dropped after RabbitMQ's delay. */
  silent(): void {
    this.dropAfter(SILENT_CLOSE_DELAY_MS);
  }

  /** A channel-0 method once closing: close-ok ends the socket, a close crossing ours gets close-ok, the rest is ignored. */
  answerWhileClosing(methodId: number): void {
    if (methodId === CONNECTION_CLOSE_OK) this.socket.end();
    else if (methodId === CONNECTION_CLOSE) this.writer.method(0, CONNECTION_CLOSE_OK, {});
  }

  /** The socket closed: there is nothing left to drop. */
  cancel(): void {
    if (this.dropTimer !== null) clearTimeout(this.dropTimer);
  }

  private dropAfter(ms: number): void {
    this.cancel();
    this.dropTimer = setTimeout(() => this.socket.destroy(), ms);
    this.dropTimer.unref();
  }
}
