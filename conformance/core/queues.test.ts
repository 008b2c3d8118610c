/** queue.declare / bind / unbind / purge / delete: RabbitMQ's matrix, codes and texts. */
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


describe('queue.declare', () => {
  it('returns message and consumer counts', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('counts-q');
    ch.sendToQueue('counts-q', Buffer.from('1'));
    ch.sendToQueue('counts-q', Buffer.from('2'));
    await ch.consume('counts-q', () => undefined, { noAck: false });
    const other = await conn.createChannel();
    await other.assertQueue('counts-q2');
    other.sendToQueue('counts-q2', Buffer.from('1'));
    expect(await other.checkQueue('counts-q2')).toEqual({ queue: 'counts-q2', messageCount: 1, consumerCount: 0 });
    expect((await other.checkQueue('counts-q')).consumerCount).toBe(1);
  });

  it('names server-named queues amq.gen-… (22 URL-safe base64 characters)', async () => {
    const ch = await conn.createChannel();
    const a = await ch.assertQueue('', { exclusive: true });
    const b = await ch.assertQueue('', { exclusive: true });
    expect(a.queue).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
    expect(a.queue).not.toBe(b.queue);
  });

  it('passive declare of a missing queue is 404', async () => {
    await expectChannelError(conn, (ch) => ch.checkQueue('no-such-q'), 404, "NOT_FOUND - no queue 'no-such-q' in vhost '/'");
  });

  it('the amq. prefix is reserved', async () => {
    await expectChannelError(conn, (ch) => ch.assertQueue('amq.mine'), 403,
      "ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
  });

  it('redeclaring with other properties or arguments is 406, with RabbitMQ\'s texts', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('eqv-q', { durable: true, arguments: { 'x-message-ttl': 100 } });
    await expectChannelError(conn, (c) => c.assertQueue('eqv-q', { durable: false, arguments: { 'x-message-ttl': 100 } }), 406,
      "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'eqv-q' in vhost '/': received 'false' but current is 'true'");
    await expectChannelError(conn, (c) => c.assertQueue('eqv-q', { durable: true, arguments: { 'x-message-ttl': 200 } }), 406,
      "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'eqv-q' in vhost '/': received '200' but current is '100'");
    await expectChannelError(conn, (c) => c.assertQueue('eqv-q', { durable: true }), 406,
      "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'eqv-q' in vhost '/': received none but current is the value '100' of type 'byte'"); // amqplib sends 100 as a byte
    // arguments RabbitMQ does not know are not compared
    await ch.assertQueue('eqv-q', { durable: true, arguments: { 'x-message-ttl': 100, 'x-custom': 'whatever' } });
  });

  it('exclusive queues are locked to their connection (405)', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('excl-q', { exclusive: true });
    const other = await broker.connect();
    const text = "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'excl-q' in vhost '/'. It could be "
      + 'originally declared on another connection or the exclusive property value does not match that of the original declaration.';
    await expectChannelError(other, (c) => c.assertQueue('excl-q', { exclusive: true }), 405, text);
    await expectChannelError(other, (c) => c.checkQueue('excl-q'), 405, text);
    await expectChannelError(other, (c) => c.consume('excl-q', () => undefined), 405, text);
    await expectChannelError(other, (c) => c.get('excl-q'), 405, text);
    await expectChannelError(other, (c) => c.purgeQueue('excl-q'), 405, text);
    await expectChannelError(other, (c) => c.deleteQueue('excl-q'), 405, text);
    await expectChannelError(other, (c) => c.bindQueue('excl-q', 'amq.direct', 'k'), 405, text);
    await (await other.createChannel()).unbindQueue('excl-q', 'amq.direct', 'k'); // RabbitMQ does not check unbind
    // the owner can use it, and it goes when its connection does
    await ch.checkQueue('excl-q');
    const owner = await broker.connect();
    const och = await owner.createChannel();
    await och.assertQueue('excl-2', { exclusive: true });
    await owner.close();
    await expectChannelError(conn, (c) => c.checkQueue('excl-2'), 404, "NOT_FOUND - no queue 'excl-2' in vhost '/'");
  });

  it('an auto-delete queue goes when its last consumer is cancelled, not before it had one', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('ad-q', { autoDelete: true });
    await ch.checkQueue('ad-q');
    const c1 = await ch.consume('ad-q', () => undefined);
    const c2 = await ch.consume('ad-q', () => undefined);
    await ch.cancel(c1.consumerTag);
    await ch.checkQueue('ad-q');
    await ch.cancel(c2.consumerTag);
    await expectChannelError(conn, (c) => c.checkQueue('ad-q'), 404, "NOT_FOUND - no queue 'ad-q' in vhost '/'");
  });
});

describe('bind, purge, delete', () => {
  it('binding to a missing exchange or queue is 404', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('bind-q');
    await expectChannelError(conn, (c) => c.bindQueue('bind-q', 'no-x', 'k'), 404, "NOT_FOUND - no exchange 'no-x' in vhost '/'");
    await expectChannelError(conn, (c) => c.bindQueue('no-q', 'amq.direct', 'k'), 404, "NOT_FOUND - no queue 'no-q' in vhost '/'");
  });

  it('unbinding a binding that does not exist is fine', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('unbind-q');
    await ch.unbindQueue('unbind-q', 'amq.direct', 'never-bound');
  });

  it('purge returns the count and empties the queue', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('purge-q');
    for (let i = 0; i < 5; i++) ch.sendToQueue('purge-q', Buffer.from(String(i)));
    expect(await ch.purgeQueue('purge-q')).toEqual({ messageCount: 5 });
    expect((await ch.checkQueue('purge-q')).messageCount).toBe(0);
  });

  it('delete if-empty / if-unused refuse with 406; delete returns the count', async () => {
    const ch = await conn.createChannel();
    await ch.assertQueue('del-q');
    ch.sendToQueue('del-q', Buffer.from('x'));
    await ch.checkQueue('del-q');
    await expectChannelError(conn, (c) => c.deleteQueue('del-q', { ifEmpty: true }), 406, "PRECONDITION_FAILED - queue 'del-q' in vhost '/' not empty");
    await ch.consume('del-q', () => undefined, { noAck: false });
    await expectChannelError(conn, (c) => c.deleteQueue('del-q', { ifUnused: true }), 406, "PRECONDITION_FAILED - queue 'del-q' in vhost '/' in use");
    ch.sendToQueue('del-q', Buffer.from('y'));
    const other = await conn.createChannel();
    await other.assertQueue('del-q2');
    other.sendToQueue('del-q2', Buffer.from('a'));
    other.sendToQueue('del-q2', Buffer.from('b'));
    expect(await other.deleteQueue('del-q2')).toEqual({ messageCount: 2 });
    expect(await other.deleteQueue('del-q2')).toEqual({ messageCount: 0 }); // already gone: still ok
  });

  it('queue name \'\' means the queue this channel declared last', async () => {
    const ch = await conn.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue('', 'amq.direct', ''); // routing key '' + queue '' = the queue's name
    ch.publish('amq.direct', queue, Buffer.from('via shortcut'));
    const m = await ch.get('');
    expect(m && m.content.toString()).toBe('via shortcut');
    await expectChannelError(conn, (c) => c.purgeQueue(''), 404, 'NOT_FOUND - no previously declared queue');
  });
});
