/**
 * rabbitmq_prometheus's endpoints on their own port (15692), without authentication as RabbitMQ
 * serves them:
 *   /metrics             every family, per-object ones summed (no queue or channel labels)
 *   /metrics/per-object  the same names, one sample per queue {vhost,queue}, channel, connection
 *   /metrics/detailed    only the families named by `family=` (repeatable), prefixed
 *                        rabbitmq_detailed_, optionally limited to `vhost=` (repeatable); with no
 *                        family, or only unknown ones, just build_info and identity_info
 * The text format is written directly (exposition.ts) rather than through prom-client: its
 * registries hold metric objects that would have to be rebuilt per scrape for per-object labels,
 * and RabbitMQ's layout (untyped info families, per-endpoint prefixes) is simpler to write as is.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { ManagementContext } from '../management-context.js';
import { CONTENT_TYPE, Exposition } from './exposition.js';
import {
  DETAILED_GROUPS, takeSnapshot, writeCountFamilies, writeExchangeNames, writeGlobalFamilies, writeGroup, writeIdentity,
  writeNodeFamilies, writeObjectFamilies, writeUptime, writeVhostStatus,
} from './families.js';

export function createMetricsServer(ctx: ManagementContext, log: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;
  const send = (reply: FastifyReply, out: Exposition) => reply.header('content-type', CONTENT_TYPE).send(out.text());

  const full = (aggregate: boolean): Exposition => {
    const s = takeSnapshot(ctx);
    const out = new Exposition();
    writeNodeFamilies(out, s);
    writeObjectFamilies(out, s, aggregate);
    writeCountFamilies(out, s);
    writeIdentity(out, ctx, aggregate ? 'aggregated' : 'per-object');
    writeGlobalFamilies(out, s);
    writeUptime(out, ctx);
    return out;
  };

  app.get('/metrics', async (_req, reply) => send(reply, full(true)));
  app.get('/metrics/per-object', async (_req, reply) => send(reply, full(false)));

  app.get('/metrics/detailed', async (req, reply) => {
    const query = req.query as Record<string, string | string[] | undefined>;
    const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const families = new Set(list(query.family));
    const vhostList = list(query.vhost);
    const vhosts = vhostList.length === 0 ? null : new Set(vhostList);
    const out = new Exposition();
    const s = takeSnapshot(ctx);
    // in the order RabbitMQ writes them, whatever the order of the query; unknown names are ignored as RabbitMQ does
    for (const [name, g] of Object.entries(DETAILED_GROUPS)) {
      if (families.has(name)) writeGroup(out, s, g, { prefix: 'rabbitmq_detailed_', aggregate: false, vhosts });
    }
    if (families.has('exchange_names')) writeExchangeNames(out, ctx, vhosts);
    if (families.has('vhost_status')) writeVhostStatus(out, ctx, vhosts);
    writeIdentity(out, ctx, 'detailed');
    return send(reply, out);
  });

  return app;
}
