/**
 * message_stats of channels, exchanges and the overview, as the dashboard, KEDA and
 * rabbitmqadmin read them: the counts a client's publishes, returns, gets and acks make, each
 * with its `_details.rate`. Proven against RabbitMQ 3.10 (statistics lag up to 5 s: polled).
 */
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementHttp, until, type Http } from '../support/http.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let http: Http;
const created: string[] = [];

beforeAll(async () => {
  t = await target();
  http = managementHttp(t);
});
afterAll(async () => {
  for (const path of created.reverse()) await http('DELETE', path);
});

describe('message_stats', () => {
  it('a channel counts publishes, confirms, returns, gets and acks; an exchange publish_in and publish_out per queue reached', async () => {
    const x = unique('stats-x');
    const [q1, q2] = [unique('stats-q1'), unique('stats-q2')];
    created.push(`/api/exchanges/%2F/${x}`, `/api/queues/%2F/${q1}`, `/api/queues/%2F/${q2}`);
    const c = await amqp.connect(t.url);
    try {
      const ch = await c.createConfirmChannel();
      await ch.assertExchange(x, 'fanout', { durable: false });
      for (const q of [q1, q2]) {
        await ch.assertQueue(q, { durable: false });
        await ch.bindQueue(q, x, '');
      }
      for (let i = 0; i < 3; i++) ch.publish(x, '', Buffer.from(`m${i}`));
      const returned = new Promise((resolve) => ch.once('return', resolve));
      ch.publish('amq.direct', unique('nowhere'), Buffer.from('lost'), { mandatory: true });
      await ch.waitForConfirms();
      await returned;
      const m = await ch.get(q1, { noAck: false });
      if (m === false) throw new Error('no message');
      ch.ack(m);
      expect(await ch.get(q1, { noAck: true })).not.toBe(false);

      const port = (c as unknown as { connection: { stream: { localPort: number } } }).connection.stream.localPort;
      const channel = await until(async () => ((await http('GET', '/api/channels')).body as any[])
        .find((k) => k.connection_details?.peer_port === port), (k) => k?.message_stats?.ack === 1);
      expect(channel.message_stats).toMatchObject({
        publish: 4, confirm: 4, return_unroutable: 1, get: 1, get_no_ack: 1, deliver_get: 2, ack: 1, deliver: 0, deliver_no_ack: 0,
        redeliver: 0,
        publish_details: { rate: expect.any(Number) }, confirm_details: { rate: expect.any(Number) },
        deliver_get_details: { rate: expect.any(Number) }, ack_details: { rate: expect.any(Number) },
      });

      const exchange = await until(async () => (await http('GET', `/api/exchanges/%2F/${x}`)).body, (e) => e.message_stats?.publish_out === 6);
      expect(exchange.message_stats).toMatchObject({
        publish_in: 3, publish_in_details: { rate: expect.any(Number) }, publish_out: 6, publish_out_details: { rate: expect.any(Number) },
      });
      // an exchange no message went through has no message_stats at all
      const quiet = unique('stats-quiet');
      created.push(`/api/exchanges/%2F/${quiet}`);
      await ch.assertExchange(quiet, 'fanout', { durable: false });
      expect((await http('GET', `/api/exchanges/%2F/${quiet}`)).body.message_stats).toBeUndefined();
    } finally {
      await c.close();
    }
  });

  it('the overview sums every channel\'s counts, closed ones included, with rates', async () => {
    const before = (await http('GET', '/api/overview')).body.message_stats?.publish ?? 0;
    const q = unique('stats-ov');
    created.push(`/api/queues/%2F/${q}`);
    const c = await amqp.connect(t.url);
    const ch = await c.createConfirmChannel();
    await ch.assertQueue(q, { durable: false });
    for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
    await ch.waitForConfirms();
    await c.close();
    const overview = await until(async () => (await http('GET', '/api/overview')).body, (o) => (o.message_stats?.publish ?? 0) >= before + 5);
    expect(overview.message_stats.publish).toBeGreaterThanOrEqual(before + 5);
    expect(overview.message_stats).toMatchObject({
      publish_details: { rate: expect.any(Number) }, deliver_get: expect.any(Number), deliver_get_details: { rate: expect.any(Number) },
      ack: expect.any(Number), confirm: expect.any(Number), return_unroutable: expect.any(Number),
    });
  });
});
