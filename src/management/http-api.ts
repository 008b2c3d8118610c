/**
 * The management HTTP API's core, as RabbitMQ's management plugin answers: HTTP basic auth
 * against Warren's users, with the user tags deciding who may call what (administrator ⊃
 * monitoring ⊃ management, policymaker ⊃ management), JSON error bodies with RabbitMQ's
 * `error` / `reason`, 201 for a PUT that creates and 204 for one that updates, `%2F` for `/`,
 * booleans and numbers accepted as strings (rabbitmqadmin sends them so), unknown keys ignored,
 * `?columns=` on lists, a trailing slash ignored. The routes are in routes/*.ts.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { User } from '../access/access-control.js';
import { AdminRefusal } from '../broker/topology-admin.js';
import { AmqpError } from '../codec/amqp-error.js';
import { NOT_FOUND } from '../codec/generated/protocol.js';
import type { ManagementContext } from './management-context.js';
import { accessRoutes } from './routes/access-routes.js';
import { channelRoutes, connectionRoutes } from './routes/connection-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { definitionsRoutes } from './routes/definitions-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { overviewRoutes } from './routes/overview-routes.js';
import { policyRoutes } from './routes/policy-routes.js';
import { topologyRoutes } from './routes/topology-routes.js';
import { MessageRates } from './message-rates.js';

/** A failed request: status, and RabbitMQ's error / reason. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly error: string, readonly reason: unknown) {
    super(typeof reason === 'string' ? reason : error);
  }
}

export const notFound = () => new ApiError(404, 'Object Not Found', 'Not Found');
export const badRequest = (reason: unknown) => new ApiError(400, 'bad_request', reason);

/** Who may call a route: RabbitMQ's management tags. */
export type Level = 'management' | 'monitoring' | 'policymaker' | 'administrator';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated management user. */
    user: User;
  }
  interface FastifyContextConfig {
    /** The tag a route needs (default: management). */
    level?: Level;
  }
}

export function createManagementApi(ctx: ManagementContext, log: Logger): FastifyInstance {
  // pino is Fastify's own logger: the broker's logger serves as it is
  // no log line per request: the API is polled (KEDA, dashboards)
  const app: FastifyInstance = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    // definitions documents and published payloads can be large; bodies are read only after auth
    bodyLimit: 64 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  // RabbitMQ takes an empty body (PUT /api/vhosts/v) as no settings
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest('failed to parse JSON'), undefined);
    }
  });
  app.decorateRequest('user', null as unknown as User);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    req.user = authenticate(ctx, req);
    const needed = req.routeOptions.config.level ?? 'management';
    if (!hasLevel(req.user, needed)) {
      throw new ApiError(401, 'not_authorised', needed === 'administrator' ? 'Not administrator user'
        : needed === 'monitoring' ? 'Not monitor user' : needed === 'policymaker' ? 'Not policymaker user' : 'Not management user');
    }
  });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    // a check the AMQP side makes too (equivalence, arguments, names): 404 or 400 with its text
    if (err instanceof AmqpError) return sendError(reply, err.replyCode === NOT_FOUND ? notFound() : badRequest(err.detail));
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return sendError(reply, badRequest((err as Error).message));
    // an operator declaration refused (an unknown exchange type, a reserved name): the caller's mistake
    if (err instanceof AdminRefusal) return sendError(reply, badRequest(err.message));
    req.log.error({ err, url: req.url }, 'internal error in the management API');
    return sendError(reply, new ApiError(500, 'internal_server_error', 'internal error'));
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, notFound()));
  app.get('/api', (_req, reply) => reply.redirect('/api/index.html', 301));
  accessRoutes(app, ctx);
  connectionRoutes(app, ctx);
  healthRoutes(app, ctx);
  const rates = new MessageRates(ctx);
  rates.start();
  app.addHook('onClose', async () => rates.stop());
  overviewRoutes(app, ctx, rates);
  channelRoutes(app, ctx, rates);
  topologyRoutes(app, ctx, rates);
  definitionsRoutes(app, ctx);
  policyRoutes(app, ctx);
  dashboardRoutes(app);
  return app;
}

function sendError(reply: FastifyReply, e: ApiError): FastifyReply {
  if (e.status === 401) reply.header('www-authenticate', 'Basic realm="RabbitMQ Management"');
  if (e.status === 401 && e.error === '') return reply.code(401).send();
  return reply.code(e.status).send({ error: e.error, reason: e.reason });
}

/** HTTP basic auth against the users: no credentials, wrong ones, or a user without a management tag. */
function authenticate(ctx: ManagementContext, req: FastifyRequest): User {
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith('Basic ')) throw new ApiError(401, '', '');
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = colon < 0 ? decoded : decoded.slice(0, colon);
  const result = ctx.access.login(name, colon < 0 ? '' : decoded.slice(colon + 1));
  if (!('user' in result)) {
    req.log.warn({ user: name }, `HTTP access denied: ${result.refused}`);
    throw new ApiError(401, 'not_authorized', 'Login failed');
  }
  if (!hasLevel(result.user, 'management')) throw new ApiError(401, 'not_authorised', 'Not management user');
  return result.user;
}

const GRANTS: Record<string, readonly Level[]> = {
  administrator: ['administrator', 'monitoring', 'policymaker', 'management'],
  monitoring: ['monitoring', 'management'],
  policymaker: ['policymaker', 'management'],
  management: ['management'],
};

export function hasLevel(user: User, level: Level): boolean {
  return user.tags.some((t) => GRANTS[t]?.includes(level));
}

/** rabbitmqadmin sends "true" / "false" for booleans. */
export function bool(v: unknown, otherwise: boolean): boolean {
  if (v === undefined || v === null || v === '') return otherwise;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw badRequest(`not a boolean: ${JSON.stringify(v)}`);
}

/** `?columns=a,b`: only those top-level keys of each item (RabbitMQ filters top-level keys only). */
export function columns<T extends object>(req: FastifyRequest, items: T[]): Partial<T>[] {
  const wanted = (req.query as { columns?: string }).columns;
  if (wanted === undefined || wanted === '') return items;
  const keys = new Set(wanted.split(',').map((c) => c.trim().split('.')[0]));
  return items.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => keys.has(k))) as Partial<T>);
}

/** A tags field: a list, or a comma-separated string as rabbitmqadmin and rabbit-hole send it. */
export function tagList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter((t) => t !== '');
  if (typeof v === 'string') return v.split(',').map((t) => t.trim()).filter((t) => t !== '');
  throw badRequest('tags must be a list or a comma-separated string');
}

export type Body = Record<string, unknown>;
export const bodyOf = (req: FastifyRequest): Body => (typeof req.body === 'object' && req.body !== null ? req.body as Body : {});
