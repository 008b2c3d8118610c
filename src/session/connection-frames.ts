/**
 * Frames a connection answers itself rather than a channel, the same during the negotiation and
 * once running: what comes on channel 0, and the 505 for a frame that has no place.
 */
import { AmqpError } from '../codec/amqp-error.js';
import { DecodeFailure, payloadSnippet } from '../codec/decode-failure.js';
import type { Method } from '../codec/generated/method-types.js';
import { FRAME_HEARTBEAT, FRAME_METHOD, UNEXPECTED_FRAME } from '../codec/generated/protocol.js';
import { decodeMethod } from '../codec/method-codec.js';

/**
 * A channel-0 frame as a method; null for a heartbeat (nothing to do: the heartbeat timer counts
 * bytes read, not frames); the connection error for any other frame or an undecodable method.
 */
export function channelZeroMethod(type: number, payload: Buffer): Method | AmqpError | null {
  if (type === FRAME_HEARTBEAT) return null;
  if (type !== FRAME_METHOD) return unexpectedFrame(type, payload);
  const m = decodeMethod(payload);
  return m instanceof DecodeFailure ? AmqpError.fromDecodeFailure(m) : m;
}

/** RabbitMQ's 505 for a frame of a type the connection does not expect there. */
export function unexpectedFrame(type: number, payload: Buffer): AmqpError {
  return new AmqpError(UNEXPECTED_FRAME, `type ${type}, ${payloadSnippet(payload)}`);
}
