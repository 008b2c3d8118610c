/**
 * Incremental AMQP frame reader: socket chunks in, frames out, over any chunking.
 *
 * A frame that lies wholly inside a chunk is handed out as a view of that chunk (no copy). A
 * frame split across chunks is assembled in a buffer of exactly its size, allocated once its
 * 7-byte header is known and checked against frame_max — never a Buffer.concat per chunk, and
 * never a buffer that is rewritten later, so a payload view stays valid for as long as anyone
 * holds it (Node gives each socket read a fresh Buffer).
 *
 * Bad input never throws: it becomes one call of `sink.failure()` with the answer RabbitMQ
 * gives (see decode-failure.ts), and the reader ignores everything after it.
 */
import { DecodeFailure, payloadSnippet } from '../codec/decode-failure.js';
import {
  FRAME_BODY, FRAME_END, FRAME_ERROR, FRAME_HEADER, FRAME_HEARTBEAT, FRAME_METHOD, FRAME_MIN_SIZE,
} from '../codec/generated/protocol.js';

export const PROTOCOL_HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');
/** AMQP 0-9's header, which RabbitMQ accepts and treats as 0-9-1. */
const PROTOCOL_HEADER_0_9 = Buffer.from('AMQP\x01\x01\x00\x09', 'latin1');
const FRAME_HEAD = 7;

/** The client opened with something other than AMQP 0-9-1's protocol header. */
export class BadProtocolHeader {
  constructor(readonly received: Buffer) {}
}

export interface FrameSink {
  /** A valid protocol header arrived; frames follow. Called only by a reader that expects one. */
  protocolHeader?(): void;
  /** One complete frame. `payload` is a view that stays valid. */
  frame(type: number, channel: number, payload: Buffer): void;
  /** Input that cannot be read further; no calls follow. */
  failure(failure: DecodeFailure | BadProtocolHeader): void;
}

export interface FrameReaderOptions {
  /** Expect the 8-byte protocol header first (servers do). Default true. */
  protocolHeader?: boolean;
  /** Largest frame accepted, header and end byte included; 0 = no limit. Default 4096, RabbitMQ's limit before tuning. */
  frameMax?: number;
}

export class FrameReader {
  private state: 'protocol-header' | 'frames' | 'done';
  private frameMax: number;
  /** Protocol header bytes collected so far. */
  private readonly protoHead = Buffer.alloc(8);
  private protoHave = 0;
  /** A frame header split across chunks. */
  private readonly head = Buffer.alloc(FRAME_HEAD);
  private headHave = 0;
  /** A payload (+ end byte) split across chunks. */
  private partial: Buffer | null = null;
  private partialHave = 0;
  private partialType = 0;
  private partialChannel = 0;

  constructor(private sink: FrameSink, options: FrameReaderOptions = {}) {
    this.state = options.protocolHeader === false ? 'frames' : 'protocol-header';
    this.frameMax = options.frameMax ?? FRAME_MIN_SIZE;
  }

  /** The negotiated frame_max (from connection.tune-ok); 0 means no limit. */
  setFrameMax(frameMax: number): void {
    this.frameMax = frameMax;
  }

  /**
   * Hands the input to another sink from the next frame on, within the chunk being read too (a
   * server's negotiation gives way to the running connection in the middle of the chunk that
   * carried connection.open), so frames keep their order. Delivery still reads one field.
   */
  setSink(sink: FrameSink): void {
    this.sink = sink;
  }

  /** Ignore all further input (the connection is closing). */
  stop(): void {
    this.state = 'done';
    this.partial = null;
  }

  get stopped(): boolean {
    return this.state === 'done';
  }

  push(chunk: Buffer): void {
    let off = 0;
    if (this.state === 'protocol-header') {
      off = this.readProtocolHeader(chunk);
      if (off < 0) return;
    }
    const len = chunk.length;
    while (off < len && this.state === 'frames') {
      if (this.partial !== null) {
        off = this.fillPartial(chunk, off);
      } else if (this.headHave > 0 || len - off < FRAME_HEAD) {
        off = this.fillHead(chunk, off);
      } else {
        const type = chunk[off];
        const channel = chunk.readUInt16BE(off + 1);
        const size = chunk.readUInt32BE(off + 3);
        if (!this.sizeAllowed(type, size)) return;
        const end = off + FRAME_HEAD + size;
        if (end < len) {
          off = end + 1;
          this.complete(type, channel, chunk.subarray(end - size, end), chunk[end]);
        } else {
          this.beginPartial(type, channel, size);
          off = this.fillPartial(chunk, off + FRAME_HEAD);
        }
      }
    }
  }

  /** Returns the offset after the header, or -1 when more bytes are needed or it was refused. */
  private readProtocolHeader(chunk: Buffer): number {
    const n = Math.min(8 - this.protoHave, chunk.length);
    chunk.copy(this.protoHead, this.protoHave, 0, n);
    this.protoHave += n;
    if (this.protoHave < 8) return -1;
    if (this.protoHead.equals(PROTOCOL_HEADER) || this.protoHead.equals(PROTOCOL_HEADER_0_9)) {
      this.state = 'frames';
      this.sink.protocolHeader?.();
      return n;
    }
    this.fail(new BadProtocolHeader(Buffer.from(this.protoHead)));
    return -1;
  }

  private fillHead(chunk: Buffer, off: number): number {
    const n = Math.min(FRAME_HEAD - this.headHave, chunk.length - off);
    chunk.copy(this.head, this.headHave, off, off + n);
    this.headHave += n;
    if (this.headHave < FRAME_HEAD) return off + n;
    this.headHave = 0;
    const type = this.head[0];
    const channel = this.head.readUInt16BE(1);
    const size = this.head.readUInt32BE(3);
    if (this.sizeAllowed(type, size)) this.beginPartial(type, channel, size);
    return off + n;
  }

  private beginPartial(type: number, channel: number, size: number): void {
    this.partial = Buffer.allocUnsafe(size + 1);
    this.partialHave = 0;
    this.partialType = type;
    this.partialChannel = channel;
  }

  private fillPartial(chunk: Buffer, off: number): number {
    const partial = this.partial as Buffer;
    const n = Math.min(partial.length - this.partialHave, chunk.length - off);
    chunk.copy(partial, this.partialHave, off, off + n);
    this.partialHave += n;
    if (this.partialHave === partial.length) {
      this.partial = null;
      const size = partial.length - 1;
      this.complete(this.partialType, this.partialChannel, partial.subarray(0, size), partial[size]);
    }
    return off + n;
  }

  /** RabbitMQ allows 8 bytes over the limit: clients often get frame_max off by one frame overhead. */
  private sizeAllowed(type: number, size: number): boolean {
    if (this.frameMax === 0 || size <= this.frameMax) return true;
    this.fail(new DecodeFailure(FRAME_ERROR,
      `type ${type}, all octets = <<>>: {frame_too_large,${size},${this.frameMax - 8}}`));
    return false;
  }

  private complete(type: number, channel: number, payload: Buffer, endByte: number): void {
    if (endByte !== FRAME_END) {
      this.fail(new DecodeFailure(FRAME_ERROR,
        `type ${type}, ${payloadSnippet(payload)}: {invalid_frame_end_marker,${endByte}}`));
      return;
    }
    const known = type === FRAME_METHOD || type === FRAME_HEADER || type === FRAME_BODY
      || (type === FRAME_HEARTBEAT && payload.length === 0);
    if (!known) {
      this.fail(new DecodeFailure(FRAME_ERROR, `type ${type}, ${payloadSnippet(payload)}: unknown_frame`));
      return;
    }
    this.sink.frame(type, channel, payload);
  }

  /** Frame errors are connection errors: RabbitMQ reports them on channel 0. */
  private fail(failure: DecodeFailure | BadProtocolHeader): void {
    this.state = 'done';
    this.partial = null;
    this.sink.failure(failure);
  }
}
