/**
 * Client connections, their channels and consumers over HTTP: listed with the fields tools read (`name`, `user`, `vhost`,
 * `channels`, `client_properties.connection_name` …), and closed by DELETE with RabbitMQ's
 * answer to the client: 320 `CONNECTION_FORCED - <X-Reason>` (default "Closed via management
 * plugin"). Client test suites (amqp091-go's recovery tests, rascal) do exactly that.
 * A connection is listed from its open-ok on (RabbitMQ's stats lag up to 5 s; these never do).
 */
import { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Connection } from '../../session/connection.js';
import { columns, hasLevel, notFound } from '../http-api.js';
import { tableJson } from '../../definitions/json-table.js';
import type { ManagementContext } from '../management-context.js';
import type { MessageRates } from '../message-rates.js';

type Params = Record<string, string>;

export function connectionRoutes(app: FastifyInstance, ctx: ManagementContext): void {
  /** Monitoring users see every connection; others their own. */
  const visible = (req: FastifyRequest) => [...ctx.connections].filter((c) => c.state === 'running'
    && (hasLevel(req.user, 'monitoring') || c.user === req.user.name));
  const byName = (req: FastifyRequest, name: string) => visible(req).find((c) => connectionName(c) === name);

  app.get('/api/connections', (req) => columns(req, visible(req).map((c) => connectionJson(c, ctx.nodeName))));
  app.get('/api/vhosts/:vhost/connections', (req) => {
    const vhost = (req.params as Params).vhost;
    if (ctx.access.vhost(vhost) === undefined) throw notFound();
    return columns(req, visible(req).filter((c) => c.vhost.name === vhost).map((c) => connectionJson(c, ctx.nodeName)));
  });
  app.get('/api/connections/:name', (req) => {
    const c = byName(req, (req.params as Params).name);
    if (c === undefined) throw notFound();
    return connectionJson(c, ctx.nodeName);
  });
  app.delete('/api/connections/:name', (req, reply) => {
    const c = byName(req, (req.params as Params).name);
    if (c === undefined) throw notFound();
    const reason = req.headers['x-reason'];
    c.forceClose(typeof reason === 'string' && reason !== '' ? reason : 'Closed via management plugin');
    return reply.code(204).send();
  });
}

/** RabbitMQ's connection name: "peer:port -> local:port". */
export function connectionName(c: Connection): string {
  const s = c.socket;
  return `${s.remoteAddress}:${s.remotePort} -> ${s.localAddress}:${s.localPort}`;
}

function connectionJson(c: Connection, node: string) {
  const s = c.socket;
  const n = c.negotiated;
  const clientProperties = tableJson(n.clientProperties);
  const userProvided = clientProperties.connection_name;
  return {
    name: connectionName(c),
    node,
    user: c.user,
    vhost: c.vhost.name,
    channels: c.channelCount,
    state: 'running',
    type: 'network',
    protocol: 'AMQP 0-9-1',
    host: s.localAddress, port: s.localPort, peer_host: s.remoteAddress, peer_port: s.remotePort,
    ssl: s instanceof TLSSocket,
    timeout: n.heartbeat, frame_max: n.frameMax, channel_max: n.channelMax,
    client_properties: clientProperties,
    ...(typeof userProvided === 'string' ? { user_provided_name: userProvided } : {}),
    recv_oct: s.bytesRead, send_oct: s.bytesWritten,
  };
}

/** Channels, consumers and the node, read-only (rabbitmqadmin `list channels`, `list consumers`, `list nodes`). */
export function channelRoutes(app: FastifyInstance, ctx: ManagementContext, rates: MessageRates): void {
  const visible = (req: FastifyRequest) => [...ctx.connections].filter((c) => c.state === 'running'
    && (hasLevel(req.user, 'monitoring') || c.user === req.user.name));
  const channels = (req: FastifyRequest) => visible(req).flatMap((c) => [...c.channelList()].map((ch) => ({ c, ch })));

  app.get('/api/channels', (req) => columns(req, channels(req).map(({ c, ch }) => {
    const stats = rates.channel(ch);
    return {
    name: `${connectionName(c)} (${ch.number})`,
    number: ch.number,
    user: c.user,
    vhost: c.vhost.name,
    node: ctx.nodeName,
    connection_details: { name: connectionName(c), peer_host: c.socket.remoteAddress, peer_port: c.socket.remotePort },
    confirm: ch.confirms !== null,
    transactional: ch.tx !== null,
    consumer_count: ch.consumers.size,
    prefetch_count: ch.consumerPrefetch,
    global_prefetch_count: ch.channelPrefetch,
    messages_unacknowledged: ch.ledger.size,
    state: ch.state === 'open' ? 'running' : 'closing',
    ...(stats !== undefined ? { message_stats: stats } : {}),
    };
  })));

  const consumers = (req: FastifyRequest, vhost?: string) => channels(req)
    .filter(({ c }) => vhost === undefined || c.vhost.name === vhost)
    .flatMap(({ c, ch }) => [...ch.consumers.values()].map((k) => ({
      consumer_tag: k.tag,
      queue: { name: k.queue.name, vhost: c.vhost.name },
      ack_required: !k.noAck,
      exclusive: k.exclusive,
      prefetch_count: k.prefetch,
      arguments: tableJson(k.args),
      active: true,
      activity_status: 'up',
      channel_details: {
        name: `${connectionName(c)} (${ch.number})`, connection_name: connectionName(c), number: ch.number, user: c.user,
        peer_host: c.socket.remoteAddress, peer_port: c.socket.remotePort, node: ctx.nodeName,
      },
    })));
  app.get('/api/consumers', (req) => columns(req, consumers(req)));
  app.get('/api/consumers/:vhost', (req) => {
    const vhost = (req.params as Params).vhost;
    if (ctx.access.vhost(vhost) === undefined) throw notFound();
    return columns(req, consumers(req, vhost));
  });

  app.get('/api/nodes', { config: { level: 'monitoring' } }, (req) => {
    const mem = process.memoryUsage.rss();
    return columns(req, [{
      name: ctx.nodeName, type: 'disc', running: true, mem_used: mem,
      mem_alarm: ctx.alarm?.includes('memory') ?? false, disk_free_alarm: ctx.alarm?.includes('disk') ?? false,
      uptime: Math.round(process.uptime() * 1000),
    }]);
  });
}
