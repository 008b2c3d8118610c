/**
 * Frame writer: methods, content (header + body split at frame_max − 8) and heartbeats are
 * appended to one per-connection output arena and handed to the socket once per event-loop turn
 * (see flush-scheduler.ts). Small bodies are copied into the arena; large ones are passed to
 * the socket as views between arena slices, so a big message is never copied on the way out.
 */
import { ByteWriter } from '../codec/byte-writer.js';
import { copySmall, encodeBasicDeliverRaw } from '../codec/fast-paths.js';
import { encodeMethod } from '../codec/generated/method-encoders.js';
import type { MethodInitById } from '../codec/generated/method-types.js';
import {
  FRAME_BODY, FRAME_END, FRAME_HEADER, FRAME_HEARTBEAT, FRAME_METHOD, FRAME_MIN_SIZE,
} from '../codec/generated/protocol.js';
import { defaultFlushScheduler, type Flushable, type FlushScheduler } from './flush-scheduler.js';
import { PROTOCOL_HEADER } from './frame-reader.js';

/** Where flushed bytes go: usually a socket (see socketOutput). */
export interface FrameOutput {
  write(chunks: Buffer[]): void;
}

/** Bodies (and headers) at least this large are passed by reference rather than copied. */
const COPY_LIMIT = 4096;
const FRAME_OVERHEAD = 8;

export class FrameWriter implements Flushable {
  private readonly w = new ByteWriter();
  private chunks: Buffer[] = [];
  /** Bytes already moved to `chunks` (arena slices and large payloads) since the last flush. */
  private referenced = 0;
  private scheduled = false;
  private closed = false;
  /** Negotiated frame_max; bodies are split so no frame exceeds it. */
  frameMax = FRAME_MIN_SIZE;

  constructor(
    private out: FrameOutput,
    private readonly scheduler: FlushScheduler = defaultFlushScheduler,
  ) {}

  /**
   * Sends flushed bytes elsewhere from now on, what is queued included (the running connection
   * takes the output over from the negotiation, with connection.open-ok not yet flushed).
   */
  setOutput(out: FrameOutput): void {
    this.out = out;
  }

  protocolHeader(): void {
    this.w.bytes(PROTOCOL_HEADER);
    this.touch();
  }

  heartbeat(): void {
    const w = this.w;
    w.ensure(8);
    w.u8(FRAME_HEARTBEAT);
    w.u16(0);
    w.u32(0);
    w.u8(FRAME_END);
    this.touch();
  }

  /** A method frame. Throws (writing nothing) if an argument cannot be encoded. */
  method<K extends keyof MethodInitById>(channel: number, id: K, args: MethodInitById[K]): void {
    const mark = this.beginFrame(FRAME_METHOD, channel);
    try {
      encodeMethod(this.w, id, args);
    } catch (e) {
      this.w.rewind(mark);
      throw e;
    }
    this.endFrame(mark);
  }

  /**
   * basic.deliver + content header + body, through the deliver fast path: `consumerTag` is the
   * tag as shortstr bytes; the exchange and routing key are copied as the two short strings
   * basic.publish carried, at [routingStart, routingEnd) of `routing`.
   */
  deliver(
    channel: number, consumerTag: Buffer, deliveryTag: number, redelivered: boolean,
    routing: Buffer, routingStart: number, routingEnd: number, header: Buffer, body: Buffer,
  ): void {
    const mark = this.beginFrame(FRAME_METHOD, channel);
    encodeBasicDeliverRaw(this.w, consumerTag, deliveryTag, redelivered, routing, routingStart, routingEnd);
    this.endFrame(mark);
    this.content(channel, header, body);
  }

  /** A content header frame (its payload as received or built) and the body frames. */
  content(channel: number, header: Buffer, body: Buffer): void {
    this.rawFrame(FRAME_HEADER, channel, header);
    const max = this.frameMax - FRAME_OVERHEAD;
    if (body.length <= max) {
      if (body.length > 0) this.rawFrame(FRAME_BODY, channel, body);
      return;
    }
    for (let off = 0; off < body.length; off += max) {
      this.rawFrame(FRAME_BODY, channel, body.subarray(off, Math.min(off + max, body.length)));
    }
  }

  /** Bytes queued since the last flush. */
  get buffered(): number {
    return this.w.pending + this.referenced;
  }

  /** Hands everything written so far to the output now. */
  flush(): void {
    this.scheduled = false;
    if (this.closed) return;
    if (this.w.pending > 0) this.chunks.push(this.w.take());
    if (this.chunks.length === 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.referenced = 0;
    this.out.write(chunks);
  }

  /** Drops anything not yet flushed; later writes are ignored. */
  close(): void {
    this.closed = true;
    this.chunks = [];
  }

  private rawFrame(type: number, channel: number, payload: Buffer): void {
    const w = this.w;
    const len = payload.length;
    const copy = len < COPY_LIMIT;
    w.ensure(copy ? len + 8 : 8);
    const b = w.buf;
    let p = w.pos;
    b[p] = type;
    b[p + 1] = channel >>> 8;
    b[p + 2] = channel;
    b.writeUInt32BE(len, p + 3);
    p += 7;
    if (copy) {
      b[copySmall(payload, 0, len, b, p)] = FRAME_END;
      w.pos = p + len + 1;
    } else {
      w.pos = p;
      const head = w.take();
      this.chunks.push(head, payload);
      this.referenced += head.length + len;
      w.u8(FRAME_END);
    }
    this.touch();
  }

  private beginFrame(type: number, channel: number): number {
    const w = this.w;
    const mark = w.mark();
    w.ensure(7);
    w.u8(type);
    w.u16(channel);
    w.reserveU32();
    return mark;
  }

  private endFrame(mark: number): void {
    const w = this.w;
    w.patchU32(mark + 3, w.since(mark) - 7);
    w.u8(FRAME_END);
    this.touch();
  }

  private touch(): void {
    if (!this.scheduled && !this.closed) {
      this.scheduled = true;
      this.scheduler.schedule(this);
    }
  }
}

/** Writes chunks to a socket as one writev (cork/uncork). */
export function socketOutput(socket: import('node:net').Socket): FrameOutput {
  return {
    write(chunks: Buffer[]): void {
      if (socket.destroyed) return;
      if (chunks.length === 1) {
        socket.write(chunks[0]);
        return;
      }
      socket.cork();
      for (const c of chunks) socket.write(c);
      socket.uncork();
    },
  };
}
