/**
 * Definitions over HTTP: GET exports what the broker holds in RabbitMQ's shape (whole, or one
 * vhost's topology); POST imports a definitions document exactly as `--definitions` does at
 * start (204; a bad entry is 400 naming it). rabbitmqadmin's `export` and `import` use these.
 */
import type { FastifyInstance } from 'fastify';
import { DefinitionsError } from '../../definitions/definitions-file.js';
import { exportDefinitions } from '../../definitions/export-definitions.js';
import { badRequest, notFound } from '../http-api.js';
import type { ManagementContext } from '../management-context.js';

const admin = { config: { level: 'administrator' as const } };

export function definitionsRoutes(app: FastifyInstance, ctx: ManagementContext): void {
  app.get('/api/definitions', admin, () => exportDefinitions(ctx));
  app.get('/api/definitions/:vhost', admin, (req) => {
    const vhost = (req.params as Record<string, string>).vhost;
    if (!ctx.vhosts.has(vhost)) throw notFound();
    return exportDefinitions(ctx, vhost);
  });
  const load = (text: string): void => {
    try {
      ctx.importDefinitions(text, 'the request body');
    } catch (err) {
      if (err instanceof DefinitionsError) throw badRequest(err.message);
      throw err;
    }
  };
  app.post('/api/definitions', admin, (req, reply) => {
    load(JSON.stringify(req.body ?? {}));
    return reply.code(204).send();
  });
  app.post('/api/definitions/:vhost', admin, (req, reply) => {
    const vhost = (req.params as Record<string, string>).vhost;
    if (!ctx.vhosts.has(vhost)) throw notFound();
    // a vhost's export names no vhost: each object belongs to this one
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const scoped: Record<string, unknown> = {};
    for (const key of ['queues', 'exchanges', 'bindings', 'policies', 'parameters']) {
      const list = body[key];
      if (Array.isArray(list)) scoped[key] = list.map((o) => (typeof o === 'object' && o !== null ? { ...o, vhost } : o));
    }
    load(JSON.stringify(scoped));
    return reply.code(204).send();
  });
}
