/** Queue declaration, equivalence, exclusivity, purge and delete: what a client observes. */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, connect, expectChannelClose, expectClosed, tidy } from './support/client.js';
import { unique } from './support/target.js';

afterAll(tidy);

describe('queue.declare', () => {
  it('declare-ok carries the name and the counts', async () => {
    const conn = await connect();
    const ch = await conn.createChannel();
    const q = cleanup('queue', unique('counts'));
    expect(await ch.assertQueue(q)).toEqual({ queue: q, messageCount: 0, consumerCount: 0 });
    ch.sendToQueue(q, Buffer.from('a'));
    ch.sendToQueue(q, Buffer.from('b'));
    await ch.consume(q, () => undefined, { noAck: false, exclusive: false });
    const again = await (await conn.createChannel()).checkQueue(q);
    expect(again.consumerCount).toBe(1);
  });

  it('server-named queues are amq.gen- and 22 URL-safe base64 characters', async () => {
    const ch = await (await connect()).createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    expect(queue).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
  });

  it('passive declare of a missing queue closes the channel with 404', async () => {
    const conn = await connect();
    const q = unique('missing');
    expectClosed(await expectChannelClose(conn, (ch) => ch.checkQueue(q)), 404, `NOT_FOUND - no queue '${q}' in vhost '/'`);
  });

  it('redeclaring with another durability or argument is 406 with RabbitMQ\'s text', async () => {
    const conn = await connect();
    const ch = await conn.createChannel();
    const q = cleanup('queue', unique('eqv'));
    await ch.assertQueue(q, { durable: true, arguments: { 'x-message-ttl': 1000 } });
    expectClosed(await expectChannelClose(conn, (c) => c.assertQueue(q, { durable: false, arguments: { 'x-message-ttl': 1000 } })), 406,
      `PRECONDITION_FAILED - inequivalent arg 'durable' for queue '${q}' in vhost '/': received 'false' but current is 'true'`);
    expectClosed(await expectChannelClose(conn, (c) => c.assertQueue(q, { durable: true, arguments: { 'x-message-ttl': 2000 } })), 406,
      `PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue '${q}' in vhost '/': received '2000' but current is '1000'`);
  });
});
