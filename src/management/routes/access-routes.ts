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

  // ---- limits ----
  const VHOST_LIMITS = ['max-connections', 'max-queues'] as const;
  const USER_LIMITS = ['max-connections', 'max-channels'] as const;
  const limitValue = (req: FastifyRequest, known: readonly string[]): [string, number] => {
    const name = (req.params as Params).name;
    const value = Number(bodyOf(req).value);
    if (!known.includes(name)) throw badRequest(`Validation failed\n\nUnrecognised terms [{<<"${name}">>,${bodyOf(req).value}}] in limits\n`);
    if (!Number.isInteger(value)) throw badRequest(`Validation failed\n\n${name} must be an integer\n`);
    return [name, value];
  };
  app.get('/api/vhost-limits', admin, () => [...access.allVhosts()].filter((v) => Object.keys(v.limits).length > 0)
    .map((v) => ({ vhost: v.name, value: { ...v.limits } })));
  app.get('/api/vhost-limits/:vhost', admin, (req) => {
    const v = access.vhost((req.params as Params).vhost);
    if (v === undefined) throw notFound();
    return Object.keys(v.limits).length === 0 ? [] : [{ vhost: v.name, value: { ...v.limits } }];
  });
  app.put('/api/vhost-limits/:vhost/:name', admin, (req, reply) => {
    const vhost = (req.params as Params).vhost;
    if (access.vhost(vhost) === undefined) throw notFound();
    const [name, value] = limitValue(req, VHOST_LIMITS);
    ctx.setVhostLimits(vhost, { [name]: value });
    return reply.code(204).send();
  });
  app.delete('/api/vhost-limits/:vhost/:name', admin, (req, reply) => {
    const { vhost, name } = req.params as Params;
    if (access.vhost(vhost) === undefined) throw notFound();
    if ((VHOST_LIMITS as readonly string[]).includes(name)) ctx.clearVhostLimit(vhost, name as (typeof VHOST_LIMITS)[number]);
    return reply.code(204).send();
  });
  app.get('/api/user-limits', admin, () => [...access.allUsers()].filter((u) => Object.keys(u.limits).length > 0)
    .map((u) => ({ user: u.name, value: { ...u.limits } })));
  app.get('/api/user-limits/:user', admin, (req) => {
    const u = access.user((req.params as Params).user);
    if (u === undefined) throw notFound();
    return Object.keys(u.limits).length === 0 ? [] : [{ user: u.name, value: { ...u.limits } }];
  });
  app.put('/api/user-limits/:user/:name', admin, (req, reply) => {
    const user = (req.params as Params).user;
    if (access.user(user) === undefined) throw notFound();
    const [name, value] = limitValue(req, USER_LIMITS);
    ctx.setUserLimits(user, { [name]: value });
    return reply.code(204).send();
  });
  app.delete('/api/user-limits/:user/:name', admin, (req, reply) => {
    const { user, name } = req.params as Params;
    if (access.user(user) === undefined) throw notFound();
    if ((USER_LIMITS as readonly string[]).includes(name)) ctx.clearUserLimit(user, name as (typeof USER_LIMITS)[number]);
    return reply.code(204).send();
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
