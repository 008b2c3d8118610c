/** Building Message objects for store and broker unit tests. */
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeRouting } from '../../src/codec/fast-paths.js';
import type { BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { Message } from '../../src/broker/message.js';

export function makeMessage(body: string | Buffer, o: { exchange?: string; routingKey?: string; props?: BasicProperties } = {}): Message {
  const exchange = o.exchange ?? '';
  const routingKey = o.routingKey ?? 'q';
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const header = ContentHeader.build(60, b.length, o.props ?? { deliveryMode: 2 });
  return new Message(exchange, routingKey, encodeRouting(exchange, routingKey), header, b);
}

/** Appends a message to a message store for these queue ids (what the broker's persistence does). */
export function appendMessage(store: { append(ids: readonly number[], routing: Buffer, header: Buffer, body: Buffer, ts?: number): number },
  message: Message, ids: readonly number[], timestamp?: number): number {
  return store.append(ids, message.routing, message.header.raw, message.body, timestamp);
}
