/**
 * What client libraries and frameworks tripped over when pointed at Warren unchanged (issue 12),
 * each as RabbitMQ answers it: connection.update-secret, large messages, headers a classic queue
 * never adds, direct reply-to declared passively, CC/BCC of the wrong type, counts once expired
 * messages reach the head, header tables nested thousands deep, and a transaction committed
 * after its queue was deleted.
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentHeader } from '../src/codec/content-header.js';
import { tableFromObject } from '../src/codec/field-table.js';
import * as P from '../src/codec/generated/protocol.js';
import { deeplyNestedTable } from '../test/support/deep-nesting.js';
import { frame } from '../test/support/frames.js';
import { Random } from '../test/support/random.js';
import { RawClient } from '../test/support/raw-client.js';
import { connect, expectChannelError, freshExchange, freshQueue, getOne, sleep, tidy } from './support/client.js';
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

/** A raw-socket client with channel 1 open and confirms on (for bytes no library would send). */
async function rawPublisher(): Promise<RawClient> {
  const c = await RawClient.open(t.port);
  await c.openChannel(1);
  c.method(1, P.CONFIRM_SELECT, { nowait: false });
  await c.nextMethod(P.CONFIRM_SELECT_OK);
  return c;
}

/** Publishes a message with this content header payload and body through a raw client; waits for its confirm. */
async function publishRaw(c: RawClient, exchangeName: string, routingKey: string, header: Buffer, body: Buffer): Promise<void> {
  c.method(1, P.BASIC_PUBLISH, { exchange: exchangeName, routingKey, mandatory: false, immediate: false });
  c.write(frame(P.FRAME_HEADER, 1, header));
  if (body.length > 0) c.write(frame(P.FRAME_BODY, 1, body));
  await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK);
}

/** basic.get through the raw client: the content header payload delivered, byte for byte. */
async function getRawHeader(c: RawClient, q: string): Promise<Buffer> {
  c.frames.length = 0;
  c.method(1, P.BASIC_GET, { queue: q, noAck: true });
  const m = await c.nextMethod(P.BASIC_GET_OK, P.BASIC_GET_EMPTY);
  expect(m.id).toBe(P.BASIC_GET_OK);
  await c.until(() => c.frames.some((f) => f.type === P.FRAME_HEADER));
  return (c.frames.find((f) => f.type === P.FRAME_HEADER) as { payload: Buffer }).payload;
}

/** A content header payload with these headers (as a table's bytes, without the length) and properties. */
function headerWithTable(table: Buffer, bodySize: number, props: Record<string, unknown> = {}): Buffer {
  const built = ContentHeader.build(P.CLASS_BASIC, bodySize, { headers: [], ...props }).raw;
  // splice the table's bytes in place of the empty table the builder wrote
  const at = built.indexOf(Buffer.from([0, 0, 0, 0]), 14);
  const out = Buffer.alloc(built.length + table.length);
  built.copy(out, 0, 0, at);
  out.writeUInt32BE(table.length, at);
  table.copy(out, at + 4);
  built.copy(out, at + 4 + table.length, at + 4);
  return out;
}

describe('connection.update-secret', () => {
  it('is answered with update-secret-ok; the connection and its channels carry on', async () => {
    const c = await connect();
    const ch = await c.createChannel();
    const q = queue('secret');
    await ch.assertQueue(q, { durable: false });
    await c.updateSecret(Buffer.from('guest'), 'rotating credentials');
    ch.sendToQueue(q, Buffer.from('after'));
    expect((await getOne(ch, q, true)).content.toString()).toBe('after');
    // the internal user database's credentials never expire: the new secret is not checked
    await c.updateSecret(Buffer.from('another token'), 'rotating again');
    const ch2 = await c.createChannel();
    expect((await ch2.checkQueue(q)).queue).toBe(q);
    await c.close();
  });
});

describe('message size', () => {
  it('a 20 MB message is confirmed, delivered whole and acknowledged (RabbitMQ 3.x accepts up to 128 MiB)', async () => {
    const ch = await conn.createConfirmChannel();
    const q = queue('twenty-mb');
    await ch.assertQueue(q, { durable: true });
    const body = new Random(20).bytes(20_000_000);
    ch.sendToQueue(q, body, { persistent: true });
    await ch.waitForConfirms();
    const m = await getOne(ch, q);
    expect(m.content.equals(body)).toBe(true);
    ch.ack(m);
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  }, 60_000);
});

describe('headers a classic queue never adds', () => {
  it('a message requeued by nack and by reject comes back with exactly the header bytes it was published with', async () => {
    const q = queue('requeue-bytes');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false });
    const header = ContentHeader.build(P.CLASS_BASIC, 1, {
      headers: tableFromObject({ 'x-str': 's', n: 42 }), messageId: 'm-1', deliveryMode: 1,
    }).raw;
    const c = await rawPublisher();
    await publishRaw(c, '', q, header, Buffer.from('x'));
    for (const how of ['nack', 'reject', 'recover'] as const) {
      c.frames.length = 0;
      c.method(1, P.BASIC_GET, { queue: q, noAck: false });
      const ok = await c.nextMethod(P.BASIC_GET_OK);
      if (ok.id !== P.BASIC_GET_OK) throw new Error('unreachable');
      await c.until(() => c.frames.some((f) => f.type === P.FRAME_BODY));
      if (how === 'nack') c.method(1, P.BASIC_NACK, { deliveryTag: ok.args.deliveryTag, multiple: false, requeue: true });
      else if (how === 'reject') c.method(1, P.BASIC_REJECT, { deliveryTag: ok.args.deliveryTag, requeue: true });
      else {
        c.method(1, P.BASIC_RECOVER, { requeue: true });
        await c.nextMethod(P.BASIC_RECOVER_OK);
      }
    }
    expect((await getRawHeader(c, q)).equals(header)).toBe(true);
    c.close();
  });

  it('through a consumer too: no x-delivery-count, the headers as published', async () => {
    const q = queue('requeue-consumer');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: true });
    await ch.prefetch(1);
    const seen: [boolean, unknown][] = [];
    const done = new Promise<void>((resolve) => {
      void ch.consume(q, (m) => {
        if (!m) return;
        seen.push([m.fields.redelivered, m.properties.headers]);
        if (seen.length < 3) ch.nack(m, false, true);
        else {
          ch.ack(m);
          resolve();
        }
      });
    });
    ch.sendToQueue(q, Buffer.from('again'), { headers: { trace: 'abc' }, persistent: true });
    await done;
    expect(seen).toEqual([[false, { trace: 'abc' }], [true, { trace: 'abc' }], [true, { trace: 'abc' }]]);
  });

  it('x-delivery-limit on a classic queue: refused by RabbitMQ; Warren counts and dead-letters only because it was asked', async () => {
    const ch = await conn.createChannel();
    const dlx = exchange('limit-dlx');
    const dead = queue('limit-dead');
    const q = queue('limit-classic');
    await ch.assertExchange(dlx, 'fanout', { durable: false });
    await ch.assertQueue(dead, { durable: false });
    await ch.bindQueue(dead, dlx, '');
    const args = { 'x-delivery-limit': 1, 'x-dead-letter-exchange': dlx };
    if (t.product === 'RabbitMQ') {
      // an argument of another queue type (quorum's) is refused on a classic queue
      await expectChannelError(conn, (c) => c.assertQueue(q, { durable: false, arguments: args }), 406,
        `PRECONDITION_FAILED - invalid arg 'x-delivery-limit' for queue '${q}' in vhost '/' of queue type rabbit_classic_queue`);
      return;
    }
    await ch.assertQueue(q, { durable: false, arguments: args });
    ch.sendToQueue(q, Buffer.from('limited'));
    const first = await getOne(ch, q);
    expect(first.properties.headers).toEqual({}); // amqplib sends an empty table
    ch.nack(first, false, true);
    const second = await getOne(ch, q);
    expect(second.properties.headers).toEqual({ 'x-delivery-count': 1 });
    ch.nack(second, false, true);
    const dl = await getOne(ch, dead, true);
    expect((dl.properties.headers as Record<string, unknown>)['x-first-death-reason']).toBe('delivery_limit');
  });
});

describe('direct reply-to declared passively', () => {
  it('amq.rabbitmq.reply-to is declared (passive or not) with 0 messages and 1 consumer', async () => {
    const ch = await conn.createChannel();
    expect(await ch.checkQueue('amq.rabbitmq.reply-to')).toEqual({ queue: 'amq.rabbitmq.reply-to', messageCount: 0, consumerCount: 1 });
    expect(await ch.assertQueue('amq.rabbitmq.reply-to', { durable: false, exclusive: true }))
      .toEqual({ queue: 'amq.rabbitmq.reply-to', messageCount: 0, consumerCount: 1 });
  });

  it('a framework\'s RPC: declare passively, consume, request with reply_to, get the reply', async () => {
    const server = await conn.createChannel();
    const rpc = queue('rpc');
    await server.assertQueue(rpc, { durable: false });
    await server.consume(rpc, (m) => {
      if (!m) return;
      server.sendToQueue(m.properties.replyTo as string, Buffer.from(`pong ${m.content.toString()}`), { correlationId: m.properties.correlationId });
      server.ack(m);
    });
    const client = await conn.createChannel();
    await client.checkQueue('amq.rabbitmq.reply-to');
    const reply = new Promise<amqp.ConsumeMessage>((resolve) => {
      void client.consume('amq.rabbitmq.reply-to', (m) => { if (m) resolve(m); }, { noAck: true });
    });
    client.sendToQueue(rpc, Buffer.from('ping'), { replyTo: 'amq.rabbitmq.reply-to', correlationId: 'c-7' });
    const m = await reply;
    expect([m.content.toString(), m.properties.correlationId]).toEqual(['pong ping', 'c-7']);
  });

  it('other names starting amq.rabbitmq.reply-to do not exist', async () => {
    await expectChannelError(conn, (ch) => ch.checkQueue('amq.rabbitmq.reply-to-x'), 404,
      "NOT_FOUND - no queue 'amq.rabbitmq.reply-to-x' in vhost '/'");
    await expectChannelError(conn, (ch) => ch.checkQueue('amq.rabbitmq.reply-to.nobody'), 404,
      "NOT_FOUND - no queue 'amq.rabbitmq.reply-to.nobody' in vhost '/'");
  });
});

describe('CC and BCC of the wrong type', () => {
  const publishWith = (headers: Record<string, unknown>) => (ch: amqp.Channel) => {
    ch.sendToQueue(unique('nowhere'), Buffer.from('x'), { headers });
  };
  const invalid = (name: string, type: string) => `PRECONDITION_FAILED - invalid message: {unacceptable_type_in_header,"${name}",${type}}`;

  it.each([
    ['a string CC', { CC: 'key' }, 'CC', 'longstr'],
    ['an integer BCC', { BCC: { '!': 'int32', value: 5 } }, 'BCC', 'signedint'],
    ['a small integer BCC', { BCC: 5 }, 'BCC', 'byte'],
    ['a table CC', { CC: { a: 'b' } }, 'CC', 'table'],
    ['a void CC', { CC: null }, 'CC', 'void'],
    ['a boolean BCC', { BCC: true }, 'BCC', 'bool'],
    ['a 64-bit BCC', { BCC: 2 ** 40 }, 'BCC', 'long'],
    ['both wrong: CC is named', { CC: 1.5, BCC: 'x' }, 'CC', 'double'],
  ])('%s closes the channel with 406', async (_what, headers, name, type) => {
    await expectChannelError(conn, publishWith(headers), 406, invalid(name, type));
  });

  it('an array with other elements than strings is accepted; its strings are routing keys', async () => {
    const ch = await conn.createChannel();
    const q1 = queue('cc-mixed-1');
    const q2 = queue('cc-mixed-2');
    await ch.assertQueue(q1, { durable: false });
    await ch.assertQueue(q2, { durable: false });
    ch.sendToQueue(q1, Buffer.from('mixed'), { headers: { CC: [q2, 5, true, [q2]], BCC: [1] } });
    expect((await getOne(ch, q1, true)).properties.headers).toEqual({ CC: [q2, 5, true, [q2]] });
    expect((await getOne(ch, q2, true)).content.toString()).toBe('mixed');
  });

  it('BCC is removed and every other byte of the header is kept, a message-id that is not UTF-8 included', async () => {
    const ch = await conn.createChannel();
    const q1 = queue('bcc-bytes-1');
    const q2 = queue('bcc-bytes-2');
    await ch.assertQueue(q1, { durable: false });
    await ch.assertQueue(q2, { durable: false });
    const entries = (withBcc: boolean) => tableFromObject({
      before: 'b', ...(withBcc ? { BCC: [q2] } : {}), after: { '!': 'ignored' }, n: 7,
    });
    const bytes = (withBcc: boolean) => {
      const h = ContentHeader.build(P.CLASS_BASIC, 1, { headers: entries(withBcc), deliveryMode: 1 }).raw;
      // a message-id of raw bytes that are not UTF-8, appended as the last property
      const id = Buffer.from([0xff, 0xfe, 0x41]);
      const out = Buffer.concat([h, Buffer.from([id.length]), id]);
      out.writeUInt16BE(out.readUInt16BE(12) | 0x80, 12);
      return out;
    };
    const c = await rawPublisher();
    await publishRaw(c, '', q1, bytes(true), Buffer.from('x'));
    const expected = bytes(false);
    expect((await getRawHeader(c, q1)).equals(expected)).toBe(true);
    expect((await getRawHeader(c, q2)).equals(expected)).toBe(true);
    c.close();
  });
});

describe('counts once expired messages reach the head', () => {
  it('basic.get-ok and queue.declare-ok leave out expired messages now at the head', async () => {
    const ch = await conn.createChannel();
    const q = queue('expired-count');
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('lives'));
    ch.sendToQueue(q, Buffer.from('dies-1'), { expiration: '30' });
    ch.sendToQueue(q, Buffer.from('dies-2'), { expiration: '30' });
    await sleep(150);
    // the expired ones are behind a live head: still counted until the head is fetched
    expect((await ch.checkQueue(q)).messageCount).toBe(3);
    const m = await getOne(ch, q, true);
    expect([m.content.toString(), m.fields.messageCount]).toEqual(['lives', 0]);
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  });

  it('only the expired messages at the new head go; one behind a live message stays counted', async () => {
    const ch = await conn.createChannel();
    const q = queue('expired-count-2');
    await ch.assertQueue(q, { durable: false });
    for (const [body, expiration] of [['lives-1', undefined], ['dies-1', '30'], ['lives-2', undefined], ['dies-2', '30']]) {
      ch.sendToQueue(q, Buffer.from(body as string), expiration === undefined ? {} : { expiration });
    }
    await sleep(150);
    expect((await ch.checkQueue(q)).messageCount).toBe(4);
    const m = await getOne(ch, q, true);
    expect([m.content.toString(), m.fields.messageCount]).toEqual(['lives-1', 2]);
    const n = await getOne(ch, q, true);
    expect([n.content.toString(), n.fields.messageCount]).toEqual(['lives-2', 0]);
  });
});

describe('header tables nested thousands deep', () => {
  it.each([
    ['tables', 'F', 15_000],
    ['arrays', 'A', 15_000],
    ['tables and arrays', 'mixed', 12_000],
  ] as const)('%s %i deep are routed and delivered byte for byte', async (_what, kind, depth) => {
    const ch = await conn.createChannel();
    const x = exchange('deep-headers');
    const q1 = queue('deep-1');
    const q2 = queue('deep-2');
    await ch.assertExchange(x, 'headers', { durable: false });
    await ch.assertQueue(q1, { durable: false });
    await ch.assertQueue(q2, { durable: false });
    await ch.bindQueue(q2, x, '', { 'x-match': 'any', route: 'me' });
    const route = Buffer.from([5, ...Buffer.from('route'), 0x53, 0, 0, 0, 2, ...Buffer.from('me')]);
    const header = headerWithTable(Buffer.concat([route, deeplyNestedTable(depth, kind)]), 4, { deliveryMode: 1 });
    expect(header.length).toBeLessThan(131072 - 8); // one frame
    const c = await rawPublisher();
    await publishRaw(c, '', q1, header, Buffer.from('deep'));
    await publishRaw(c, x, '', header, Buffer.from('deep'));
    expect((await getRawHeader(c, q1)).equals(header)).toBe(true);
    expect((await getRawHeader(c, q2)).equals(header)).toBe(true);
    // the connection is fine
    c.method(1, P.QUEUE_DECLARE, { queue: q1, passive: true, durable: false, exclusive: false, autoDelete: false, noWait: false, arguments: [] });
    expect((await c.nextMethod(P.QUEUE_DECLARE_OK)).id).toBe(P.QUEUE_DECLARE_OK);
    c.close();
  }, 30_000);
});

describe('a transaction committed after its queue was deleted', () => {
  it('the queue gets nothing, and a mandatory message that now reaches no queue is returned at commit', async () => {
    const other = await conn.createChannel();
    const q = queue('tx-deleted');
    await other.assertQueue(q, { durable: true });
    // amqplib has no transactions: the raw client publishes in one
    const c = await RawClient.open(t.port);
    await c.openChannel(1);
    c.method(1, P.TX_SELECT, {});
    await c.nextMethod(P.TX_SELECT_OK);
    c.method(1, P.BASIC_PUBLISH, { exchange: '', routingKey: q, mandatory: true, immediate: false });
    const header = ContentHeader.build(P.CLASS_BASIC, 4, { deliveryMode: 2 }).raw;
    c.write(frame(P.FRAME_HEADER, 1, header));
    c.write(frame(P.FRAME_BODY, 1, Buffer.from('lost')));
    // a round trip on the same channel: the publish has been routed (to q) before q goes
    c.method(1, P.QUEUE_DECLARE, { queue: q, passive: true, durable: false, exclusive: false, autoDelete: false, noWait: false, arguments: [] });
    await c.nextMethod(P.QUEUE_DECLARE_OK);
    await other.deleteQueue(q);
    c.method(1, P.TX_COMMIT, {});
    const first = await c.nextMethod(P.BASIC_RETURN, P.TX_COMMIT_OK);
    expect(first.id).toBe(P.BASIC_RETURN);
    if (first.id === P.BASIC_RETURN) expect([first.args.replyCode, first.args.replyText]).toEqual([312, 'NO_ROUTE']);
    expect((await c.nextMethod(P.TX_COMMIT_OK)).id).toBe(P.TX_COMMIT_OK);
    c.close();
  });
});
