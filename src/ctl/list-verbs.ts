/**
 * The list verbs: list_queues, list_exchanges, list_bindings, list_connections, list_consumers,
 * list_permissions, list_users, list_vhosts, list_policies. Each reads one API list and prints
 * rabbitmqctl's info items (the same column names, the same defaults, validated against the
 * same list as RabbitMQ 4's rabbitmqctl). An item the API does not carry (Erlang pids, memory
 * of a process) prints empty, as rabbitmqctl prints an undefined value.
 * A vhost that does not exist lists nothing (exit 0), as rabbitmqctl does for these verbs;
 * list_permissions refuses it (65), as rabbitmqctl does.
 */
import { infoKeys, TABLE_OPTIONS } from './args.js';
import { CtlError, EXIT } from './errors.js';
import { renderJsonRows, renderTable, type Row } from './format.js';
import { apiPath } from './http-client.js';
import type { Context, Verb } from './verb.js';

type Json = Record<string, unknown>;
type Extract = (o: Json) => unknown;

/** RabbitMQ 4's list_queues info keys. */
const QUEUE_KEYS = [
  'name', 'durable', 'auto_delete', 'arguments', 'policy', 'operator_policy', 'effective_policy_definition',
  'pid', 'owner_pid', 'exclusive', 'exclusive_consumer_pid', 'exclusive_consumer_tag', 'messages_ready',
  'messages_unacknowledged', 'messages', 'messages_ready_ram', 'messages_unacknowledged_ram', 'messages_ram',
  'messages_persistent', 'message_bytes', 'message_bytes_ready', 'message_bytes_unacknowledged',
  'message_bytes_ram', 'message_bytes_persistent', 'head_message_timestamp', 'disk_reads', 'disk_writes',
  'consumers', 'consumer_utilisation', 'consumer_capacity', 'memory', 'state', 'type', 'leader', 'members', 'online',
] as const;

const EXCHANGE_KEYS = ['name', 'type', 'durable', 'auto_delete', 'internal', 'arguments', 'policy'] as const;
const BINDING_KEYS = ['source_name', 'source_kind', 'destination_name', 'destination_kind', 'routing_key', 'arguments'] as const;
const CONNECTION_KEYS = [
  'pid', 'name', 'port', 'host', 'peer_port', 'peer_host', 'ssl', 'ssl_protocol', 'ssl_key_exchange', 'ssl_cipher',
  'ssl_hash', 'peer_cert_subject', 'peer_cert_issuer', 'peer_cert_serial_number', 'peer_cert_validity', 'state',
  'channels', 'protocol', 'auth_mechanism', 'user', 'vhost', 'container_id', 'timeout', 'frame_max', 'channel_max',
  'client_properties', 'recv_oct', 'recv_cnt', 'send_oct', 'send_cnt', 'send_pend', 'connected_at',
] as const;
const CONSUMER_KEYS = ['queue_name', 'channel_pid', 'consumer_tag', 'ack_required', 'prefetch_count', 'active', 'activity_status', 'arguments'] as const;

/** Columns that are AMQP tables: typed `[key, type, value]` triples under --formatter json. */
const TABLE_COLUMNS = new Set(['arguments', 'client_properties']);

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

const queueItems: Record<string, Extract> = {
  policy: (q) => str(q.policy) ?? '',
  operator_policy: (q) => str(q.operator_policy) ?? '',
  // a quorum queue's leader and members: Warren is one node
  leader: (q) => (q.type === 'quorum' ? q.node : undefined),
  members: (q) => (q.type === 'quorum' ? [q.node] : undefined),
  online: (q) => (q.type === 'quorum' ? [q.node] : undefined),
};

const exchangeItems: Record<string, Extract> = {
  policy: (x) => str(x.policy) ?? '',
};

const bindingItems: Record<string, Extract> = {
  source_name: (b) => b.source,
  source_kind: () => 'exchange',
  destination_name: (b) => b.destination,
  destination_kind: (b) => b.destination_type,
};

const connectionItems: Record<string, Extract> = {
  // rabbitmqctl prints {0,9,1}; the API says "AMQP 0-9-1"
  protocol: (c) => {
    const m = /^AMQP (\d+)-(\d+)(?:-(\d+))?$/.exec(String(c.protocol ?? ''));
    return m === null ? c.protocol : `{${[m[1], m[2], m[3]].filter((x) => x !== undefined).join(',')}}`;
  },
};

const consumerItems: Record<string, Extract> = {
  queue_name: (c) => (c.queue as Json | undefined)?.name,
  // no Erlang pid over HTTP: the channel's name ("peer -> local (n)") identifies it instead
  channel_pid: (c) => (c.channel_details as Json | undefined)?.name,
};

function project(o: Json, keys: readonly string[], items: Record<string, Extract>): Row {
  const row: Row = {};
  for (const k of keys) row[k] = items[k] !== undefined ? items[k](o) : o[k];
  return row;
}

function print(ctx: Context, keys: readonly string[], rows: Row[]): void {
  ctx.io.stdout(ctx.formatter === 'json'
    ? renderJsonRows(keys, rows, TABLE_COLUMNS)
    : renderTable(keys, rows, { headers: ctx.headers }));
}

/** A vhost-scoped list where a missing vhost lists nothing. */
async function vhostList(ctx: Context, subject: string): Promise<Json[]> {
  const list = await ctx.api.find<Json[]>(apiPath(subject, ctx.vhost));
  return list ?? [];
}

function listVerb(
  name: string, subject: string, allowed: readonly string[], defaults: readonly string[],
  items: Record<string, Extract>, banner: (vhost: string) => string, description: string,
): Verb {
  return {
    name,
    usage: `${name} [--vhost <vhost>] [--no-table-headers] [<column> ...] [--timeout <timeout>]`,
    description,
    minArgs: 0,
    maxArgs: Infinity,
    options: { ...TABLE_OPTIONS },
    async run(ctx, args) {
      const keys = infoKeys(args, allowed, defaults);
      if (name === 'list_queues') ctx.banner(`Timeout: ${((ctx.timeoutMs ?? 60_000) / 1000).toFixed(1)} seconds ...`);
      ctx.banner(banner(ctx.vhost));
      const list = await vhostList(ctx, subject);
      print(ctx, keys, list.map((o) => project(o, keys, items)));
    },
  };
}

export const listVerbs: Verb[] = [
  listVerb('list_queues', 'queues', QUEUE_KEYS, ['name', 'messages'], queueItems,
    (v) => `Listing queues for vhost ${v} ...`, 'Lists queues and their properties'),
  listVerb('list_exchanges', 'exchanges', EXCHANGE_KEYS, ['name', 'type'], exchangeItems,
    (v) => `Listing exchanges for vhost ${v} ...`, 'Lists exchanges'),
  listVerb('list_bindings', 'bindings', BINDING_KEYS, BINDING_KEYS, bindingItems,
    (v) => `Listing bindings for vhost ${v}...`, 'Lists all bindings on a vhost'),
  listVerb('list_consumers', 'consumers', CONSUMER_KEYS, CONSUMER_KEYS.filter((k) => k !== 'activity_status'), consumerItems,
    (v) => `Listing consumers in vhost ${v} ...`, 'Lists all consumers for a vhost'),
  {
    name: 'list_connections',
    usage: 'list_connections [--no-table-headers] [<column> ...] [--timeout <timeout>]',
    description: 'Lists AMQP 0.9.1 connections for the node',
    minArgs: 0,
    maxArgs: Infinity,
    options: { ...TABLE_OPTIONS },
    async run(ctx, args) {
      const keys = infoKeys(args, CONNECTION_KEYS, ['user', 'peer_host', 'peer_port', 'state']);
      ctx.banner('Listing connections ...');
      const list = await ctx.api.get<Json[]>(apiPath('connections'));
      print(ctx, keys, list.map((c) => project(c, keys, connectionItems)));
    },
  },
  {
    name: 'list_permissions',
    usage: 'list_permissions [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]',
    description: 'Lists user permissions in a virtual host',
    minArgs: 0,
    maxArgs: 0,
    options: { ...TABLE_OPTIONS },
    async run(ctx) {
      ctx.banner(`Listing permissions for vhost "${ctx.vhost}" ...`);
      await requireVhost(ctx);
      // /api/permissions filtered here: the per-vhost list is not served by every Warren version
      const all = await ctx.api.get<Json[]>(apiPath('permissions'));
      const keys = ['user', 'configure', 'write', 'read'];
      print(ctx, keys, all.filter((p) => p.vhost === ctx.vhost).map((p) => project(p, keys, {})));
    },
  },
  {
    name: 'list_users',
    usage: 'list_users [--no-table-headers] [--timeout <timeout>]',
    description: 'List user names and tags',
    minArgs: 0,
    maxArgs: 0,
    options: { ...TABLE_OPTIONS },
    async run(ctx) {
      ctx.banner('Listing users ...');
      const all = await ctx.api.get<Json[]>(apiPath('users'));
      print(ctx, ['user', 'tags'], all.map((u) => ({ user: u.name, tags: tagList(u.tags) })));
    },
  },
  {
    name: 'list_vhosts',
    usage: 'list_vhosts [--no-table-headers] [<column> ...] [--timeout <timeout>]',
    description: 'Lists virtual hosts',
    minArgs: 0,
    maxArgs: Infinity,
    options: { ...TABLE_OPTIONS },
    async run(ctx, args) {
      const keys = infoKeys(args, ['name', 'description', 'tags', 'tracing', 'cluster_state', 'default_queue_type', 'metadata'], ['name']);
      ctx.banner('Listing vhosts ...');
      const all = await ctx.api.get<Json[]>(apiPath('vhosts'));
      print(ctx, keys, all.map((v) => project(v, keys, { tags: (x) => tagList(x.tags) })));
    },
  },
  {
    name: 'list_policies',
    usage: 'list_policies [--vhost <vhost>] [--no-table-headers] [--timeout <timeout>]',
    description: 'Lists all policies in a virtual host',
    minArgs: 0,
    maxArgs: 0,
    options: { ...TABLE_OPTIONS },
    async run(ctx) {
      ctx.banner(`Listing policies for vhost "${ctx.vhost}" ...`);
      await requireVhost(ctx);
      const all = await ctx.api.get<Json[]>(apiPath('policies', ctx.vhost));
      const keys = ['vhost', 'name', 'pattern', 'apply-to', 'definition', 'priority'];
      // rabbitmqctl prints the definition as the JSON it was given
      print(ctx, keys, all.map((p) => ({ ...project(p, keys, {}), definition: ctx.formatter === 'json' ? p.definition : JSON.stringify(p.definition) })));
    },
  },
];

function tagList(tags: unknown): string[] {
  if (Array.isArray(tags)) return tags.map(String);
  if (typeof tags === 'string') return tags.split(',').filter((t) => t !== '');
  return [];
}

/** rabbitmqctl's refusal for a vhost that does not exist (exit 65, no "Error:" line). */
export async function requireVhost(ctx: Context, vhost = ctx.vhost): Promise<void> {
  if (await ctx.api.find(apiPath('vhosts', vhost)) === undefined) {
    throw new CtlError(EXIT.dataerr, `Virtual host '${vhost}' does not exist`, true);
  }
}
