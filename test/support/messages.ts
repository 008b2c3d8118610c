/** Building Message objects for store and broker unit tests. */
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeBasicPublish } from '../../src/codec/generated/method-encoders.js';
import type { BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { Message } from '../../src/broker/message.js';

export function makeMessage(body: string | Buffer, o: { exchange?: string; routingKey?: string; props?: BasicProperties } = {}): Message {
  const exchange = o.exchange ?? '';
  const routingKey = o.routingKey ?? 'q';
  const w = new ByteWriter(64);
  encodeBasicPublish(w, { exchange, routingKey, mandatory: false, immediate: false });
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const header = ContentHeader.build(60, b.length, o.props ?? { deliveryMode: 2 });
  return new Message(exchange, routingKey, Buffer.from(w.take()), header, b);
}
