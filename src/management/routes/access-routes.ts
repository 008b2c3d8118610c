/**
 * whoami, vhosts, users, permissions, topic permissions and limits over HTTP, with the management
 * plugin's status codes and field names (observed on RabbitMQ 3.10.8).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PermissionPattern } from '../../access/permission-pattern.js';
import type { User, VhostSettings } from '../../access/access-control.js';
import { badRequest, bodyOf, columns, hasLevel, notFound, tagList } from '../http-api.js';
import type { ManagementContext } from '../management-context.js';

type Params = Record<string, string>;
const admin = { config: { level: 'administrator' as const } };

export function accessRoutes(app: FastifyInstance, ctx: ManagementContext): void {
  const access = ctx.access;

  app.get('/api/whoami', (req) => ({ name: req.user.name, tags: [...req.user.tags] }));

  // ---- vhosts ----
  app.get('/api/vhosts', (req) => columns(req, [...access.allVhosts()].filter((v) => visible(req, v.name)).map(vhostJson)));
  app.get('/api/vhosts/:vhost', (req) => {
    const v = access.vhost((req.params as Params).vhost);
    if (v === undefined || !visible(req, v.name)) throw notFound();
    return vhostJson(v);
  });
  app.put('/api/vhosts/:vhost', admin, (req, reply) => {
    const name = (req.params as Params).vhost;
    const body = bodyOf(req);
    const existed = access.vhost(name) !== undefined;
    // as RabbitMQ 3.10, a PUT sets description and tags (an empty body clears them)
    ctx.addVhost(name, {
      description: typeof body.description === 'string' ? body.description : '',
      tags: body.tags === undefined ? [] : tagList(body.tags),
      ...(typeof body.default_queue_type === 'string' ? { defaultQueueType: body.default_queue_type } : {}),
    });
    // the user who creates a vhost gets every right on it (rabbit_vhost:maybe_grant_full_permissions)
    if (!existed && access.permissionsOf(req.user.name, name) === undefined) {
      ctx.setPermissions(req.user.name, name, { configure: '.*', write: '.*', read: '.*' });
    }
    return reply.code(existed ? 204 : 201).send();
  });
  app.delete('/api/vhosts/:vhost', admin, (req, reply) => {
    if (!ctx.deleteVhost((req.params as Params).vhost)) throw notFound();
    return reply.code(204).send();
  });

  // ---- users ----
  app.get('/api/users', admin, (req) => columns(req, [...access.allUsers()].map(userJson)));
  app.get('/api/users/:user', admin, (req) => {
    const u = access.user((req.params as Params).user);
    if (u === undefined) throw notFound();
    return userJson(u);
  });
  app.put('/api/users/:user', admin, (req, reply) => {
    const name = (req.params as Params).user;
    const body = bodyOf(req);
    if (body.tags === undefined) throw badRequest('tags_not_present');
    if (body.password !== undefined && body.password_hash !== undefined) throw badRequest('password and password_hash both given');
    const existed = access.user(name) !== undefined;
    ctx.addUser(name, {
      ...(typeof body.password === 'string' ? { password: body.password } : {}),
      ...(typeof body.password_hash === 'string' ? { passwordHash: body.password_hash } : {}),
      ...(body.password === undefined && body.password_hash === undefined && !existed ? { password: null } : {}),
      ...(typeof body.hashing_algorithm === 'string' ? { hashingAlgorithm: body.hashing_algorithm } : {}),
      tags: tagList(body.tags),
    });
    return reply.code(existed ? 204 : 201).send();
  });
  app.delete('/api/users/:user', admin, (req, reply) => {
    if (!ctx.deleteUser((req.params as Params).user)) throw notFound();
    return reply.code(204).send();
  });

  // ---- permissions ----
  const permissionJson = (user: string, vhost: string) => {
    const p = access.permissionsOf(user, vhost);
    return p && { user, vhost, configure: p.configure.source, write: p.write.source, read: p.read.source };
  };
  app.get('/api/permissions', admin, (req) => columns(req, [...access.allPermissions()].map((p) => permissionJson(p.user, p.vhost)!)));
  app.get('/api/permissions/:vhost/:user', admin, (req) => {
    const { vhost, user } = req.params as Params;
    const p = permissionJson(user, vhost);
    if (p === undefined) throw notFound();
    return p;
  });
  app.put('/api/permissions/:vhost/:user', admin, (req, reply) => {
    const { vhost, user } = req.params as Params;
    if (access.vhost(vhost) === undefined || access.user(user) === undefined) throw badRequest('vhost_or_user_not_found');
    const body = bodyOf(req);
    const p = { configure: pattern(body.configure), write: pattern(body.write), read: pattern(body.read) };
    const existed = access.permissionsOf(user, vhost) !== undefined;
    ctx.setPermissions(user, vhost, p);
    return reply.code(existed ? 204 : 201).send();
  });
  app.delete('/api/permissions/:vhost/:user', admin, (req, reply) => {
    const { vhost, user } = req.params as Params;
    if (access.permissionsOf(user, vhost) === undefined) throw notFound();
    ctx.clearPermissions(user, vhost);
    return reply.code(204).send();
  });

  // ---- topic permissions ----
  app.get('/api/topic-permissions', admin, (req) => columns(req, [...access.allTopicPermissions()].map(topicJson)));
  app.get('/api/topic-permissions/:vhost/:user', admin, (req) => {
    const { vhost, user } = req.params as Params;
    const list = [...access.allTopicPermissions()].filter((t) => t.user === user && t.vhost === vhost);
    if (list.length === 0) throw notFound();
    return list.map(topicJson);
  });
  app.put('/api/topic-permissions/:vhost/:user', admin, (req, reply) => {
    const { vhost, user } = req.params as Params;
    if (access.vhost(vhost) === undefined || access.user(user) === undefined) throw badRequest('vhost_or_user_not_found');
    const body = bodyOf(req);
    if (typeof body.exchange !== 'string') throw badRequest('exchange must be given');
    const existed = access.topicPermissionsOf(user, vhost)?.has(body.exchange) ?? false;
    ctx.setTopicPermissions(user, vhost, { exchange: body.exchange, write: pattern(body.write), read: pattern(body.read) });
    return reply.code(existed ? 204 : 201).send();
  });
  app.delete('/api/topic-permissions/:vhost/:user', admin, (req, reply) => {
    const { vhost, user } = req.params as Params;
    if (access.topicPermissionsOf(user, vhost) === undefined) throw notFound();
    ctx.clearTopicPermissions(user, vhost);
    return reply.code(204).send();
  });

  // ---- limits (rabbitmqctl set_vhost_limits / set_user_limits) ----
  limitRoutes(app, 'vhost', ['max-connections', 'max-queues'], {
    all: () => [...access.allVhosts()].map((v) => [v.name, v.limits] as const),
    limits: (name) => access.vhost(name)?.limits,
    set: (name, limit, value) => ctx.setVhostLimits(name, { [limit]: value }),
    clear: (name, limit) => ctx.clearVhostLimit(name, limit as 'max-connections' | 'max-queues'),
  });
  limitRoutes(app, 'user', ['max-connections', 'max-channels'], {
    all: () => [...access.allUsers()].map((u) => [u.name, u.limits] as const),
    limits: (name) => access.user(name)?.limits,
    set: (name, limit, value) => ctx.setUserLimits(name, { [limit]: value }),
    clear: (name, limit) => ctx.clearUserLimit(name, limit as 'max-connections' | 'max-channels'),
  });

  /** Administrators see every vhost; other users those they have permissions in. */
  function visible(req: FastifyRequest, vhost: string): boolean {
    return hasLevel(req.user, 'administrator') || access.permissionsOf(req.user.name, vhost) !== undefined;
  }
}

function vhostJson(v: VhostSettings) {
  return {
    name: v.name, description: v.description, tags: [...v.tags], default_queue_type: v.defaultQueueType,
    metadata: { description: v.description, tags: [...v.tags] }, tracing: false,
  };
}

function userJson(u: User) {
  return { name: u.name, password_hash: u.passwordHash, hashing_algorithm: u.hashingAlgorithm, tags: [...u.tags], limits: { ...u.limits } };
}

function topicJson(t: { user: string; vhost: string; permission: { exchange: string; write: string; read: string } }) {
  return { user: t.user, vhost: t.vhost, exchange: t.permission.exchange, write: t.permission.write, read: t.permission.read };
}

/** A permission pattern: a string that compiles (RabbitMQ answers invalid_regexp). */
function pattern(v: unknown): string {
  if (typeof v !== 'string') throw badRequest('configure, write and read must be given as strings');
  const problem = PermissionPattern.check(v);
  if (problem !== null) throw badRequest(problem);
  return v;
}

interface LimitStore {
  all(): (readonly [string, object])[];
  /** The owner's limits, or undefined when it does not exist. */
  limits(name: string): object | undefined;
  set(name: string, limit: string, value: number): void;
  clear(name: string, limit: string): void;
}

/**
 * /api/{vhost,user}-limits: GET (all, or one owner's as a list of zero or one), PUT
 * …/{name} {"value": n} → 204, DELETE → 204; an unknown limit is refused as RabbitMQ's validation does.
 */
function limitRoutes(app: FastifyInstance, kind: 'vhost' | 'user', known: readonly string[], store: LimitStore): void {
  const base = `/api/${kind}-limits`;
  const entry = (name: string, limits: object) => ({ [kind]: name, value: { ...limits } });
  const owner = (req: FastifyRequest): string => {
    const name = (req.params as Params).owner;
    if (store.limits(name) === undefined) throw notFound();
    return name;
  };
  app.get(base, admin, () => store.all().filter(([, l]) => Object.keys(l).length > 0).map(([n, l]) => entry(n, l)));
  app.get(`${base}/:owner`, admin, (req) => {
    const name = owner(req);
    const limits = store.limits(name) as object;
    return Object.keys(limits).length === 0 ? [] : [entry(name, limits)];
  });
  app.put(`${base}/:owner/:name`, admin, (req, reply) => {
    const name = owner(req);
    const limit = (req.params as Params).name;
    const raw = bodyOf(req).value;
    if (!known.includes(limit)) throw badRequest(`Validation failed\n\nUnrecognised terms [{<<"${limit}">>,${String(raw)}}] in limits\n`);
    const value = Number(raw);
    if (!Number.isInteger(value)) throw badRequest(`Validation failed\n\n${limit} must be an integer\n`);
    store.set(name, limit, value);
    return reply.code(204).send();
  });
  app.delete(`${base}/:owner/:name`, admin, (req, reply) => {
    const name = owner(req);
    const limit = (req.params as Params).name;
    if (known.includes(limit)) store.clear(name, limit);
    return reply.code(204).send();
  });
}
