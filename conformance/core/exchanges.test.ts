/** Exchange declaration rules and each exchange type's routing, end to end through amqplib. */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type TargetBroker } from '../support/broker.js';
import { expectChannelError } from '../support/client.js';

let broker: TargetBroker;
let conn: amqp.ChannelModel;
beforeAll(async () => {
  broker = await startTarget();
  conn = await broker.connect();
});
afterAll(async () => { await broker.stop(); });

/** Publishes to `exchange` with `key` and returns which of `queues` got the message. */
async function routedTo(ch: amqp.Channel, exchange: string, key: string, queues: string[], headers?: Record<string, unknown>): Promise<string[]> {
  await Promise.all(queues.map((q) => ch.purgeQueue(q)));
  ch.publish(exchange, key, Buffer.from('x'), { headers });
  await ch.checkQueue(queues[0]); // a round trip: the publish has been routed
  const got: string[] = [];
  for (const q of queues) if ((await ch.checkQueue(q)).messageCount > 0) got.push(q);
  return got;
}

async function queues(ch: amqp.Channel, ...names: string[]): Promise<string[]> {
  for (const n of names) await ch.assertQueue(n, { autoDelete: false });
  return names;
}


describe('routing', () => {
  it('direct: exact key', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('rx-direct', 'direct');
    const qs = await queues(ch, 'rd-a', 'rd-b');
    await ch.bindQueue('rd-a', 'rx-direct', 'k1');
    await ch.bindQueue('rd-b', 'rx-direct', 'k2');
    await ch.bindQueue('rd-b', 'rx-direct', 'k1');
    expect(await routedTo(ch, 'rx-direct', 'k1', qs)).toEqual(['rd-a', 'rd-b']);
    expect(await routedTo(ch, 'rx-direct', 'k2', qs)).toEqual(['rd-b']);
    expect(await routedTo(ch, 'rx-direct', 'K1', qs)).toEqual([]);
  });

  it('fanout: every bound queue once', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('rx-fanout', 'fanout');
    const qs = await queues(ch, 'rf-a', 'rf-b', 'rf-c');
    await ch.bindQueue('rf-a', 'rx-fanout', '');
    await ch.bindQueue('rf-b', 'rx-fanout', 'whatever');
    await ch.bindQueue('rf-b', 'rx-fanout', 'other');
    expect(await routedTo(ch, 'rx-fanout', 'any', qs)).toEqual(['rf-a', 'rf-b']);
    const b = await ch.checkQueue('rf-b');
    expect(b.messageCount).toBe(1); // two bindings, one copy
  });

  it('topic: * and # words', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('rx-topic', 'topic');
    const qs = await queues(ch, 'rt-star', 'rt-hash', 'rt-exact', 'rt-all');
    await ch.bindQueue('rt-star', 'rx-topic', 'a.*.c');
    await ch.bindQueue('rt-hash', 'rx-topic', 'a.#');
    await ch.bindQueue('rt-exact', 'rx-topic', 'a.b.c');
    await ch.bindQueue('rt-all', 'rx-topic', '#');
    expect(await routedTo(ch, 'rx-topic', 'a.b.c', qs)).toEqual(['rt-star', 'rt-hash', 'rt-exact', 'rt-all']);
    expect(await routedTo(ch, 'rx-topic', 'a', qs)).toEqual(['rt-hash', 'rt-all']);
    expect(await routedTo(ch, 'rx-topic', 'a.b.b.c', qs)).toEqual(['rt-hash', 'rt-all']);
    expect(await routedTo(ch, 'rx-topic', 'x.b.c', qs)).toEqual(['rt-all']);
    expect(await routedTo(ch, 'rx-topic', '', qs)).toEqual(['rt-all']);
  });

  it('headers: x-match all and any', async () => {
    const ch = await conn.createChannel();
    const qs = await queues(ch, 'rh-all', 'rh-any');
    await ch.bindQueue('rh-all', 'amq.headers', '', { 'x-match': 'all', a: 1, b: 'two' });
    await ch.bindQueue('rh-any', 'amq.match', '', { 'x-match': 'any', a: 1, b: 'two' });
    expect(await routedTo(ch, 'amq.headers', '', qs, { a: 1, b: 'two', c: 3 })).toEqual(['rh-all']);
    expect(await routedTo(ch, 'amq.match', '', qs, { a: 1 })).toEqual(['rh-any']);
    expect(await routedTo(ch, 'amq.headers', '', qs, { a: 2 })).toEqual([]);
  });

  it('the default exchange routes by queue name', async () => {
    const ch = await conn.createChannel();
    const qs = await queues(ch, 'rdef-a');
    expect(await routedTo(ch, '', 'rdef-a', qs)).toEqual(['rdef-a']);
  });

  it('exchange-to-exchange bindings, including a cycle', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('e2e-src', 'topic');
    await ch.assertExchange('e2e-dst', 'fanout');
    const qs = await queues(ch, 'e2e-q');
    await ch.bindQueue('e2e-q', 'e2e-dst', '');
    await ch.bindExchange('e2e-dst', 'e2e-src', 'orders.*');
    await ch.bindExchange('e2e-src', 'e2e-dst', '#'); // a cycle: must not loop or duplicate
    expect(await routedTo(ch, 'e2e-src', 'orders.new', qs)).toEqual(['e2e-q']);
    expect((await ch.checkQueue('e2e-q')).messageCount).toBe(1);
    expect(await routedTo(ch, 'e2e-src', 'payments.new', qs)).toEqual([]);
    await ch.unbindExchange('e2e-dst', 'e2e-src', 'orders.*');
    expect(await routedTo(ch, 'e2e-src', 'orders.new', qs)).toEqual([]);
  });
});

describe('declaration', () => {
  it('passive declare of a missing exchange is 404', async () => {
    await expectChannelError(conn, (ch) => ch.checkExchange('nope-x'), 404, "NOT_FOUND - no exchange 'nope-x' in vhost '/'");
  });

  it('redeclaring with another type is 406 with RabbitMQ\'s text', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('eq-x', 'direct');
    await expectChannelError(conn, (c) => c.assertExchange('eq-x', 'fanout'), 406,
      "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'eq-x' in vhost '/': received 'fanout' but current is 'direct'");
    await expectChannelError(conn, (c) => c.assertExchange('eq-x', 'direct', { durable: false }), 406,
      "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange 'eq-x' in vhost '/': received 'false' but current is 'true'");
  });

  it('redeclaring amq.direct as it is is fine; a new amq.* name is 403', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('amq.direct', 'direct');
    await expectChannelError(conn, (c) => c.assertExchange('amq.custom', 'direct'), 403,
      "ACCESS_REFUSED - exchange name 'amq.custom' contains reserved prefix 'amq.*'");
  });

  it('deleting amq.* or the default exchange is 403', async () => {
    await expectChannelError(conn, (c) => c.deleteExchange('amq.direct'), 403,
      "ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed");
    await expectChannelError(conn, (c) => c.deleteExchange(''), 403, 'ACCESS_REFUSED - operation not permitted on the default exchange');
  });

  it('delete if-unused refuses an exchange with bindings', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('used-x', 'fanout');
    await ch.assertQueue('used-q');
    await ch.bindQueue('used-q', 'used-x', '');
    await expectChannelError(conn, (c) => c.deleteExchange('used-x', { ifUnused: true }), 406,
      "PRECONDITION_FAILED - exchange 'used-x' in vhost '/' in use");
    await ch.deleteExchange('used-x');
    await expectChannelError(conn, (c) => c.checkExchange('used-x'), 404, "NOT_FOUND - no exchange 'used-x' in vhost '/'");
  });

  it('publishing to an internal exchange is 403; to a missing one 404', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('int-x', 'fanout', { internal: true });
    await expectChannelError(conn, async (c) => { c.publish('int-x', '', Buffer.from('x')); await c.checkQueue('used-q'); }, 403,
      "ACCESS_REFUSED - cannot publish to internal exchange 'int-x' in vhost '/'");
    await expectChannelError(conn, async (c) => { c.publish('missing-x', '', Buffer.from('x')); await c.checkQueue('used-q'); }, 404,
      "NOT_FOUND - no exchange 'missing-x' in vhost '/'");
  });

  it('an auto-delete exchange goes when its last binding does', async () => {
    const ch = await conn.createChannel();
    await ch.assertExchange('ad-x', 'direct', { autoDelete: true });
    await ch.assertQueue('ad-q');
    await ch.bindQueue('ad-q', 'ad-x', 'k');
    await ch.checkExchange('ad-x');
    await ch.unbindQueue('ad-q', 'ad-x', 'k');
    await expectChannelError(conn, (c) => c.checkExchange('ad-x'), 404, "NOT_FOUND - no exchange 'ad-x' in vhost '/'");
  });

  it('binding to the default exchange is 403', async () => {
    await expectChannelError(conn, (c) => c.bindQueue('used-q', '', 'k'), 403, 'ACCESS_REFUSED - operation not permitted on the default exchange');
  });
});
