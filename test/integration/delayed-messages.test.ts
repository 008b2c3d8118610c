/**
 * The x-delayed-message exchange over amqplib, as the rabbitmq-delayed-message-exchange plugin
 * behaves (the plugin is not on the RabbitMQ these tests are compared with, hence not a
 * conformance scenario): declare errors, order of release and the -d header, mandatory
 * returns, confirms, and held persistent messages across a restart and a kill -9.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/broker.js';
import { killBrokerProcesses, startBrokerProcess } from '../support/broker-process.js';
import { closedWith, sleep, startTestBroker, type TestBroker } from '../support/broker.js';

afterEach(() => killBrokerProcesses());

const DELAYED = { 'x-delayed-type': 'direct' };

/** Resolves with the next `n` messages consumed from `q` (auto-ack). */
function consume(ch: amqp.Channel, q: string, n: number): Promise<amqp.ConsumeMessage[]> {
  const got: amqp.ConsumeMessage[] = [];
  return new Promise((resolve) => {
    void ch.consume(q, (m) => {
      if (m === null) return;
      got.push(m);
      if (got.length === n) resolve(got);
    }, { noAck: true });
  });
}

const held = (b: TestBroker, x: string): number | undefined =>
  (b.broker as Broker).vhosts.get('/')?.exchanges.get(x)?.delayed?.size;

async function declareFails(conn: amqp.ChannelModel, type: string, args: Record<string, unknown>): Promise<string> {
  const ch = await conn.createChannel();
  const closed = closedWith(ch);
  await ch.assertExchange('dl-bad', type, { arguments: args }).catch(() => undefined);
  return (await closed).message;
}

describe('delayed messages', () => {
  it('refuses a declaration without a usable x-delayed-type, as the plugin does', async () => {
    const b = await startTestBroker();
    const conn = await b.connect();
    expect(await declareFails(conn, 'x-delayed-message', {})).toContain(
      "406 (PRECONDITION-FAILED) with message \"PRECONDITION_FAILED - Invalid argument, 'x-delayed-type' must be an existing exchange type\"");
    expect(await declareFails(conn, 'x-delayed-message', { 'x-delayed-type': 'x-delayed-message' })).toContain(
      "PRECONDITION_FAILED - Invalid argument, 'x-delayed-message' can't be used for 'x-delayed-type'");
    expect(await declareFails(conn, 'x-delayed-message', { 'x-delayed-type': 'foo' })).toContain("PRECONDITION_FAILED - unknown exchange type 'foo'");
    // a declared one is equivalent to itself, not to its routing type
    const ch = await conn.createChannel();
    await ch.assertExchange('dl-ok', 'x-delayed-message', { arguments: DELAYED });
    await ch.assertExchange('dl-ok', 'x-delayed-message', { arguments: DELAYED });
    const c2 = await conn.createChannel();
    const closed = closedWith(c2);
    await c2.assertExchange('dl-ok', 'direct').catch(() => undefined);
    expect((await closed).message).toContain("inequivalent arg 'type' for exchange 'dl-ok' in vhost '/'");
    await b.stop();
  });

  it('releases in due order, with x-delay set to -d; undelayed messages go at once', async () => {
    const b = await startTestBroker();
    const conn = await b.connect();
    const ch = await conn.createChannel();
    await ch.assertExchange('dl-order', 'x-delayed-message', { arguments: DELAYED });
    await ch.assertQueue('dl-order-q');
    await ch.bindQueue('dl-order-q', 'dl-order', 'k');
    const got = consume(ch, 'dl-order-q', 5);
    ch.publish('dl-order', 'k', Buffer.from('600'), { headers: { 'x-delay': 600 } });
    ch.publish('dl-order', 'k', Buffer.from('200'), { headers: { 'x-delay': 200 } });
    ch.publish('dl-order', 'k', Buffer.from('400'), { headers: { 'x-delay': '400' } });
    ch.publish('dl-order', 'k', Buffer.from('now'));
    ch.publish('dl-order', 'k', Buffer.from('negative'), { headers: { 'x-delay': -5 } });
    const messages = await got;
    expect(messages.map((m) => m.content.toString())).toEqual(['now', 'negative', '200', '400', '600']);
    expect(messages.map((m) => m.properties.headers?.['x-delay'])).toEqual([undefined, -5, -200, -400, -600]);
    await b.stop();
  });

  it('returns a mandatory delayed message at once and delivers it later; confirms at publish', async () => {
    const b = await startTestBroker();
    const conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange('dl-mand', 'x-delayed-message', { arguments: DELAYED, durable: true });
    await ch.assertQueue('dl-mand-q', { durable: true });
    await ch.bindQueue('dl-mand-q', 'dl-mand', 'k');
    const returned = new Promise<amqp.Message>((resolve) => ch.once('return', resolve));
    const got = consume(ch, 'dl-mand-q', 1);
    ch.publish('dl-mand', 'k', Buffer.from('m'), { mandatory: true, persistent: true, headers: { 'x-delay': 150 } });
    const r = await returned;
    const f = r.fields as unknown as { replyCode: number; replyText: string }; // basic.return's fields
    expect([f.replyCode, f.replyText, r.content.toString()]).toEqual([312, 'NO_ROUTE', 'm']);
    // a long delay is confirmed at publish (once its record is on disk), not when released
    ch.publish('dl-mand', 'k', Buffer.from('later'), { persistent: true, headers: { 'x-delay': 3_600_000 } });
    await ch.waitForConfirms();
    expect(held(b, 'dl-mand')).toBe(2);
    const [m] = await got;
    expect([m.content.toString(), m.properties.headers?.['x-delay']]).toEqual(['m', -150]);
    expect(held(b, 'dl-mand')).toBe(1);
    await b.stop();
  });

  it('keeps confirmed persistent messages of a durable exchange across a restart, routing those due meanwhile at start', async () => {
    let b = await startTestBroker();
    let conn = await b.connect();
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange('dl-dur', 'x-delayed-message', { arguments: DELAYED, durable: true });
    await ch.assertExchange('dl-tmp', 'x-delayed-message', { arguments: DELAYED, durable: false });
    await ch.assertQueue('dl-dur-q', { durable: true });
    await ch.bindQueue('dl-dur-q', 'dl-dur', 'k');
    ch.publish('dl-dur', 'k', Buffer.from('due-while-down'), { persistent: true, headers: { 'x-delay': 100 } });
    ch.publish('dl-dur', 'k', Buffer.from('transient'), { persistent: false, headers: { 'x-delay': 100 } });
    ch.publish('dl-dur', 'k', Buffer.from('hour'), { persistent: true, headers: { 'x-delay': 3_600_000 } });
    ch.publish('dl-tmp', 'k', Buffer.from('transient exchange'), { persistent: true, headers: { 'x-delay': 100 } });
    await ch.waitForConfirms();
    await b.stop({ keepData: true });
    await sleep(200); // the first one falls due while the broker is down
    b = await startTestBroker({ dataDir: b.dataDir });
    conn = await b.connect();
    const c2 = await conn.createChannel();
    const [m] = await consume(c2, 'dl-dur-q', 1);
    expect([m.content.toString(), m.properties.headers?.['x-delay']]).toEqual(['due-while-down', -100]);
    expect(held(b, 'dl-dur')).toBe(1); // the hour-long one, not the transient one
    // deleting the exchange drops what it holds, for good
    await c2.deleteExchange('dl-dur');
    await b.stop({ keepData: true });
    b = await startTestBroker({ dataDir: b.dataDir });
    conn = await b.connect();
    const c3 = await conn.createChannel();
    await c3.assertExchange('dl-dur', 'x-delayed-message', { arguments: DELAYED, durable: true });
    expect(held(b, 'dl-dur')).toBe(0);
    expect((await c3.checkQueue('dl-dur-q')).messageCount).toBe(0);
    await b.stop();
  });

  it('keeps confirmed persistent delayed messages through a kill -9', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-delayed-'));
    const args = ['--port', '0', '--host', '127.0.0.1', '--data-dir', dir];
    let p = await startBrokerProcess(args);
    let conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${p.port}?heartbeat=0`);
    conn.on('error', () => undefined);
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange('dl-kill', 'x-delayed-message', { arguments: DELAYED, durable: true });
    await ch.assertQueue('dl-kill-q', { durable: true });
    await ch.bindQueue('dl-kill-q', 'dl-kill', 'k');
    for (let i = 0; i < 100; i++) ch.publish('dl-kill', 'k', Buffer.from(`m${i}`), { persistent: true, headers: { 'x-delay': 300 + (99 - i) * 20 } });
    await ch.waitForConfirms();
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGKILL');
    await exited;
    p = await startBrokerProcess(args);
    conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${p.port}?heartbeat=0`);
    const c2 = await conn.createChannel();
    const got = await consume(c2, 'dl-kill-q', 100);
    // due order is the reverse of publish order (20 ms apart: publishing takes far less than that per message)
    expect(got.map((m) => m.content.toString())).toEqual(Array.from({ length: 100 }, (_, i) => `m${99 - i}`));
    expect(got[0].properties.headers?.['x-delay']).toBe(-300);
    await conn.close();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);
});
