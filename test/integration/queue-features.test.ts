/**
 * RabbitMQ's queue arguments and extensions through amqplib: dead-lettering and x-death, TTL,
 * x-expires, length limits, priorities, consumer priorities, single active consumer, delivery
 * limits, alternate exchanges, CC/BCC, argument validation. Runs against RabbitMQ too
 * (WARREN_TEST_AGAINST) except where noted.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedWith, sleep, startTestBroker, type TestBroker } from '../support/broker.js';

let broker: TestBroker;
let conn: amqp.ChannelModel;
let n = 0;
const name = (p: string) => `qf-${p}-${process.pid}-${n++}`;
beforeAll(async () => {
  broker = await startTestBroker();
  conn = await broker.connect();
});
afterAll(async () => { await broker.stop(); });

async function drain(ch: amqp.Channel, q: string): Promise<amqp.GetMessage[]> {
  const out: amqp.GetMessage[] = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) out.push(m);
  return out;
}
const bodies = (ms: { content: Buffer }[]) => ms.map((m) => m.content.toString());

async function until(cond: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** A queue dead-lettering into a fresh fanout exchange bound to a fresh queue. */
async function withDlx(ch: amqp.Channel, args: Record<string, unknown> = {}) {
  const dlx = name('dlx');
  const dead = name('dead');
  const q = name('src');
  await ch.assertExchange(dlx, 'fanout', { durable: false });
  await ch.assertQueue(dead, { durable: false });
  await ch.bindQueue(dead, dlx, '');
  await ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': dlx, ...args } });
  return { dlx, dead, q };
}

async function expectDeclareError(args: Record<string, unknown>, text: string | RegExp, options: amqp.Options.AssertQueue = {}): Promise<void> {
  const ch = await conn.createChannel();
  const closed = closedWith(ch);
  const q = name('bad');
  await ch.assertQueue(q, { durable: false, ...options, arguments: args }).catch(() => undefined);
  const err = await closed;
  expect(err.code).toBe(406);
  if (typeof text === 'string') expect(err.message).toContain(text.replace('QUEUE', q));
  else expect(err.message).toMatch(text);
}

describe('dead-lettering', () => {
  it('a rejected message goes to the DLX with x-death as RabbitMQ writes it', async () => {
    const ch = await conn.createChannel();
    const { dlx, dead, q } = await withDlx(ch);
    ch.sendToQueue(q, Buffer.from('reject me'), { headers: { a: 1 }, expiration: '50000', CC: ['cc-key'] });
    await sleep(30);
    const m = (await ch.get(q)) as amqp.GetMessage;
    ch.nack(m, false, false);
    await until(async () => (await ch.checkQueue(dead)).messageCount === 1);
    const d = (await ch.get(dead, { noAck: true })) as amqp.GetMessage;
    expect(d.content.toString()).toBe('reject me');
    expect(d.fields.exchange).toBe(dlx);
    expect(d.fields.routingKey).toBe(q);
    expect(d.properties.expiration).toBeUndefined();
    const h = d.properties.headers as Record<string, unknown>;
    expect(h.a).toBe(1);
    expect(h.CC).toEqual(['cc-key']);
    const deaths = h['x-death'] as unknown as Record<string, unknown>[];
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toMatchObject({
      count: 1, reason: 'rejected', queue: q, exchange: '', 'routing-keys': [q, 'cc-key'], 'original-expiration': '50000',
    });
    expect(h['x-first-death-reason']).toBe('rejected');
    expect(h['x-first-death-queue']).toBe(q);
    expect(h['x-first-death-exchange']).toBe('');
  });

  it('an expired message is dead-lettered as expired, even with no consumer', async () => {
    const ch = await conn.createChannel();
    const { dead, q } = await withDlx(ch, { 'x-message-ttl': 50 });
    ch.sendToQueue(q, Buffer.from('expire me'));
    await until(async () => (await ch.checkQueue(dead)).messageCount === 1);
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
    const d = (await ch.get(dead, { noAck: true })) as amqp.GetMessage;
    const death = (d.properties.headers?.['x-death'] as unknown as Record<string, unknown>[])[0];
    expect(death).toMatchObject({ reason: 'expired', queue: q, count: 1 });
    expect(death['original-expiration']).toBeUndefined();
  });

  it('x-dead-letter-routing-key replaces the routing key', async () => {
    const ch = await conn.createChannel();
    const dlx = name('dlx');
    const dead = name('dead');
    await ch.assertExchange(dlx, 'direct', { durable: false });
    await ch.assertQueue(dead, { durable: false });
    await ch.bindQueue(dead, dlx, 'parking');
    const q = name('src');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': 'parking' } });
    ch.sendToQueue(q, Buffer.from('x'));
    await sleep(30);
    ch.reject((await ch.get(q)) as amqp.GetMessage, false);
    await until(async () => (await ch.checkQueue(dead)).messageCount === 1);
    expect(((await ch.get(dead, { noAck: true })) as amqp.GetMessage).fields.routingKey).toBe('parking');
  });

  it('counts repeated deaths in one x-death entry and drops an automatic cycle', async () => {
    const ch = await conn.createChannel();
    // a retry loop: work (rejects go to wait) → wait (TTL back to work through the default exchange)
    const work = name('work');
    const wait = name('wait');
    await ch.assertQueue(work, { durable: false, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': wait } });
    await ch.assertQueue(wait, { durable: false, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': work, 'x-message-ttl': 30 } });
    ch.sendToQueue(work, Buffer.from('retry'));
    for (let round = 1; round <= 3; round++) {
      let m: amqp.GetMessage | false = false;
      await until(async () => (m = await ch.get(work)) !== false);
      const got = m as unknown as amqp.GetMessage;
      if (round > 1) {
        const deaths = got.properties.headers?.['x-death'] as unknown as Record<string, unknown>[];
        expect(deaths.map((d) => [d.queue, d.reason, d.count])).toEqual([[wait, 'expired', round - 1], [work, 'rejected', round - 1]]);
        expect(got.properties.headers?.['x-first-death-reason']).toBe('rejected');
      }
      ch.reject(got, false);
    }
    // a TTL queue dead-lettering into itself: expired → expired with no rejection is a cycle
    const self = name('self');
    await ch.assertQueue(self, { durable: false, arguments: { 'x-dead-letter-exchange': '', 'x-message-ttl': 20 } });
    ch.sendToQueue(self, Buffer.from('loop'));
    await sleep(300);
    expect((await ch.checkQueue(self)).messageCount).toBe(0);
  });

  it('a message dropped by x-max-length is dead-lettered as maxlen', async () => {
    const ch = await conn.createChannel();
    const { dead, q } = await withDlx(ch, { 'x-max-length': 2 });
    for (const b of ['1', '2', '3', '4']) ch.sendToQueue(q, Buffer.from(b));
    await until(async () => (await ch.checkQueue(dead)).messageCount === 2);
    expect(bodies(await drain(ch, q))).toEqual(['3', '4']);
    const d = await drain(ch, dead);
    expect(bodies(d)).toEqual(['1', '2']);
    expect((d[0].properties.headers?.['x-death'] as unknown as Record<string, unknown>[])[0].reason).toBe('maxlen');
  });
});

describe('TTL and expiry', () => {
  it('per-message expiration and queue TTL: the lower wins; expired messages are never delivered', async () => {
    const ch = await conn.createChannel();
    const q = name('ttl');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-message-ttl': 10_000 } });
    ch.sendToQueue(q, Buffer.from('short'), { expiration: '30' });
    ch.sendToQueue(q, Buffer.from('long'));
    await sleep(150);
    expect(bodies(await drain(ch, q))).toEqual(['long']);
  });

  it('expiration "0" is delivered only to a consumer that can take it at once', async () => {
    const ch = await conn.createChannel();
    const q = name('ttl0');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('nobody'), { expiration: '0' });
    await sleep(50);
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
    const got: string[] = [];
    await ch.consume(q, (m) => { if (m) got.push(m.content.toString()); }, { noAck: true });
    ch.sendToQueue(q, Buffer.from('someone'), { expiration: '0' });
    await until(() => got.length === 1);
    expect(got).toEqual(['someone']);
  });

  it('refuses a bad expiration with RabbitMQ\'s texts', async () => {
    for (const [e, text] of [['abc', 'no_integer'], ['-1', '{value_negative,-1}'], ['1.5', '{leftover_string,".5"}']]) {
      const ch = await conn.createChannel();
      const closed = closedWith(ch);
      ch.sendToQueue(name('x'), Buffer.from('x'), { expiration: e });
      const err = await closed;
      expect(err.message).toContain(`PRECONDITION_FAILED - invalid expiration '${e}': ${text}`);
    }
  });

  it('x-expires deletes a queue left unused', async () => {
    const ch = await conn.createChannel();
    const q = name('expires');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-expires': 100 } });
    await sleep(400);
    const c2 = await conn.createChannel();
    const closed = closedWith(c2);
    await c2.checkQueue(q).catch(() => undefined);
    expect((await closed).code).toBe(404);
  });
});

describe('length limits', () => {
  it('reject-publish nacks the publisher and keeps the queue as it is', async () => {
    const ch = await conn.createConfirmChannel();
    const q = name('reject');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
    const outcomes: string[] = [];
    for (const b of ['1', '2']) {
      await new Promise<void>((resolve) => ch.sendToQueue(q, Buffer.from(b), {}, (err) => { outcomes.push(err ? 'nack' : 'ack'); resolve(); }));
    }
    expect(outcomes).toEqual(['ack', 'nack']);
    expect(bodies(await drain(ch, q))).toEqual(['1']);
  });

  it('x-max-length-bytes drops from the head', async () => {
    const ch = await conn.createChannel();
    const q = name('bytes');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length-bytes': 10 } });
    for (const b of ['aaaa', 'bbbb', 'cccc']) ch.sendToQueue(q, Buffer.from(b));
    await sleep(50);
    expect(bodies(await drain(ch, q))).toEqual(['bbbb', 'cccc']);
  });
});

describe('priorities', () => {
  it('delivers a backlog highest priority first, FIFO within a priority, above-max as max', async () => {
    const ch = await conn.createChannel();
    const q = name('prio');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-priority': 5 } });
    const sent: [string, number | undefined][] = [['a0', 0], ['b5', 5], ['c', undefined], ['d9', 9], ['e3', 3], ['f5', 5]];
    for (const [b, p] of sent) ch.sendToQueue(q, Buffer.from(b), p === undefined ? {} : { priority: p });
    await sleep(50);
    expect(bodies(await drain(ch, q))).toEqual(['b5', 'd9', 'f5', 'e3', 'a0', 'c']);
  });

  it('consumers with a higher x-priority get messages first', async () => {
    const ch = await conn.createChannel();
    const q = name('cprio');
    await ch.assertQueue(q, { durable: false });
    const low: string[] = [];
    const high: string[] = [];
    const lowCh = await conn.createChannel();
    await lowCh.consume(q, (m) => { if (m) low.push(m.content.toString()); }, { noAck: true, arguments: { 'x-priority': 1 } });
    const highCh = await conn.createChannel();
    await highCh.prefetch(2);
    await highCh.consume(q, (m) => { if (m) high.push(m.content.toString()); }, { noAck: false, arguments: { 'x-priority': 10 } });
    for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await until(() => low.length + high.length === 5);
    expect(high).toEqual(['0', '1']); // then the high one has no room left
    expect(low).toEqual(['2', '3', '4']);
  });
});

describe('consumers', () => {
  it('single active consumer: one gets everything until it goes, then the next', async () => {
    const ch = await conn.createChannel();
    const q = name('sac');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-single-active-consumer': true } });
    const a: string[] = [];
    const b: string[] = [];
    const chA = await conn.createChannel();
    const tagA = (await chA.consume(q, (m) => { if (m) a.push(m.content.toString()); }, { noAck: true })).consumerTag;
    const chB = await conn.createChannel();
    await chB.consume(q, (m) => { if (m) b.push(m.content.toString()); }, { noAck: true });
    for (let i = 0; i < 4; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await until(() => a.length === 4);
    await chA.cancel(tagA);
    ch.sendToQueue(q, Buffer.from('after'));
    await until(() => b.length === 1);
    expect([a, b]).toEqual([['0', '1', '2', '3'], ['after']]);
  });
});

describe('routing extensions', () => {
  it('alternate-exchange takes what the exchange cannot route', async () => {
    const ch = await conn.createChannel();
    const ae = name('ae');
    const x = name('main');
    const caught = name('caught');
    await ch.assertExchange(ae, 'fanout', { durable: false });
    await ch.assertQueue(caught, { durable: false });
    await ch.bindQueue(caught, ae, '');
    await ch.assertExchange(x, 'direct', { durable: false, arguments: { 'alternate-exchange': ae } });
    const returned: string[] = [];
    ch.on('return', (m: amqp.Message) => returned.push(m.content.toString()));
    ch.publish(x, 'nowhere', Buffer.from('to the AE'), { mandatory: true });
    await until(async () => (await ch.checkQueue(caught)).messageCount === 1);
    expect(returned).toEqual([]); // routed by the AE: not returned
  });

  it('CC and BCC add routing keys; BCC is not delivered', async () => {
    const ch = await conn.createChannel();
    const [q1, q2, q3] = [name('cc1'), name('cc2'), name('cc3')];
    for (const q of [q1, q2, q3]) await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q1, Buffer.from('hello'), { CC: [q2], BCC: [q3] });
    await sleep(50);
    const got = await Promise.all([q1, q2, q3].map(async (q) => (await ch.get(q, { noAck: true })) as amqp.GetMessage));
    expect(got.map((m) => m.content.toString())).toEqual(['hello', 'hello', 'hello']);
    for (const m of got) {
      expect(m.properties.headers?.CC).toEqual([q2]);
      expect(m.properties.headers?.BCC).toBeUndefined();
    }
  });
});

describe('argument validation (406 with RabbitMQ\'s texts)', () => {
  it('values', async () => {
    await expectDeclareError({ 'x-message-ttl': -1 }, "invalid arg 'x-message-ttl' for queue 'QUEUE' in vhost '/': {value_negative,-1}");
    await expectDeclareError({ 'x-message-ttl': 'abc' }, "invalid arg 'x-message-ttl' for queue 'QUEUE' in vhost '/': \"expected integer, got longstr\"");
    await expectDeclareError({ 'x-expires': 0 }, "invalid arg 'x-expires' for queue 'QUEUE' in vhost '/': {value_zero,0}");
    await expectDeclareError({ 'x-max-priority': 300 }, "invalid arg 'x-max-priority' for queue 'QUEUE' in vhost '/': {max_value_exceeded,300}");
    await expectDeclareError({ 'x-overflow': 'foo' }, "invalid arg 'x-overflow' for queue 'QUEUE' in vhost '/': invalid_overflow");
    await expectDeclareError({ 'x-dead-letter-routing-key': 'k' }, "invalid arg 'x-dead-letter-routing-key' for queue 'QUEUE' in vhost '/': routing_key_but_no_dlx_defined");
    await expectDeclareError({ 'x-single-active-consumer': 'yes' }, "invalid arg 'x-single-active-consumer' for queue 'QUEUE' in vhost '/': {unacceptable_type,longstr}");
    await expectDeclareError({ 'x-dead-letter-exchange': 5 }, "invalid type 'byte' for arg 'x-dead-letter-exchange' in queue 'QUEUE' in vhost '/'");
    await expectDeclareError({ 'x-queue-type': 'foo' }, "invalid arg 'x-queue-type' for queue 'QUEUE' in vhost '/': \"unsupported queue type 'foo'\"");
  });

  it('quorum rules', async () => {
    await expectDeclareError({ 'x-queue-type': 'quorum' }, "PRECONDITION_FAILED - invalid property 'non-durable' for queue 'QUEUE' in vhost '/'", { durable: false });
    await expectDeclareError({ 'x-queue-type': 'quorum' }, "PRECONDITION_FAILED - invalid property 'auto-delete' for queue 'QUEUE' in vhost '/'", { durable: true, autoDelete: true });
  });
});

describe('quorum queues on one node (Warren follows RabbitMQ 4: 3.10 also sends x-delivery-count 0 first)', () => {
  it('count deliveries in x-delivery-count and dead-letter past x-delivery-limit', async () => {
    const ch = await conn.createChannel();
    const dlx = name('qq-dlx');
    const dead = name('qq-dead');
    await ch.assertExchange(dlx, 'fanout', { durable: false });
    await ch.assertQueue(dead, { durable: false });
    await ch.bindQueue(dead, dlx, '');
    const q = name('qq');
    await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 2, 'x-dead-letter-exchange': dlx } });
    ch.sendToQueue(q, Buffer.from('poison'));
    const counts: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      let m: amqp.GetMessage | false = false;
      await until(async () => (m = await ch.get(q)) !== false);
      const h = (m as unknown as amqp.GetMessage).properties.headers ?? {};
      counts.push([h['x-delivery-count'], h['x-acquired-count']]);
      ch.nack(m as unknown as amqp.GetMessage, false, true);
    }
    expect(counts).toEqual([[undefined, 0], [1, 1], [2, 2]]);
    await until(async () => (await ch.checkQueue(dead)).messageCount === 1);
    const d = (await ch.get(dead, { noAck: true })) as amqp.GetMessage;
    expect((d.properties.headers?.['x-death'] as unknown as Record<string, unknown>[])[0].reason).toBe('delivery_limit');
    await ch.deleteQueue(q);
  });
});

describe('consumer timeout', () => {
  it('closes the channel with RabbitMQ\'s 406 when a delivery stays unacknowledged too long, and requeues it', async () => {
    const ch = await conn.createChannel();
    const q = name('ctimeout');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-consumer-timeout': 300 } });
    ch.sendToQueue(q, Buffer.from('slow'));
    const c2 = await conn.createChannel();
    const closed = closedWith(c2);
    await c2.consume(q, () => undefined, { noAck: false });
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toMatch(/PRECONDITION_FAILED - delivery acknowledgement on channel \d+ timed out\. Timeout value used: 300 ms\. This timeout value can be configured, see consumers doc guide to learn more/);
    const back = (await ch.get(q, { noAck: true })) as amqp.GetMessage;
    expect([back.content.toString(), back.fields.redelivered]).toEqual(['slow', true]);
  });
});

describe('direct reply-to', () => {
  it('routes a reply straight to the requester\'s amq.rabbitmq.reply-to consumer', async () => {
    const server = await conn.createChannel();
    const rpcQ = name('rpc');
    await server.assertQueue(rpcQ, { durable: false });
    await server.consume(rpcQ, (m) => {
      if (!m) return;
      server.sendToQueue(m.properties.replyTo as string, Buffer.from(`re: ${m.content.toString()}`), { correlationId: m.properties.correlationId });
      server.ack(m);
    });
    const client = await conn.createChannel();
    const replies: amqp.ConsumeMessage[] = [];
    await client.consume('amq.rabbitmq.reply-to', (m) => { if (m) replies.push(m); }, { noAck: true });
    client.sendToQueue(rpcQ, Buffer.from('ping'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c1' });
    await until(() => replies.length === 1);
    expect(replies[0].content.toString()).toBe('re: ping');
    expect(replies[0].properties.correlationId).toBe('c1');
    expect(replies[0].fields.routingKey).toMatch(/^amq\.rabbitmq\.reply-to\./);
  });

  it('refuses a reply consumer that acknowledges, and a reply_to with no reply consumer', async () => {
    const ch = await conn.createChannel();
    const closed = closedWith(ch);
    await ch.consume('amq.rabbitmq.reply-to', () => undefined, { noAck: false }).catch(() => undefined);
    expect((await closed).message).toContain('PRECONDITION_FAILED - reply consumer cannot acknowledge');
    const c2 = await conn.createChannel();
    const closed2 = closedWith(c2);
    c2.sendToQueue(name('any'), Buffer.from('x'), { replyTo: 'amq.rabbitmq.reply-to' });
    expect((await closed2).message).toContain('PRECONDITION_FAILED - fast reply consumer does not exist');
  });
});
