/**
 * A vhost's definitions carried between the target and a second Warren, both ways, as a team
 * moves from Warren to a RabbitMQ cluster and back: exchanges (an internal one), queues with
 * arguments (quorum, classic), bindings (exchange-to-exchange, headers arguments), a vhost
 * limit, policies and an operator policy. What one exports, the other imports, and exports
 * again entry for entry. Against RabbitMQ 3.10 this proves each accepts the other's export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startBroker, type BrokerHandle } from '../../src/broker.js';
import { admin, type Admin } from '../support/admin.js';
import { managementHttp, type Http } from '../support/http.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let a: Admin;
let http: Http;
let other: BrokerHandle;
let otherHttp: Http;

beforeAll(async () => {
  t = await target();
  a = await admin();
  http = managementHttp(t);
  other = await startBroker({ port: 0, host: '127.0.0.1', managementPort: 0, ephemeral: true, logger: pino({ level: 'silent' }) });
  otherHttp = managementHttp({ ...t, url: 'amqp://guest:guest@127.0.0.1/', managementUrl: `http://127.0.0.1:${other.managementPort}` });
});
afterAll(async () => {
  await a.deleteAll();
  await other.close();
});

/** The same topology, made over a broker's HTTP API in vhost V. */
async function build(call: Http, V: string): Promise<void> {
  const ok = async (method: string, path: string, body?: unknown) => expect((await call(method, path, body)).status, `${method} ${path}`).toBeLessThan(300);
  await ok('PUT', `/api/vhost-limits/${V}/max-queues`, { value: 100 });
  await ok('PUT', `/api/policies/${V}/ttl`, { pattern: '^orders\\.', definition: { 'max-length': 1000, 'message-ttl': 60000 }, priority: 1, 'apply-to': 'queues' });
  await ok('PUT', `/api/policies/${V}/ae`, { pattern: '^events$', definition: { 'alternate-exchange': 'unrouted' }, 'apply-to': 'exchanges' });
  await ok('PUT', `/api/operator-policies/${V}/cap`, { pattern: '.*', definition: { 'max-length-bytes': 100000000 }, 'apply-to': 'queues' });
  await ok('PUT', `/api/exchanges/${V}/events`, { type: 'topic', durable: true });
  await ok('PUT', `/api/exchanges/${V}/orders`, { type: 'direct', durable: true });
  await ok('PUT', `/api/exchanges/${V}/unrouted`, { type: 'fanout', durable: true });
  await ok('PUT', `/api/exchanges/${V}/by-header`, { type: 'headers', durable: true, internal: true });
  await ok('PUT', `/api/queues/${V}/orders.new`, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 5 } });
  await ok('PUT', `/api/queues/${V}/orders.dead`, { durable: true, arguments: { 'x-max-length': 5000, 'x-overflow': 'reject-publish' } });
  await ok('POST', `/api/bindings/${V}/e/events/e/orders`, { routing_key: 'order.new' });
  await ok('POST', `/api/bindings/${V}/e/orders/q/orders.new`, { routing_key: 'new' });
  await ok('POST', `/api/bindings/${V}/e/by-header/q/orders.dead`, { routing_key: '', arguments: { 'x-match': 'any', kind: 'audit', level: 3 } });
}

/** A per-vhost export with every list sorted, for comparing entry for entry. */
async function exported(call: Http, V: string): Promise<Record<string, string[]>> {
  const r = await call('GET', `/api/definitions/${V}`);
  expect(r.status).toBe(200);
  const out: Record<string, string[]> = {};
  // RabbitMQ's per-vhost export keeps the vhost key on parameters and policies: it names the source
  for (const key of ['parameters', 'policies', 'queues', 'exchanges', 'bindings']) {
    for (const e of r.body[key] as Record<string, unknown>[]) {
      if (key === 'parameters' || key === 'policies') expect(e.vhost).toBe(decodeURIComponent(V));
      delete e.vhost;
    }
    out[key] = (r.body[key] as object[]).map((e) => JSON.stringify(sortedKeys(e))).sort();
  }
  return out;
}

/** The value with every object's keys in order, so that equal entries print alike. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
}

async function carry(from: Http, to: Http, fromVhost: string, toVhost: string): Promise<void> {
  const doc = (await from('GET', `/api/definitions/${fromVhost}`)).body;
  const r = await to('POST', `/api/definitions/${toVhost}`, doc);
  expect(r.status, JSON.stringify(r.body)).toBe(204);
}

describe('definitions between two brokers', () => {
  it('the target imports a second Warren\'s export, and exports the same entries back; Warren imports that export the same way', async () => {
    const here = unique('rt-target');
    const there = unique('rt-warren');
    await a.addVhost(here);
    expect((await otherHttp('PUT', `/api/vhosts/${there}`)).status).toBe(201);
    await build(otherHttp, encodeURIComponent(there));
    const fromWarren = await exported(otherHttp, encodeURIComponent(there));
    expect(fromWarren.policies).toHaveLength(2);
    expect(fromWarren.parameters).toHaveLength(2); // the vhost limit and the operator policy

    await carry(otherHttp, http, encodeURIComponent(there), encodeURIComponent(here));
    expect(await exported(http, encodeURIComponent(here))).toEqual(fromWarren);

    const back = unique('rt-back');
    expect((await otherHttp('PUT', `/api/vhosts/${back}`)).status).toBe(201);
    await carry(http, otherHttp, encodeURIComponent(here), encodeURIComponent(back));
    expect(await exported(otherHttp, encodeURIComponent(back))).toEqual(fromWarren);
  });
});
