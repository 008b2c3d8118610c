/**
 * Per-channel assembly of commands from frames, as RabbitMQ's rabbit_command_assembler does it:
 * a method; for content-bearing methods then one content header and body frames until the
 * header's body size is reached. Anything out of order is UNEXPECTED_FRAME (505), a body that
 * overruns its header is FRAME_ERROR (501) — both connection errors, with RabbitMQ's texts.
 *
 * A body that arrives in one frame is kept as a view of that frame; a body in several frames is
 * copied once into a buffer of its final size.
 */
import { ContentHeader } from '../codec/content-header.js';
import { DecodeFailure } from '../codec/decode-failure.js';
import type { Method } from '../codec/generated/method-types.js';
import {
  BASIC_PUBLISH, FRAME_BODY, FRAME_ERROR, FRAME_HEADER, FRAME_METHOD, METHOD_INFO, PRECONDITION_FAILED, UNEXPECTED_FRAME,
} from '../codec/generated/protocol.js';
import { decodeMethod } from '../codec/method-codec.js';
import { decodeBasicPublishInto, type MutablePublishArgs } from '../codec/fast-paths.js';
import { AmqpError } from '../codec/amqp-error.js';

const EMPTY_BODY = Buffer.alloc(0);

export class CommandAssembler {
  private expecting: 'method' | 'header' | 'body' = 'method';
  /** The command being assembled, valid once frame() returns true. */
  method: Method | null = null;
  /** The method frame's payload (basic.publish's routing bytes are taken from it). */
  methodPayload: Buffer = EMPTY_BODY;
  header: ContentHeader | null = null;
  body: Buffer = EMPTY_BODY;
  private filled = 0;

  /** `maxMessageSize`: larger bodies are refused at their header, before any is buffered. */
  constructor(private readonly maxMessageSize: number) {}

  /**
   * Feeds one frame of this channel. Returns true when a whole command is ready in
   * method/header/body. Throws AmqpError on a protocol violation.
   */
  frame(type: number, payload: Buffer): boolean {
    switch (this.expecting) {
      case 'method':
        if (type !== FRAME_METHOD) {
          throw new AmqpError(UNEXPECTED_FRAME, 'expected method frame, got non method frame instead');
        }
        return this.onMethod(payload);
      case 'header':
        if (type !== FRAME_HEADER) throw this.headerExpected();
        return this.onHeader(payload);
      case 'body':
        if (type !== FRAME_BODY) {
          throw this.inMethod(new AmqpError(UNEXPECTED_FRAME, 'expected content body, got non content body frame instead'));
        }
        return this.onBody(payload);
    }
  }

  /** Forgets a partly assembled command (the channel is closing). */
  reset(): void {
    this.expecting = 'method';
    this.method = null;
    this.header = null;
    this.body = EMPTY_BODY;
  }

  /** True between commands (a method frame may come next). */
  get idle(): boolean {
    return this.expecting === 'method';
  }

  /** Reused for every basic.publish of this channel: publishing allocates no method object. */
  private readonly publishArgs: MutablePublishArgs = { reserved1: 0, exchange: '', routingKey: '', mandatory: false, immediate: false };
  private readonly publishMethod: Method = { id: BASIC_PUBLISH, args: this.publishArgs };

  private onMethod(payload: Buffer): boolean {
    let m: Method;
    if (payload.length >= 4 && payload.readUInt32BE(0) === BASIC_PUBLISH) {
      const failure = decodeBasicPublishInto(payload, this.publishArgs);
      if (failure !== null) throw AmqpError.fromDecodeFailure(failure);
      m = this.publishMethod;
    } else {
      const decoded = decodeMethod(payload);
      if (decoded instanceof DecodeFailure) throw AmqpError.fromDecodeFailure(decoded);
      m = decoded;
    }
    this.method = m;
    this.methodPayload = payload;
    this.header = null;
    this.body = EMPTY_BODY;
    if (METHOD_INFO.get(m.id)?.hasContent) {
      this.expecting = 'header';
      return false;
    }
    return true;
  }

  private onHeader(payload: Buffer): boolean {
    const classId = (this.method as Method).id >>> 16;
    if (payload.length < 4 || payload.readUInt16BE(2) !== 0) throw this.headerExpected();
    const headerClass = payload.readUInt16BE(0);
    if (headerClass !== classId) {
      throw this.inMethod(new AmqpError(UNEXPECTED_FRAME,
        `expected content header for class ${classId}, got one for class ${headerClass} instead`));
    }
    const header = ContentHeader.fromPayload(payload);
    if (header instanceof DecodeFailure) throw this.inMethod(AmqpError.fromDecodeFailure(header));
    this.header = header;
    const size = header.bodySize;
    if (size > this.maxMessageSize) {
      // RabbitMQ's text and code (a channel error); refusing at the header means the body
      // frames that follow are dropped by the closing channel instead of being buffered.
      throw this.inMethod(new AmqpError(PRECONDITION_FAILED,
        `message size ${size} is larger than configured max size ${this.maxMessageSize}`));
    }
    if (size === 0) {
      this.expecting = 'method';
      return true;
    }
    this.filled = 0;
    this.expecting = 'body';
    return false;
  }

  private onBody(payload: Buffer): boolean {
    const size = (this.header as ContentHeader).bodySize;
    const n = payload.length;
    if (this.filled + n > size) {
      throw this.inMethod(new AmqpError(FRAME_ERROR, 'content body frame exceeds remaining content size'));
    }
    if (this.filled === 0 && n === size) {
      this.body = payload; // the whole body in one frame: keep the view
    } else {
      if (this.filled === 0) this.body = Buffer.allocUnsafe(size);
      payload.copy(this.body, this.filled);
    }
    this.filled += n;
    if (this.filled < size) return false;
    this.expecting = 'method';
    return true;
  }

  private headerExpected(): AmqpError {
    const classId = (this.method as Method).id >>> 16;
    return this.inMethod(new AmqpError(UNEXPECTED_FRAME,
      `expected content header for class ${classId}, got non content header frame instead`));
  }

  private inMethod(e: AmqpError): AmqpError {
    return this.method ? e.withMethod(this.method.id) : e;
  }
}
