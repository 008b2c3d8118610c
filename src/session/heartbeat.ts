/**
 * Heartbeats both ways with one timer per connection, ticking every half interval as RabbitMQ's
 * heartbeater does: if nothing was written since the last tick, send a heartbeat frame; if
 * nothing was read for two whole intervals, the peer is gone.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { FrameWriter } from '../net/frame-writer.js';

export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private lastWritten = -1;
  private lastRead = -1;
  private silentTicks = 0;

  constructor(
    private readonly socket: Socket,
    private readonly intervalSec: number,
    private readonly send: () => void,
    private readonly timedOut: () => void,
  ) {}

  start(): void {
    if (this.intervalSec <= 0) return;
    this.lastWritten = this.socket.bytesWritten;
    this.lastRead = this.socket.bytesRead;
    this.timer = setInterval(this.tick, (this.intervalSec * 1000) / 2);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private readonly tick = (): void => {
    const written = this.socket.bytesWritten;
    if (written === this.lastWritten) this.send();
    this.lastWritten = written;
    const read = this.socket.bytesRead;
    if (read === this.lastRead) {
      if (++this.silentTicks >= 4) {
        this.stop();
        this.timedOut();
      }
    } else {
      this.silentTicks = 0;
      this.lastRead = read;
    }
  };
}

/**
 * A client connection's heartbeat, started: frames through its writer; a client that went
 * silent has its socket destroyed without a connection.close, as RabbitMQ drops it.
 */
export function startHeartbeat(socket: Socket, writer: FrameWriter, log: Logger, seconds: number): Heartbeat {
  const heartbeat = new Heartbeat(socket, seconds, () => writer.heartbeat(), () => {
    log.warn({ timeout: seconds }, 'missed heartbeats from client, closing');
    socket.destroy();
  });
  heartbeat.start();
  return heartbeat;
}
