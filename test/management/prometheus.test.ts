/**
 * The Prometheus endpoint over real HTTP against an in-process Warren, with amqplib traffic:
 * rabbitmq_prometheus's families change as messages flow, per-object and detailed samples carry
 * {vhost,queue}, and odd names stay parseable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';
import { declareQueue } from '../../src/broker/topology-admin.js';
import { scrape, type Scrape } from '../support/prometheus-text.js';

let broker: TestBroker;
let base: string;

beforeAll(async () => {
  broker = await startTestBroker({ managementPort: -1, prometheusPort: 0, ephemeral: true });
  base = `http://127.0.0.1:${broker.prometheusPort}`;
});

afterAll(async () => {
  await broker?.stop();
});

/** Scrapes until `ok` (bounded by the test's timeout). */
async function until(get: () => Promise<Scrape>, ok: (s: Scrape) => boolean): Promise<Scrape> {
  for (;;) {
    const s = await get();
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('prometheus endpoint', () => {
  it('is off when embedded unless asked for', async () => {
    const other = await startTestBroker({ managementPort: -1, ephemeral: true });
    try {
      expect(other.prometheusPort).toBeNull();
    } finally {
      await other.stop();
    }
  });

  it('serves /metrics as text 0.0.4 without auth, with identity_info labelled by endpoint', async () => {
    const { status, contentType, parsed } = await scrape(base, '/metrics');
    expect(status).toBe(200);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parsed.types.get('rabbitmq_identity_info')).toBe('untyped');
    const identity = parsed.find('rabbitmq_identity_info')[0];
    expect(identity.labels.rabbitmq_endpoint).toBe('aggregated');
    expect(identity.labels.rabbitmq_node).toBe(broker.broker.nodeName);
    expect(identity.labels.rabbitmq_cluster).toBe(broker.broker.nodeName);
    expect(parsed.value('rabbitmq_build_info')).toBe(1);
    expect((await scrape(base, '/metrics/per-object')).parsed.find('rabbitmq_identity_info')[0].labels.rabbitmq_endpoint).toBe('per-object');
    expect((await scrape(base, '/metrics/detailed')).parsed.find('rabbitmq_identity_info')[0].labels.rabbitmq_endpoint).toBe('detailed');
  });

  it('counts publishes, confirms, deliveries and acks as messages flow', async () => {
    const before = (await scrape(base, '/metrics')).parsed;
    const received0 = before.value('rabbitmq_global_messages_received_total', { protocol: 'amqp091' });
    expect(received0).toBe(0);
    const conn = await broker.connect();
    const ch = await conn.createConfirmChannel();
    const q = 'prom-flow';
    await ch.assertQueue(q);
    for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
    await ch.waitForConfirms();
    ch.publish('', 'prom-nowhere', Buffer.from('dropped'));
    await ch.waitForConfirms();

    let m = (await scrape(base, '/metrics')).parsed;
    expect(m.value('rabbitmq_global_messages_received_total', { protocol: 'amqp091' })).toBe(6);
    expect(m.value('rabbitmq_global_messages_received_confirm_total', { protocol: 'amqp091' })).toBe(6);
    expect(m.value('rabbitmq_global_messages_confirmed_total', { protocol: 'amqp091' })).toBe(6);
    expect(m.value('rabbitmq_global_messages_routed_total', { protocol: 'amqp091' })).toBe(5);
    expect(m.value('rabbitmq_global_messages_unroutable_dropped_total', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_queue_messages_ready')).toBe(5);
    expect(m.value('rabbitmq_queue_messages')).toBe(5);
    expect(m.value('rabbitmq_queues')).toBe(1);
    expect(m.value('rabbitmq_connections')).toBe(1);
    expect(m.value('rabbitmq_channels')).toBe(1);
    expect(m.value('rabbitmq_global_publishers', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_queues_created_total')).toBe(1);
    expect(m.value('rabbitmq_connections_opened_total')).toBe(1);

    const per = (await scrape(base, '/metrics/per-object')).parsed;
    expect(per.value('rabbitmq_queue_messages_ready', { vhost: '/', queue: q })).toBe(5);
    expect(per.value('rabbitmq_queue_messages_published_total', { vhost: '/', queue: q })).toBe(5);
    expect(per.find('rabbitmq_channel_messages_published_total')).toHaveLength(1);
    expect(per.find('rabbitmq_channel_messages_published_total')[0].value).toBe(6);

    // two delivered to a manual-ack consumer and held: unacked; one fetched with basic.get and acked
    const consumer = await conn.createChannel();
    await consumer.prefetch(2);
    let held = 0;
    const delivered = new Promise<void>((resolve) => {
      void consumer.consume(q, () => {
        if (++held === 2) resolve();
      });
    });
    await delivered;
    m = (await scrape(base, '/metrics')).parsed;
    expect(m.value('rabbitmq_queue_messages_ready')).toBe(3);
    expect(m.value('rabbitmq_queue_messages_unacked')).toBe(2);
    expect(m.value('rabbitmq_queue_consumers')).toBe(1);
    expect(m.value('rabbitmq_global_consumers', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_global_messages_delivered_consume_manual_ack_total', { protocol: 'amqp091' })).toBe(2);
    expect(m.value('rabbitmq_channel_messages_unacked')).toBe(2);

    const detailed = (await scrape(base, '/metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count')).parsed;
    expect(detailed.value('rabbitmq_detailed_queue_messages_ready', { vhost: '/', queue: q })).toBe(3);
    expect(detailed.value('rabbitmq_detailed_queue_messages_unacked', { vhost: '/', queue: q })).toBe(2);
    expect(detailed.value('rabbitmq_detailed_queue_consumers', { vhost: '/', queue: q })).toBe(1);
    expect(detailed.types.has('rabbitmq_queue_messages_ready')).toBe(false);
    // queue_metrics repeats queue_consumer_count's family: written once
    const both = (await scrape(base, '/metrics/detailed?family=queue_consumer_count&family=queue_metrics')).parsed;
    expect(both.value('rabbitmq_detailed_queue_consumers', { vhost: '/', queue: q })).toBe(1);

    await consumer.close(); // the two come back to the queue
    const getter = await conn.createChannel();
    const got = await getter.get(q);
    expect(got).not.toBe(false);
    if (got !== false) getter.ack(got);
    await getter.assertQueue('prom-flow-empty');
    expect(await getter.get('prom-flow-empty')).toBe(false);
    await conn.close();

    // the broker counts the connection closed when its socket has closed: soon after close-ok
    m = await until(async () => (await scrape(base, '/metrics')).parsed, (p) => p.value('rabbitmq_connections_closed_total') === 1);
    expect(m.value('rabbitmq_global_messages_delivered_get_manual_ack_total', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_global_messages_redelivered_total', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_global_messages_acknowledged_total', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_global_messages_delivered_total', { protocol: 'amqp091' })).toBe(3);
    // closed channels' counts stay in the node totals
    expect(m.value('rabbitmq_global_messages_received_total', { protocol: 'amqp091' })).toBe(6);
    expect(m.value('rabbitmq_connections')).toBe(0);
    expect(m.value('rabbitmq_connections_closed_total')).toBe(1);
    expect(m.value('rabbitmq_global_messages_get_empty_total', { protocol: 'amqp091' })).toBe(1);
    expect(m.value('rabbitmq_queue_messages_ready')).toBe(4);
  });

  it('keeps odd names parseable and filters detailed families by vhost', async () => {
    const conn = await broker.connect();
    const ch = await conn.createConfirmChannel();
    // over AMQP a queue name keeps quotes and backslashes (CR and LF are stripped, as by RabbitMQ)
    const odd = 'a"b\\c';
    await ch.assertQueue(odd);
    ch.sendToQueue(odd, Buffer.from('x'));
    await ch.waitForConfirms();
    await ch.close();
    // a line feed can only come from an embedder: the output must survive it too
    declareQueue(broker.broker.vhosts.get('/')!, 'line\nfeed', { durable: false, autoDelete: false, arguments: [] });
    const { text, parsed: per } = await scrape(base, '/metrics/per-object');
    expect(text).toContain('rabbitmq_queue_messages_ready{vhost="/",queue="a\\"b\\\\c"} 1\n');
    expect(text).toContain('rabbitmq_queue_messages_ready{vhost="/",queue="line\\nfeed"} 0\n');
    expect(per.value('rabbitmq_queue_messages_ready', { vhost: '/', queue: odd })).toBe(1);
    expect(per.value('rabbitmq_queue_messages_ready', { vhost: '/', queue: 'line\nfeed' })).toBe(0);
    const inVhost = (await scrape(base, '/metrics/detailed?family=queue_coarse_metrics&vhost=%2F')).parsed;
    expect(inVhost.value('rabbitmq_detailed_queue_messages', { vhost: '/', queue: odd })).toBe(1);
    const elsewhere = (await scrape(base, '/metrics/detailed?family=queue_coarse_metrics&vhost=nowhere')).parsed;
    expect(elsewhere.find('rabbitmq_detailed_queue_messages')).toHaveLength(0);
    expect(elsewhere.types.get('rabbitmq_detailed_queue_messages')).toBe('gauge');
    await conn.close();
  });

  it('counts queues deleted and messages dead-lettered by reason', async () => {
    const before = (await scrape(base, '/metrics')).parsed;
    const DLX = { queue_type: 'rabbit_classic_queue', dead_letter_strategy: 'at_most_once' };
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('prom-dead');
    await ch.assertQueue('prom-dl', { arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'prom-dead' } });
    // declared counts every declare that is not passive, of a new queue or an existing one
    await ch.assertQueue('prom-dead');
    await ch.checkQueue('prom-dead');
    ch.sendToQueue('prom-dl', Buffer.from('r'));
    const m = await until(async () => (await scrape(base, '/metrics/per-object')).parsed,
      (p) => p.value('rabbitmq_queue_messages_ready', { vhost: '/', queue: 'prom-dl' }) === 1);
    expect(m.value('rabbitmq_queue_messages_ready', { vhost: '/', queue: 'prom-dl' })).toBe(1);
    const got = await ch.get('prom-dl');
    if (got === false) throw new Error('no message');
    ch.nack(got, false, false);
    await ch.deleteQueue('prom-dl');
    const after = (await scrape(base, '/metrics')).parsed;
    expect(after.value('rabbitmq_global_messages_dead_lettered_rejected_total', DLX)
      - before.value('rabbitmq_global_messages_dead_lettered_rejected_total', DLX)).toBe(1);
    expect(after.value('rabbitmq_queues_deleted_total') - before.value('rabbitmq_queues_deleted_total')).toBe(1);
    expect(after.value('rabbitmq_queues_created_total') - before.value('rabbitmq_queues_created_total')).toBe(2);
    expect(after.value('rabbitmq_queues_declared_total') - before.value('rabbitmq_queues_declared_total')).toBe(3);
    const per = (await scrape(base, '/metrics/per-object')).parsed;
    expect(per.value('rabbitmq_queue_messages_ready', { vhost: '/', queue: 'prom-dead' })).toBe(1);
    await conn.close();
  });

  it('does not count a queue recovered at start as created', async () => {
    const first = await startTestBroker({ managementPort: -1, prometheusPort: 0 });
    const c = await first.connect();
    await (await c.createChannel()).assertQueue('prom-durable', { durable: true });
    await first.stop({ keepData: true });
    const second = await startTestBroker({ managementPort: -1, prometheusPort: 0, dataDir: first.dataDir });
    try {
      // free space is read by statfs soon after start: until then the sample is left out
      const m = await until(async () => (await scrape(`http://127.0.0.1:${second.prometheusPort}`, '/metrics')).parsed,
        (p) => p.find('rabbitmq_disk_space_available_bytes').length === 1);
      expect(m.value('rabbitmq_queues')).toBe(1);
      expect(m.value('rabbitmq_queues_created_total')).toBe(0);
      expect(m.find('rabbitmq_disk_space_available_bytes')).toHaveLength(1);
      expect(m.value('rabbitmq_disk_space_available_limit_bytes')).toBe(50_000_000);
    } finally {
      await second.stop();
    }
  });

  it('gives only build_info and identity_info with no family or an unknown one', async () => {
    for (const path of ['/metrics/detailed', '/metrics/detailed?family=no_such_family']) {
      const { status, parsed } = await scrape(base, path);
      expect(status).toBe(200);
      expect([...parsed.types.keys()]).toEqual(['rabbitmq_build_info', 'rabbitmq_identity_info']);
    }
  });

  it('lists exchanges and vhosts in the detailed cluster families', async () => {
    const { parsed } = await scrape(base, '/metrics/detailed?family=exchange_names&family=vhost_status');
    expect(parsed.value('rabbitmq_cluster_exchange_name', { vhost: '/', exchange: 'amq.topic' })).toBe(1);
    expect(parsed.find('rabbitmq_cluster_exchange_name', { exchange: '' })).toHaveLength(0);
    expect(parsed.value('rabbitmq_cluster_vhost_status', { vhost: '/' })).toBe(1);
  });
});
