/**
 * The consumer timeout's three sources (the conformance suite holds the queue argument against
 * RabbitMQ): the broker's --consumer-timeout, the queue's x-consumer-timeout, and
 * x-consumer-timeout on basic.consume (RabbitMQ 4.3's consumer argument), the most specific
 * winning. Warren-only settings, so not in conformance/.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { closedWith, sleep, startTestBroker, type TestBroker } from '../support/broker.js';
import { RawClient } from '../support/raw-client.js';

let broker: TestBroker;
let conn: amqp.ChannelModel;
let n = 0;
const name = (p: string) => `ct-${p}-${n++}`;
beforeAll(async () => {
  broker = await startTestBroker({ consumerTimeout: 400 });
  conn = await broker.connect();
});
afterAll(async () => { await broker.stop(); });

/** Consumes one message without acking it; resolves with the channel error and how long it took. */
async function consumeAndWait(q: string, consumeArgs: Record<string, unknown> = {}): Promise<{ err: Error & { code?: number }; ms: number }> {
  const ch = await conn.createChannel();
  const closed = closedWith(ch);
  const started = Date.now();
  await ch.consume(q, () => undefined, { noAck: false, arguments: consumeArgs });
  const err = await closed;
  return { err, ms: Date.now() - started };
}

describe('consumer timeout', () => {
  it('the broker default applies to a queue without the argument', async () => {
    const ch = await conn.createChannel();
    const q = name('default');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('slow'));
    const { err } = await consumeAndWait(q);
    expect(err.code).toBe(406);
    expect(err.message).toContain('Timeout value used: 400 ms.');
  });

  it('the consumer\'s argument wins over the queue\'s, which wins over the broker\'s', async () => {
    const ch = await conn.createChannel();
    const q = name('layers');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-consumer-timeout': 60_000 } });
    ch.sendToQueue(q, Buffer.from('slow'));
    const { err } = await consumeAndWait(q, { 'x-consumer-timeout': 200 });
    expect(err.message).toContain('Timeout value used: 200 ms.');
    // with only the queue's (60 s), the broker's 400 ms does not apply
    const ch2 = await conn.createChannel();
    const errors: Error[] = [];
    ch2.on('error', (e: Error) => errors.push(e));
    await ch2.consume(q, () => undefined, { noAck: false });
    await sleep(1500);
    expect(errors).toEqual([]);
    await ch2.close();
  });

  it('0 turns it off; acknowledged deliveries never time out', async () => {
    const ch = await conn.createChannel();
    const q = name('off');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('kept'));
    const c2 = await conn.createChannel();
    const errors: Error[] = [];
    c2.on('error', (e: Error) => errors.push(e));
    await c2.consume(q, () => undefined, { noAck: false, arguments: { 'x-consumer-timeout': 0 } });
    const c3 = await conn.createChannel();
    c3.on('error', (e: Error) => errors.push(e));
    await c3.consume(q, (m) => { if (m) c3.ack(m); }, { noAck: false });
    for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await sleep(1500);
    expect(errors).toEqual([]);
  });

  it('refuses a negative or non-integer consumer argument with RabbitMQ\'s texts', async () => {
    const ch = await conn.createChannel();
    const q = name('bad');
    await ch.assertQueue(q, { durable: false });
    for (const [v, text] of [[-1, '{value_negative,-1}'], ['soon', '"expected integer, got longstr"']] as const) {
      const c = await conn.createChannel();
      const closed = closedWith(c);
      await c.consume(q, () => undefined, { arguments: { 'x-consumer-timeout': v } }).catch(() => undefined);
      const err = await closed;
      expect(err.code).toBe(406);
      expect(err.message).toContain(`PRECONDITION_FAILED - invalid arg 'x-consumer-timeout' for queue '${q}' in vhost '/': ${text}`);
    }
  });

  it('a delivery put back by a rolled-back transaction keeps its delivery time', async () => {
    const ch = await conn.createChannel();
    const q = name('tx-rollback');
    await ch.assertQueue(q, { durable: false, arguments: { 'x-consumer-timeout': 1500 } });
    ch.sendToQueue(q, Buffer.from('held'));
    // amqplib has no transactions: a raw client consumes, acks in a transaction and rolls back
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.BASIC_CONSUME, { queue: q, consumerTag: 'tx-c', noLocal: false, noAck: false, exclusive: false, noWait: false, arguments: [] });
    const deliver = await c.nextMethod(P.BASIC_DELIVER);
    if (deliver.id !== P.BASIC_DELIVER) throw new Error('unreachable');
    c.method(1, P.TX_SELECT, {});
    await c.nextMethod(P.TX_SELECT_OK);
    c.method(1, P.BASIC_ACK, { deliveryTag: deliver.args.deliveryTag, multiple: false });
    c.method(1, P.TX_ROLLBACK, {});
    await c.nextMethod(P.TX_ROLLBACK_OK);
    // it was delivered just now: the next timeout checks (every 250 ms) leave the channel open
    await sleep(700);
    expect(c.frames.some((f) => f.method?.id === P.CHANNEL_CLOSE)).toBe(false);
    // and it is still watched: once it has been out for its timeout, the channel closes
    const [code, text] = await c.channelClose();
    expect([code, text]).toEqual([406, expect.stringContaining('Timeout value used: 1500 ms.')]);
    c.close();
  });
});
