/**
 * RabbitMQ's queue arguments and extensions as a client observes them: dead-lettering and the
 * x-death header field by field, TTL and x-expires, length limits and overflow, priorities,
 * consumer priorities, single active consumer, consumer timeouts, alternate exchanges, CC/BCC,
 * direct reply-to, quorum queues and their delivery limit, argument validation texts.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, connect, expectChannelClose, expectClosed, freshExchange, freshQueue, getOne, sleep, tidy } from './support/client.js';
import { target, unique, type Target } from './support/target.js';

let conn: amqp.ChannelModel;
let t: Target;
beforeAll(async () => {
  t = await target();
  conn = await connect();
});
afterAll(tidy);

const queue = freshQueue;
const exchange = freshExchange;
const bodies = (ms: { content: Buffer }[]) => ms.map((m) => m.content.toString());
type Headers = Record<string, unknown>;
const headersOf = (m: amqp.Message) => (m.properties.headers ?? {}) as Headers;
const deathsOf = (m: amqp.Message) => headersOf(m)['x-death'] as Headers[];

async function drain(ch: amqp.Channel, q: string): Promise<amqp.GetMessage[]> {
  const out: amqp.GetMessage[] = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) out.push(m);
  return out;
}

async function eventually(cond: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const count = async (ch: amqp.Channel, q: string) => (await ch.checkQueue(q)).messageCount;

/** A queue dead-lettering into a fresh fanout exchange bound to a fresh queue. */
async function withDlx(ch: amqp.Channel, args: Record<string, unknown> = {}) {
  const dlx = exchange('dlx');
  const dead = queue('dead');
  const q = queue('src');
  await ch.assertExchange(dlx, 'fanout', { durable: false });
  await ch.assertQueue(dead, { durable: false });
  await ch.bindQueue(dead, dlx, '');
  await ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': dlx, ...args } });
  return { dlx, dead, q };
}

/** x-death's time: an AMQP timestamp (seconds) close to now. */
function expectRecentTimestamp(v: unknown): void {
  expect(v).toEqual({ '!': 'timestamp', value: expect.any(Number) });
  const seconds = (v as { value: number }).value;
  expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(120);
}

/**
 * The x-first-death-* headers (all RabbitMQ versions) and x-last-death-* (RabbitMQ 3.13+,
 * and Warren) as they should be after deaths whose first and last are given.
 */
function expectDeathSummary(h: Headers, first: [string, string, string], last: [string, string, string]): void {
  expect([h['x-first-death-reason'], h['x-first-death-queue'], h['x-first-death-exchange']]).toEqual(first);
  const lastSeen = [h['x-last-death-reason'], h['x-last-death-queue'], h['x-last-death-exchange']];
  expect(lastSeen).toEqual(t.rabbitBefore('3.13') ? [undefined, undefined, undefined] : last);
}

describe('dead-lettering', () => {
  it('a rejected message reaches the DLX with x-death exactly as RabbitMQ writes it', async () => {
    const ch = await conn.createChannel();
    const { dlx, dead, q } = await withDlx(ch);
    ch.sendToQueue(q, Buffer.from('reject me'), { headers: { a: 1 }, expiration: '50000', CC: ['cc-key'], messageId: 'm1' });
    const m = await getOne(ch, q);
    ch.nack(m, false, false);
    const d = await getOne(ch, dead, true);
    expect(d.content.toString()).toBe('reject me');
    expect([d.fields.exchange, d.fields.routingKey, d.fields.redelivered]).toEqual([dlx, q, false]);
    expect(d.properties.expiration).toBeUndefined(); // moved into original-expiration
    expect(d.properties.messageId).toBe('m1');
    const h = headersOf(d);
    expect(h.a).toBe(1);
    expect(h.CC).toEqual(['cc-key']);
    const deaths = deathsOf(d);
    expect(deaths).toHaveLength(1);
    const { time, ...rest } = deaths[0];
    expectRecentTimestamp(time);
    expect(rest).toEqual({
      count: 1, reason: 'rejected', queue: q, exchange: '', 'routing-keys': [q, 'cc-key'], 'original-expiration': '50000',
    });
    expectDeathSummary(h, ['rejected', q, ''], ['rejected', q, '']);
  });

  it('basic.reject with requeue=false dead-letters too; requeue=true does not', async () => {
    const ch = await conn.createChannel();
    const { dead, q } = await withDlx(ch);
    ch.sendToQueue(q, Buffer.from('r'));
    const m = await getOne(ch, q);
    ch.reject(m, true);
    const again = await getOne(ch, q);
    expect(again.fields.redelivered).toBe(true);
    expect(await count(ch, dead)).toBe(0);
    ch.reject(again, false);
    const d = await getOne(ch, dead, true);
    expect(deathsOf(d).map((x) => [x.reason, x.count])).toEqual([['rejected', 1]]);
  });

  it('an expired message is dead-lettered as expired with no consumer at all', async () => {
    const ch = await conn.createChannel();
    const { dlx, dead, q } = await withDlx(ch, { 'x-message-ttl': 50 });
    ch.publish('', q, Buffer.from('expire me'), { persistent: false });
    const d = await getOne(ch, dead, true);
    expect(await count(ch, q)).toBe(0);
    expect([d.content.toString(), d.fields.exchange, d.fields.routingKey]).toEqual(['expire me', dlx, q]);
    const { time, ...rest } = deathsOf(d)[0];
    expectRecentTimestamp(time);
    expect(rest).toEqual({ count: 1, reason: 'expired', queue: q, exchange: '', 'routing-keys': [q] });
    expectDeathSummary(headersOf(d), ['expired', q, ''], ['expired', q, '']);
  });

  it('per-message expiration is kept as original-expiration when it expires', async () => {
    const ch = await conn.createChannel();
    const { dead, q } = await withDlx(ch);
    ch.sendToQueue(q, Buffer.from('short-lived'), { expiration: '40' });
    const d = await getOne(ch, dead, true);
    expect(d.properties.expiration).toBeUndefined();
    expect(deathsOf(d)[0]).toMatchObject({ reason: 'expired', 'original-expiration': '40', count: 1 });
  });

  it('x-dead-letter-routing-key replaces the routing keys (CC included)', async () => {
    const ch = await conn.createChannel();
    const dlx = exchange('dlx');
    const parking = queue('parking');
    const cc = queue('cc-target');
    await ch.assertExchange(dlx, 'direct', { durable: false });
    await ch.assertQueue(parking, { durable: false });
    await ch.assertQueue(cc, { durable: false });
    await ch.bindQueue(parking, dlx, 'parking');
    await ch.bindQueue(cc, dlx, 'cc-key');
    const q = queue('src');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': 'parking' } });
    ch.sendToQueue(q, Buffer.from('x'), { CC: ['cc-key'] });
    ch.reject(await getOne(ch, q), false);
    const d = await getOne(ch, parking, true);
    expect(d.fields.routingKey).toBe('parking');
    expect(deathsOf(d)[0]['routing-keys']).toEqual([q, 'cc-key']); // the keys it had, not the new one
    await sleep(100);
    expect(await count(ch, cc)).toBe(0); // CC is not re-applied when the DLX routing key is set
  });

  it('dead-lettering to a missing exchange drops the message silently', async () => {
    const ch = await conn.createChannel();
    const q = queue('to-nowhere');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': unique('absent') } });
    ch.sendToQueue(q, Buffer.from('lost'));
    ch.reject(await getOne(ch, q), false);
    await sleep(100);
    expect(await count(ch, q)).toBe(0);
    const probe = await conn.createChannel(); // channel and connection unharmed
    await probe.close();
  });

  it('a retry loop counts repeated deaths per (queue, reason), most recent first', async () => {
    const ch = await conn.createChannel();
    const work = queue('work');
    const wait = queue('wait');
    await ch.assertQueue(work, { durable: false, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': wait } });
    await ch.assertQueue(wait, { durable: false, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': work, 'x-message-ttl': 30 } });
    ch.sendToQueue(work, Buffer.from('retry'));
    for (let round = 1; round <= 3; round++) {
      const got = await getOne(ch, work);
      if (round > 1) {
        const deaths = deathsOf(got);
        expect(deaths.map((d) => [d.queue, d.reason, d.count, d.exchange, d['routing-keys']])).toEqual([
          [wait, 'expired', round - 1, '', [wait]],
          [work, 'rejected', round - 1, '', [work]],
        ]);
        expectDeathSummary(headersOf(got), ['rejected', work, ''], ['expired', wait, '']);
      }
      ch.reject(got, false);
    }
  });

  it('a fully automatic cycle (expiry into itself) is dropped, not looped', async () => {
    const ch = await conn.createChannel();
    const self = queue('self');
    const watcher = queue('watcher');
    const x = exchange('cycle');
    await ch.assertExchange(x, 'fanout', { durable: false });
    await ch.assertQueue(self, { durable: false, arguments: { 'x-dead-letter-exchange': x, 'x-message-ttl': 20 } });
    await ch.assertQueue(watcher, { durable: false });
    await ch.bindQueue(self, x, '');
    await ch.bindQueue(watcher, x, '');
    ch.publish(x, '', Buffer.from('loop'));
    // the first expiry dead-letters into both queues; the copy that comes back to `self`
    // and expires again would be a cycle with no rejection: RabbitMQ drops it
    await eventually(async () => (await count(ch, watcher)) >= 2);
    await sleep(300);
    expect(await count(ch, self)).toBe(0);
    const seen = await drain(ch, watcher);
    expect(seen).toHaveLength(2);
    expect(deathsOf(seen[1]).map((d) => [d.queue, d.reason, d.count])).toEqual([[self, 'expired', 1]]);
  });

  it('a message dropped by x-max-length is dead-lettered as maxlen', async () => {
    const ch = await conn.createChannel();
    const { dead, q } = await withDlx(ch, { 'x-max-length': 2 });
    for (const b of ['1', '2', '3', '4']) ch.sendToQueue(q, Buffer.from(b));
    await eventually(async () => (await count(ch, dead)) === 2);
    expect(bodies(await drain(ch, q))).toEqual(['3', '4']);
    const d = await drain(ch, dead);
    expect(bodies(d)).toEqual(['1', '2']);
    const { time, ...rest } = deathsOf(d[0])[0];
    expectRecentTimestamp(time);
    expect(rest).toEqual({ count: 1, reason: 'maxlen', queue: q, exchange: '', 'routing-keys': [q] });
  });
});

describe('TTL and expiry', () => {
  it('expired messages leave the queue with no consumer; the lower of queue TTL and expiration wins', async () => {
    const ch = await conn.createChannel();
    const q = queue('ttl');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-message-ttl': 10_000 } });
    ch.sendToQueue(q, Buffer.from('short'), { expiration: '30' });
    ch.sendToQueue(q, Buffer.from('long'));
    await eventually(async () => (await count(ch, q)) === 1);
    expect(bodies(await drain(ch, q))).toEqual(['long']);
  });

  it('a queue TTL expires a whole backlog even with no consumer', async () => {
    const ch = await conn.createChannel();
    const q = queue('ttl-backlog');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-message-ttl': 50 } });
    for (let i = 0; i < 100; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await eventually(async () => (await count(ch, q)) === 0);
    expect(await ch.get(q)).toBe(false);
  });

  it('expiration "0" is delivered only to a consumer that can take it at once', async () => {
    const ch = await conn.createChannel();
    const q = queue('ttl0');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('nobody'), { expiration: '0' });
    await sleep(50);
    expect(await count(ch, q)).toBe(0);
    const got: string[] = [];
    await ch.consume(q, (m) => { if (m) got.push(m.content.toString()); }, { noAck: true });
    ch.sendToQueue(q, Buffer.from('someone'), { expiration: '0' });
    await eventually(() => got.length === 1);
    expect(got).toEqual(['someone']);
  });

  it('a bad expiration closes the channel with RabbitMQ\'s texts', async () => {
    for (const [e, text] of [['abc', 'no_integer'], ['-1', '{value_negative,-1}'], ['1.5', '{leftover_string,".5"}']]) {
      const closed = await expectChannelClose(conn, (ch) => { ch.sendToQueue(unique('x'), Buffer.from('x'), { expiration: e }); });
      expectClosed(closed, 406, `PRECONDITION_FAILED - invalid expiration '${e}': ${text}`);
    }
  });

  it('x-expires deletes a queue nobody uses; a consumer keeps it alive', async () => {
    const ch = await conn.createChannel();
    const unused = queue('expires');
    const used = queue('expires-used');
    await ch.assertQueue(unused, { durable: false, arguments: { 'x-expires': 100 } });
    await ch.assertQueue(used, { durable: false, arguments: { 'x-expires': 100 } });
    await ch.consume(used, () => undefined, { noAck: true });
    await sleep(500);
    expectClosed(await expectChannelClose(conn, (c) => c.checkQueue(unused)), 404, `NOT_FOUND - no queue '${unused}' in vhost '/'`);
    expect((await ch.checkQueue(used)).consumerCount).toBe(1);
  });
});

describe('length limits', () => {
  it('x-max-length drops from the head by default', async () => {
    const ch = await conn.createChannel();
    const q = queue('maxlen');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length': 2 } });
    for (const b of ['a', 'b', 'c']) ch.sendToQueue(q, Buffer.from(b));
    await eventually(async () => (await count(ch, q)) === 2);
    expect(bodies(await drain(ch, q))).toEqual(['b', 'c']);
  });

  it('x-max-length-bytes counts body bytes and drops from the head', async () => {
    const ch = await conn.createChannel();
    const q = queue('bytes');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length-bytes': 10 } });
    for (const b of ['aaaa', 'bbbb', 'cccc']) ch.sendToQueue(q, Buffer.from(b));
    await eventually(async () => (await count(ch, q)) === 2);
    expect(bodies(await drain(ch, q))).toEqual(['bbbb', 'cccc']);
  });

  it('reject-publish nacks a confirming publisher and keeps the queue as it is', async () => {
    const ch = await conn.createConfirmChannel();
    const q = queue('reject');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
    const outcomes: string[] = [];
    for (const b of ['1', '2', '3']) {
      await new Promise<void>((resolve) => ch.sendToQueue(q, Buffer.from(b), {}, (err) => { outcomes.push(err ? 'nack' : 'ack'); resolve(); }));
    }
    expect(outcomes).toEqual(['ack', 'nack', 'nack']);
    expect(bodies(await drain(ch, q))).toEqual(['1']);
  });

  it('reject-publish-dlx also dead-letters the refused message as maxlen', async () => {
    const ch = await conn.createConfirmChannel();
    const { dead, q } = await withDlx(ch, { 'x-max-length': 1, 'x-overflow': 'reject-publish-dlx' });
    const outcomes: string[] = [];
    for (const b of ['kept', 'refused']) {
      await new Promise<void>((resolve) => ch.sendToQueue(q, Buffer.from(b), {}, (err) => { outcomes.push(err ? 'nack' : 'ack'); resolve(); }));
    }
    expect(outcomes).toEqual(['ack', 'nack']);
    const d = await getOne(ch, dead, true);
    expect(d.content.toString()).toBe('refused');
    expect(deathsOf(d).map((x) => [x.reason, x.queue])).toEqual([['maxlen', q]]);
    expect(bodies(await drain(ch, q))).toEqual(['kept']);
  });
});

describe('priorities', () => {
  it('a backlog comes out highest priority first, FIFO within a priority, above-max as max', async () => {
    const ch = await conn.createChannel();
    const q = queue('prio');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-priority': 5 } });
    const sent: [string, number | undefined][] = [['a0', 0], ['b5', 5], ['c', undefined], ['d9', 9], ['e3', 3], ['f5', 5]];
    for (const [b, p] of sent) ch.sendToQueue(q, Buffer.from(b), p === undefined ? {} : { priority: p });
    await eventually(async () => (await count(ch, q)) === 6);
    expect(bodies(await drain(ch, q))).toEqual(['b5', 'd9', 'f5', 'e3', 'a0', 'c']);
  });

  it('a requeued message goes back ahead of its priority level', async () => {
    const ch = await conn.createChannel();
    const q = queue('prio-requeue');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-priority': 2 } });
    for (const [b, p] of [['lo1', 1], ['hi1', 2], ['hi2', 2]] as const) ch.sendToQueue(q, Buffer.from(b), { priority: p });
    await eventually(async () => (await count(ch, q)) === 3);
    const first = await getOne(ch, q);
    expect(first.content.toString()).toBe('hi1');
    ch.nack(first, false, true);
    const order = await drain(ch, q);
    expect(order.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([['hi1', true], ['hi2', false], ['lo1', false]]);
  });
});

describe('consumers', () => {
  it('consumers with a higher x-priority are served first while they have room', async () => {
    const ch = await conn.createChannel();
    const q = queue('cprio');
    await ch.assertQueue(q, { durable: false });
    const low: string[] = [];
    const high: string[] = [];
    const lowCh = await conn.createChannel();
    await lowCh.consume(q, (m) => { if (m) low.push(m.content.toString()); }, { noAck: true, arguments: { 'x-priority': 1 } });
    const highCh = await conn.createChannel();
    await highCh.prefetch(2);
    await highCh.consume(q, (m) => { if (m) high.push(m.content.toString()); }, { noAck: false, arguments: { 'x-priority': 10 } });
    for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await eventually(() => low.length + high.length === 5);
    expect(high).toEqual(['0', '1']);
    expect(low).toEqual(['2', '3', '4']);
  });

  it('x-priority must be an integer', async () => {
    const q = queue('cprio-bad');
    await (await conn.createChannel()).assertQueue(q, { durable: false });
    const closed = await expectChannelClose(conn, (ch) => ch.consume(q, () => undefined, { arguments: { 'x-priority': 'high' } }));
    expectClosed(closed, 406, `PRECONDITION_FAILED - invalid arg 'x-priority' for queue '${q}' in vhost '/': "expected integer, got longstr"`);
  });

  it('single active consumer: one gets everything until it goes, then the next in line', async () => {
    const ch = await conn.createChannel();
    const q = queue('sac');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-single-active-consumer': true } });
    const a: string[] = [];
    const b: string[] = [];
    const chA = await conn.createChannel();
    const tagA = (await chA.consume(q, (m) => { if (m) a.push(m.content.toString()); }, { noAck: true })).consumerTag;
    const chB = await conn.createChannel();
    await chB.consume(q, (m) => { if (m) b.push(m.content.toString()); }, { noAck: true });
    expect((await ch.checkQueue(q)).consumerCount).toBe(2);
    for (let i = 0; i < 4; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await eventually(() => a.length === 4);
    await chA.cancel(tagA);
    ch.sendToQueue(q, Buffer.from('after'));
    await eventually(() => b.length === 1);
    expect([a, b]).toEqual([['0', '1', '2', '3'], ['after']]);
  });

  it('single active consumer: unacked messages of the active one go to the next when its channel closes', async () => {
    const ch = await conn.createChannel();
    const q = queue('sac-handover');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-single-active-consumer': true } });
    const a: amqp.ConsumeMessage[] = [];
    const b: amqp.ConsumeMessage[] = [];
    const chA = await conn.createChannel();
    await chA.consume(q, (m) => { if (m) a.push(m); }, { noAck: false });
    const chB = await conn.createChannel();
    await chB.consume(q, (m) => { if (m) b.push(m); }, { noAck: true });
    for (const x of ['1', '2']) ch.sendToQueue(q, Buffer.from(x));
    await eventually(() => a.length === 2);
    await chA.close();
    await eventually(() => b.length === 2);
    expect(b.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([['1', true], ['2', true]]);
  });

  it('an exclusive consumer shuts others out with RabbitMQ\'s 403', async () => {
    const ch = await conn.createChannel();
    const q = queue('excl-consumer');
    await ch.assertQueue(q, { durable: false });
    await ch.consume(q, () => undefined, { exclusive: true });
    const closed = await expectChannelClose(conn, (c) => c.consume(q, () => undefined));
    expectClosed(closed, 403, `ACCESS_REFUSED - queue '${q}' in vhost '/' in exclusive use`);
  });

  it('x-consumer-timeout closes the channel with RabbitMQ\'s 406 and requeues the delivery', async () => {
    const ch = await conn.createChannel();
    const q = queue('ctimeout');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-consumer-timeout': 300 } });
    ch.sendToQueue(q, Buffer.from('slow'));
    const c2 = await conn.createChannel();
    const errors: (Error & { code?: number })[] = [];
    c2.on('error', (e: Error) => errors.push(e));
    await c2.consume(q, () => undefined, { noAck: false });
    if (t.rabbitBefore('3.12')) {
      // RabbitMQ 3.10 ignores the argument (it came in 3.12): the delivery stays out
      await sleep(1500);
      expect(errors).toEqual([]);
      return;
    }
    await eventually(() => errors.length === 1, 70_000); // RabbitMQ checks once a minute
    expect(errors[0].code).toBe(406);
    expect(errors[0].message).toMatch(/PRECONDITION_FAILED - delivery acknowledgement on channel \d+ timed out\. Timeout value used: 300 ms\. This timeout value can be configured, see consumers doc guide to learn more/);
    const back = await getOne(ch, q, true);
    expect([back.content.toString(), back.fields.redelivered]).toEqual(['slow', true]);
  }, 80_000);
});

describe('routing extensions', () => {
  it('alternate-exchange takes what the exchange cannot route, so mandatory is not returned', async () => {
    const ch = await conn.createChannel();
    const ae = exchange('ae');
    const x = exchange('main');
    const caught = queue('caught');
    await ch.assertExchange(ae, 'fanout', { durable: false });
    await ch.assertQueue(caught, { durable: false });
    await ch.bindQueue(caught, ae, '');
    await ch.assertExchange(x, 'direct', { durable: false, arguments: { 'alternate-exchange': ae } });
    const returned: string[] = [];
    ch.on('return', (m: amqp.Message) => returned.push(m.content.toString()));
    ch.publish(x, 'nowhere', Buffer.from('to the AE'), { mandatory: true });
    const m = await getOne(ch, caught, true);
    expect([m.content.toString(), m.fields.exchange, m.fields.routingKey]).toEqual(['to the AE', x, 'nowhere']);
    expect(returned).toEqual([]);
  });

  it('an alternate exchange that routes nowhere either: mandatory returns it', async () => {
    const ch = await conn.createChannel();
    const ae = exchange('ae-empty');
    const x = exchange('main2');
    await ch.assertExchange(ae, 'fanout', { durable: false });
    await ch.assertExchange(x, 'direct', { durable: false, arguments: { 'alternate-exchange': ae } });
    const returned: [string, number, string][] = [];
    ch.on('return', (m: amqp.Message) => returned.push([m.content.toString(), (m.fields as unknown as { replyCode: number }).replyCode, (m.fields as unknown as { replyText: string }).replyText]));
    ch.publish(x, 'k', Buffer.from('lost twice'), { mandatory: true });
    await eventually(() => returned.length === 1);
    expect(returned).toEqual([['lost twice', 312, 'NO_ROUTE']]);
  });

  it('CC and BCC add routing keys; CC is delivered, BCC is stripped', async () => {
    const ch = await conn.createChannel();
    const [q1, q2, q3] = [queue('cc1'), queue('cc2'), queue('cc3')];
    for (const q of [q1, q2, q3]) await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q1, Buffer.from('hello'), { CC: [q2], BCC: [q3], headers: { keep: 'me' } });
    const got = [await getOne(ch, q1, true), await getOne(ch, q2, true), await getOne(ch, q3, true)];
    expect(got.map((m) => [m.content.toString(), m.fields.routingKey])).toEqual([['hello', q1], ['hello', q1], ['hello', q1]]);
    for (const m of got) expect(headersOf(m)).toEqual({ keep: 'me', CC: [q2] });
  });

  it('direct reply-to: a reply goes straight to the requester\'s amq.rabbitmq.reply-to consumer', async () => {
    const server = await conn.createChannel();
    const rpcQ = queue('rpc');
    await server.assertQueue(rpcQ, { durable: false });
    const replyTos: string[] = [];
    await server.consume(rpcQ, (m) => {
      if (!m) return;
      replyTos.push(m.properties.replyTo as string);
      server.sendToQueue(m.properties.replyTo as string, Buffer.from(`re: ${m.content.toString()}`), { correlationId: m.properties.correlationId });
      server.ack(m);
    });
    const client = await conn.createChannel();
    const replies: amqp.ConsumeMessage[] = [];
    await client.consume('amq.rabbitmq.reply-to', (m) => { if (m) replies.push(m); }, { noAck: true });
    client.sendToQueue(rpcQ, Buffer.from('ping'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c1' });
    await eventually(() => replies.length === 1);
    expect(replyTos[0]).toMatch(/^amq\.rabbitmq\.reply-to\.\S+$/);
    expect([replies[0].content.toString(), replies[0].properties.correlationId, replies[0].fields.exchange]).toEqual(['re: ping', 'c1', '']);
    expect(replies[0].fields.routingKey).toBe(replyTos[0]);
  });

  it('direct reply-to refuses an acknowledging reply consumer, and a reply_to with no reply consumer', async () => {
    const a = await expectChannelClose(conn, (ch) => ch.consume('amq.rabbitmq.reply-to', () => undefined, { noAck: false }));
    expectClosed(a, 406, 'PRECONDITION_FAILED - reply consumer cannot acknowledge');
    const b = await expectChannelClose(conn, (ch) => { ch.sendToQueue(unique('any'), Buffer.from('x'), { replyTo: 'amq.rabbitmq.reply-to' }); });
    expectClosed(b, 406, 'PRECONDITION_FAILED - fast reply consumer does not exist');
  });
});

describe('quorum queues', () => {
  it('declare a durable quorum queue; redeclaring it as classic is inequivalent', async () => {
    const ch = await conn.createChannel();
    const q = queue('qq');
    expect(await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } })).toEqual({ queue: q, messageCount: 0, consumerCount: 0 });
    const closed = await expectChannelClose(conn, (c) => c.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'classic' } }));
    expectClosed(closed, 406, `PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue '${q}' in vhost '/': received 'classic' but current is 'quorum'`);
  });

  it('quorum rules: durable only, not exclusive, not auto-delete', async () => {
    const cases: [amqp.Options.AssertQueue, string][] = [
      [{ durable: false }, 'non-durable'],
      [{ durable: true, autoDelete: true }, 'auto-delete'],
      [{ durable: true, exclusive: true }, 'exclusive-owner'],
    ];
    for (const [options, property] of cases) {
      const q = unique('qq-bad');
      const closed = await expectChannelClose(conn, (ch) => ch.assertQueue(q, { ...options, arguments: { 'x-queue-type': 'quorum' } }));
      expectClosed(closed, 406, `PRECONDITION_FAILED - invalid property '${property}' for queue '${q}' in vhost '/'`);
    }
  });

  it('x-delivery-limit dead-letters a message rejected too often (reason delivery_limit)', async () => {
    const ch = await conn.createChannel();
    const dlx = exchange('qq-dlx');
    const dead = queue('qq-dead');
    await ch.assertExchange(dlx, 'fanout', { durable: false });
    await ch.assertQueue(dead, { durable: false });
    await ch.bindQueue(dead, dlx, '');
    const q = queue('qq-limit');
    await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 2, 'x-dead-letter-exchange': dlx } });
    ch.sendToQueue(q, Buffer.from('poison'));
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await getOne(ch, q);
      const h = headersOf(m);
      seen.push([m.fields.redelivered, h['x-delivery-count'], h['x-acquired-count']]);
      ch.nack(m, false, true);
    }
    // RabbitMQ 4 counts failed deliveries in x-delivery-count and every acquisition in
    // x-acquired-count; 3.x counted every return in x-delivery-count
    expect(seen).toEqual(t.rabbitBefore('4.0')
      ? [[false, 0, undefined], [true, 1, undefined], [true, 2, undefined]]
      : [[false, undefined, 0], [true, 1, 1], [true, 2, 2]]);
    const d = await getOne(ch, dead, true);
    expect(d.content.toString()).toBe('poison');
    expect(deathsOf(d).map((x) => [x.reason, x.queue, x.count])).toEqual([['delivery_limit', q, 1]]);
    expect(await count(ch, q)).toBe(0);
  });
});

describe('argument validation: 406 with RabbitMQ\'s texts', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['negative TTL', { 'x-message-ttl': -1 }, "invalid arg 'x-message-ttl' for QUEUE: {value_negative,-1}"],
    ['TTL as a string', { 'x-message-ttl': 'abc' }, 'invalid arg \'x-message-ttl\' for QUEUE: "expected integer, got longstr"'],
    ['zero x-expires', { 'x-expires': 0 }, "invalid arg 'x-expires' for QUEUE: {value_zero,0}"],
    ['negative x-max-length', { 'x-max-length': -1 }, "invalid arg 'x-max-length' for QUEUE: {value_negative,-1}"],
    ['x-max-priority 300', { 'x-max-priority': 300 }, "invalid arg 'x-max-priority' for QUEUE: {max_value_exceeded,300}"],
    ['negative x-max-priority', { 'x-max-priority': -1 }, "invalid arg 'x-max-priority' for QUEUE: {value_negative,-1}"],
    ['unknown x-overflow', { 'x-overflow': 'foo' }, "invalid arg 'x-overflow' for QUEUE: invalid_overflow"],
    ['DLX routing key without DLX', { 'x-dead-letter-routing-key': 'k' }, "invalid arg 'x-dead-letter-routing-key' for QUEUE: routing_key_but_no_dlx_defined"],
    ['SAC as a string', { 'x-single-active-consumer': 'yes' }, "invalid arg 'x-single-active-consumer' for QUEUE: {unacceptable_type,longstr}"],
    ['DLX as a number', { 'x-dead-letter-exchange': 5 }, "invalid type 'byte' for arg 'x-dead-letter-exchange' in QUEUE"],
    ['unknown queue type', { 'x-queue-type': 'foo' }, 'invalid arg \'x-queue-type\' for QUEUE: "unsupported queue type \'foo\'"'],
  ];
  it.each(cases)('%s', async (_name, args, text) => {
    const q = unique('bad');
    const closed = await expectChannelClose(conn, (ch) => ch.assertQueue(q, { durable: false, arguments: args }));
    expectClosed(closed, 406, `PRECONDITION_FAILED - ${text.replace('QUEUE', `queue '${q}' in vhost '/'`)}`);
  });
});
