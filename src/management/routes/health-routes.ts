/**
 * Health checks as readiness probes call them, and Warren's reset for test suites: /api/health/checks/{alarms,local-alarms,
 * virtual-hosts} — {"status":"ok"}, or 503 with {"status":"failed","reason":…}.
 */
import type { FastifyInstance } from 'fastify';
import type { ManagementContext } from '../management-context.js';

export function healthRoutes(app: FastifyInstance, ctx: ManagementContext): void {
  const alarms = (_req: unknown, reply: import('fastify').FastifyReply) => {
    if (ctx.alarm === null) return { status: 'ok' };
    return reply.code(503).send({ status: 'failed', reason: `resource alarm in effect: ${ctx.alarm}` });
  };
  app.get('/api/health/checks/alarms', alarms);
  app.get('/api/health/checks/local-alarms', alarms);
  // every vhost of a single node is running while the broker is
  app.get('/api/health/checks/virtual-hosts', () => ({ status: 'ok' }));
  /**
   * Warren's own: back to the configured start state between tests (startBroker's
   * broker.reset() over HTTP). Administrators only; 204.
   */
  app.delete('/api/warren/state', { config: { level: 'administrator' } }, (_req, reply) => {
    ctx.reset();
    return reply.code(204).send();
  });
}
