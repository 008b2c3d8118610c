/**
 * The codec's front door for method frames: decodeMethod() takes a method frame payload and
 * returns a typed Method or a DecodeFailure. The hottest methods go through the hand-written
 * fast paths; everything else through the generated binary-parser decoders.
 */
import { DecodeFailure, payloadSnippet } from './decode-failure.js';
import { decodeBasicAckFast, decodeBasicPublishFast } from './fast-paths.js';
import { decodeMethodGenerated } from './generated/method-decoders.js';
import type { Method } from './generated/method-types.js';
import { BASIC_ACK, BASIC_PUBLISH, FRAME_ERROR, FRAME_METHOD, METHOD_INFO, type MethodInfo } from './generated/protocol.js';

export function decodeMethod(payload: Buffer): Method | DecodeFailure {
  if (payload.length < 4) {
    // RabbitMQ: a method frame too short for its ids is an unknown frame
    return new DecodeFailure(FRAME_ERROR, `type ${FRAME_METHOD}, ${payloadSnippet(payload)}: unknown_frame`);
  }
  const id = payload.readUInt32BE(0);
  if (id === BASIC_PUBLISH) {
    const args = decodeBasicPublishFast(payload);
    return args instanceof DecodeFailure ? args : { id, args };
  }
  if (id === BASIC_ACK) {
    const args = decodeBasicAckFast(payload);
    return args instanceof DecodeFailure ? args : { id, args };
  }
  return decodeMethodGenerated(payload);
}

/** Metadata of a method id ('basic.publish', synchronous, has-content…), or undefined. */
export function methodInfo(id: number): MethodInfo | undefined {
  return METHOD_INFO.get(id);
}

export function methodName(id: number): string {
  return METHOD_INFO.get(id)?.name ?? `unknown method ${id >>> 16}/${id & 0xffff}`;
}
