/**
 * Policies and operator policies over the management API, as rabbitmqadmin and Terraform set
 * them, and what they do to queues and exchanges that already exist: one policy applies (the
 * highest priority), merged with the operator policy, and per key the argument or the policy
 * wins as in RabbitMQ. Proven against RabbitMQ 3.10 (its statistics lag up to 5 s: polled).
 * RabbitMQ 3.x HTML-escapes `<` and `>` in these reasons; 4.x does not, nor does Warren.
 */
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementHttp, until, type Http } from '../support/http.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let http: Http;
let conn: ChannelModel;
let ch: Channel;
const created: string[] = [];

beforeAll(async () => {
  t = await target();
  http = managementHttp(t);
  conn = await amqp.connect(t.url);
  ch = await conn.createConfirmChannel();
});
afterAll(async () => {
  await conn.close();
  for (const path of created.reverse()) await http('DELETE', path);
});

const unescaped = (s: string) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"');

async function putPolicy(kind: 'policies' | 'operator-policies', name: string, body: object) {
  const path = `/api/${kind}/%2F/${encodeURIComponent(name)}`;
  if (!created.includes(path)) created.push(path);
  return http('PUT', path, body);
}

async function depth(queue: string, messages: number): Promise<any> {
  return until(async () => (await http('GET', `/api/queues/%2F/${encodeURIComponent(queue)}`)).body, (q) => q.messages === messages);
}

async function publish(queue: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
  await (ch as amqp.ConfirmChannel).waitForConfirms();
}

describe('policies over HTTP', () => {
  it('PUT 201, again 204, GET in RabbitMQ\'s shape, listed, DELETE 204, then 404', async () => {
    const name = unique('pol');
    const first = await putPolicy('policies', name, { pattern: `^${name}`, definition: { 'max-length': 5 }, priority: 3, 'apply-to': 'queues' });
    expect(first.status).toBe(201);
    expect((await putPolicy('policies', name, { pattern: `^${name}`, definition: { 'max-length': 6 }, priority: 3, 'apply-to': 'queues' })).status).toBe(204);
    const path = `/api/policies/%2F/${name}`;
    expect((await http('GET', path)).body).toEqual({ vhost: '/', name, pattern: `^${name}`, 'apply-to': 'queues', definition: { 'max-length': 6 }, priority: 3 });
    expect(((await http('GET', '/api/policies/%2F')).body as any[]).map((p) => p.name)).toContain(name);
    expect(((await http('GET', '/api/policies')).body as any[]).map((p) => p.name)).toContain(name);
    expect((await http('DELETE', path)).status).toBe(204);
    expect((await http('GET', path)).status).toBe(404);
    expect((await http('DELETE', path)).status).toBe(404);
  });

  it('refuses bad policies with 400 and RabbitMQ\'s reason, and a missing vhost with 404', async () => {
    const name = unique('pol-bad');
    const reason = async (body: object) => {
      const r = await putPolicy('policies', name, body);
      expect(r.status).toBe(400);
      return unescaped(r.body.reason);
    };
    expect(await reason({ pattern: 'x', definition: { 'no-such-key': 1 } }))
      .toBe('Validation failed\n\n[{<<"no-such-key">>,1}] are not recognised policy settings\n');
    expect(await reason({ pattern: 'x', definition: { 'max-length': -1 } })).toBe('Validation failed\n\n-1 is not a valid maximum length\n');
    expect(await reason({ pattern: 'x', definition: { overflow: 'x' } })).toBe('Validation failed\n\n<<"x">> is not a valid overflow value\n');
    expect(await reason({ pattern: 'x', definition: {} })).toBe('Validation failed\n\nno policy provided\n');
    expect(await reason({ definition: { 'max-length': 1 } })).toBe('[{key_missing,pattern}]');
    expect(await reason({ pattern: 'x', definition: { 'max-length': 1 }, priority: 'a' }))
      .toBe('Validation failed\n\npriority should be a number, actually was <<"a">>\n');
    const op = await putPolicy('operator-policies', name, { pattern: 'x', definition: { 'dead-letter-exchange': 'x' } });
    expect(op.status).toBe(400);
    expect(unescaped(op.body.reason)).toBe('Validation failed\n\n[{<<"dead-letter-exchange">>,<<"x">>}] are not recognised policy settings\n');
    const novhost = await http('PUT', `/api/policies/${unique('no-vhost')}/p`, { pattern: 'x', definition: { 'max-length': 1 } });
    expect(novhost).toMatchObject({ status: 404, body: { error: 'not_found', reason: 'vhost_not_found' } });
    expect((await http('GET', `/api/policies/%2F/${name}`)).status).toBe(404);
  });
});

describe('policies applied', () => {
  it('an existing queue takes a new policy at once (max-length drops from the head), the higher priority one wins, and clearing lifts it', async () => {
    const q = unique('polq');
    created.push(`/api/queues/%2F/${q}`);
    await ch.assertQueue(q, { durable: false });
    await publish(q, 10);
    await depth(q, 10);
    await putPolicy('policies', `${q}-low`, { pattern: `^${q}$`, definition: { 'max-length': 3 }, priority: 1, 'apply-to': 'queues' });
    const limited = await depth(q, 3);
    expect(limited).toMatchObject({ messages: 3, policy: `${q}-low`, effective_policy_definition: { 'max-length': 3 } });
    await putPolicy('policies', `${q}-high`, { pattern: `^${q}`, definition: { 'max-length': 5 }, priority: 2 });
    await publish(q, 4);
    expect(await depth(q, 5)).toMatchObject({ messages: 5, policy: `${q}-high`, effective_policy_definition: { 'max-length': 5 } });
    await http('DELETE', `/api/policies/%2F/${q}-low`);
    await http('DELETE', `/api/policies/%2F/${q}-high`);
    await publish(q, 2);
    expect(await depth(q, 7)).toMatchObject({ messages: 7, policy: null, effective_policy_definition: {} });
  }, 60_000); // four waits for RabbitMQ's 5 s statistics tick

  it('an operator policy merges with the policy (the lower limit), and the queue\'s own x-max-length is lower still', async () => {
    const q = unique('polq-op');
    created.push(`/api/queues/%2F/${q}`);
    await putPolicy('policies', `${q}-p`, { pattern: `^${q}$`, definition: { 'max-length': 6, 'message-ttl': 600000 }, 'apply-to': 'queues' });
    await putPolicy('operator-policies', `${q}-op`, { pattern: `^${q}$`, definition: { 'max-length': 10000, 'message-ttl': 300000 }, 'apply-to': 'queues' });
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length': 4 } });
    await publish(q, 8);
    const queue = await until(async () => (await http('GET', `/api/queues/%2F/${q}`)).body, (b) => b.messages === 4 && b.operator_policy !== null);
    expect(queue).toMatchObject({
      messages: 4, policy: `${q}-p`, operator_policy: `${q}-op`,
      effective_policy_definition: { 'max-length': 6, 'message-ttl': 300000 },
    });
  });

  it('on a classic queue x-overflow wins over the policy\'s overflow; without the argument the policy\'s reject-publish nacks', async () => {
    const [withArg, without] = [unique('polq-ovf-arg'), unique('polq-ovf')];
    created.push(`/api/queues/%2F/${withArg}`, `/api/queues/%2F/${without}`);
    await putPolicy('policies', `${withArg}-p`, { pattern: `^(${withArg}|${without})$`, definition: { 'max-length': 1, overflow: 'reject-publish' } });
    await ch.assertQueue(withArg, { durable: false, arguments: { 'x-overflow': 'drop-head' } });
    await ch.assertQueue(without, { durable: false });
    await publish(withArg, 3); // drop-head: every publish confirmed
    await publish(without, 1);
    ch.sendToQueue(without, Buffer.from('refused'));
    await expect((ch as amqp.ConfirmChannel).waitForConfirms()).rejects.toThrow();
    await depth(withArg, 1);
    await depth(without, 1);
  });

  it('an exchange takes alternate-exchange from a policy (its own argument would win), and shows the policy', async () => {
    const [x, ae, q] = [unique('polx'), unique('polx-ae'), unique('polx-q')];
    created.push(`/api/exchanges/%2F/${x}`, `/api/exchanges/%2F/${ae}`, `/api/queues/%2F/${q}`);
    await ch.assertExchange(x, 'direct', { durable: false });
    await ch.assertExchange(ae, 'fanout', { durable: false });
    await ch.assertQueue(q, { durable: false });
    await ch.bindQueue(q, ae, '');
    await putPolicy('policies', `${x}-p`, { pattern: `^${x}$`, definition: { 'alternate-exchange': ae }, 'apply-to': 'exchanges' });
    ch.publish(x, 'nowhere', Buffer.from('to the AE'));
    await (ch as amqp.ConfirmChannel).waitForConfirms();
    await depth(q, 1);
    expect((await http('GET', `/api/exchanges/%2F/${x}`)).body.policy).toBe(`${x}-p`);
    expect((await http('GET', `/api/exchanges/%2F/${ae}`)).body.policy).toBeUndefined();
  });

  it('a message-ttl policy expires new messages; an expires policy deletes the idle queue', async () => {
    const [ttl, idle] = [unique('polq-ttl'), unique('polq-idle')];
    created.push(`/api/queues/%2F/${ttl}`, `/api/queues/%2F/${idle}`);
    await ch.assertQueue(ttl, { durable: false });
    await ch.assertQueue(idle, { durable: false });
    await putPolicy('policies', `${ttl}-p`, { pattern: `^${ttl}$`, definition: { 'message-ttl': 200 } });
    await putPolicy('policies', `${idle}-p`, { pattern: `^${idle}$`, definition: { expires: 300 } });
    await until(async () => (await http('GET', `/api/queues/%2F/${ttl}`)).body, (b) => b.policy === `${ttl}-p`);
    await publish(ttl, 2);
    await new Promise((r) => setTimeout(r, 400));
    expect(await ch.get(ttl, { noAck: true })).toBe(false);
    const gone = await until(async () => (await http('GET', `/api/queues/%2F/${idle}`)).status, (s) => s === 404);
    expect(gone).toBe(404);
  });
});
