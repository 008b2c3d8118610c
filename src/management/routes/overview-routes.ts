/**
 * GET /api/overview: versions, totals and listeners, as rabbitmqadmin `show overview`,
 * Terraform (its version check) and exporters read them. Warren names itself in
 * product_name / product_version and reports as rabbitmq_version the RabbitMQ release whose
 * behaviour it follows (conformance/REFERENCE.md), so that tools gating features on the
 * version see a current broker.
 */
import type { FastifyInstance } from 'fastify';
import { EXCHANGE_TYPES } from '../../broker/exchange.js';
import { RABBITMQ_COMPATIBLE_VERSION } from '../../definitions/export-definitions.js';
import { columns } from '../http-api.js';
import type { ManagementContext } from '../management-context.js';
import { unackedByQueue } from '../queue-stats.js';
import type { MessageRates } from '../message-rates.js';


const EXCHANGE_DESCRIPTIONS: Record<string, string> = {
  direct: 'AMQP direct exchange, as per the AMQP specification',
  fanout: 'AMQP fanout exchange, as per the AMQP specification',
  topic: 'AMQP topic exchange, as per the AMQP specification',
  headers: 'AMQP headers exchange, as per the AMQP specification',
  'x-consistent-hash': 'Consistent Hashing Exchange',
  'x-random': 'Randomly picks a binding (queue) to route via (to).',
  'x-message-deduplication': 'Message Deduplication Exchange.',
};

export function overviewRoutes(app: FastifyInstance, ctx: ManagementContext, rates: MessageRates): void {
  app.get('/api/overview', (req) => {
    let queues = 0;
    let exchanges = 0;
    let consumers = 0;
    let ready = 0;
    for (const v of ctx.vhosts.values()) {
      exchanges += v.exchanges.size;
      queues += v.queues.size;
      for (const q of v.queues.values()) {
        consumers += q.consumerCount;
        ready += q.messageCount;
      }
    }
    let unacked = 0;
    for (const n of unackedByQueue(ctx.connections).values()) unacked += n;
    let channels = 0;
    for (const c of ctx.connections) channels += c.channelCount;
    const stats = rates.overview();
    const [overview] = columns(req, [{
      management_version: RABBITMQ_COMPATIBLE_VERSION,
      rates_mode: 'none',
      product_name: 'Warren',
      product_version: ctx.version,
      rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
      cluster_name: ctx.nodeName,
      node: ctx.nodeName,
      object_totals: { channels, connections: ctx.connections.size, consumers, exchanges, queues },
      queue_totals: { messages: ready + unacked, messages_ready: ready, messages_unacknowledged: unacked },
      ...(stats !== undefined ? { message_stats: stats } : {}),
      listeners: ctx.listeners().map((l) => ({ node: ctx.nodeName, protocol: l.protocol, ip_address: l.host, port: l.port })),
      exchange_types: [...EXCHANGE_TYPES].sort().map((name) => ({ name, description: EXCHANGE_DESCRIPTIONS[name], enabled: true })),
    }]);
    return overview;
  });
}
