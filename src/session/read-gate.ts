/**
 * When a running connection's socket is read. Reading pauses for two reasons:
 *  - a burst: after a turn's worth of input the socket yields to the others until the next turn.
 *    libuv reads a busy socket up to 32 times per poll (2 MiB), so without this a fast publisher
 *    starves consumers (whose acks and deliveries then wait a whole turn behind it);
 *  - a resource alarm: a connection that publishes is not read from until the alarm clears, as
 *    RabbitMQ does.
 */
import type { Socket } from 'node:net';

/** Input handled from a connection with consumers before it yields for a turn. */
const READ_TURN_LIMIT = 256 * 1024;
/** The same for a connection with no consumers (a pure publisher): it yields sooner, so that
 * consumers' acks — and the deliveries they release — are not stuck behind its backlog. */
const PUBLISHER_READ_TURN_LIMIT = 32 * 1024;

export class ReadGate {
  private readSinceYield = 0;
  private pausedByAlarm = false;
  private closed = false;

  constructor(private readonly socket: Socket) {}

  /** After each chunk handled; `consuming`: the connection has consumers. */
  read(bytes: number, consuming: boolean): void {
    this.readSinceYield += bytes;
    if (this.readSinceYield > (consuming ? READ_TURN_LIMIT : PUBLISHER_READ_TURN_LIMIT) && !this.socket.isPaused()) {
      this.socket.pause();
      setImmediate(this.nextTurn);
    }
  }

  /** A publish while an alarm holds. */
  pauseForAlarm(): void {
    if (this.pausedByAlarm) return;
    this.pausedByAlarm = true;
    this.socket.pause();
  }

  /** The alarm cleared. */
  resumeAfterAlarm(): void {
    if (!this.pausedByAlarm) return;
    this.pausedByAlarm = false;
    this.socket.resume();
  }

  /** The socket closed: nothing to resume. */
  close(): void {
    this.closed = true;
  }

  private readonly nextTurn = (): void => {
    this.readSinceYield = 0;
    if (!this.closed && !this.pausedByAlarm) this.socket.resume();
  };
}
