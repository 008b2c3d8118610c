/**
 * Managing vhosts, users, permissions and limits on the conformance target, the way an operator
 * would: on RabbitMQ through its management HTTP API (port 15672 of the target's host, with the
 * target's credentials), on the in-process Warren through the Broker's methods. Scenarios
 * create everything under unique names and delete it afterwards (deleteAll).
 *
 * RabbitMQ gives the user who creates a vhost over HTTP every right on it; the harness gives the
 * target's user those rights explicitly on both brokers, so the two start alike.
 */
import { readFileSync } from 'node:fs';
import { target, type Target } from './target.js';

export interface Admin {
  addVhost(name: string): Promise<void>;
  deleteVhost(name: string): Promise<void>;
  addUser(name: string, password: string, tags?: string[]): Promise<void>;
  deleteUser(name: string): Promise<void>;
  setPermissions(user: string, vhost: string, configure: string, write: string, read: string): Promise<void>;
  clearPermissions(user: string, vhost: string): Promise<void>;
  setTopicPermissions(user: string, vhost: string, exchange: string, write: string, read: string): Promise<void>;
  setVhostLimit(vhost: string, limit: 'max-connections' | 'max-queues', value: number): Promise<void>;
  setUserLimit(user: string, limit: 'max-connections' | 'max-channels', value: number): Promise<void>;
  /** Loads a definitions file (RabbitMQ: POST /api/definitions). */
  importDefinitions(file: string): Promise<void>;
  /** Deletes every vhost and user created through this admin. */
  deleteAll(): Promise<void>;
}

export async function admin(): Promise<Admin> {
  const t = await target();
  const created = { vhosts: new Set<string>(), users: new Set<string>() };
  const base = t.warren !== null ? warrenAdmin(t) : rabbitAdmin(t);
  const owner = decodeURIComponent(new URL(t.url).username);
  return {
    ...base,
    async addVhost(name) {
      await base.addVhost(name);
      created.vhosts.add(name);
      await base.setPermissions(owner, name, '.*', '.*', '.*');
    },
    async addUser(name, password, tags) {
      await base.addUser(name, password, tags);
      created.users.add(name);
    },
    async deleteAll() {
      for (const v of created.vhosts) await base.deleteVhost(v).catch(() => undefined);
      for (const u of created.users) await base.deleteUser(u).catch(() => undefined);
      created.vhosts.clear();
      created.users.clear();
    },
  };
}

type BaseAdmin = Omit<Admin, 'deleteAll'>;

function warrenAdmin(t: Target): BaseAdmin {
  const b = t.warren!;
  return {
    addVhost: async (name) => b.addVhost(name),
    deleteVhost: async (name) => void b.deleteVhost(name),
    addUser: async (name, password, tags = []) => b.addUser(name, { password, tags }),
    deleteUser: async (name) => void b.deleteUser(name),
    setPermissions: async (user, vhost, configure, write, read) => b.setPermissions(user, vhost, { configure, write, read }),
    clearPermissions: async (user, vhost) => b.clearPermissions(user, vhost),
    setTopicPermissions: async (user, vhost, exchange, write, read) => b.setTopicPermissions(user, vhost, { exchange, write, read }),
    setVhostLimit: async (vhost, limit, value) => b.setVhostLimits(vhost, { [limit]: value }),
    setUserLimit: async (user, limit, value) => b.setUserLimits(user, { [limit]: value }),
    importDefinitions: async (file) => b.importDefinitions(readFileSync(file, 'utf8'), file),
  };
}

function rabbitAdmin(t: Target): BaseAdmin {
  const u = new URL(t.url);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  const api = async (method: string, path: string, body?: unknown): Promise<void> => {
    const r = await fetch(`http://${u.hostname}:15672/api${path}`, {
      method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${method} /api${path}: ${r.status} ${await r.text()}`);
  };
  const e = encodeURIComponent;
  return {
    addVhost: (name) => api('PUT', `/vhosts/${e(name)}`, {}),
    deleteVhost: (name) => api('DELETE', `/vhosts/${e(name)}`),
    addUser: (name, password, tags = []) => api('PUT', `/users/${e(name)}`, { password, tags: tags.join(',') }),
    deleteUser: (name) => api('DELETE', `/users/${e(name)}`),
    setPermissions: (user, vhost, configure, write, read) => api('PUT', `/permissions/${e(vhost)}/${e(user)}`, { configure, write, read }),
    clearPermissions: (user, vhost) => api('DELETE', `/permissions/${e(vhost)}/${e(user)}`),
    setTopicPermissions: (user, vhost, exchange, write, read) => api('PUT', `/topic-permissions/${e(vhost)}/${e(user)}`, { exchange, write, read }),
    setVhostLimit: (vhost, limit, value) => api('PUT', `/vhost-limits/${e(vhost)}/${limit}`, { value }),
    setUserLimit: (user, limit, value) => api('PUT', `/user-limits/${e(user)}/${limit}`, { value }),
    importDefinitions: (file) => api('POST', '/definitions', JSON.parse(readFileSync(file, 'utf8'))),
  };
}
