/**
 * The one exception type of every layer above the codec (it lives here, at the bottom, so that
 * the broker and the store may throw it without knowing the session): a guard step that finds a request
 * it cannot honour throws an AmqpError; the channel (or connection) catches it and answers with
 * channel.close or connection.close. Whether it closes the channel or the connection is decided
 * here, in one place: the reply code's hard/soft class from the protocol definition, unless the
 * thrower says otherwise (RabbitMQ raises some soft codes, like 403 on login, at connection level).
 */
import { formatReplyText, type DecodeFailure } from './decode-failure.js';
import { HARD_ERRORS } from './generated/protocol.js';

export type ErrorScope = 'channel' | 'connection';

export class AmqpError extends Error {
  readonly scope: ErrorScope;

  constructor(
    readonly replyCode: number,
    /** The text after `CONSTANT_NAME - `. */
    readonly detail: string,
    /** The method being handled when it failed (0/0 when none). */
    readonly classId = 0,
    readonly methodId = 0,
    scope?: ErrorScope,
  ) {
    super(formatReplyText(replyCode, detail));
    this.scope = scope ?? (HARD_ERRORS.has(replyCode) ? 'connection' : 'channel');
  }

  /** `CONSTANT_NAME - detail`, capped at 255 bytes. */
  get replyText(): string {
    return this.message;
  }

  static fromDecodeFailure(f: DecodeFailure): AmqpError {
    return new AmqpError(f.replyCode, f.detail, f.classId, f.methodId);
  }

  /** The same error attributed to a method id (class << 16 | method). */
  withMethod(id: number): AmqpError {
    if (this.classId !== 0 || this.methodId !== 0) return this;
    return new AmqpError(this.replyCode, this.detail, id >>> 16, id & 0xffff, this.scope);
  }
}
