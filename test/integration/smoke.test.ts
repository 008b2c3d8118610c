import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';

let broker: TestBroker;
beforeAll(async () => { broker = await startTestBroker(); });
afterAll(async () => { await broker.stop(); });

describe('smoke', () => {
  it('declares, publishes, consumes and acks through amqplib', async () => {
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('smoke-q');
    expect(q).toEqual({ queue: 'smoke-q', messageCount: 0, consumerCount: 0 });
    ch.sendToQueue('smoke-q', Buffer.from('hello'), { contentType: 'text/plain', headers: { a: 1 } });
    const got = await new Promise<import('amqplib').ConsumeMessage>((resolve) => {
      void ch.consume('smoke-q', (m) => { if (m) resolve(m); });
    });
    expect(got.content.toString()).toBe('hello');
    expect(got.properties.contentType).toBe('text/plain');
    expect(got.properties.headers).toEqual({ a: 1 });
    expect(got.fields).toMatchObject({ deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'smoke-q' });
    ch.ack(got);
    await conn.close();
  });
});
