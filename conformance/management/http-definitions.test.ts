/**
 * Definitions over HTTP, as rabbitmqadmin export / import use them: a vhost's export lists its
 * topology without vhost keys, importing it back restores what was deleted, the whole export
 * has RabbitMQ's top-level keys, and a bad document is 400. Proven against RabbitMQ 3.10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Admin } from '../support/admin.js';
import { managementHttp, type Http } from '../support/http.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let a: Admin;
let http: Http;

beforeAll(async () => {
  t = await target();
  a = await admin();
  http = managementHttp(t);
});
afterAll(async () => {
  await a.deleteAll();
});

describe('definitions over HTTP', () => {
  it('a vhost\'s export, imported back, restores a deleted queue and binding', async () => {
    const v = unique('defs');
    await a.addVhost(v);
    const V = encodeURIComponent(v);
    await http('PUT', `/api/exchanges/${V}/orders`, { type: 'topic', durable: true });
    await http('PUT', `/api/queues/${V}/orders.q`, { durable: true, arguments: { 'x-max-length': 1000 } });
    await http('POST', `/api/bindings/${V}/e/orders/q/orders.q`, { routing_key: 'order.*' });
    const exported = await http('GET', `/api/definitions/${V}`);
    expect(exported.status).toBe(200);
    expect(Object.keys(exported.body).sort()).toEqual(['bindings', 'exchanges', 'parameters', 'policies', 'queues', 'rabbit_version']);
    expect(exported.body.queues).toEqual([{ name: 'orders.q', durable: true, auto_delete: false, arguments: { 'x-max-length': 1000 } }]);
    expect(exported.body.exchanges).toEqual([{ name: 'orders', type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} }]);
    expect(exported.body.bindings).toEqual([{ source: 'orders', destination: 'orders.q', destination_type: 'queue', routing_key: 'order.*', arguments: {} }]);
    expect((await http('DELETE', `/api/queues/${V}/orders.q`)).status).toBe(204);
    expect((await http('POST', `/api/definitions/${V}`, exported.body)).status).toBe(204);
    expect((await http('GET', `/api/queues/${V}/orders.q`)).status).toBe(200);
    const bindings = (await http('GET', `/api/bindings/${V}/e/orders/q/orders.q`)).body as { routing_key: string }[];
    expect(bindings.map((b) => b.routing_key)).toEqual(['order.*']);
  });

  it('the whole export has RabbitMQ\'s keys; importing a user and a vhost creates them', async () => {
    const all = (await http('GET', '/api/definitions')).body;
    for (const key of ['rabbit_version', 'users', 'vhosts', 'permissions', 'topic_permissions', 'parameters', 'global_parameters', 'policies', 'queues', 'exchanges', 'bindings']) {
      expect(all).toHaveProperty(key);
    }
    const v = unique('imported');
    const u = unique('imported-user');
    const doc = {
      users: [{ name: u, password_hash: 'WkRnDB3LbopG78Rc63lOwMIds4arcBwL0DfK7nhdhHXaaUE7', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: 'management' }],
      vhosts: [{ name: v }],
      permissions: [{ user: u, vhost: v, configure: '.*', write: '.*', read: '.*' }],
    };
    expect((await http('POST', '/api/definitions', doc)).status).toBe(204);
    try {
      expect((await http('GET', `/api/users/${encodeURIComponent(u)}`)).body).toMatchObject({ name: u, tags: ['management'] });
      expect((await http('GET', `/api/permissions/${encodeURIComponent(v)}/${encodeURIComponent(u)}`)).status).toBe(200);
    } finally {
      await http('DELETE', `/api/vhosts/${encodeURIComponent(v)}`);
      await http('DELETE', `/api/users/${encodeURIComponent(u)}`);
    }
  });

  it('a queue in a vhost that does not exist is 400', async () => {
    const r = await http('POST', '/api/definitions', { queues: [{ name: 'q', vhost: unique('nowhere'), durable: true, auto_delete: false, arguments: {} }] });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('bad_request');
  });
});
