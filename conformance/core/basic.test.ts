/** The basic class end to end: publish, consume, get, acknowledgements, prefetch, recovery. */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { closedWith, sleep, startTarget, type TargetBroker } from '../support/broker.js';
import { RawClient } from '../../test/support/raw-client.js';

let broker: TargetBroker;
let conn: amqp.ChannelModel;
beforeAll(async () => {
  broker = await startTarget();
  conn = await broker.connect();
});
afterAll(async () => { await broker.stop(); });

async function fresh(ch: amqp.Channel, name: string): Promise<string> {
  await ch.deleteQueue(name);
  await ch.assertQueue(name);
  return name;
}

function collect(ch: amqp.Channel, queue: string, options: amqp.Options.Consume = {}): { msgs: amqp.ConsumeMessage[]; tag: Promise<string> } {
  const msgs: amqp.ConsumeMessage[] = [];
  const tag = ch.consume(queue, (m) => { if (m) msgs.push(m); }, options).then((r) => r.consumerTag);
  return { msgs, tag };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const bodies = (ms: { content: Buffer }[]) => ms.map((m) => m.content.toString());

describe('publish', () => {
  it('returns an unroutable mandatory message with 312 NO_ROUTE', async () => {
    const ch = await conn.createChannel();
    const returned = new Promise<amqp.Message>((resolve) => ch.once('return', resolve));
    ch.publish('amq.direct', 'nobody-home', Buffer.from('lost'), { mandatory: true, messageId: 'm1' });
    const r = await returned;
    expect(r.fields).toMatchObject({ replyCode: 312, replyText: 'NO_ROUTE', exchange: 'amq.direct', routingKey: 'nobody-home' });
    expect(r.content.toString()).toBe('lost');
    expect(r.properties.messageId).toBe('m1');
  });

  it('immediate=true is NOT_IMPLEMENTED (540), a connection error', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.BASIC_PUBLISH, { exchange: '', routingKey: 'x', mandatory: false, immediate: true });
    c.write(Buffer.from([2, 0, 1, 0, 0, 0, 14, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xce]));
    expect(await c.connectionClose()).toEqual([540, 'NOT_IMPLEMENTED - immediate=true', 60, 40]);
    c.close();
  });

  it('keeps bodies byte-exact: empty, multi-frame, binary', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'bodies-q');
    const big = Buffer.alloc(1_000_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    ch.sendToQueue(q, Buffer.alloc(0));
    ch.sendToQueue(q, big);
    const a = await ch.get(q, { noAck: true });
    const b = await ch.get(q, { noAck: true });
    expect(a && a.content.length).toBe(0);
    expect(b && b.content.equals(big)).toBe(true);
  });

  it('refuses a user-id that is not the connection\'s user (406)', async () => {
    const ch = await conn.createChannel();
    const closed = closedWith(ch);
    ch.sendToQueue('anything', Buffer.from('x'), { userId: 'mallory' });
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toContain("PRECONDITION_FAILED - user_id property set to 'mallory' but authenticated user was 'guest'");
  });
});

describe('consume', () => {
  it('generates amq.ctag-… tags and refuses a reused tag with 530 (connection error)', async () => {
    const c2 = await broker.connect();
    const ch = await c2.createChannel();
    const q = await fresh(ch, 'tags-q');
    const { consumerTag } = await ch.consume(q, () => undefined);
    expect(consumerTag).toMatch(/^amq\.ctag-[A-Za-z0-9_-]{22}$/);
    const closed = closedWith(c2);
    await ch.consume(q, () => undefined, { consumerTag }).catch(() => undefined);
    const err = await closed;
    expect(err.message).toContain(`NOT_ALLOWED - attempt to reuse consumer tag '${consumerTag}'`);
  });

  it('exclusive consumers exclude others (403)', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'excl-cons-q');
    await ch.consume(q, () => undefined, { exclusive: true });
    const other = await conn.createChannel();
    const closed = closedWith(other);
    await other.consume(q, () => undefined).catch(() => undefined);
    const err = await closed;
    expect(err.code).toBe(403);
    expect(err.message).toContain("ACCESS_REFUSED - queue 'excl-cons-q' in vhost '/' in exclusive use");
  });

  it('round-robins between consumers', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'rr-q');
    const a = collect(ch, q, { noAck: true });
    const b = collect(ch, q, { noAck: true });
    await a.tag;
    await b.tag;
    for (let i = 0; i < 10; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await until(() => a.msgs.length + b.msgs.length === 10);
    expect(bodies(a.msgs)).toEqual(['0', '2', '4', '6', '8']);
    expect(bodies(b.msgs)).toEqual(['1', '3', '5', '7', '9']);
  });

  it('cancel stops deliveries; cancelling an unknown tag is fine', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'cancel-q');
    const a = collect(ch, q, { noAck: true });
    const tag = await a.tag;
    await ch.cancel(tag);
    await ch.cancel('never-existed');
    ch.sendToQueue(q, Buffer.from('x'));
    await sleep(50);
    expect(a.msgs).toHaveLength(0);
    expect((await ch.checkQueue(q)).messageCount).toBe(1);
  });

  it('a consumer is told (basic.cancel) when its queue is deleted', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'deleted-under-q');
    const cancelled = new Promise<unknown>((resolve) => {
      void ch.consume(q, (m) => { if (m === null) resolve(m); });
    });
    await sleep(20);
    const other = await conn.createChannel();
    await other.deleteQueue(q);
    expect(await cancelled).toBeNull(); // amqplib's sign of a server-sent basic.cancel
  });
});

describe('get and acknowledgements', () => {
  it('get-ok carries the remaining count; get-empty when empty', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'get-q');
    for (const b of ['a', 'b', 'c']) ch.sendToQueue(q, Buffer.from(b));
    const m = await ch.get(q);
    expect(m && m.content.toString()).toBe('a');
    expect(m && m.fields.messageCount).toBe(2);
    expect(m && m.fields.deliveryTag).toBe(1);
    await ch.get(q, { noAck: true });
    await ch.get(q, { noAck: true });
    expect(await ch.get(q)).toBe(false);
  });

  it('an unknown delivery tag is 406 and closes the channel', async () => {
    const ch = await conn.createChannel();
    const closed = closedWith(ch);
    ch.ack({ fields: { deliveryTag: 99 } } as amqp.Message);
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toContain('PRECONDITION_FAILED - unknown delivery tag 99');
  });

  it('acking the same tag twice is 406', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'twice-q');
    ch.sendToQueue(q, Buffer.from('x'));
    const m = await ch.get(q);
    if (!m) throw new Error('no message');
    const closed = closedWith(ch);
    ch.ack(m);
    ch.ack(m);
    expect((await closed).message).toContain(`unknown delivery tag ${m.fields.deliveryTag}`);
  });

  it('ack multiple, nack multiple with requeue, reject without requeue', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'multi-q');
    for (let i = 1; i <= 6; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    const got: amqp.GetMessage[] = [];
    for (let i = 0; i < 6; i++) got.push((await ch.get(q)) as amqp.GetMessage);
    ch.ack(got[1], true); // acks 1 and 2
    ch.nack(got[3], true, true); // requeues 3 and 4
    ch.reject(got[4], false); // drops 5
    // 6 stays unacked
    const back1 = (await ch.get(q, { noAck: true })) as amqp.GetMessage;
    const back2 = (await ch.get(q, { noAck: true })) as amqp.GetMessage;
    expect(bodies([back1, back2])).toEqual(['3', '4']);
    expect(back1.fields.redelivered).toBe(true);
    expect(await ch.get(q)).toBe(false);
    ch.ackAll();
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  });

  it('requeued messages go back in their original order, ahead of newer ones', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'order-q');
    for (let i = 1; i <= 5; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    const got: amqp.GetMessage[] = [];
    for (let i = 0; i < 5; i++) got.push((await ch.get(q)) as amqp.GetMessage);
    ch.sendToQueue(q, Buffer.from('6'));
    ch.nack(got[3], false, true); // 4
    ch.nack(got[1], false, true); // 2
    const order: string[] = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) order.push(m.content.toString());
    expect(order).toEqual(['2', '4', '6']);
  });

  it('unacked messages are requeued when their channel closes', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'close-requeue-q');
    for (let i = 1; i <= 3; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    const c2 = await conn.createChannel();
    const a = collect(c2, q);
    await until(() => a.msgs.length === 3);
    await c2.close();
    const order: amqp.GetMessage[] = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) order.push(m);
    expect(bodies(order)).toEqual(['1', '2', '3']);
    expect(order.every((m) => m.fields.redelivered)).toBe(true);
  });

  it('unacked messages are requeued when their connection drops', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'drop-requeue-q');
    for (let i = 1; i <= 3; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    const other = await broker.connect();
    const och = await other.createChannel();
    const a = collect(och, q);
    await until(() => a.msgs.length === 3);
    (other as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await until(() => false, 100).catch(() => undefined);
    const order: amqp.GetMessage[] = [];
    for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) order.push(m);
    expect(bodies(order)).toEqual(['1', '2', '3']);
    expect(order.every((m) => m.fields.redelivered)).toBe(true);
  });

  it('basic.recover requeues and redelivers; requeue=false is NOT_IMPLEMENTED', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'recover-q');
    ch.sendToQueue(q, Buffer.from('r'));
    const a = collect(ch, q);
    await until(() => a.msgs.length === 1);
    await ch.recover();
    await until(() => a.msgs.length === 2);
    expect(a.msgs[1].fields.redelivered).toBe(true);
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.BASIC_RECOVER, { requeue: false });
    expect(await c.connectionClose()).toEqual([540, 'NOT_IMPLEMENTED - requeue=false', 60, 110]);
    c.close();
  });
});

describe('prefetch', () => {
  it('limits each consumer (global=false) to its window', async () => {
    const ch = await conn.createChannel();
    const q = await fresh(ch, 'prefetch-q');
    await ch.prefetch(2);
    for (let i = 0; i < 10; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    const a = collect(ch, q);
    await until(() => a.msgs.length === 2);
    await sleep(50);
    expect(a.msgs).toHaveLength(2);
    ch.ack(a.msgs[0]);
    await until(() => a.msgs.length === 3);
    ch.ack(a.msgs[2], true);
    await until(() => a.msgs.length === 5);
    expect(bodies(a.msgs)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('global=true limits the channel as a whole', async () => {
    const ch = await conn.createChannel();
    const q1 = await fresh(ch, 'gq-1');
    const q2 = await fresh(ch, 'gq-2');
    await ch.prefetch(3, true);
    for (let i = 0; i < 5; i++) {
      ch.sendToQueue(q1, Buffer.from(`a${i}`));
      ch.sendToQueue(q2, Buffer.from(`b${i}`));
    }
    const a = collect(ch, q1);
    const b = collect(ch, q2);
    await until(() => a.msgs.length + b.msgs.length === 3);
    await sleep(50);
    expect(a.msgs.length + b.msgs.length).toBe(3);
    ch.ackAll();
    await until(() => a.msgs.length + b.msgs.length === 6);
  });

  it('prefetch_size other than 0 is NOT_IMPLEMENTED', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.BASIC_QOS, { prefetchSize: 10, prefetchCount: 0, global: false });
    expect(await c.connectionClose()).toEqual([540, 'NOT_IMPLEMENTED - prefetch_size!=0 (10)', 60, 10]);
    c.close();
  });
});
