/**
 * The consistent-hash exchange (rabbitmq_consistent_hash_exchange, enabled on the RabbitMQ these
 * scenarios were proven against) and the random exchange (RabbitMQ 3.13+; on older RabbitMQ the
 * type is unknown). RabbitMQ's hash cannot be reproduced, so the scenarios assert what a client
 * can rely on: one queue per message, the same queue for the same key, shares that follow the
 * weights, and RabbitMQ's errors.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, expectChannelError, expectClosed, expectConnectionClose, freshExchange, freshQueue, tidy } from '../support/client.js';
import { managementHttp, type Http } from '../support/http.js';
import { target, type Target } from '../support/target.js';

let t: Target;
let conn: amqp.ChannelModel;
let http: Http;
beforeAll(async () => {
  t = await target();
  conn = await connect();
  http = managementHttp(t);
});
afterAll(tidy);

const HASH = 'x-consistent-hash';

async function hashExchange(ch: amqp.Channel, args?: Record<string, unknown>): Promise<string> {
  const x = freshExchange('chx');
  await ch.assertExchange(x, HASH, { durable: false, autoDelete: false, arguments: args });
  return x;
}

async function queues(ch: amqp.Channel, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const q = freshQueue(`chq${i}`);
    await ch.assertQueue(q, { durable: false, autoDelete: false });
    names.push(q);
  }
  return names;
}

/** Publishes with confirms; `each(i)` gives the routing key and options of message i. */
async function publish(ch: amqp.ConfirmChannel, x: string, n: number, each: (i: number) => [string, amqp.Options.Publish?]): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [key, options] = each(i);
    ch.publish(x, key, Buffer.from(String(i)), options);
  }
  await ch.waitForConfirms();
}

/** How many messages each queue holds, then empties them. */
async function counts(ch: amqp.Channel, qs: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const q of qs) out.push((await ch.checkQueue(q)).messageCount);
  for (const q of qs) await ch.purgeQueue(q);
  return out;
}

/** Every message's body, by the queue it is in (consumed with auto-ack until `total` arrived). */
async function drain(ch: amqp.Channel, qs: string[], total: number): Promise<Map<string, string[]>> {
  const got = new Map<string, string[]>(qs.map((q) => [q, []]));
  let n = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((r) => { done = r; });
  const tags: string[] = [];
  for (const q of qs) {
    const ok = await ch.consume(q, (m) => {
      if (m === null) return;
      got.get(q)?.push(m.content.toString());
      if (++n === total) done();
    }, { noAck: true });
    tags.push(ok.consumerTag);
  }
  if (total > 0) await all;
  for (const tag of tags) await ch.cancel(tag);
  return got;
}

describe('x-consistent-hash: declaration and binding checks', () => {
  it('refuses a weight that is not an integer of 1 or more, with RabbitMQ texts', async () => {
    const ch = await conn.createChannel();
    const x = await hashExchange(ch);
    const [q] = await queues(ch, 1);
    await expectChannelError(conn, (c) => c.bindQueue(q, x, 'abc'), 406, 'PRECONDITION_FAILED - The binding key must be an integer: <<"abc">>');
    await expectChannelError(conn, (c) => c.bindQueue(q, x, ''), 406, 'PRECONDITION_FAILED - The binding key must be an integer: <<>>');
    await expectChannelError(conn, (c) => c.bindQueue(q, x, '1.5'), 406, 'PRECONDITION_FAILED - The binding key must be an integer: <<"1.5">>');
    await expectChannelError(conn, (c) => c.bindQueue(q, x, '0'), 406, 'PRECONDITION_FAILED - The binding key must be greater than 0');
    await expectChannelError(conn, (c) => c.bindQueue(q, x, '-1'), 406, 'PRECONDITION_FAILED - The binding key must be greater than 0');
    // Erlang's list_to_integer reads a sign and leading zeros
    await ch.bindQueue(q, x, '+5');
    await ch.bindQueue(q, x, '05');
    const other = await hashExchange(ch);
    await expectChannelError(conn, (c) => c.bindExchange(other, x, 'two'), 406, 'PRECONDITION_FAILED - The binding key must be an integer: <<"two">>');
  });

  it('checks hash-header and hash-property when the exchange is declared', async () => {
    await expectChannelError(conn, (c) => c.assertExchange(freshExchange('chx-bad'), HASH, { arguments: { 'hash-header': 'h', 'hash-property': 'message_id' } }),
      406, 'PRECONDITION_FAILED - hash-header and hash-property are mutually exclusive');
    await expectChannelError(conn, (c) => c.assertExchange(freshExchange('chx-bad'), HASH, { arguments: { 'hash-property': 'foo' } }),
      406, 'PRECONDITION_FAILED - Unsupported property: foo');
    await expectChannelError(conn, (c) => c.assertExchange(freshExchange('chx-bad'), HASH, { arguments: { 'hash-property': '' } }),
      406, 'PRECONDITION_FAILED - Unsupported property: ');
    const ch = await conn.createChannel();
    for (const p of ['message_id', 'correlation_id', 'timestamp']) await hashExchange(ch, { 'hash-property': p });
    await hashExchange(ch, { 'hash-header': '' });
  });

  it('closes the connection with 541 for a hash-property that is not a string (RabbitMQ crashes the channel)', async () => {
    const closed = await expectConnectionClose((_c, ch) => ch.assertExchange(freshExchange('chx-bad'), HASH, { arguments: { 'hash-property': 5 } }));
    expectClosed(closed, 541, /^INTERNAL_ERROR/);
  });

  it('ignores other hash arguments in a redeclaration (only alternate-exchange is compared): the first ones stay', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch, { 'hash-header': 'h' });
    await ch.assertExchange(x, HASH, { durable: false, autoDelete: false, arguments: { 'hash-property': 'message_id' } });
    await ch.assertExchange(x, HASH, { durable: false, autoDelete: false });
    const qs = await queues(ch, 3);
    for (const q of qs) await ch.bindQueue(q, x, '1');
    // still hashed on header h: different message ids and keys, one header value, one queue
    await publish(ch, x, 30, (i) => [`k${i}`, { messageId: `m${i}`, headers: { h: 'same' } }]);
    expect((await counts(ch, qs)).filter((n) => n > 0)).toEqual([30]);
  });

  it('accepts hash-header and hash-property as binding arguments, where they mean nothing', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const [q] = await queues(ch, 1);
    await ch.bindQueue(q, x, '1', { 'hash-header': 'h', 'hash-property': 'message_id' });
    await publish(ch, x, 3, (i) => [`k${i}`]);
    expect(await counts(ch, [q])).toEqual([3]);
  });

  it('answers the same over the management API: 400 with the texts', async () => {
    const ch = await conn.createChannel();
    const x = await hashExchange(ch);
    const [q] = await queues(ch, 1);
    const bad = await http('POST', `/api/bindings/%2F/e/${x}/q/${q}`, { routing_key: 'abc' });
    expect([bad.status, bad.body]).toEqual([400, { error: 'bad_request', reason: 'The binding key must be an integer: <<"abc">>' }]);
    const zero = await http('POST', `/api/bindings/%2F/e/${x}/q/${q}`, { routing_key: '0' });
    expect([zero.status, zero.body]).toEqual([400, { error: 'bad_request', reason: 'The binding key must be greater than 0' }]);
    expect((await http('POST', `/api/bindings/%2F/e/${x}/q/${q}`, { routing_key: '2' })).status).toBe(201);
    const name = freshExchange('chx-http');
    const prop = await http('PUT', `/api/exchanges/%2F/${name}`, { type: HASH, arguments: { 'hash-property': 'foo' } });
    expect([prop.status, prop.body]).toEqual([400, { error: 'bad_request', reason: 'Unsupported property: foo' }]);
    const both = await http('PUT', `/api/exchanges/%2F/${name}`, { type: HASH, arguments: { 'hash-header': 'h', 'hash-property': 'message_id' } });
    expect([both.status, both.body]).toEqual([400, { error: 'bad_request', reason: 'hash-header and hash-property are mutually exclusive' }]);
    const overview = await http('GET', '/api/overview');
    expect(overview.body.exchange_types).toContainEqual({ name: HASH, description: 'Consistent Hashing Exchange', enabled: true });
  });
});

describe('x-consistent-hash: routing', () => {
  it('routes every message to exactly one queue, each key always to the same one', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const qs = await queues(ch, 4);
    for (const q of qs) await ch.bindQueue(q, x, '1');
    const keys = 300;
    // every key twice, the second round after the first
    await publish(ch, x, keys * 2, (i) => [`key-${i % keys}`]);
    const got = await drain(ch, qs, keys * 2);
    const home = new Map<number, string>();
    for (const [q, bodies] of got) {
      expect(bodies.length).toBeGreaterThan(0);
      for (const b of bodies) {
        const key = Number(b) % keys;
        expect(home.get(key) ?? q).toBe(q);
        home.set(key, q);
      }
    }
    expect(home.size).toBe(keys);
  });

  it('shares keys by weight: 1 and 3 over 10 000 keys give about 25% and 75%', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const [light, heavy] = await queues(ch, 2);
    await ch.bindQueue(light, x, '1');
    await ch.bindQueue(heavy, x, '3');
    await publish(ch, x, 10_000, (i) => [`key-${i}`]);
    const [l, h] = await counts(ch, [light, heavy]);
    expect(l + h).toBe(10_000);
    expect(l / 10_000).toBeGreaterThan(0.22);
    expect(l / 10_000).toBeLessThan(0.28);
  });

  it('counts only the first binding of a queue, and a queue unbound gets nothing more', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const [light, heavy] = await queues(ch, 2);
    await ch.bindQueue(light, x, '1');
    await ch.bindQueue(heavy, x, '3');
    await ch.bindQueue(light, x, '20'); // listed, but the weight stays 1
    const listed = await http('GET', `/api/bindings/%2F/e/${x}/q/${light}`);
    expect(listed.body.map((b: { routing_key: string }) => b.routing_key).sort()).toEqual(['1', '20']);
    await publish(ch, x, 4000, (i) => [`key-${i}`]);
    const [l] = await counts(ch, [light, heavy]);
    expect(l / 4000).toBeGreaterThan(0.2);
    expect(l / 4000).toBeLessThan(0.3);
    await ch.unbindQueue(heavy, x, '3');
    await publish(ch, x, 500, (i) => [`key-${i}`]);
    expect(await counts(ch, [light, heavy])).toEqual([500, 0]);
  });

  it('hashes one header with hash-header: the routing key does not matter, a missing header always goes one way', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch, { 'hash-header': 'customer' });
    const qs = await queues(ch, 3);
    for (const q of qs) await ch.bindQueue(q, x, '1');
    const customers = 60;
    await publish(ch, x, customers * 3, (i) => [`rk-${i}`, { headers: { customer: `c${i % customers}` } }]);
    const got = await drain(ch, qs, customers * 3);
    const home = new Map<number, string>();
    for (const [q, bodies] of got) {
      expect(bodies.length).toBeGreaterThan(0);
      for (const b of bodies) {
        const c = Number(b) % customers;
        expect(home.get(c) ?? q).toBe(q);
        home.set(c, q);
      }
    }
    await publish(ch, x, 30, (i) => [`rk-${i}`, i % 2 === 0 ? {} : { headers: { other: i } }]);
    const missing = await counts(ch, qs);
    expect(missing.filter((n) => n > 0)).toEqual([30]);
  });

  it('hashes message_id with hash-property', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch, { 'hash-property': 'message_id' });
    const qs = await queues(ch, 3);
    for (const q of qs) await ch.bindQueue(q, x, '1');
    await publish(ch, x, 40, (i) => [`rk-${i}`, { messageId: 'same' }]);
    expect((await counts(ch, qs)).filter((n) => n > 0)).toEqual([40]);
    await publish(ch, x, 300, (i) => ['rk', { messageId: `m-${i}` }]);
    expect((await counts(ch, qs)).every((n) => n > 0)).toBe(true);
  });

  it('routes a message with CC and BCC keys once, to one queue', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const qs = await queues(ch, 4);
    for (const q of qs) await ch.bindQueue(q, x, '1');
    await publish(ch, x, 200, (i) => [`k${i}`, { CC: [`c1-${i}`, `c2-${i}`], BCC: [`b-${i}`] }]);
    const c = await counts(ch, qs);
    expect(c.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('behind a direct exchange, hashes the first of the message\'s keys: CC keys routed there add no queue', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const direct = freshExchange('chx-cc');
    await ch.assertExchange(direct, 'direct', { durable: false, autoDelete: false });
    await ch.bindExchange(x, direct, 'a');
    await ch.bindExchange(x, direct, 'b');
    const qs = await queues(ch, 4);
    for (const q of qs) await ch.bindQueue(q, x, '1');
    await publish(ch, direct, 200, (i) => [i % 2 === 0 ? 'a' : 'b', { CC: [i % 2 === 0 ? 'b' : 'a', `none-${i}`] }]);
    const c = await counts(ch, qs);
    expect(c.reduce((n, m) => n + m, 0)).toBe(200);
  });

  it('returns a mandatory message when nothing is bound', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const returned = new Promise<string>((r) => ch.once('return', (m: amqp.Message) => r((m.fields as unknown as { replyText: string }).replyText)));
    ch.publish(x, 'k', Buffer.from('x'), { mandatory: true });
    await ch.waitForConfirms();
    expect(await returned).toBe('NO_ROUTE');
  });

  it('takes exchanges as destinations and as sources', async () => {
    const ch = await conn.createConfirmChannel();
    const x = await hashExchange(ch);
    const fan = freshExchange('chx-fan');
    await ch.assertExchange(fan, 'fanout', { durable: false, autoDelete: false });
    const [a, b, c] = await queues(ch, 3);
    await ch.bindExchange(fan, x, '1');
    await ch.bindQueue(a, fan, '');
    await ch.bindQueue(b, fan, '');
    await ch.bindQueue(c, x, '1');
    await publish(ch, x, 400, (i) => [`k${i}`]);
    const [na, nb, nc] = await counts(ch, [a, b, c]);
    expect(na).toBe(nb); // the fanout's share reaches both of its queues
    expect(na + nc).toBe(400);
    expect(na).toBeGreaterThan(100);
    expect(nc).toBeGreaterThan(100);
    const direct = freshExchange('chx-direct');
    await ch.assertExchange(direct, 'direct', { durable: false, autoDelete: false });
    await ch.bindExchange(x, direct, 'in');
    await publish(ch, direct, 100, (i) => [i % 2 === 0 ? 'in' : 'elsewhere']);
    const [ta, tb, tc] = await counts(ch, [a, b, c]);
    expect(ta).toBe(tb);
    expect(ta + tc).toBe(50);
  });
});

describe('x-random', () => {
  it('RabbitMQ before 3.13 does not know it; later, each message goes to one bound queue picked at random', async () => {
    if (t.rabbitBefore('3.13')) {
      const closed = await expectConnectionClose((_c, ch) => ch.assertExchange(freshExchange('rnd'), 'x-random'));
      expectClosed(closed, 503, "COMMAND_INVALID - unknown exchange type 'x-random'");
      return;
    }
    const ch = await conn.createConfirmChannel();
    const x = freshExchange('rnd');
    await ch.assertExchange(x, 'x-random', { durable: false, autoDelete: false });
    const qs = await queues(ch, 3);
    for (const q of qs) await ch.bindQueue(q, x, `any-${q}`);
    await publish(ch, x, 300, (i) => [`k${i}`, { CC: ['c1', 'c2'] }]);
    const c = await counts(ch, qs);
    expect(c.reduce((a, b) => a + b, 0)).toBe(300);
    expect(c.every((n) => n > 30)).toBe(true);
  });
});

describe('per-key ordering recipe: single-active-consumer queues behind the exchange', () => {
  it("gives the next consumer the dead one's unacknowledged messages first, in order, then the rest", async () => {
    const ch = await conn.createConfirmChannel();
    const q = freshQueue('sac');
    await ch.assertQueue(q, { durable: false, autoDelete: false, arguments: { 'x-single-active-consumer': true } });
    for (let i = 0; i < 6; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
    await ch.waitForConfirms();

    const first = await connect();
    const a = await first.createChannel();
    await a.prefetch(3);
    const held: string[] = [];
    let heldAll: () => void = () => undefined;
    const three = new Promise<void>((r) => { heldAll = r; });
    await a.consume(q, (m) => {
      if (m !== null && held.push(m.content.toString()) === 3) heldAll();
    });
    await three;

    const second = await connect();
    const b = await second.createChannel();
    const got: string[] = [];
    let gotAll: () => void = () => undefined;
    const six = new Promise<void>((r) => { gotAll = r; });
    await b.consume(q, (m) => {
      if (m === null) return;
      got.push(`${m.content.toString()}${m.fields.redelivered ? ' redelivered' : ''}`);
      b.ack(m);
      if (got.length === 6) gotAll();
    });
    expect(got).toEqual([]); // not active while the first consumer is there
    await first.close();
    await six;
    expect(held).toEqual(['m0', 'm1', 'm2']);
    expect(got).toEqual(['m0 redelivered', 'm1 redelivered', 'm2 redelivered', 'm3', 'm4', 'm5']);
  });
});
