/**
 * Queues, exchanges and bindings over the management API as rabbitmqadmin, Terraform and KEDA
 * use it: status codes, the fields they read, publish and get, purge, the binding's Location.
 * Proven against RabbitMQ 3.10 with rabbitmq_management (whose statistics lag up to 5 s behind:
 * message counts are polled).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementHttp, type Http } from '../support/http.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let http: Http;
const created: string[] = [];

beforeAll(async () => {
  t = await target();
  http = managementHttp(t);
});
afterAll(async () => {
  for (const path of created.reverse()) await http('DELETE', path);
});


/** Polls until the queue shows `messages` (RabbitMQ refreshes its statistics every 5 s). */
async function messagesIn(queue: string, messages: number): Promise<any> {
  let q: any;
  for (let i = 0; i < 80; i++) {
    q = (await http('GET', `/api/queues/%2F/${encodeURIComponent(queue)}`)).body;
    if (q.messages === messages) return q;
    await new Promise((r) => setTimeout(r, 100));
  }
  return q;
}

describe('queues', () => {
  it('PUT 201, again 204, inequivalent 400; GET shows what tools read; DELETE 204, then 404', async () => {
    const q = unique('http-q');
    const path = `/api/queues/%2F/${q}`;
    created.push(path);
    // rabbitmqadmin sends booleans as strings
    expect((await http('PUT', path, { durable: 'false', auto_delete: 'false', arguments: { 'x-max-length': 1000 } })).status).toBe(201);
    expect((await http('PUT', path, { durable: false, arguments: { 'x-max-length': 1000 } })).status).toBe(204);
    const bad = await http('PUT', path, { durable: false, arguments: { 'x-max-length': 5 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'bad_request', reason: expect.stringContaining(`inequivalent arg 'x-max-length' for queue '${q}' in vhost '/'`) });
    expect(await messagesIn(q, 0)).toMatchObject({
      name: q, vhost: '/', type: 'classic', durable: false, auto_delete: false, exclusive: false,
      arguments: { 'x-max-length': 1000 }, consumers: 0, messages: 0, messages_ready: 0, messages_unacknowledged: 0,
    });
    expect((await http('DELETE', path)).status).toBe(204);
    expect((await http('GET', path)).status).toBe(404);
    expect((await http('DELETE', path)).status).toBe(404);
  });

  it('publish through the default exchange (amq.default), get with requeue, purge', async () => {
    const q = unique('http-msgs');
    const path = `/api/queues/%2F/${q}`;
    created.push(path);
    await http('PUT', path, { durable: false });
    const publish = (payload: string) => http('POST', '/api/exchanges/%2F/amq.default/publish', {
      properties: { delivery_mode: 1, headers: { h: 1 }, content_type: 'text/plain' }, routing_key: q, payload, payload_encoding: 'string',
    });
    expect((await publish('hello 0')).body).toEqual({ routed: true });
    expect((await publish('hello 1')).body).toEqual({ routed: true });
    expect((await http('POST', '/api/exchanges/%2F/amq.default/publish', { properties: {}, routing_key: unique('nowhere'), payload: 'x', payload_encoding: 'string' })).body)
      .toEqual({ routed: false });
    expect((await messagesIn(q, 2)).messages).toBe(2);
    const got = await http('POST', `${path}/get`, { count: 5, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 50000 });
    expect(got.status).toBe(200);
    expect(got.body).toEqual([
      { payload_bytes: 7, redelivered: false, exchange: '', routing_key: q, message_count: 1, properties: { delivery_mode: 1, headers: { h: 1 }, content_type: 'text/plain' }, payload: 'hello 0', payload_encoding: 'string' },
      { payload_bytes: 7, redelivered: false, exchange: '', routing_key: q, message_count: 0, properties: { delivery_mode: 1, headers: { h: 1 }, content_type: 'text/plain' }, payload: 'hello 1', payload_encoding: 'string' },
    ]);
    // requeued: there again, now redelivered
    const again = await http('POST', `${path}/get`, { count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' });
    expect(again.body).toMatchObject([{ payload: 'hello 0', redelivered: true }]);
    expect((await http('POST', `${path}/get`, { count: 1 })).body).toEqual({ error: 'bad_request', reason: '[{key_missing,ackmode},{key_missing,encoding}]' });
    expect((await http('DELETE', `${path}/contents`)).status).toBe(204);
    expect((await messagesIn(q, 0)).messages).toBe(0);
    expect((await http('POST', `${path}/get`, { count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' })).body).toEqual([]);
  });

  it('message_stats: absent on a queue without traffic, then the counts and rates KEDA reads', async () => {
    const q = unique('http-stats');
    const path = `/api/queues/%2F/${q}`;
    created.push(path);
    await http('PUT', path, { durable: false });
    expect((await messagesIn(q, 0)).message_stats).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      await http('POST', '/api/exchanges/%2F/amq.default/publish', { properties: {}, routing_key: q, payload: `m${i}`, payload_encoding: 'string' });
    }
    await http('POST', `${path}/get`, { count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' });
    let stats: any;
    for (let i = 0; i < 100 && !(stats?.publish === 3 && stats?.deliver_get === 1); i++) {
      stats = (await http('GET', path)).body.message_stats;
      if (!(stats?.publish === 3 && stats?.deliver_get === 1)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stats).toMatchObject({ publish: 3, deliver_get: 1, publish_details: { rate: expect.any(Number) }, deliver_get_details: { rate: expect.any(Number) } });
  });

  it('a list keeps ?columns= keys; with page= it is paginated with KEDA\'s fields', async () => {
    const q = unique('http-page');
    created.push(`/api/queues/%2F/${q}`);
    await http('PUT', `/api/queues/%2F/${q}`, { durable: false });
    await messagesIn(q, 0);
    const listed = (await http('GET', '/api/queues/%2F?columns=name,messages')).body as any[];
    expect(listed).toContainEqual({ name: q, messages: 0 });
    let page: any;
    for (let i = 0; i < 50 && page?.filtered_count !== 1; i++) {
      page = (await http('GET', `/api/queues/%2F?page=1&page_size=100&name=${q}&use_regex=true&pagination=false`)).body;
      if (page?.filtered_count !== 1) await new Promise((r) => setTimeout(r, 100));
    }
    expect(page).toMatchObject({ filtered_count: 1, item_count: 1, page: 1, page_count: 1, page_size: 100 });
    expect(page.items[0]).toMatchObject({ name: q, messages: 0 });
  });
});

describe('exchanges and bindings', () => {
  it('PUT 201/204, GET, a binding POST 201 with Location, listed with its properties key, DELETE by it', async () => {
    const x = unique('http-x');
    const q = unique('http-bq');
    created.push(`/api/queues/%2F/${q}`, `/api/exchanges/%2F/${x}`);
    expect((await http('PUT', `/api/exchanges/%2F/${x}`, { type: 'topic', durable: 'false' })).status).toBe(201);
    expect((await http('PUT', `/api/exchanges/%2F/${x}`, { type: 'topic', durable: false })).status).toBe(204);
    expect((await http('PUT', `/api/exchanges/%2F/${x}`, { type: 'direct', durable: false })).status).toBe(400);
    expect((await http('GET', `/api/exchanges/%2F/${x}`)).body).toMatchObject({
      name: x, vhost: '/', type: 'topic', durable: false, auto_delete: false, internal: false, arguments: {},
    });
    expect((await http('GET', '/api/exchanges/%2F?columns=name,type')).body).toContainEqual({ name: '', type: 'direct' });
    await http('PUT', `/api/queues/%2F/${q}`, { durable: false });
    const bound = await http('POST', `/api/bindings/%2F/e/${x}/q/${q}`, { routing_key: 'order.*', arguments: {} });
    expect(bound.status).toBe(201);
    expect(bound.headers.get('location')).toBe(`${q}/order.%252A`);
    const listed = (await http('GET', '/api/bindings/%2F')).body as any[];
    expect(listed).toContainEqual({ source: '', vhost: '/', destination: q, destination_type: 'queue', routing_key: q, arguments: {}, properties_key: q });
    expect(listed).toContainEqual({ source: x, vhost: '/', destination: q, destination_type: 'queue', routing_key: 'order.*', arguments: {}, properties_key: 'order.%2A' });
    expect((await http('POST', `/api/exchanges/%2F/${x}/publish`, { properties: {}, routing_key: 'order.new', payload: 'x', payload_encoding: 'string' })).body)
      .toEqual({ routed: true });
    expect((await http('DELETE', `/api/bindings/%2F/e/${x}/q/${q}/order.%252A`)).status).toBe(204);
    expect((await http('GET', `/api/bindings/%2F/e/${x}/q/${q}`)).body).toEqual([]);
    expect((await http('DELETE', `/api/exchanges/%2F/${x}`)).status).toBe(204);
    expect((await http('GET', `/api/exchanges/%2F/${x}`)).status).toBe(404);
  });

  it("an exchange's bindings as source and as destination, a queue's bindings (its default one first)", async () => {
    const [x, x2, q] = [unique('http-src'), unique('http-dst'), unique('http-bq2')];
    created.push(`/api/queues/%2F/${q}`, `/api/exchanges/%2F/${x2}`, `/api/exchanges/%2F/${x}`);
    await http('PUT', `/api/exchanges/%2F/${x}`, { type: 'direct' });
    await http('PUT', `/api/exchanges/%2F/${x2}`, { type: 'fanout' });
    await http('PUT', `/api/queues/%2F/${q}`, {});
    await http('POST', `/api/bindings/%2F/e/${x}/q/${q}`, { routing_key: 'k' });
    await http('POST', `/api/bindings/%2F/e/${x}/e/${x2}`, { routing_key: 'k2' });
    const toQueue = { source: x, vhost: '/', destination: q, destination_type: 'queue', routing_key: 'k', arguments: {}, properties_key: 'k' };
    const toExchange = { source: x, vhost: '/', destination: x2, destination_type: 'exchange', routing_key: 'k2', arguments: {}, properties_key: 'k2' };
    const implicit = { source: '', vhost: '/', destination: q, destination_type: 'queue', routing_key: q, arguments: {}, properties_key: q };
    const source = await http('GET', `/api/exchanges/%2F/${x}/bindings/source`);
    expect(source.status).toBe(200);
    expect(new Set(source.body as object[])).toEqual(new Set([toQueue, toExchange]));
    expect((await http('GET', `/api/exchanges/%2F/${x2}/bindings/destination`)).body).toEqual([toExchange]);
    expect((await http('GET', `/api/exchanges/%2F/${x2}/bindings/source`)).body).toEqual([]);
    expect((await http('GET', `/api/queues/%2F/${q}/bindings`)).body).toEqual([implicit, toQueue]);
    expect((await http('GET', '/api/exchanges/%2F/amq.default/bindings/source')).body).toContainEqual(implicit);
    // nothing is looked up: a missing exchange or vhost lists nothing (RabbitMQ 3.10 and 4.x alike)
    const missing = unique('http-missing');
    expect(await http('GET', `/api/exchanges/%2F/${missing}/bindings/source`)).toMatchObject({ status: 200, body: [] });
    expect((await http('GET', `/api/queues/%2F/${missing}/bindings`)).body).toEqual([
      { source: '', vhost: '/', destination: missing, destination_type: 'queue', routing_key: missing, arguments: {}, properties_key: missing },
    ]);
    expect(await http('GET', `/api/queues/${unique('no-vhost')}/${q}/bindings`)).toMatchObject({ status: 200, body: [] });
  });
});

describe('overview', () => {
  it('has the version, totals and listeners tools read', async () => {
    const o = (await http('GET', '/api/overview')).body;
    expect(o.rabbitmq_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof o.cluster_name).toBe('string');
    expect(o.object_totals).toMatchObject({ connections: expect.any(Number), queues: expect.any(Number), exchanges: expect.any(Number) });
    expect(o.queue_totals === undefined || typeof o.queue_totals === 'object').toBe(true);
    expect(o.listeners).toContainEqual(expect.objectContaining({ protocol: 'amqp' }));
    const cols = (await http('GET', '/api/overview?columns=rabbitmq_version,object_totals.queues')).body;
    expect(Object.keys(cols).sort()).toEqual(['object_totals', 'rabbitmq_version']);
  });
});
