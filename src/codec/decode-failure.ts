/**
 * Errors as values. The reader and decoders never throw at bad input: they return a
 * DecodeFailure that says which AMQP reply code RabbitMQ answers with, the text in RabbitMQ's
 * shape (`FRAME_ERROR - …`), and — for method arguments — which method and field were at fault.
 */
import { isUtf8 } from 'node:buffer';
import { REPLY_CODE_NAMES } from './generated/protocol.js';

/** RabbitMQ caps reply texts at a short string's 255 bytes. */
const MAX_REPLY_TEXT = 255;

export class DecodeFailure {
  constructor(
    readonly replyCode: number,
    /** The text after `CONSTANT_NAME - `. */
    readonly detail: string,
    /** Class and method ids of the method at fault (0 when the fault is below method level). */
    readonly classId = 0,
    readonly methodId = 0,
    /** e.g. 'basic.publish' */
    readonly method: string | null = null,
    /** e.g. 'routing-key' */
    readonly field: string | null = null,
  ) {}

  /** The reply text as RabbitMQ writes it: `CONSTANT_NAME - detail`, at most 255 bytes. */
  get replyText(): string {
    return formatReplyText(this.replyCode, this.detail);
  }
}

export function formatReplyText(code: number, detail: string): string {
  const name = REPLY_CODE_NAMES.get(code) ?? 'INTERNAL_ERROR';
  return truncateUtf8(`${name} - ${detail}`, MAX_REPLY_TEXT);
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, max: number): string {
  if (s.length * 3 <= max || Buffer.byteLength(s) <= max) return s;
  const bytes = Buffer.from(s, 'utf8');
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // back off a continuation byte
  return bytes.toString('utf8', 0, end);
}

/**
 * A binary as Erlang's `~tp` prints it, which is how RabbitMQ quotes bytes in its reply texts:
 * `<<>>`, `<<"hi">>` (or `<<"a\nb">>`, `<<"é">>`) when the bytes are printable UTF-8, else the
 * octets in decimal: `<<0,60,0,10>>`.
 */
export function erlangBinary(b: Uint8Array): string {
  if (b.length === 0) return '<<>>';
  const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
  if (isUtf8(buf)) {
    let out = '';
    for (const ch of buf.toString('utf8')) {
      const c = ch.codePointAt(0) as number;
      const escaped = ERLANG_ESCAPES[c];
      if (escaped !== undefined) out += escaped;
      else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return `<<${Array.from(b).join(',')}>>`;
      else out += ch;
    }
    return `<<"${out}">>`;
  }
  return `<<${Array.from(b).join(',')}>>`;
}

/** Characters io_lib treats as printable but writes escaped. */
const ERLANG_ESCAPES: Record<number, string> = {
  0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x1b: '\\e',
  0x22: '\\"', 0x5c: '\\\\',
};

/** RabbitMQ's frame-error snippet: all octets up to 16, else the first 16. */
export function payloadSnippet(payload: Uint8Array): string {
  return payload.length <= 16
    ? `all octets = ${erlangBinary(payload)}`
    : `first 16 octets = ${erlangBinary(payload.subarray(0, 16))}`;
}
