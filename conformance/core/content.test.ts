/**
 * Message content as a client observes it: every basic property and every field-table type
 * round trip (through amqplib, and byte for byte on the wire), empty and multi-frame bodies,
 * and many channels and connections at once.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeTable, FIELD_TYPES } from '../../src/codec/field-table.js';
import * as P from '../../src/codec/generated/protocol.js';
import { randomValue } from '../../test/support/field-values.js';
import { frame } from '../../test/support/frames.js';
import { Random } from '../../test/support/random.js';
import { RawClient } from '../../test/support/raw-client.js';
import { startTarget, type TargetBroker } from '../support/broker.js';
import { cleanup } from '../support/client.js';
import { unique } from '../support/target.js';

let broker: TargetBroker;
let conn: amqp.ChannelModel;
beforeAll(async () => {
  broker = await startTarget();
  conn = await broker.connect();
});
afterAll(async () => { await broker.stop(); });

async function freshQueue(ch: amqp.Channel, prefix: string): Promise<string> {
  const q = cleanup('queue', unique(prefix));
  await ch.assertQueue(q, { durable: false });
  return q;
}

/** Every header type amqplib can write, and what it reads back. */
const SENT_HEADERS = {
  str: 'text', i8: { '!': 'int8', value: -5 }, u8: { '!': 'uint8', value: 200 }, i16: { '!': 'int16', value: -3000 },
  u16: { '!': 'uint16', value: 60000 }, i32: { '!': 'int32', value: -70000 }, u32: { '!': 'uint32', value: 4000000000 },
  i64: { '!': 'int64', value: 2 ** 40 }, f: { '!': 'float', value: 1.5 }, d: { '!': 'double', value: 2.25 },
  dec: { '!': 'decimal', value: { places: 2, digits: 12345 } }, yes: true, no: false,
  ts: { '!': 'timestamp', value: 1700000000 }, tbl: { a: 1, b: { c: 'd' } }, arr: [1, 'two', true, [3]],
  bytes: Buffer.from([0, 1, 2, 255]), nothing: null, small: 42, big: 5000000000, neg: -1, fraction: 3.14,
};
const RECEIVED_HEADERS = {
  str: 'text', i8: -5, u8: 200, i16: -3000, u16: 60000, i32: -70000, u32: 4000000000, i64: 2 ** 40, f: 1.5, d: 2.25,
  dec: { '!': 'decimal', value: { places: 2, digits: 12345 } }, yes: true, no: false,
  ts: { '!': 'timestamp', value: 1700000000 }, tbl: { a: 1, b: { c: 'd' } }, arr: [1, 'two', true, [3]],
  bytes: Buffer.from([0, 1, 2, 255]), nothing: null, small: 42, big: 5000000000, neg: -1, fraction: 3.14,
};
const PROPERTIES = {
  contentType: 'application/json', contentEncoding: 'gzip', deliveryMode: 2, priority: 7, correlationId: 'corr-1',
  replyTo: 'reply-q', expiration: '60000', messageId: 'msg-1', timestamp: 1700000001, type: 'order.created',
  userId: 'guest', appId: 'conformance',
};

describe('properties and headers', () => {
  it('every basic property and header type comes back as sent (basic.get)', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 'props');
    ch.sendToQueue(q, Buffer.from('{}'), { ...PROPERTIES, headers: SENT_HEADERS });
    let m: amqp.GetMessage | false = false;
    while (!m) m = await ch.get(q, { noAck: true });
    expect(m.properties).toEqual({ ...PROPERTIES, headers: RECEIVED_HEADERS, clusterId: undefined });
    expect(m.content.toString()).toBe('{}');
  });

  it('the same through a consumer (basic.deliver)', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 'props-consume');
    const got = new Promise<amqp.ConsumeMessage>((resolve) => {
      void ch.consume(q, (m) => { if (m) resolve(m); }, { noAck: true });
    });
    ch.sendToQueue(q, Buffer.from('x'), { ...PROPERTIES, headers: SENT_HEADERS });
    const m = await got;
    expect(m.properties).toEqual({ ...PROPERTIES, headers: RECEIVED_HEADERS, clusterId: undefined });
    expect([m.fields.exchange, m.fields.routingKey, m.fields.redelivered]).toEqual(['', q, false]);
  });

  it('a user_id other than the connection\'s user is refused with 406', async () => {
    const ch = await conn.createChannel();
    const closed = new Promise<Error & { code: number }>((resolve) => ch.once('error', resolve));
    ch.sendToQueue(unique('any'), Buffer.from('x'), { userId: 'mallory' });
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toContain("PRECONDITION_FAILED - user_id property set to 'mallory' but authenticated user was 'guest'");
  });

  it('the content header travels byte for byte, field tables of every type included', async () => {
    const r = new Random(606);
    const table = FIELD_TYPES.map((type, i) => ({ name: `k${i}-${type}`, value: randomValue(r, 2, type) }));
    const header = ContentHeader.build(P.CLASS_BASIC, 3, {
      headers: table, contentType: 'text/plain', deliveryMode: 1, priority: 3, messageId: 'raw', timestamp: 1234,
    }).raw;
    expect(encodeTable(table).length).toBeGreaterThan(100);
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 'raw-header');
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CONFIRM_SELECT, { nowait: false });
    await c.nextMethod(P.CONFIRM_SELECT_OK);
    c.method(1, P.BASIC_PUBLISH, { exchange: '', routingKey: q, mandatory: false, immediate: false });
    c.write(frame(P.FRAME_HEADER, 1, header));
    c.write(frame(P.FRAME_BODY, 1, Buffer.from('abc')));
    await c.nextMethod(P.BASIC_ACK);
    c.method(1, P.BASIC_GET, { queue: q, noAck: true });
    await c.nextMethod(P.BASIC_GET_OK);
    await c.until(() => c.frames.some((f) => f.type === P.FRAME_BODY));
    const delivered = c.frames.find((f) => f.type === P.FRAME_HEADER);
    expect(delivered?.payload.equals(header)).toBe(true);
    expect(c.frames.find((f) => f.type === P.FRAME_BODY)?.payload.toString()).toBe('abc');
    c.close();
  });
});

describe('bodies', () => {
  it('an empty body is delivered as a header with no body frame', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 'empty');
    ch.sendToQueue(q, Buffer.alloc(0), { messageId: 'empty' });
    let m: amqp.GetMessage | false = false;
    while (!m) m = await ch.get(q, { noAck: true });
    expect([m.content.length, m.properties.messageId]).toEqual([0, 'empty']);
  });

  it.each([
    ['exactly frame_max - 8 (one full frame)', 131072 - 8],
    ['one byte more (two frames)', 131072 - 7],
    ['1 MiB', 1 << 20],
    ['5 MiB', 5 << 20],
  ])('a body of %s arrives intact and in one piece', async (_name, size) => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 'big');
    const body = new Random(size).bytes(size);
    ch.sendToQueue(q, body);
    const got = new Promise<amqp.ConsumeMessage>((resolve) => {
      void ch.consume(q, (m) => { if (m) resolve(m); }, { noAck: true });
    });
    const m = await got;
    expect(m.content.length).toBe(size);
    expect(m.content.equals(body)).toBe(true);
  });

  it('large bodies split into frames of a small negotiated frame_max, both ways', async () => {
    const small = await broker.connect({ frameMax: 4096 });
    const ch = await small.createChannel();
    const q = await freshQueue(ch, 'split');
    const body = new Random(3).bytes(150_000);
    ch.sendToQueue(q, body);
    let m: amqp.GetMessage | false = false;
    while (!m) m = await ch.get(q, { noAck: true });
    expect(m.content.equals(body)).toBe(true);
    await small.close();
  });
});

describe('many at once', () => {
  it('100 channels on one connection, each with its own queue, all messages accounted for', async () => {
    const many = await broker.connect();
    const channels = await Promise.all(Array.from({ length: 100 }, () => many.createChannel()));
    const queues = await Promise.all(channels.map((ch, i) => freshQueue(ch, `ch${i}`)));
    channels.forEach((ch, i) => { for (let k = 0; k < 10; k++) ch.sendToQueue(queues[i], Buffer.from(`${i}:${k}`)); });
    const received = await Promise.all(channels.map(async (ch, i) => {
      const got: string[] = [];
      await new Promise<void>((resolve) => {
        void ch.consume(queues[i], (m) => {
          if (!m) return;
          got.push(m.content.toString());
          ch.ack(m);
          if (got.length === 10) resolve();
        });
      });
      return got;
    }));
    received.forEach((got, i) => expect(got).toEqual(Array.from({ length: 10 }, (_, k) => `${i}:${k}`)));
    await many.close();
  });

  it('50 connections publishing into one queue and 5 consuming: every message once', async () => {
    const setup = await conn.createChannel();
    const q = await freshQueue(setup, 'fan-in');
    const publishers = await Promise.all(Array.from({ length: 50 }, () => broker.connect()));
    const consumers = await Promise.all(Array.from({ length: 5 }, () => broker.connect()));
    const seen: string[] = [];
    for (const c of consumers) {
      const ch = await c.createChannel();
      await ch.prefetch(20);
      await ch.consume(q, (m) => { if (m) { seen.push(m.content.toString()); ch.ack(m); } });
    }
    await Promise.all(publishers.map(async (c, i) => {
      const ch = await c.createConfirmChannel();
      for (let k = 0; k < 20; k++) ch.sendToQueue(q, Buffer.from(`${i}:${k}`));
      await ch.waitForConfirms();
    }));
    const end = Date.now() + 10_000;
    while (seen.length < 1000 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(seen.length).toBe(1000);
    expect(new Set(seen).size).toBe(1000);
    await Promise.all([...publishers, ...consumers].map((c) => c.close()));
  }, 30_000);
});
