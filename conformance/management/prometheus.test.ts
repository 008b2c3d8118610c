/**
 * rabbitmq_prometheus's endpoints as Prometheus, the RabbitMQ-Overview Grafana dashboard and the
 * cluster-operator's alerts read them: the identity every panel joins on, the families the
 * panels query with their TYPE, a queue's depth per object and in the detailed
 * queue_coarse_metrics family. RabbitMQ's metrics lag (collected every 5 s): polled.
 */
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/http.js';
import { target, unique, type Target } from '../support/target.js';
import { scrape, type Scrape } from '../../test/support/prometheus-text.js';

let t: Target;
let conn: amqp.ChannelModel;
const q = unique('prom-depth');

beforeAll(async () => {
  t = await target();
  conn = await amqp.connect(t.url);
});
afterAll(async () => {
  const ch = await conn.createChannel();
  await ch.deleteQueue(q);
  await conn.close();
});

/** Families the dashboard's panels and the operator's alerts query, with the type RabbitMQ gives them. */
const DASHBOARD_FAMILIES: Record<string, string> = {
  rabbitmq_build_info: 'untyped',
  rabbitmq_identity_info: 'untyped',
  rabbitmq_erlang_uptime_seconds: 'gauge',
  rabbitmq_queue_messages_ready: 'gauge',
  rabbitmq_queue_messages_unacked: 'gauge',
  rabbitmq_queue_messages: 'gauge',
  rabbitmq_connections: 'gauge',
  rabbitmq_channels: 'gauge',
  rabbitmq_queues: 'gauge',
  rabbitmq_consumers: 'gauge',
  rabbitmq_channel_consumers: 'gauge',
  rabbitmq_global_consumers: 'gauge',
  rabbitmq_global_publishers: 'gauge',
  rabbitmq_global_messages_received_total: 'counter',
  rabbitmq_global_messages_received_confirm_total: 'counter',
  rabbitmq_global_messages_confirmed_total: 'counter',
  rabbitmq_global_messages_routed_total: 'counter',
  rabbitmq_global_messages_unroutable_dropped_total: 'counter',
  rabbitmq_global_messages_unroutable_returned_total: 'counter',
  rabbitmq_global_messages_delivered_total: 'counter',
  rabbitmq_global_messages_delivered_consume_auto_ack_total: 'counter',
  rabbitmq_global_messages_delivered_consume_manual_ack_total: 'counter',
  rabbitmq_global_messages_delivered_get_auto_ack_total: 'counter',
  rabbitmq_global_messages_delivered_get_manual_ack_total: 'counter',
  rabbitmq_global_messages_get_empty_total: 'counter',
  rabbitmq_global_messages_redelivered_total: 'counter',
  rabbitmq_global_messages_acknowledged_total: 'counter',
  rabbitmq_global_messages_dead_lettered_expired_total: 'counter',
  rabbitmq_global_messages_dead_lettered_maxlen_total: 'counter',
  rabbitmq_global_messages_dead_lettered_rejected_total: 'counter',
  rabbitmq_global_messages_dead_lettered_delivery_limit_total: 'counter',
  rabbitmq_connections_opened_total: 'counter',
  rabbitmq_connections_closed_total: 'counter',
  rabbitmq_channels_opened_total: 'counter',
  rabbitmq_channels_closed_total: 'counter',
  rabbitmq_queues_declared_total: 'counter',
  rabbitmq_queues_created_total: 'counter',
  rabbitmq_queues_deleted_total: 'counter',
  rabbitmq_process_resident_memory_bytes: 'gauge',
  rabbitmq_resident_memory_limit_bytes: 'gauge',
  rabbitmq_disk_space_available_bytes: 'gauge',
  rabbitmq_disk_space_available_limit_bytes: 'gauge',
  rabbitmq_process_open_fds: 'gauge',
  rabbitmq_process_max_fds: 'gauge',
  rabbitmq_process_open_tcp_sockets: 'gauge',
  rabbitmq_process_max_tcp_sockets: 'gauge',
  rabbitmq_alarms_memory_used_watermark: 'untyped',
  rabbitmq_alarms_free_disk_space_watermark: 'untyped',
  rabbitmq_alarms_file_descriptor_limit: 'untyped',
  rabbitmq_channel_messages_unroutable_returned_total: 'counter',
  rabbitmq_channel_messages_unroutable_dropped_total: 'counter',
};

const rabbitmqFamilies = (s: Scrape) => [...s.types.keys()].filter((n) => n.startsWith('rabbitmq_'));

describe('prometheus', () => {
  it('/metrics: text 0.0.4 without auth, identity and build info, the dashboard families with their types', async () => {
    const { status, contentType, parsed } = await scrape(t.prometheusUrl, '/metrics');
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const [name, type] of Object.entries(DASHBOARD_FAMILIES)) expect([name, parsed.types.get(name)]).toEqual([name, type]);
    const identity = parsed.find('rabbitmq_identity_info');
    expect(identity).toHaveLength(1);
    expect(identity[0].value).toBe(1);
    expect(Object.keys(identity[0].labels)).toEqual(expect.arrayContaining(['rabbitmq_node', 'rabbitmq_cluster', 'rabbitmq_cluster_permanent_id']));
    // RabbitMQ 4 labels the endpoint (4.x dashboards select on it); 3.10 does not
    if (!t.isRabbit3) expect(identity[0].labels.rabbitmq_endpoint).toBe('aggregated');
    const build = parsed.find('rabbitmq_build_info');
    expect(build).toHaveLength(1);
    expect(build[0].labels.rabbitmq_version).toMatch(/^\d+\.\d+\.\d+/);
    // aggregated: no per-object labels
    expect(parsed.find('rabbitmq_queue_messages_ready')).toEqual([{ name: 'rabbitmq_queue_messages_ready', labels: {}, value: expect.any(Number) }]);
    expect(parsed.find('rabbitmq_global_messages_received_total')[0].labels).toEqual({ protocol: 'amqp091' });
  });

  it("a queue's depth per object and in detailed queue_coarse_metrics", async () => {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(q, { durable: false });
    for (let i = 0; i < 3; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
    await ch.waitForConfirms();
    await ch.close();

    const ready = (s: Scrape, name: string) => s.find(name, { vhost: '/', queue: q })[0]?.value;
    const per = await until(async () => (await scrape(t.prometheusUrl, '/metrics/per-object')).parsed,
      (s) => ready(s, 'rabbitmq_queue_messages_ready') === 3);
    expect(ready(per, 'rabbitmq_queue_messages_ready')).toBe(3);
    expect(ready(per, 'rabbitmq_queue_messages')).toBe(3);
    expect(ready(per, 'rabbitmq_queue_messages_unacked')).toBe(0);
    expect(per.types.get('rabbitmq_queue_messages_ready')).toBe('gauge');

    const path = `/metrics/detailed?family=queue_coarse_metrics&vhost=${encodeURIComponent('/')}`;
    const detailed = await until(async () => (await scrape(t.prometheusUrl, path)).parsed,
      (s) => ready(s, 'rabbitmq_detailed_queue_messages_ready') === 3);
    expect(ready(detailed, 'rabbitmq_detailed_queue_messages_ready')).toBe(3);
    expect(ready(detailed, 'rabbitmq_detailed_queue_messages')).toBe(3);
    expect(detailed.types.get('rabbitmq_detailed_queue_messages_ready')).toBe('gauge');
    // only what was asked for, plus the identity
    expect(detailed.types.has('rabbitmq_queue_messages_ready')).toBe(false);
    expect(detailed.types.has('rabbitmq_detailed_queue_consumers')).toBe(false);
    expect(detailed.find('rabbitmq_identity_info')).toHaveLength(1);
  });

  it('/metrics/detailed with no family, or an unknown one: build_info and identity_info only', async () => {
    for (const path of ['/metrics/detailed', `/metrics/detailed?family=${unique('no-such-family')}`]) {
      const { status, parsed } = await scrape(t.prometheusUrl, path);
      expect(status).toBe(200);
      expect(rabbitmqFamilies(parsed).sort()).toEqual(['rabbitmq_build_info', 'rabbitmq_identity_info']);
    }
  });

  it('detailed exchange_names and vhost_status', async () => {
    const { parsed } = await scrape(t.prometheusUrl, '/metrics/detailed?family=exchange_names&family=vhost_status');
    expect(parsed.types.get('rabbitmq_cluster_exchange_name')).toBe('gauge');
    expect(parsed.find('rabbitmq_cluster_exchange_name', { vhost: '/', exchange: 'amq.topic' })).toEqual([
      { name: 'rabbitmq_cluster_exchange_name', labels: { vhost: '/', exchange: 'amq.topic', type: 'topic' }, value: 1 },
    ]);
    expect(parsed.find('rabbitmq_cluster_exchange_name', { vhost: '/', exchange: '' })).toHaveLength(0);
    expect(parsed.find('rabbitmq_cluster_vhost_status', { vhost: '/' })[0]?.value).toBe(1);
  });
});
