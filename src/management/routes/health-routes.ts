/**
 * Health checks as readiness probes call them (aliveness-test and health/checks), and
 * Warren's reset for test suites: /api/health/checks/{alarms,local-alarms,
 * virtual-hosts} — {"status":"ok"}, or 503 with {"status":"failed","reason":…}.
 */
import type { FastifyInstance } from 'fastify';
import { Message } from '../../broker/message.js';
import { declareQueue } from '../../broker/topology-admin.js';
import { ContentHeader } from '../../codec/content-header.js';
import { encodeRouting } from '../../codec/fast-paths.js';
import { CLASS_BASIC } from '../../codec/generated/protocol.js';
import { notFound } from '../http-api.js';
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
   * As RabbitMQ: declare the queue "aliveness-test" (not durable, left behind afterwards),
   * publish a message to it through the default exchange and get it back.
   */
  app.get('/api/aliveness-test/:vhost', (req) => {
    const vhost = ctx.vhosts.get((req.params as Record<string, string>).vhost);
    if (vhost === undefined) throw notFound();
    const q = declareQueue(vhost, 'aliveness-test', { durable: false, autoDelete: false, arguments: [] });
    const body = Buffer.from('test_message');
    const x = vhost.exchange('');
    vhost.publish(x, new Message('', q.name, encodeRouting('', q.name), ContentHeader.build(CLASS_BASIC, body.length, {}), body));
    const got = q.get();
    if (got === undefined) return { status: 'failed', reason: 'the test message did not come back' };
    q.ack(got);
    return got.message.body.equals(body) ? { status: 'ok' } : { status: 'failed', reason: 'another message came back' };
  });
  /**
   * Warren's own: back to the configured start state between tests (startBroker's
   * broker.reset() over HTTP). Administrators only; 204.
   */
  app.delete('/api/warren/state', { config: { level: 'administrator' } }, (_req, reply) => {
    ctx.reset();
    return reply.code(204).send();
  });
}
