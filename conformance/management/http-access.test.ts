/**
 * The management HTTP API's core and its access administration, as tools call it: HTTP basic
 * auth and the tags, 201/204/404/400 with RabbitMQ's bodies, `%2F`, string booleans and tags,
 * `?columns=`, whoami, vhosts, users, permissions, topic permissions, connections (closed with
 * X-Reason), health checks. Proven against RabbitMQ 3.10 with rabbitmq_management (port 15672).
 */
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Admin } from '../support/admin.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let a: Admin;
let owner: { user: string; pass: string };
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await target();
  a = await admin();
  const u = new URL(t.url);
  owner = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
});
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => undefined);
  await a.deleteAll();
});

interface Answer { status: number; body: unknown; text: string; headers: Headers }

async function http(method: string, path: string, o: { body?: unknown; auth?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const auth = o.auth === undefined ? `${owner.user}:${owner.pass}` : o.auth;
  const r = await fetch(`${t.managementUrl}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(auth).toString('base64')}` }),
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...o.headers,
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = text === '' ? '' : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, body, text, headers: r.headers };
}

const e = encodeURIComponent;

describe('HTTP basics', () => {
  it('no credentials: 401, empty body, a Basic challenge; wrong ones: 401 Login failed', async () => {
    const none = await http('GET', '/api/whoami', { auth: null });
    expect([none.status, none.text]).toEqual([401, '']);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="RabbitMQ Management"');
    const wrong = await http('GET', '/api/whoami', { auth: `${owner.user}:wrong-password` });
    expect([wrong.status, wrong.body]).toEqual([401, { error: 'not_authorized', reason: 'Login failed' }]);
  });

  it('a user without a management tag is refused; a management user is refused administration', async () => {
    const plain = unique('plain');
    const manager = unique('manager');
    await a.addUser(plain, 'pw');
    await a.addUser(manager, 'pw', ['management']);
    expect((await http('GET', '/api/whoami', { auth: `${plain}:pw` })).body).toEqual({ error: 'not_authorised', reason: 'Not management user' });
    expect(await http('GET', '/api/whoami', { auth: `${manager}:pw` })).toMatchObject({ status: 200, body: { name: manager, tags: ['management'] } });
    expect(await http('GET', '/api/users', { auth: `${manager}:pw` })).toMatchObject({
      status: 401, body: { error: 'not_authorised', reason: 'Not administrator user' },
    });
    // a management user sees only the vhosts they have permissions in
    expect((await http('GET', '/api/vhosts', { auth: `${manager}:pw` })).body).toEqual([]);
  });

  it('GET /api redirects (301) to the UI; an unknown path is 404 with RabbitMQ\'s body', async () => {
    const r = await http('GET', '/api');
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/api/index.html');
    expect(await http('GET', '/api/no-such-thing')).toMatchObject({ status: 404, body: { error: 'Object Not Found', reason: 'Not Found' } });
  });

  it('whoami; %2F is the vhost /; ?columns= keeps the keys asked for; a trailing slash changes nothing', async () => {
    expect((await http('GET', '/api/whoami')).body).toMatchObject({ name: owner.user, tags: ['administrator'] });
    expect(await http('GET', '/api/vhosts/%2F')).toMatchObject({ status: 200, body: { name: '/', tracing: false } });
    const listed = (await http('GET', '/api/vhosts/?columns=name')).body as object[];
    expect(listed).toContainEqual({ name: '/' });
    for (const v of listed) expect(Object.keys(v)).toEqual(['name']);
  });
});

describe('vhosts', () => {
  it('PUT creates (201, even with no body) and updates (204); the creator gets every right on it; DELETE 204, then 404', async () => {
    const v = unique('http-vhost');
    cleanup.push(() => http('DELETE', `/api/vhosts/${e(v)}`));
    expect((await http('PUT', `/api/vhosts/${e(v)}`)).status).toBe(201);
    expect((await http('PUT', `/api/vhosts/${e(v)}`, { body: { description: 'ci vhost', tags: 'dev,test' } })).status).toBe(204);
    expect((await http('GET', `/api/vhosts/${e(v)}`)).body).toMatchObject({
      name: v, description: 'ci vhost', tags: ['dev', 'test'], metadata: { description: 'ci vhost', tags: ['dev', 'test'] }, tracing: false,
    });
    expect((await http('GET', `/api/permissions/${e(v)}/${e(owner.user)}`)).body).toEqual({
      user: owner.user, vhost: v, configure: '.*', write: '.*', read: '.*',
    });
    expect((await http('DELETE', `/api/vhosts/${e(v)}`)).status).toBe(204);
    expect(await http('GET', `/api/vhosts/${e(v)}`)).toMatchObject({ status: 404, body: { error: 'Object Not Found', reason: 'Not Found' } });
    expect((await http('DELETE', `/api/vhosts/${e(v)}`)).status).toBe(404);
  });
});

describe('users and permissions', () => {
  it('PUT a user needs tags (400 tags_not_present); tags as a string come back as a list; 201 then 204', async () => {
    const u = unique('http-user');
    cleanup.push(() => http('DELETE', `/api/users/${e(u)}`));
    expect(await http('PUT', `/api/users/${e(u)}`, { body: { password: 'pw' } })).toMatchObject({
      status: 400, body: { error: 'bad_request', reason: 'tags_not_present' },
    });
    expect((await http('PUT', `/api/users/${e(u)}`, { body: { password: 'pw', tags: 'management,monitoring' } })).status).toBe(201);
    const got = (await http('GET', `/api/users/${e(u)}`)).body as Record<string, unknown>;
    expect(got).toMatchObject({ name: u, tags: ['management', 'monitoring'], hashing_algorithm: 'rabbit_password_hashing_sha256', limits: {} });
    expect(Buffer.from(got.password_hash as string, 'base64')).toHaveLength(36); // salt ‖ SHA-256
    expect((await http('PUT', `/api/users/${e(u)}`, { body: { password: 'pw2', tags: '' } })).status).toBe(204);
    expect((await http('GET', '/api/users')).body).toContainEqual(expect.objectContaining({ name: u, tags: [] }));
    expect((await http('DELETE', `/api/users/${e(u)}`)).status).toBe(204);
    expect((await http('GET', `/api/users/${e(u)}`)).status).toBe(404);
  });

  it('a user given as password_hash logs in over AMQP with the password behind it', async () => {
    const u = unique('hashed');
    cleanup.push(() => http('DELETE', `/api/users/${e(u)}`));
    // the hash of "s3cret" as RabbitMQ 3.10 made it (PUT /api/users, then GET): salt ‖ SHA-256(salt ‖ "s3cret")
    const hash = 'WkRnDB3LbopG78Rc63lOwMIds4arcBwL0DfK7nhdhHXaaUE7';
    expect((await http('PUT', `/api/users/${e(u)}`, { body: { password_hash: hash, hashing_algorithm: 'rabbit_password_hashing_sha256', tags: '' } })).status).toBe(201);
    expect((await http('PUT', `/api/permissions/%2F/${e(u)}`, { body: { configure: '.*', write: '.*', read: '.*' } })).status).toBe(201);
    const c = await amqp.connect(`amqp://${e(u)}:s3cret@${new URL(t.url).host}/`);
    await c.close();
  });

  it('permissions: PUT 201 then 204, GET, DELETE 204 then 404; a missing vhost or user is 400', async () => {
    const u = unique('perm-user');
    await a.addUser(u, 'pw');
    const path = `/api/permissions/%2F/${e(u)}`;
    expect((await http('PUT', path, { body: { configure: '^a', write: '^b', read: '^c' } })).status).toBe(201);
    expect((await http('PUT', path, { body: { configure: '^a', write: '^b', read: '' } })).status).toBe(204);
    expect((await http('GET', path)).body).toEqual({ user: u, vhost: '/', configure: '^a', write: '^b', read: '' });
    expect((await http('GET', '/api/permissions')).body).toContainEqual({ user: u, vhost: '/', configure: '^a', write: '^b', read: '' });
    expect(await http('PUT', `/api/permissions/no-such-vhost/${e(u)}`, { body: { configure: '', write: '', read: '' } })).toMatchObject({
      status: 400, body: { error: 'bad_request', reason: 'vhost_or_user_not_found' },
    });
    expect((await http('PUT', path, { body: { configure: '(', write: '', read: '' } })).status).toBe(400);
    expect((await http('DELETE', path)).status).toBe(204);
    expect((await http('GET', path)).status).toBe(404);
  });

  it('topic permissions: PUT 201 then 204, GET as a list, DELETE 204', async () => {
    const u = unique('topic-user');
    await a.addUser(u, 'pw');
    const path = `/api/topic-permissions/%2F/${e(u)}`;
    expect((await http('PUT', path, { body: { exchange: 'amq.topic', write: '^a', read: '.*' } })).status).toBe(201);
    expect((await http('PUT', path, { body: { exchange: 'amq.topic', write: '^b', read: '.*' } })).status).toBe(204);
    expect((await http('GET', path)).body).toEqual([{ user: u, vhost: '/', exchange: 'amq.topic', write: '^b', read: '.*' }]);
    expect((await http('DELETE', path)).status).toBe(204);
    expect((await http('GET', path)).status).toBe(404);
  });
});

describe('limits', () => {
  it('vhost and user limits: PUT 204, listed, DELETE 204; an unknown limit is 400', async () => {
    const v = unique('limited');
    const u = unique('limited-user');
    await a.addVhost(v);
    await a.addUser(u, 'pw');
    const V = e(v);
    expect((await http('PUT', `/api/vhost-limits/${V}/max-queues`, { body: { value: 5 } })).status).toBe(204);
    expect((await http('PUT', `/api/vhost-limits/${V}/max-queues`, { body: { value: 6 } })).status).toBe(204);
    expect((await http('GET', `/api/vhost-limits/${V}`)).body).toEqual([{ vhost: v, value: { 'max-queues': 6 } }]);
    expect((await http('GET', '/api/vhost-limits')).body).toContainEqual({ vhost: v, value: { 'max-queues': 6 } });
    const bad = await http('PUT', `/api/vhost-limits/${V}/max-foo`, { body: { value: 6 } });
    expect(bad.status).toBe(400);
    expect((bad.body as { reason: string }).reason).toContain('Unrecognised terms');
    expect((await http('DELETE', `/api/vhost-limits/${V}/max-queues`)).status).toBe(204);
    expect((await http('GET', `/api/vhost-limits/${V}`)).body).toEqual([]);
    expect((await http('PUT', `/api/user-limits/${e(u)}/max-channels`, { body: { value: 3 } })).status).toBe(204);
    expect((await http('GET', `/api/user-limits/${e(u)}`)).body).toEqual([{ user: u, value: { 'max-channels': 3 } }]);
    expect((await http('DELETE', `/api/user-limits/${e(u)}/max-channels`)).status).toBe(204);
  });
});

describe('connections and health', () => {
  it('a connection is listed with the fields tools read, and DELETE with X-Reason closes it with 320', async () => {
    const name = unique('conn');
    const c = await amqp.connect(t.url, { clientProperties: { connection_name: name } });
    const closed = new Promise<Error>((resolve) => c.once('close', resolve));
    c.on('error', () => undefined);
    // RabbitMQ's statistics lag up to 5 s behind; Warren's never do
    let listed: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && listed === undefined; i++) {
      const all = (await http('GET', '/api/connections')).body as Record<string, unknown>[];
      // RabbitMQ lists a connection before its statistics (state, …) arrive: wait for them
      listed = all.find((x) => (x.client_properties as Record<string, unknown> | undefined)?.connection_name === name && x.state !== undefined);
      if (listed === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toMatchObject({ user: owner.user, vhost: '/', protocol: 'AMQP 0-9-1', user_provided_name: name, state: 'running' });
    expect(listed?.name).toMatch(/^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+$/);
    expect((await http('GET', `/api/connections/${e(listed?.name as string)}`)).body).toMatchObject({ name: listed?.name });
    const r = await http('DELETE', `/api/connections/${e(listed?.name as string)}`, { headers: { 'X-Reason': 'VHOST TEST' } });
    expect(r.status).toBe(204);
    expect(String(await closed)).toContain('320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - VHOST TEST"');
    expect((await http('DELETE', `/api/connections/${e('127.0.0.1:1 -> 127.0.0.1:2')}`)).status).toBe(404);
  });

  it('channels and consumers are listed with their prefetch and their connection', async () => {
    const q = unique('consumed');
    const c = await amqp.connect(t.url);
    c.on('error', () => undefined);
    try {
      const ch = await c.createChannel();
      await ch.assertQueue(q, { exclusive: true });
      await ch.prefetch(10);
      const { consumerTag } = await ch.consume(q, () => undefined, { consumerTag: `tag-${q}` });
      let consumer: Record<string, any> | undefined;
      for (let i = 0; i < 100 && consumer === undefined; i++) {
        // RabbitMQ fills channel_details in once the channel's statistics arrive
        consumer = ((await http('GET', '/api/consumers')).body as Record<string, any>[])
          .find((x) => x.consumer_tag === consumerTag && x.channel_details?.connection_name !== undefined);
        if (consumer === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(consumer).toMatchObject({ queue: { name: q, vhost: '/' }, ack_required: true, exclusive: false, prefetch_count: 10 });
      const connectionName = consumer?.channel_details.connection_name as string;
      expect(consumer?.channel_details).toMatchObject({ name: `${connectionName} (1)`, number: 1, user: owner.user });
      expect(((await http('GET', '/api/consumers/%2F')).body as Record<string, any>[]).map((x) => x.consumer_tag)).toContain(consumerTag);
      let channel: Record<string, any> | undefined;
      for (let i = 0; i < 100 && channel?.consumer_count !== 1; i++) {
        channel = ((await http('GET', '/api/channels')).body as Record<string, any>[]).find((x) => x.name === `${connectionName} (1)`);
        if (channel?.consumer_count !== 1) await new Promise((r) => setTimeout(r, 100));
      }
      expect(channel).toMatchObject({ number: 1, user: owner.user, vhost: '/', consumer_count: 1, prefetch_count: 10, confirm: false, transactional: false });
    } finally {
      await c.close();
    }
  });

  it('health checks answer {"status":"ok"} on a broker without alarms; aliveness-test round-trips a message', async () => {
    expect(await http('GET', '/api/health/checks/alarms')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await http('GET', '/api/health/checks/local-alarms')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await http('GET', '/api/health/checks/virtual-hosts')).toMatchObject({ status: 200, body: { status: 'ok' } });
    // aliveness-test declares a queue of that name, publishes to it and gets the message back
    cleanup.push(() => http('DELETE', '/api/queues/%2F/aliveness-test'));
    expect(await http('GET', '/api/aliveness-test/%2F')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await http('GET', '/api/aliveness-test/%2F')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await http('GET', `/api/aliveness-test/${e(unique('no-vhost'))}`)).toMatchObject({ status: 404 });
  });
});
