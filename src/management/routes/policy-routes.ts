/**
 * Policies (/api/policies, for policymakers) and operator policies (/api/operator-policies, for
 * administrators), as rabbitmqadmin, Terraform and the dashboard manage them: listed highest
 * priority first, PUT 201 when created and 204 when replaced, 400 with RabbitMQ's validation text
 * (broker/policies.ts), 404 for a vhost or policy that does not exist. A change applies to the
 * vhost's existing queues and exchanges at once.
 */
import type { FastifyInstance } from 'fastify';
import { parsePolicy, PolicyError, policyJson, type Policy, type PolicyKind } from '../../broker/policies.js';
import type { VirtualHost } from '../../broker/vhost.js';
import { ApiError, badRequest, bodyOf, columns, notFound, type Level } from '../http-api.js';
import type { ManagementContext } from '../management-context.js';

type Params = Record<string, string>;

export function policyRoutes(app: FastifyInstance, ctx: ManagementContext): void {
  routesFor(app, ctx, '/api/policies', 'policy', 'policymaker');
  routesFor(app, ctx, '/api/operator-policies', 'operator', 'administrator');
}

function routesFor(app: FastifyInstance, ctx: ManagementContext, base: string, kind: PolicyKind, level: Level): void {
  const opts = { config: { level } };
  const vhostOf = (name: string, missing: () => ApiError = notFound): VirtualHost => {
    const v = ctx.vhosts.get(name);
    if (v === undefined) throw missing();
    return v;
  };

  app.get(base, opts, (req) => columns(req, [...ctx.vhosts.values()].flatMap((v) => v.policies.list(kind).map(policyJson))));
  app.get(`${base}/:vhost`, opts, (req) => columns(req, vhostOf((req.params as Params).vhost).policies.list(kind).map(policyJson)));
  app.get(`${base}/:vhost/:name`, opts, (req) => {
    const { vhost, name } = req.params as Params;
    const p = vhostOf(vhost).policies.get(kind, name);
    if (p === undefined) throw notFound();
    return policyJson(p);
  });
  app.put(`${base}/:vhost/:name`, opts, (req, reply) => {
    const { vhost, name } = req.params as Params;
    const v = vhostOf(vhost, () => new ApiError(404, 'not_found', 'vhost_not_found'));
    let policy: Policy;
    try {
      policy = parsePolicy(kind, vhost, name, bodyOf(req));
    } catch (err) {
      if (err instanceof PolicyError) throw badRequest(err.message);
      throw err;
    }
    const existed = v.policies.get(kind, name) !== undefined;
    v.setPolicy(kind, policy);
    return reply.code(existed ? 204 : 201).send();
  });
  app.delete(`${base}/:vhost/:name`, opts, (req, reply) => {
    const { vhost, name } = req.params as Params;
    if (!vhostOf(vhost).clearPolicy(kind, name)) throw notFound();
    return reply.code(204).send();
  });
}
