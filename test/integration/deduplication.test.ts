/**
 * Deduplication (issue 16) over amqplib, against the behaviour the rabbitmq-message-deduplication
 * plugin and LavinMQ document (the plugin is not installed on the RabbitMQ these suites compare
 * with, so this is Warren's own suite): the plugin's exchange type and its checks, LavinMQ's
 * argument on an ordinary exchange with its own header name, both queue levels, basic.return for
 * a mandatory duplicate, and what publisher confirms say.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedWith, sleep, startTestBroker, type TestBroker } from '../support/broker.js';

let broker: TestBroker;
beforeAll(async () => { broker = await startTestBroker(); });
afterAll(async () => { await broker.stop(); });

/** Publishes on a confirm channel and resolves with 'ack' or 'nack'. */
function confirmOf(ch: amqp.ConfirmChannel, exchange: string, key: string, headers: Record<string, unknown> | undefined, mandatory = false): Promise<'ack' | 'nack'> {
  return new Promise((resolve) => {
    ch.publish(exchange, key, Buffer.from('m'), { headers, mandatory }, (err) => resolve(err ? 'nack' : 'ack'));
  });
}

/** Collects basic.return's of a channel. */
function returns(ch: amqp.Channel): { replyCode: number; replyText: string; key: string }[] {
  const out: { replyCode: number; replyText: string; key: string }[] = [];
  ch.on('return', (m: amqp.Message) => {
    const f = m.fields as unknown as { replyCode: number; replyText: string; routingKey: string };
    out.push({ replyCode: f.replyCode, replyText: f.replyText, key: f.routingKey });
  });
  return out;
}

async function bodiesOf(ch: amqp.Channel, queue: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const m = await ch.get(queue, { noAck: true });
    if (m === false) return out;
    out.push(String(m.properties.headers?.['x-deduplication-header'] ?? m.properties.headers?.['msg-id'] ?? '-'));
  }
}

describe('exchange level', () => {
  it('the plugin\'s exchange type routes like fanout and routes a key once; messages without it always pass', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    await ch.assertExchange('dd-type', 'x-message-deduplication', { durable: false, arguments: { 'x-cache-size': 10, 'x-cache-ttl': 60_000 } });
    await ch.assertQueue('dd-type-q1');
    await ch.assertQueue('dd-type-q2');
    await ch.bindQueue('dd-type-q1', 'dd-type', 'one');
    await ch.bindQueue('dd-type-q2', 'dd-type', 'two');
    const acks: string[] = [];
    for (let i = 0; i < 5; i++) acks.push(await confirmOf(ch, 'dd-type', 'whatever', { 'x-deduplication-header': 'deduplicate-this' }));
    acks.push(await confirmOf(ch, 'dd-type', 'whatever', undefined));
    acks.push(await confirmOf(ch, 'dd-type', 'whatever', undefined));
    expect(acks).toEqual(Array(7).fill('ack')); // a duplicate is confirmed, as any unroutable message
    expect(await bodiesOf(ch, 'dd-type-q1')).toEqual(['deduplicate-this', '-', '-']);
    expect(await bodiesOf(ch, 'dd-type-q2')).toEqual(['deduplicate-this', '-', '-']);
    await c.close();
  });

  it('a message header x-cache-ttl sets how long its key is kept', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    await ch.assertExchange('dd-ttl', 'x-message-deduplication', { durable: false, arguments: { 'x-cache-size': 10 } });
    await ch.assertQueue('dd-ttl-q');
    await ch.bindQueue('dd-ttl-q', 'dd-ttl', '');
    await confirmOf(ch, 'dd-ttl', '', { 'x-deduplication-header': 'short', 'x-cache-ttl': 1 });
    await confirmOf(ch, 'dd-ttl', '', { 'x-deduplication-header': 'kept' });
    await sleep(20); // well past the 1 ms the first key was kept for
    await confirmOf(ch, 'dd-ttl', '', { 'x-deduplication-header': 'short' });
    await confirmOf(ch, 'dd-ttl', '', { 'x-deduplication-header': 'kept' });
    expect(await bodiesOf(ch, 'dd-ttl-q')).toEqual(['short', 'kept', 'short']);
    await c.close();
  });

  it('the plugin\'s type refuses a declaration without a positive x-cache-size (406, its text)', async () => {
    const c = await broker.connect();
    const ch = await c.createChannel();
    const closed = closedWith(ch);
    await expect(ch.assertExchange('dd-bad', 'x-message-deduplication', { arguments: { 'x-cache-ttl': 1000 } })).rejects.toThrow();
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toContain(`PRECONDITION_FAILED - Missing or invalid argument,${' '.repeat(11)}'x-cache-size' must be an integer greater than 0`);
    const ch2 = await c.createChannel();
    const closed2 = closedWith(ch2);
    await expect(ch2.checkExchange('dd-bad')).rejects.toThrow(/404/); // nothing was created
    await closed2;
    await c.close();
  });

  it('LavinMQ\'s argument on a direct exchange, with its own header name: a mandatory duplicate comes back 312 NO_ROUTE and is acked', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    const back = returns(ch);
    await ch.assertExchange('dd-arg', 'direct', {
      durable: false, arguments: { 'x-message-deduplication': true, 'x-deduplication-header': 'msg-id' },
    });
    await ch.assertQueue('dd-arg-q');
    await ch.bindQueue('dd-arg-q', 'dd-arg', 'k');
    expect(await confirmOf(ch, 'dd-arg', 'k', { 'msg-id': 'a' }, true)).toBe('ack');
    expect(await confirmOf(ch, 'dd-arg', 'k', { 'msg-id': 'a' }, true)).toBe('ack');
    expect(await confirmOf(ch, 'dd-arg', 'k', { 'msg-id': 'b' }, true)).toBe('ack');
    // the plugin's header name is an ordinary header here
    expect(await confirmOf(ch, 'dd-arg', 'k', { 'x-deduplication-header': 'a' }, true)).toBe('ack');
    expect(await confirmOf(ch, 'dd-arg', 'k', { 'x-deduplication-header': 'a' }, true)).toBe('ack');
    expect(back).toEqual([{ replyCode: 312, replyText: 'NO_ROUTE', key: 'k' }]);
    expect(await bodiesOf(ch, 'dd-arg-q')).toEqual(['a', 'b', 'a', 'a']);
    await c.close();
  });

  it('a durable deduplicating exchange survives a restart (its cache, in memory, does not)', async () => {
    const b = await startTestBroker();
    try {
      let c = await b.connect();
      let ch = await c.createConfirmChannel();
      await ch.assertExchange('dd-durable', 'x-message-deduplication', { durable: true, arguments: { 'x-cache-size': 5, 'x-cache-persistence': 'disk' } });
      await ch.assertQueue('dd-durable-q', { durable: true });
      await ch.bindQueue('dd-durable-q', 'dd-durable', '');
      await confirmOf(ch, 'dd-durable', '', { 'x-deduplication-header': 'k' });
      await c.close();
      await b.stop({ keepData: true });
      const again = await startTestBroker({ dataDir: b.dataDir });
      try {
        c = await again.connect();
        ch = await c.createConfirmChannel();
        await confirmOf(ch, 'dd-durable', '', { 'x-deduplication-header': 'k' });
        await confirmOf(ch, 'dd-durable', '', { 'x-deduplication-header': 'k' });
        expect((await ch.checkQueue('dd-durable-q')).messageCount).toBe(1);
        await c.close();
      } finally {
        await again.stop();
      }
    } finally {
      await b.stop().catch(() => undefined);
    }
  });
});

describe('queue level', () => {
  it('the plugin\'s: a duplicate of a message in the queue is nacked and dead-lettered as maxlen; once acked, the key is free', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    await ch.assertExchange('dd-dlx', 'fanout', { durable: false });
    await ch.assertQueue('dd-dead');
    await ch.bindQueue('dd-dead', 'dd-dlx', '');
    await ch.assertQueue('dd-plugin-q', { arguments: { 'x-message-deduplication': true, 'x-dead-letter-exchange': 'dd-dlx' } });
    const id = { 'x-deduplication-header': 'order-1' };
    expect(await confirmOf(ch, '', 'dd-plugin-q', id)).toBe('ack');
    expect(await confirmOf(ch, '', 'dd-plugin-q', id, true)).toBe('nack'); // routed: not returned
    expect(await confirmOf(ch, '', 'dd-plugin-q', undefined)).toBe('ack');
    const dead = await ch.get('dd-dead', { noAck: true });
    expect(dead && dead.properties.headers?.['x-first-death-reason']).toBe('maxlen');
    // delivered, not acknowledged: still in the queue
    const m = await ch.get('dd-plugin-q', { noAck: false });
    expect(m).not.toBe(false);
    expect(await confirmOf(ch, '', 'dd-plugin-q', id)).toBe('nack');
    ch.ack(m as amqp.GetMessage);
    expect(await confirmOf(ch, '', 'dd-plugin-q', id)).toBe('ack');
    expect((await ch.checkQueue('dd-plugin-q')).messageCount).toBe(2);
    await c.close();
  });

  it('LavinMQ\'s (cache options given): a recent key is dropped even after its message was consumed; acked, returned when no queue took it', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    const back = returns(ch);
    await ch.assertQueue('dd-lavin-q', { arguments: { 'x-message-deduplication': true, 'x-cache-size': 2, 'x-deduplication-header': 'msg-id' } });
    expect(await confirmOf(ch, '', 'dd-lavin-q', { 'msg-id': 1 }, true)).toBe('ack');
    expect(await bodiesOf(ch, 'dd-lavin-q')).toEqual(['1']);
    expect(await confirmOf(ch, '', 'dd-lavin-q', { 'msg-id': 1 }, true)).toBe('ack');
    expect(back).toEqual([{ replyCode: 312, replyText: 'NO_ROUTE', key: 'dd-lavin-q' }]);
    await confirmOf(ch, '', 'dd-lavin-q', { 'msg-id': 2 });
    await confirmOf(ch, '', 'dd-lavin-q', { 'msg-id': 3 }); // the cache holds 2: key 1 is evicted
    await confirmOf(ch, '', 'dd-lavin-q', { 'msg-id': 1 });
    expect(await bodiesOf(ch, 'dd-lavin-q')).toEqual(['2', '3', '1']);
    await c.close();
  });

  it('a consumer with auto-ack frees the plugin queue\'s key as the message is delivered', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    await ch.assertQueue('dd-autoack-q', { arguments: { 'x-message-deduplication': true } });
    const got = new Promise<void>((resolve) => {
      void ch.consume('dd-autoack-q', () => resolve(), { noAck: true });
    });
    expect(await confirmOf(ch, '', 'dd-autoack-q', { 'x-deduplication-header': 'x' })).toBe('ack');
    await got;
    expect(await confirmOf(ch, '', 'dd-autoack-q', { 'x-deduplication-header': 'x' })).toBe('ack');
    await c.close();
  });

  it('x-message-deduplication that is not a boolean is accepted and turns it on, as with the plugin on RabbitMQ', async () => {
    const c = await broker.connect();
    const ch = await c.createConfirmChannel();
    await ch.assertQueue('dd-str-q', { arguments: { 'x-message-deduplication': 'yes' } });
    expect(await confirmOf(ch, '', 'dd-str-q', { 'x-deduplication-header': 'k' })).toBe('ack');
    expect(await confirmOf(ch, '', 'dd-str-q', { 'x-deduplication-header': 'k' })).toBe('nack');
    await c.close();
  });
});
