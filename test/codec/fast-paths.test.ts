/** The hand-written fast paths agree with the generated codec, value for value and byte for byte. */
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import {
  decodeBasicAckFast, decodeBasicPublishFast, decodeShortstrPair, encodeBasicDeliverRaw, encodeRouting, encodeShortstr,
  PUBLISH_ROUTING_START, publishRoutingEnd,
} from '../../src/codec/fast-paths.js';
import { decodeBasicAck, decodeBasicPublish } from '../../src/codec/generated/method-decoders.js';
import { encodeBasicDeliver } from '../../src/codec/generated/method-encoders.js';
import { BASIC_ACK, BASIC_DELIVER, BASIC_PUBLISH, METHOD_INFO, type MethodInfo } from '../../src/codec/generated/protocol.js';
import type { BasicDeliverInit } from '../../src/codec/generated/method-types.js';
import { encode, randomArgs } from '../support/methods.js';
import { Random } from '../support/random.js';

const info = (id: number) => METHOD_INFO.get(id) as MethodInfo;

/** Same verdict from both decoders; failures must carry the same code, method and field. */
function agree(fast: (p: Buffer) => unknown, generated: (p: Buffer) => unknown, p: Buffer): void {
  let gen: unknown;
  try {
    gen = generated(p);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    gen = 'range-error'; // decodeMethodGenerated turns this into a FRAME_ERROR value
  }
  const f = fast(p);
  if (f instanceof DecodeFailure) {
    expect(gen === 'range-error' || gen instanceof DecodeFailure).toBe(true);
    if (gen instanceof DecodeFailure) expect([f.replyCode, f.field]).toEqual([gen.replyCode, gen.field]);
  } else {
    expect(f).toEqual(gen);
  }
}

describe('fast paths agree with the generated codec', () => {
  it('basic.publish over generated inputs, their truncations and extensions', () => {
    const r = new Random(40);
    for (let i = 0; i < 2000; i++) {
      const bytes = encode(BASIC_PUBLISH, randomArgs(info(BASIC_PUBLISH), r));
      agree(decodeBasicPublishFast, decodeBasicPublish, bytes);
      agree(decodeBasicPublishFast, decodeBasicPublish, bytes.subarray(0, r.int(bytes.length)));
      agree(decodeBasicPublishFast, decodeBasicPublish, Buffer.concat([bytes, r.bytes(1 + r.int(3))]));
    }
  });

  it('basic.ack over generated inputs and wrong lengths', () => {
    const r = new Random(80);
    for (let i = 0; i < 2000; i++) {
      const bytes = encode(BASIC_ACK, randomArgs(info(BASIC_ACK), r));
      agree(decodeBasicAckFast, decodeBasicAck, bytes);
      agree(decodeBasicAckFast, decodeBasicAck, bytes.subarray(0, r.int(bytes.length)));
      agree(decodeBasicAckFast, decodeBasicAck, Buffer.concat([bytes, r.bytes(1)]));
    }
  });

  it("basic.deliver from a publish's routing bytes writes the same bytes as the generated encoder", () => {
    const r = new Random(120);
    for (let i = 0; i < 2000; i++) {
      const args = randomArgs(info(BASIC_DELIVER), r) as unknown as BasicDeliverInit;
      const publish = encode(BASIC_PUBLISH, { exchange: args.exchange, routingKey: args.routingKey, mandatory: r.bool(), immediate: false });
      const a = new ByteWriter(32);
      const b = new ByteWriter(32);
      // as the broker calls it: the routing bytes as a range of the publish payload
      encodeBasicDeliverRaw(a, encodeShortstr(args.consumerTag), args.deliveryTag, args.redelivered, publish,
        PUBLISH_ROUTING_START, publishRoutingEnd(publish));
      encodeBasicDeliver(b, args);
      expect(a.take().equals(b.take())).toBe(true);
    }
  });

  it('routing bytes: taken from a publish, built from names, read back — all agree', () => {
    const r = new Random(41);
    for (let i = 0; i < 300; i++) {
      const args = randomArgs(info(BASIC_DELIVER), r) as unknown as BasicDeliverInit;
      const publish = encode(BASIC_PUBLISH, { exchange: args.exchange, routingKey: args.routingKey, mandatory: r.bool(), immediate: r.bool() });
      const routing = publish.subarray(PUBLISH_ROUTING_START, publishRoutingEnd(publish));
      expect(routing.equals(encodeRouting(args.exchange, args.routingKey))).toBe(true);
      expect(decodeShortstrPair(routing)).toEqual([args.exchange, args.routingKey]);
    }
    expect(decodeShortstrPair(Buffer.from([3, 0x61]))).toBeNull();
  });

  it('encodeShortstr refuses more than 255 bytes like the generated encoder', () => {
    expect(encodeShortstr('é'.repeat(127)).length).toBe(255);
    expect(() => encodeShortstr('é'.repeat(128))).toThrow(RangeError);
    expect(() => encodeShortstr('x'.repeat(256))).toThrow(RangeError);
    const args = { consumerTag: 'é'.repeat(200), deliveryTag: 1, redelivered: false, exchange: '', routingKey: '' };
    expect(() => encodeBasicDeliver(new ByteWriter(), args)).toThrow(RangeError);
  });
});
