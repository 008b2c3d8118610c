/** What survives a restart: durable topology and persistent messages, as in RabbitMQ. */
import { existsSync, readdirSync } from 'node:fs';
import type amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/broker/policies.js';
import { closedWith, sleep, startTestBroker, type TestBroker } from '../support/broker.js';

async function restart(b: TestBroker): Promise<TestBroker> {
  await b.stop({ keepData: true });
  return startTestBroker({ dataDir: b.dataDir });
}

async function exists(conn: amqp.ChannelModel, check: (ch: amqp.Channel) => Promise<unknown>): Promise<boolean> {
  const ch = await conn.createChannel();
  const closed = closedWith(ch);
  try {
    await check(ch);
    await ch.close();
    return true;
  } catch {
    await closed;
    return false;
  }
}

async function drain(ch: amqp.Channel, q: string): Promise<amqp.GetMessage[]> {
  const out: amqp.GetMessage[] = [];
  for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) out.push(m);
  return out;
}

describe('durability across restarts', () => {
  it('keeps durable exchanges, queues and bindings, and forgets the rest', async () => {
    let b = await startTestBroker();
    let conn = await b.connect();
    const ch = await conn.createChannel();
    await ch.assertExchange('d-x', 'topic', { durable: true });
    await ch.assertExchange('d-fan', 'fanout', { durable: true });
    await ch.assertExchange('t-x', 'direct', { durable: false });
    await ch.assertQueue('d-q', { durable: true, arguments: { 'x-message-ttl': 60000, 'x-custom': 'kept' } });
    await ch.assertQueue('t-q', { durable: false });
    await ch.assertQueue('excl-q', { exclusive: true });
    await ch.bindQueue('d-q', 'd-x', 'orders.*');
    await ch.bindExchange('d-fan', 'd-x', 'fan.#');
    await ch.bindQueue('d-q', 'd-fan', '');
    await ch.assertQueue('gone-q', { durable: true });
    await ch.deleteQueue('gone-q');
    b = await restart(b);
    conn = await b.connect();
    expect(await exists(conn, (c) => c.checkExchange('d-x'))).toBe(true);
    expect(await exists(conn, (c) => c.checkQueue('d-q'))).toBe(true);
    expect(await exists(conn, (c) => c.checkExchange('t-x'))).toBe(false);
    expect(await exists(conn, (c) => c.checkQueue('t-q'))).toBe(false);
    expect(await exists(conn, (c) => c.checkQueue('excl-q'))).toBe(false);
    expect(await exists(conn, (c) => c.checkQueue('gone-q'))).toBe(false);
    // arguments survive exactly: the same declaration is equivalent, another is not
    expect(await exists(conn, (c) => c.assertQueue('d-q', { durable: true, arguments: { 'x-message-ttl': 60000 } }))).toBe(true);
    expect(await exists(conn, (c) => c.assertQueue('d-q', { durable: true, arguments: { 'x-message-ttl': 5 } }))).toBe(false);
    const c2 = await conn.createChannel();
    c2.publish('d-x', 'orders.new', Buffer.from('via binding'));
    c2.publish('d-x', 'fan.out', Buffer.from('via e2e'));
    await sleep(50);
    expect((await drain(c2, 'd-q')).map((m) => m.content.toString())).toEqual(['via binding', 'via e2e']);
    await b.stop();
  });

  it('keeps a durable consistent-hash exchange, its arguments and bindings: every key goes where it went before', async () => {
    let b = await startTestBroker();
    let conn = await b.connect();
    const qs = ['chd-a', 'chd-b', 'chd-c'];
    /** Publishes 300 keys (in header k; the routing key varies) and returns the queue each reached. */
    const homes = async (c: amqp.ChannelModel): Promise<string[]> => {
      const ch = await c.createConfirmChannel();
      for (let i = 0; i < 300; i++) ch.publish('chd-x', `rk-${i % 7}`, Buffer.from(String(i)), { headers: { k: `key-${i}` } });
      await ch.waitForConfirms();
      const home: string[] = [];
      for (const q of qs) for (const m of await drain(ch, q)) home[Number(m.content.toString())] = q;
      return home;
    };
    const ch = await conn.createChannel();
    await ch.assertExchange('chd-x', 'x-consistent-hash', { durable: true, arguments: { 'hash-header': 'k' } });
    await ch.assertExchange('chd-random', 'x-random', { durable: true });
    for (const q of qs) await ch.assertQueue(q, { durable: true });
    await ch.bindQueue('chd-c', 'chd-x', '1');
    await ch.bindQueue('chd-a', 'chd-x', '2');
    await ch.bindQueue('chd-b', 'chd-x', '1');
    await ch.bindQueue('chd-a', 'chd-x', '9'); // a second binding: the weight stays 2
    await ch.bindQueue('chd-b', 'chd-random', 'anything');
    const before = await homes(conn);
    expect(before.filter((q) => q !== undefined)).toHaveLength(300);
    expect(new Set(before)).toEqual(new Set(qs));
    b = await restart(b);
    conn = await b.connect();
    expect(await homes(conn)).toEqual(before);
    const c2 = await conn.createConfirmChannel();
    c2.publish('chd-random', 'k', Buffer.from('r'));
    await c2.waitForConfirms();
    expect((await drain(c2, 'chd-b')).map((m) => m.content.toString())).toEqual(['r']);
    await b.stop();
  });

  it('keeps persistent messages in order, drops transient ones, and flags what was delivered', async () => {
    let b = await startTestBroker();
    let conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('pm-q', { durable: true });
    await ch.assertQueue('pm-transient-q', { durable: false });
    for (let i = 0; i < 100; i++) {
      ch.sendToQueue('pm-q', Buffer.from(`p${i}`), { persistent: true });
      if (i % 10 === 0) ch.sendToQueue('pm-q', Buffer.from(`t${i}`), { persistent: false });
      ch.sendToQueue('pm-transient-q', Buffer.from(`p${i}`), { persistent: true });
    }
    await ch.waitForConfirms();
    // take three without acking them: they must come back redelivered
    const c2 = await conn.createChannel();
    await c2.prefetch(3);
    const got: amqp.ConsumeMessage[] = [];
    await c2.consume('pm-q', (m) => { if (m) got.push(m); });
    while (got.length < 3) await sleep(5);
    b = await restart(b);
    conn = await b.connect();
    const c3 = await conn.createChannel();
    const after = await drain(c3, 'pm-q');
    expect(after.map((m) => m.content.toString())).toEqual([...Array(100).keys()].map((i) => `p${i}`));
    // the three taken were p0, t0 (transient, gone) and p1
    expect(after.slice(0, 4).map((m) => m.fields.redelivered)).toEqual([true, true, false, false]);
    expect(after.slice(2).some((m) => m.fields.redelivered)).toBe(false);
    expect(await exists(conn, (c) => c.checkQueue('pm-transient-q'))).toBe(false);
    await b.stop();
  });

  it('remembers acks, purges and deletions', async () => {
    let b = await startTestBroker();
    let conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('ack-q', { durable: true });
    await ch.assertQueue('purge-q', { durable: true });
    for (let i = 0; i < 10; i++) {
      ch.sendToQueue('ack-q', Buffer.from(`a${i}`), { persistent: true });
      ch.sendToQueue('purge-q', Buffer.from(`b${i}`), { persistent: true });
    }
    await ch.waitForConfirms();
    const c2 = await conn.createChannel();
    for (let i = 0; i < 4; i++) c2.ack((await c2.get('ack-q')) as amqp.GetMessage);
    await c2.purgeQueue('purge-q');
    await sleep(50);
    b = await restart(b);
    conn = await b.connect();
    const c3 = await conn.createChannel();
    expect((await drain(c3, 'ack-q')).map((m) => m.content.toString())).toEqual(['a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
    expect(await drain(c3, 'purge-q')).toEqual([]);
    await b.stop();
  });

  it('keeps policies and operator policies, applied again to the durable queues they match', async () => {
    let b = await startTestBroker();
    const vhost = () => b.broker.vhosts.get('/')!;
    vhost().setPolicy('policy', parsePolicy('policy', '/', 'cap', { pattern: '^capped', definition: { 'max-length': 2 }, 'apply-to': 'queues' }));
    vhost().setPolicy('policy', parsePolicy('policy', '/', 'dropped', { pattern: '^capped', definition: { 'max-length': 9 }, priority: 5 }));
    vhost().setPolicy('operator', parsePolicy('operator', '/', 'op', { pattern: '.*', definition: { 'message-ttl': 60000 } }));
    expect(vhost().clearPolicy('policy', 'dropped')).toBe(true);
    let conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('capped-q', { durable: true });
    for (let i = 0; i < 5; i++) ch.sendToQueue('capped-q', Buffer.from(`m${i}`), { persistent: true });
    await ch.waitForConfirms();
    b = await restart(b);
    expect(vhost().policies.list('policy').map((p) => p.name)).toEqual(['cap']);
    expect(vhost().policies.list('operator').map((p) => p.name)).toEqual(['op']);
    const q = vhost().queues.get('capped-q')!;
    expect([q.policy?.name, q.operatorPolicy?.name, q.config.maxLength, q.config.messageTtl]).toEqual(['cap', 'op', 2, 60000]);
    conn = await b.connect();
    const c2 = await conn.createChannel();
    expect((await drain(c2, 'capped-q')).map((m) => m.content.toString())).toEqual(['m3', 'm4']);
    await b.stop();
  });

  it('--ephemeral keeps nothing on disk', async () => {
    const b = await startTestBroker({ ephemeral: true });
    const conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('eph-q', { durable: true });
    ch.sendToQueue('eph-q', Buffer.from('x'), { persistent: true });
    await ch.waitForConfirms();
    expect(existsSync(b.dataDir) ? readdirSync(b.dataDir) : []).toEqual([]);
    await b.stop();
  });
});
