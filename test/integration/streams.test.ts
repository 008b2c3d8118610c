/**
 * Stream queues over real TCP, for what the conformance scenarios do not reach: a restart of
 * Warren (a graceful one here; kill -9 is the crash test's, test/store/crash.test.ts), retention
 * across it, readers of an ephemeral broker, and the management API's answers for a stream.
 */
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';

let b: TestBroker | null = null;
afterEach(async () => {
  await b?.stop();
  b = null;
});

const STREAM = { durable: true, arguments: { 'x-queue-type': 'stream' } };

/** The next `n` deliveries of a consumer reading from `offset` (acked), as [body, offset]. */
async function readFrom(conn: amqp.ChannelModel, q: string, offset: unknown, n: number, args: Record<string, unknown> = {}): Promise<[string, number][]> {
  const ch = await conn.createChannel();
  await ch.prefetch(10);
  const got: [string, number][] = [];
  await new Promise<void>((resolve) => {
    void ch.consume(q, (m) => {
      if (m === null) return;
      got.push([m.content.toString(), Number(m.properties.headers?.['x-stream-offset'])]);
      ch.ack(m);
      if (got.length === n) resolve();
    }, { arguments: { 'x-stream-offset': offset, ...args } });
  });
  await ch.close();
  return got;
}

describe('streams over TCP', () => {
  it('keep their messages and offsets across a restart, with retention applied where it left the log', async () => {
    b = await startTestBroker({ managementPort: 0 });
    let conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('events', { durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-length-bytes': 2000, 'x-stream-max-segment-size-bytes': 500 } });
    for (let i = 0; i < 500; i++) ch.sendToQueue('events', Buffer.from(`event-${String(i).padStart(4, '0')}`), { persistent: i % 2 === 0 }); // 10 bytes
    await ch.waitForConfirms();
    const before = await readFrom(conn, 'events', 'first', 1);
    expect(before[0][1]).toBeGreaterThan(0); // retention dropped whole segments of 50 messages
    expect(before[0][1] % 50).toBe(0);
    const dataDir = b.dataDir;
    await b.stop({ keepData: true });

    b = await startTestBroker({ dataDir, managementPort: 0 });
    conn = await b.connect();
    expect(await readFrom(conn, 'events', 'first', 1)).toEqual(before);
    expect(await readFrom(conn, 'events', 497, 3)).toEqual([['event-0497', 497], ['event-0498', 498], ['event-0499', 499]]);
    const c2 = await conn.createConfirmChannel();
    c2.sendToQueue('events', Buffer.from('after'));
    await c2.waitForConfirms();
    expect(await readFrom(conn, 'events', 'last', 1)).toEqual([['after', 500]]);
  });

  it('work on a broker without a data directory, messages in memory', async () => {
    b = await startTestBroker({ ephemeral: true });
    const conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('mem', STREAM);
    for (const v of ['a', 'b', 'a']) ch.sendToQueue('mem', Buffer.from(v), { headers: { 'x-stream-filter-value': v } });
    await ch.waitForConfirms();
    expect(await readFrom(conn, 'mem', 'first', 2, { 'x-stream-filter': 'a' })).toEqual([['a', 0], ['a', 2]]);
  });

  it('are listed by the management API as streams with their consumers (declare-ok counts none); HTTP get and purge are refused with 400, as RabbitMQ refuses them', async () => {
    b = await startTestBroker({ managementPort: 0 });
    const conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('http-s', { durable: true, arguments: { 'x-queue-type': 'stream', 'x-max-age': '7D' } });
    ch.sendToQueue('http-s', Buffer.from('x'));
    await ch.waitForConfirms();
    const base = `http://127.0.0.1:${b.managementPort}/api/queues/%2F/http-s`;
    const auth = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` };
    const reader = await conn.createChannel();
    await reader.prefetch(5);
    await reader.consume('http-s', () => undefined, { arguments: { 'x-stream-offset': 'first' } });
    // declare-ok counts no consumers on a stream (rabbit_stream_queue:stat); the API lists them
    expect((await ch.checkQueue('http-s')).consumerCount).toBe(0);
    const q = await (await fetch(base, { headers: auth })).json() as Record<string, unknown>;
    expect([q.type, q.durable, q.messages, q.consumers, q.arguments]).toEqual(['stream', true, 1, 1, { 'x-queue-type': 'stream', 'x-max-age': '7D' }]);
    const purge = await fetch(`${base}/contents`, { method: 'DELETE', headers: auth });
    expect([purge.status, await purge.json()]).toEqual([400,
      { error: 'bad_request', reason: "queue.purge not supported by stream queue 'http-s' in vhost '/'" }]);
    const get = await fetch(`${base}/get`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ count: 1, ackmode: 'ack_requeue_true', encoding: 'auto' }),
    });
    expect([get.status, await get.json()]).toEqual([400,
      { error: 'bad_request', reason: "540 basic.get not supported by stream queue 'http-s' in vhost '/'" }]);
  });
});
