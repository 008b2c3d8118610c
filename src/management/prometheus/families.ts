/**
 * rabbitmq_prometheus's metric families as Warren fills them: names, types and HELP texts as
 * RabbitMQ 3.10/4.x print them, each with the figure it reads. Everything is read from a
 * snapshot taken when a scrape arrives (`takeSnapshot`); nothing here runs per message.
 *
 * Three kinds of family: node-wide ones (one sample), per-object ones (one sample per queue,
 * channel or connection on `/metrics/per-object` and in `/metrics/detailed`, their sum on
 * `/metrics`, as RabbitMQ aggregates them), and the detailed-only cluster families (exchange
 * names, vhost status).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { RABBITMQ_COMPATIBLE_VERSION } from '../../definitions/export-definitions.js';
import type { ChannelStats } from '../../session/channel-stats.js';
import type { ManagementContext, ResourceFigures } from '../management-context.js';
import { nodeTotals } from '../message-rates.js';
import { unackedByQueue } from '../queue-stats.js';
import { connectionName } from '../routes/connection-routes.js';
import type { Exposition, Labels, MetricType } from './exposition.js';

export interface QueueFigures {
  readonly labels: Labels;
  readonly vhost: string;
  readonly ready: number;
  readonly unacked: number;
  readonly consumers: number;
  readonly published: number;
}

export interface ChannelFigures {
  readonly labels: Labels;
  readonly vhost: string;
  readonly consumers: number;
  readonly unacked: number;
  readonly unconfirmed: number;
  readonly uncommitted: number;
  readonly acksUncommitted: number;
  readonly consumerPrefetch: number;
  readonly channelPrefetch: number;
  readonly stats: ChannelStats;
}

export interface ConnectionFigures {
  readonly labels: Labels;
  readonly vhost: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly channels: number;
}

/** The broker's state at one scrape. */
export interface Snapshot {
  readonly ctx: ManagementContext;
  readonly queues: readonly QueueFigures[];
  readonly channels: readonly ChannelFigures[];
  readonly connections: readonly ConnectionFigures[];
  readonly totals: ChannelStats;
  readonly resources: ResourceFigures;
}

export function takeSnapshot(ctx: ManagementContext): Snapshot {
  const unacked = unackedByQueue(ctx.connections);
  const queues: QueueFigures[] = [];
  for (const v of ctx.vhosts.values()) {
    for (const q of v.queues.values()) {
      queues.push({
        labels: { vhost: v.name, queue: q.name }, vhost: v.name,
        ready: q.messageCount, unacked: unacked.get(q) ?? 0, consumers: q.consumerCount, published: q.publishCount,
      });
    }
  }
  const channels: ChannelFigures[] = [];
  const connections: ConnectionFigures[] = [];
  for (const c of ctx.connections) {
    if (c.state !== 'running') continue;
    const name = connectionName(c);
    // rabbitmq_prometheus labels connections and channels `channel` with their process id;
    // Warren's equivalent is the name the management API gives them
    connections.push({ labels: { channel: name }, vhost: c.vhost.name, bytesIn: c.socket.bytesRead, bytesOut: c.socket.bytesWritten, channels: c.channelCount });
    for (const ch of c.channelList()) {
      channels.push({
        labels: { channel: `${name} (${ch.number})` }, vhost: c.vhost.name,
        consumers: ch.consumers.size, unacked: ch.ledger.size, unconfirmed: ch.confirms?.outstanding ?? 0,
        uncommitted: ch.tx?.publishes.length ?? 0, acksUncommitted: ch.tx?.acks.length ?? 0,
        consumerPrefetch: ch.consumerPrefetch, channelPrefetch: ch.channelPrefetch, stats: ch.stats,
      });
    }
  }
  return { ctx, queues, channels, connections, totals: nodeTotals(ctx), resources: ctx.resources() };
}

interface ObjectFamily<T> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly value: (o: T) => number;
}

const gauge = <T>(name: string, help: string, value: (o: T) => number): ObjectFamily<T> => ({ name, type: 'gauge', help, value });
const counter = <T>(name: string, help: string, value: (o: T) => number): ObjectFamily<T> => ({ name, type: 'counter', help, value });

// ---- per-object families, grouped as rabbitmq_prometheus's detailed families group them ----

const QUEUE_COARSE: readonly ObjectFamily<QueueFigures>[] = [
  gauge('queue_messages_ready', 'Messages ready to be delivered to consumers', (q) => q.ready),
  gauge('queue_messages_unacked', 'Messages delivered to consumers but not yet acknowledged', (q) => q.unacked),
  gauge('queue_messages', 'Sum of ready and unacknowledged messages - total queue depth', (q) => q.ready + q.unacked),
];
const QUEUE_CONSUMER_COUNT: readonly ObjectFamily<QueueFigures>[] = [
  gauge('queue_consumers', 'Consumers on a queue', (q) => q.consumers),
];
const QUEUE_METRICS = QUEUE_CONSUMER_COUNT;
const QUEUE_PUBLISHED: readonly ObjectFamily<QueueFigures>[] = [
  counter('queue_messages_published_total', 'Total number of messages published to queues', (q) => q.published),
];

const CHANNEL_METRICS: readonly ObjectFamily<ChannelFigures>[] = [
  gauge('channel_consumers', 'Consumers on a channel', (c) => c.consumers),
  gauge('channel_messages_unacked', 'Delivered but not yet acknowledged messages', (c) => c.unacked),
  gauge('channel_messages_unconfirmed', 'Published but not yet confirmed messages', (c) => c.unconfirmed),
  gauge('channel_messages_uncommitted', 'Messages received in a transaction but not yet committed', (c) => c.uncommitted),
  gauge('channel_acks_uncommitted', 'Message acknowledgements in a transaction not yet committed', (c) => c.acksUncommitted),
  gauge('consumer_prefetch', 'Limit of unacknowledged messages for each consumer', (c) => c.consumerPrefetch),
  gauge('channel_prefetch', 'Total limit of unacknowledged messages for all consumers on a channel', (c) => c.channelPrefetch),
];
const CHANNEL_MESSAGES: readonly ObjectFamily<ChannelFigures>[] = [
  counter('channel_messages_published_total', 'Total number of messages published into an exchange on a channel', (c) => c.stats.publish),
  counter('channel_messages_confirmed_total', 'Total number of messages published into an exchange and confirmed on the channel', (c) => c.stats.confirm),
  counter('channel_messages_unroutable_returned_total', 'Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable', (c) => c.stats.returnUnroutable),
  counter('channel_messages_unroutable_dropped_total', 'Total number of messages published as non-mandatory into an exchange and dropped as unroutable', (c) => c.stats.dropUnroutable),
  counter('channel_get_ack_total', 'Total number of messages fetched with basic.get in manual acknowledgement mode', (c) => c.stats.get),
  counter('channel_get_total', 'Total number of messages fetched with basic.get in automatic acknowledgement mode', (c) => c.stats.getNoAck),
  counter('channel_messages_delivered_ack_total', 'Total number of messages delivered to consumers in manual acknowledgement mode', (c) => c.stats.deliver),
  counter('channel_messages_delivered_total', 'Total number of messages delivered to consumers in automatic acknowledgement mode', (c) => c.stats.deliverNoAck),
  counter('channel_messages_redelivered_total', 'Total number of messages redelivered to consumers', (c) => c.stats.redeliver),
  counter('channel_messages_acked_total', 'Total number of messages acknowledged by consumers', (c) => c.stats.ack),
  counter('channel_get_empty_total', 'Total number of times basic.get operations fetched no message', (c) => c.stats.getEmpty),
];

const CONNECTION_COARSE: readonly ObjectFamily<ConnectionFigures>[] = [
  counter('connection_incoming_bytes_total', 'Total number of bytes received on a connection', (c) => c.bytesIn),
  counter('connection_outgoing_bytes_total', 'Total number of bytes sent on a connection', (c) => c.bytesOut),
];
const CONNECTION_CHANNELS: readonly ObjectFamily<ConnectionFigures>[] = [
  gauge('connection_channels', 'Channels on a connection', (c) => c.channels),
];

type Scope = 'queue' | 'channel' | 'connection';
interface Group { readonly scope: Scope; readonly families: readonly ObjectFamily<never>[] }
const group = <T>(scope: Scope, families: readonly ObjectFamily<T>[]): Group => ({ scope, families: families as readonly ObjectFamily<never>[] });

/** The per-object families of `/metrics` and `/metrics/per-object`, in RabbitMQ's order. */
const OBJECT_GROUPS: readonly Group[] = [
  group('queue', [...QUEUE_COARSE, ...QUEUE_METRICS]),
  group('channel', [...CHANNEL_METRICS, ...CHANNEL_MESSAGES]),
  group('connection', [...CONNECTION_COARSE, ...CONNECTION_CHANNELS]),
  group('queue', QUEUE_PUBLISHED),
];

/** `/metrics/detailed?family=…`: the families each name selects. */
export const DETAILED_GROUPS: Readonly<Record<string, Group>> = {
  queue_coarse_metrics: group('queue', QUEUE_COARSE),
  queue_consumer_count: group('queue', QUEUE_CONSUMER_COUNT),
  queue_metrics: group('queue', QUEUE_METRICS),
  channel_metrics: group('channel', CHANNEL_METRICS),
  channel_exchange_metrics: group('channel', CHANNEL_MESSAGES),
  connection_coarse_metrics: group('connection', CONNECTION_COARSE),
  connection_metrics: group('connection', CONNECTION_CHANNELS),
};

function objectsOf(s: Snapshot, scope: Scope, vhosts: ReadonlySet<string> | null): readonly { labels: Labels; vhost: string }[] {
  const all = scope === 'queue' ? s.queues : scope === 'channel' ? s.channels : s.connections;
  return vhosts === null ? all : all.filter((o) => vhosts.has(o.vhost));
}

/** A group's families with a sample per object (labelled), or their sums (unlabelled) when `aggregate`. */
export function writeGroup(out: Exposition, s: Snapshot, g: Group, opts: { prefix: string; aggregate: boolean; vhosts?: ReadonlySet<string> | null }): void {
  const objects = objectsOf(s, g.scope, opts.vhosts ?? null);
  for (const f of g.families) {
    const value = f.value as (o: unknown) => number;
    // detailed families overlap (queue_metrics includes queue_consumer_count's): each name once, as RabbitMQ writes it
    if (out.has(`${opts.prefix}${f.name}`)) continue;
    out.family(`${opts.prefix}${f.name}`, f.type, f.help);
    if (opts.aggregate) out.sample(objects.reduce((sum, o) => sum + value(o), 0));
    else for (const o of objects) out.sample(value(o), o.labels);
  }
}

export function writeObjectFamilies(out: Exposition, s: Snapshot, aggregate: boolean): void {
  for (const g of OBJECT_GROUPS) writeGroup(out, s, g, { prefix: 'rabbitmq_', aggregate });
}

// ---- node-wide families ----

const PROTOCOL = { protocol: 'amqp091' };
/** Warren has one queue implementation; its deliveries are counted under the classic queue's type. */
const CLASSIC = { protocol: 'amqp091', queue_type: 'rabbit_classic_queue' };

/** Alarms, churn and resources: the families /metrics opens with. */
export function writeNodeFamilies(out: Exposition, s: Snapshot): void {
  const r = s.resources;
  const t = s.ctx.sessionTotals;
  const churn = s.ctx.queueChurn;
  const fds = openFds();
  const maxFds = maxOpenFds();
  out.family('rabbitmq_alarms_file_descriptor_limit', 'untyped', 'is 1 if file descriptor limit alarm is in effect').sample(0);
  out.family('rabbitmq_alarms_free_disk_space_watermark', 'untyped', 'is 1 if free disk space watermark alarm is in effect').sample(r.diskAlarm ? 1 : 0);
  out.family('rabbitmq_alarms_memory_used_watermark', 'untyped', 'is 1 if VM memory watermark alarm is in effect').sample(r.memoryAlarm ? 1 : 0);
  out.family('rabbitmq_connections_opened_total', 'counter', 'Total number of connections opened').sample(t.connectionsOpened);
  out.family('rabbitmq_connections_closed_total', 'counter', 'Total number of connections closed or terminated').sample(t.connectionsClosed);
  out.family('rabbitmq_channels_opened_total', 'counter', 'Total number of channels opened').sample(t.channelsOpened);
  out.family('rabbitmq_channels_closed_total', 'counter', 'Total number of channels closed').sample(t.channelsClosed);
  out.family('rabbitmq_queues_declared_total', 'counter', 'Total number of queues declared').sample(churn.queuesDeclared);
  out.family('rabbitmq_queues_created_total', 'counter', 'Total number of queues created').sample(churn.queuesCreated);
  out.family('rabbitmq_queues_deleted_total', 'counter', 'Total number of queues deleted').sample(churn.queuesDeleted);
  out.family('rabbitmq_process_open_fds', 'gauge', 'Open file descriptors');
  if (fds !== null) out.sample(fds);
  out.family('rabbitmq_process_open_tcp_sockets', 'gauge', 'Open TCP sockets').sample(s.ctx.connections.size);
  out.family('rabbitmq_process_resident_memory_bytes', 'gauge', 'Memory used in bytes').sample(process.memoryUsage.rss());
  out.family('rabbitmq_disk_space_available_bytes', 'gauge', 'Disk space available in bytes');
  if (r.diskFree !== null) out.sample(r.diskFree);
  out.family('rabbitmq_process_max_fds', 'gauge', 'Open file descriptors limit');
  if (maxFds !== null) out.sample(maxFds);
  out.family('rabbitmq_process_max_tcp_sockets', 'gauge', 'Open TCP sockets limit');
  if (maxFds !== null) out.sample(maxFds);
  out.family('rabbitmq_resident_memory_limit_bytes', 'gauge', 'Memory high watermark in bytes').sample(r.memoryLimit);
  out.family('rabbitmq_disk_space_available_limit_bytes', 'gauge', 'Free disk space low watermark in bytes');
  if (r.diskFreeLimit !== null) out.sample(r.diskFreeLimit);
}

/** The object counts that follow the per-object families on /metrics. */
export function writeCountFamilies(out: Exposition, s: Snapshot): void {
  const consumers = s.queues.reduce((n, q) => n + q.consumers, 0);
  out.family('rabbitmq_connections', 'gauge', 'Connections currently open').sample(s.connections.length);
  out.family('rabbitmq_channels', 'gauge', 'Channels currently open').sample(s.channels.length);
  out.family('rabbitmq_consumers', 'gauge', 'Consumers currently connected').sample(consumers);
  out.family('rabbitmq_queues', 'gauge', 'Queues available').sample(s.queues.length);
}

export type Endpoint = 'aggregated' | 'per-object' | 'detailed';

/**
 * build_info and identity_info: on every endpoint, since every panel of the RabbitMQ-Overview
 * dashboard joins on identity_info. `rabbitmq_endpoint` is RabbitMQ 4's label (3.10 has none):
 * 4.x dashboards select on it.
 */
export function writeIdentity(out: Exposition, ctx: ManagementContext, endpoint: Endpoint): void {
  out.family('rabbitmq_build_info', 'untyped', 'RabbitMQ & Erlang/OTP version info').sample(1, {
    rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
    prometheus_plugin_version: RABBITMQ_COMPATIBLE_VERSION,
    prometheus_client_version: 'warren',
    erlang_version: `node ${process.versions.node}`,
    warren_version: ctx.version,
  });
  out.family('rabbitmq_identity_info', 'untyped', 'RabbitMQ node & cluster identity info').sample(1, {
    rabbitmq_node: ctx.nodeName,
    rabbitmq_cluster: ctx.nodeName,
    rabbitmq_cluster_permanent_id: `warren-cluster-id-${ctx.nodeName}`,
    rabbitmq_endpoint: endpoint,
  });
}

/** The message counters of the whole node (closed channels included): what the dashboard's rate panels plot. */
export function writeGlobalFamilies(out: Exposition, s: Snapshot): void {
  const t = s.totals;
  const dl = s.ctx.queueChurn.deadLettered;
  const consumers = s.queues.reduce((n, q) => n + q.consumers, 0);
  // a publisher, to RabbitMQ, is a channel that has published
  const publishers = s.channels.reduce((n, c) => n + (c.stats.publish > 0 ? 1 : 0), 0);
  const DLX = { queue_type: 'rabbit_classic_queue', dead_letter_strategy: 'at_most_once' };
  const c = (name: string, help: string, value: number, labels: Labels) => out.family(`rabbitmq_global_${name}`, 'counter', help).sample(value, labels);
  out.family('rabbitmq_global_consumers', 'gauge', 'Current number of consumers').sample(consumers, PROTOCOL);
  c('messages_acknowledged_total', 'Total number of messages acknowledged by consumers', t.ack, CLASSIC);
  c('messages_confirmed_total', 'Total number of messages confirmed to publishers', t.confirm, PROTOCOL);
  c('messages_dead_lettered_delivery_limit_total', 'Total number of messages dead-lettered due to delivery-limit exceeded', dl.delivery_limit, DLX);
  c('messages_dead_lettered_expired_total', 'Total number of messages dead-lettered due to message TTL exceeded', dl.expired, DLX);
  c('messages_dead_lettered_maxlen_total', 'Total number of messages dead-lettered due to overflow drop-head or reject-publish-dlx', dl.maxlen, DLX);
  c('messages_dead_lettered_rejected_total', 'Total number of messages dead-lettered due to basic.reject or basic.nack', dl.rejected, DLX);
  c('messages_delivered_consume_auto_ack_total', 'Total number of messages delivered to consumers using basic.consume with automatic acknowledgment', t.deliverNoAck, CLASSIC);
  c('messages_delivered_consume_manual_ack_total', 'Total number of messages delivered to consumers using basic.consume with manual acknowledgment', t.deliver, CLASSIC);
  c('messages_delivered_get_auto_ack_total', 'Total number of messages delivered to consumers using basic.get with automatic acknowledgment', t.getNoAck, CLASSIC);
  c('messages_delivered_get_manual_ack_total', 'Total number of messages delivered to consumers using basic.get with manual acknowledgment', t.get, CLASSIC);
  c('messages_delivered_total', 'Total number of messages delivered to consumers', t.deliver + t.deliverNoAck + t.get + t.getNoAck, CLASSIC);
  c('messages_get_empty_total', 'Total number of times basic.get operations fetched no message', t.getEmpty, CLASSIC);
  c('messages_received_confirm_total', 'Total number of messages received from publishers expecting confirmations', t.publishConfirmMode, PROTOCOL);
  c('messages_received_total', 'Total number of messages received from publishers', t.publish, PROTOCOL);
  c('messages_redelivered_total', 'Total number of messages redelivered to consumers', t.redeliver, CLASSIC);
  c('messages_routed_total', 'Total number of messages routed to queues or streams', t.publish - t.returnUnroutable - t.dropUnroutable, PROTOCOL);
  c('messages_unroutable_dropped_total', 'Total number of messages published as non-mandatory into an exchange and dropped as unroutable', t.dropUnroutable, PROTOCOL);
  c('messages_unroutable_returned_total', 'Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable', t.returnUnroutable, PROTOCOL);
  out.family('rabbitmq_global_publishers', 'gauge', 'Current number of publishers').sample(publishers, PROTOCOL);
}

export function writeUptime(out: Exposition, ctx: ManagementContext): void {
  out.family('rabbitmq_erlang_uptime_seconds', 'gauge', 'Node uptime').sample((Date.now() - ctx.startedAt) / 1000);
}

// ---- detailed-only cluster families ----

/** exchange_names: every exchange a client can name (the default exchange and internal ones left out, as RabbitMQ lists them). */
export function writeExchangeNames(out: Exposition, ctx: ManagementContext, vhosts: ReadonlySet<string> | null): void {
  out.family('rabbitmq_cluster_exchange_name', 'gauge', 'Enumerates exchanges without any additional info. This value is cluster-wide. A cheaper alternative to `exchange_bindings`');
  for (const v of ctx.vhosts.values()) {
    if (vhosts !== null && !vhosts.has(v.name)) continue;
    for (const x of v.exchanges.values()) {
      if (x.name === '' || x.internal) continue;
      out.sample(1, { vhost: v.name, exchange: x.name, type: x.type });
    }
  }
}

export function writeVhostStatus(out: Exposition, ctx: ManagementContext, vhosts: ReadonlySet<string> | null): void {
  out.family('rabbitmq_cluster_vhost_status', 'gauge', 'Whether a given vhost is running');
  for (const v of ctx.vhosts.values()) if (vhosts === null || vhosts.has(v.name)) out.sample(1, { vhost: v.name });
}

// ---- the process's file descriptors (Linux's /proc; absent elsewhere, and the sample left out) ----

function openFds(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

function maxOpenFds(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}
