/**
 * Codec micro-benchmarks (npm run bench): the per-message work of the protocol layer.
 *  - decode basic.publish + its content header (and read delivery-mode, as routing to a durable
 *    queue must)
 *  - encode basic.deliver + content header + body frames into the output arena
 *  - decode basic.ack
 * Each is also run through the generated binary-parser codec to show what the fast path buys.
 */
import { ByteWriter } from '../src/codec/byte-writer.js';
import { ContentHeader } from '../src/codec/content-header.js';
import { DecodeFailure } from '../src/codec/decode-failure.js';
import { tableFromObject } from '../src/codec/field-table.js';
import {
  encodeBasicDeliverRaw, encodeShortstr, PUBLISH_ROUTING_START, publishRoutingEnd,
} from '../src/codec/fast-paths.js';
import { decodeMethodGenerated } from '../src/codec/generated/method-decoders.js';
import { encodeBasicDeliver, encodeBasicPublish, encodeBasicAck } from '../src/codec/generated/method-encoders.js';
import { CLASS_BASIC } from '../src/codec/generated/protocol.js';
import { decodeMethod } from '../src/codec/method-codec.js';
import { FrameWriter } from '../src/net/frame-writer.js';
import { FlushScheduler } from '../src/net/flush-scheduler.js';
import { measure, type Result } from './measure.js';

function bytesOf(write: (w: ByteWriter) => void): Buffer {
  const w = new ByteWriter(256);
  write(w);
  return Buffer.from(w.take());
}

export function codecBenchmarks(): Result[] {
  const publish = bytesOf((w) => encodeBasicPublish(w, { exchange: 'amq.direct', routingKey: 'orders.created', mandatory: false, immediate: false }));
  const body = Buffer.alloc(16, 0x61);
  const header = ContentHeader.build(CLASS_BASIC, body.length, {
    contentType: 'application/json', deliveryMode: 2, messageId: 'm-1', headers: tableFromObject({ 'x-trace': 'abc' }),
  }).raw;
  const ack = bytesOf((w) => encodeBasicAck(w, { deliveryTag: 123456, multiple: true }));
  const deliverArgs = { consumerTag: 'amq.ctag-Yw1s3oQ6mH3DbQ6pD6jJ9A', deliveryTag: 1, redelivered: false, exchange: 'amq.direct', routingKey: 'orders.created' };

  let sink = 0;
  const results: Result[] = [];

  results.push(measure('decode basic.publish + content header', () => {
    const m = decodeMethod(publish);
    const h = ContentHeader.fromPayload(header);
    if (!(m instanceof DecodeFailure) && !(h instanceof DecodeFailure) && h.persistent) sink++;
  }));
  results.push(measure('  (generated decoder for the publish)', () => {
    const m = decodeMethodGenerated(publish);
    const h = ContentHeader.fromPayload(header);
    if (!(m instanceof DecodeFailure) && !(h instanceof DecodeFailure) && h.persistent) sink++;
  }));

  const writer = new FrameWriter({ write: () => undefined }, new FlushScheduler());
  writer.frameMax = 131072;
  let n = 0;
  const ctag = encodeShortstr(deliverArgs.consumerTag);
  results.push(measure('encode basic.deliver + content header + body', () => {
    writer.deliver(1, ctag, ++n, false, publish, PUBLISH_ROUTING_START, publishRoutingEnd(publish), header, body);
    if ((n & 1023) === 0) writer.flush();
  }));
  const w = new ByteWriter();
  results.push(measure('  (deliver method alone, fast path)', () => {
    encodeBasicDeliverRaw(w, ctag, ++n, false, publish, PUBLISH_ROUTING_START, publishRoutingEnd(publish));
    if ((n & 1023) === 0) w.take();
  }));
  results.push(measure('  (deliver method alone, generated)', () => {
    encodeBasicDeliver(w, { ...deliverArgs, deliveryTag: ++n });
    if ((n & 1023) === 0) w.take();
  }));

  results.push(measure('decode basic.ack', () => {
    const m = decodeMethod(ack);
    if (!(m instanceof DecodeFailure)) sink++;
  }));
  results.push(measure('  (generated decoder)', () => {
    const m = decodeMethodGenerated(ack);
    if (!(m instanceof DecodeFailure)) sink++;
  }));
  if (sink === 42) console.log('');
  return results;
}
