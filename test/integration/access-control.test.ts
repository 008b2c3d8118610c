/**
 * Users, vhosts and permissions as Warren keeps them: the defaults of a fresh broker, what
 * survives a restart, what deleting a vhost or a user does to connections, and the limits that
 * are Warren's own settings (the permission table itself is in conformance/access/, proven
 * against RabbitMQ).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { closedWith, startTestBroker, type TestBroker } from '../support/broker.js';
import { RawClient } from '../support/raw-client.js';

const brokers: TestBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

async function broker(options: Parameters<typeof startTestBroker>[0] = {}): Promise<TestBroker> {
  const b = await startTestBroker(options);
  brokers.push(b);
  return b;
}

async function restart(b: TestBroker): Promise<TestBroker> {
  brokers.splice(brokers.indexOf(b), 1);
  await b.stop({ keepData: true });
  return broker({ dataDir: b.dataDir });
}

/** 'connected', or the code and text of the connection.close the handshake ended with ('dropped' if none). */
async function refusal(b: TestBroker, o: { user?: string; pass?: string; vhost?: string } = {}): Promise<string> {
  const c = await RawClient.open(b.port, o);
  try {
    // open() leaves a connection.close it got instead of tune or open-ok queued
    const m = c.frames.find((f) => f.method?.id === P.CONNECTION_CLOSE)?.method;
    if (m?.id === P.CONNECTION_CLOSE) return `${m.args.replyCode} ${m.args.replyText}`;
    return c.closed ? 'dropped' : 'connected';
  } finally {
    c.close();
  }
}

/** Resolves with the error a connection is closed by the server with (amqplib emits 'close' with it). */
function serverClosed(c: amqp.ChannelModel): Promise<Error & { code?: number }> {
  return new Promise((resolve) => c.once('close', resolve as (e: Error) => void));
}

describe('access control', () => {
  it('a fresh broker has vhost / and guest/guest with every right there, as RabbitMQ', async () => {
    const b = await broker();
    const guest = b.broker.access.user('guest');
    expect(guest?.tags).toEqual(['administrator']);
    expect(guest?.hashingAlgorithm).toBe('rabbit_password_hashing_sha256');
    expect(guest?.passwordHash).not.toContain('guest');
    const p = b.broker.access.permissionsOf('guest', '/');
    expect([p?.configure.source, p?.write.source, p?.read.source]).toEqual(['.*', '.*', '.*']);
    expect([...b.broker.access.allVhosts()].map((v) => v.name)).toEqual(['/']);
    const c = await b.connect();
    await c.close();
    expect(await refusal(b, { pass: 'wrong' })).toBe(
      '403 ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
  });

  it('--default-user and --default-pass name the first user, and only on a fresh data directory', async () => {
    const b = await broker({ defaultUser: 'admin', defaultPass: 'pw' });
    expect(await refusal(b, {})).not.toBe('connected');
    expect(await refusal(b, { user: 'admin', pass: 'pw' })).toBe('connected');
    b.broker.addUser('admin', { password: 'changed' });
    const again = await restart(b);
    expect(await refusal(again, { user: 'admin', pass: 'changed' })).toBe('connected');
    expect(await refusal(again, { user: 'admin', pass: 'pw' })).not.toBe('connected');
  });

  it('users, vhosts, permissions and limits survive a restart; a deleted vhost stays deleted', async () => {
    let b = await broker();
    b.broker.addVhost('team-a', { description: 'A team', tags: ['ci'] });
    b.broker.addVhost('gone');
    b.broker.addUser('alice', { password: 's3cret', tags: ['monitoring'] });
    b.broker.setPermissions('alice', 'team-a', { configure: '^alice-', write: '.*', read: '.*' });
    b.broker.setTopicPermissions('alice', 'team-a', { exchange: 'amq.topic', write: '^alice\\.', read: '.*' });
    b.broker.setVhostLimits('team-a', { 'max-queues': 5 });
    b.broker.setUserLimits('alice', { 'max-channels': 3 });
    const c = await b.connect({ user: 'alice', pass: 's3cret', vhost: 'team-a' });
    const ch = await c.createChannel();
    await ch.assertQueue('alice-q', { durable: true });
    await c.close();
    b.broker.deleteVhost('gone');
    b = await restart(b);
    const access = b.broker.access;
    expect(access.vhost('team-a')).toMatchObject({ description: 'A team', tags: ['ci'], limits: { 'max-queues': 5 } });
    expect(access.vhost('gone')).toBeUndefined();
    expect(access.user('alice')).toMatchObject({ tags: ['monitoring'], limits: { 'max-channels': 3 } });
    expect(access.permissionsOf('alice', 'team-a')?.configure.source).toBe('^alice-');
    expect(access.topicPermissionsOf('alice', 'team-a')?.get('amq.topic')).toMatchObject({ write: '^alice\\.' });
    const again = await b.connect({ user: 'alice', pass: 's3cret', vhost: 'team-a' });
    const ch2 = await again.createChannel();
    await ch2.checkQueue('alice-q');
    expect(await refusal(b, { user: 'alice', pass: 's3cret', vhost: 'gone' })).toBe('530 NOT_ALLOWED - vhost gone not found');
  });

  it('deleting a vhost closes its connections (320) and removes its queues; re-created, it starts empty', async () => {
    let b = await broker();
    b.broker.addVhost('v1');
    b.broker.setPermissions('guest', 'v1', { configure: '.*', write: '.*', read: '.*' });
    const c = await b.connect({ vhost: 'v1' });
    const ch = await c.createConfirmChannel();
    await ch.assertQueue('kept', { durable: true });
    ch.sendToQueue('kept', Buffer.from('m'), { persistent: true });
    await ch.waitForConfirms();
    const other = await b.connect(); // on vhost /: untouched
    const closed = serverClosed(c);
    b.broker.deleteVhost('v1');
    expect((await closed).message).toContain("CONNECTION_FORCED - vhost 'v1' is deleted");
    expect((await closed).code).toBe(320);
    await (await other.createChannel()).checkExchange('amq.direct');
    expect(readdirSync(path.join(b.dataDir, 'vhosts'))).toContain('v1'); // open until shutdown
    b = await restart(b);
    expect(readdirSync(path.join(b.dataDir, 'vhosts'))).not.toContain('v1'); // removed at start
    b.broker.addVhost('v1');
    b.broker.setPermissions('guest', 'v1', { configure: '.*', write: '.*', read: '.*' });
    const again = await b.connect({ vhost: 'v1' });
    const ch2 = await again.createChannel();
    expect(await ch2.assertQueue('kept', { durable: true })).toMatchObject({ messageCount: 0 });
    await again.close();
    b = await restart(b);
    expect(b.broker.vhost('v1')?.queues.get('kept')?.messageCount).toBe(0);
  });

  it('deleting a user closes their connections (320) and nobody else\'s', async () => {
    const b = await broker();
    b.broker.addUser('bob', { password: 'pw' });
    b.broker.setPermissions('bob', '/', { configure: '.*', write: '.*', read: '.*' });
    const bob = await b.connect({ user: 'bob', pass: 'pw' });
    const guest = await b.connect();
    const closed = serverClosed(bob);
    b.broker.deleteUser('bob');
    expect((await closed).message).toContain("CONNECTION_FORCED - user 'bob' is deleted");
    await (await guest.createChannel()).checkExchange('amq.direct');
    expect(await refusal(b, { user: 'bob', pass: 'pw' })).not.toBe('connected');
  });

  it('a password-less user cannot log in with a password (only by certificate)', async () => {
    const b = await broker();
    b.broker.addUser('robot', { password: null });
    b.broker.setPermissions('robot', '/', { configure: '.*', write: '.*', read: '.*' });
    expect(await refusal(b, { user: 'robot', pass: '' })).not.toBe('connected');
    expect(b.broker.authenticate('robot', null)).toBe(true);
    expect(b.broker.authenticate('nobody', null)).toBe(false);
  });

  it('--max-connections: the next connection.open gets 530 with RabbitMQ\'s text', async () => {
    const b = await broker({ maxConnections: 2 });
    await b.connect();
    await b.connect();
    expect(await refusal(b, {})).toBe('530 NOT_ALLOWED - connection refused: node connection limit (2) is reached');
  });

  it('--loopback-users: such a user is refused from any address but localhost', async () => {
    const b = await broker({ loopbackUsers: ['guest'] });
    expect(b.broker.loginRestriction('guest', '127.0.0.1')).toBeNull();
    expect(b.broker.loginRestriction('guest', '::1')).toBeNull();
    expect(b.broker.loginRestriction('guest', '::ffff:127.0.0.1')).toBeNull();
    expect(b.broker.loginRestriction('guest', '10.1.2.3')).toBe("user 'guest' can only connect via localhost");
    expect(b.broker.loginRestriction('alice', '10.1.2.3')).toBeNull();
    expect(await refusal(b, {})).toBe('connected'); // the test connects over 127.0.0.1
  });

  it('the permission a publish was allowed by is re-checked once permissions change', async () => {
    const b = await broker();
    const c = await b.connect();
    const ch = await c.createChannel();
    ch.publish('amq.direct', 'k', Buffer.from('1'));
    await ch.checkExchange('amq.direct'); // a round trip: the publish went through
    const closed = closedWith(ch);
    b.broker.setPermissions('guest', '/', { configure: '.*', write: '^$', read: '.*' });
    ch.publish('amq.direct', 'k', Buffer.from('2'));
    expect((await closed).message).toContain("ACCESS_REFUSED - write access to exchange 'amq.direct' in vhost '/' refused for user 'guest'");
  });

  it('AMQPLAIN logs in a user as PLAIN does', async () => {
    const b = await broker();
    b.broker.addUser('carol', { password: 'pw' });
    b.broker.setPermissions('carol', '/', { configure: '.*', write: '.*', read: '.*' });
    const c = await amqp.connect(`amqp://127.0.0.1:${b.port}/`, { credentials: amqplain('carol', 'pw') } as never);
    await c.close();
  });
});

/** amqplib's credentials object for AMQPLAIN (it has none built in). */
function amqplain(user: string, pass: string) {
  return {
    mechanism: 'AMQPLAIN',
    username: user,
    password: pass,
    response: () => {
      const field = (k: string, v: string) => {
        const key = Buffer.from(k);
        const value = Buffer.from(v);
        const b = Buffer.alloc(1 + key.length + 1 + 4 + value.length);
        let o = b.writeUInt8(key.length, 0);
        o += key.copy(b, o);
        o = b.writeUInt8(0x53, o);
        o = b.writeUInt32BE(value.length, o);
        value.copy(b, o);
        return b;
      };
      return Buffer.concat([field('LOGIN', user), field('PASSWORD', pass)]);
    },
  };
}

describe('broker.reset()', () => {
  it('closes every connection (320), forgets vhosts, users, queues and messages, and brings the defaults back', async () => {
    const b = await broker();
    b.broker.addVhost('scratch');
    b.broker.addUser('temp', { password: 'pw' });
    b.broker.setPermissions('guest', 'scratch', { configure: '.*', write: '.*', read: '.*' });
    const c = await b.connect();
    const ch = await c.createConfirmChannel();
    await ch.assertQueue('leftover', { durable: true });
    ch.sendToQueue('leftover', Buffer.from('m'), { persistent: true });
    await ch.waitForConfirms();
    const closed = serverClosed(c);
    b.broker.reset();
    expect((await closed).message).toContain('CONNECTION_FORCED - broker reset');
    expect([...b.broker.access.allVhosts()].map((v) => v.name)).toEqual(['/']);
    expect([...b.broker.access.allUsers()].map((u) => u.name)).toEqual(['guest']);
    expect(b.broker.vhost('/')?.queues.size).toBe(0);
    const again = await restart(b);
    expect(again.broker.vhost('/')?.queues.size).toBe(0); // the reset is on disk too
    expect(again.broker.access.user('temp')).toBeUndefined();
    await (await again.connect()).close();
  });

  it('with a definitions file, reset applies it again', async () => {
    const fixture = new URL('../../conformance/fixtures/rabbitmq-3.10-definitions.json', import.meta.url).pathname;
    const b = await broker({ ephemeral: true, definitions: fixture });
    b.broker.deleteUser('fx-admin');
    b.broker.vhost('fixture-orders')?.deleteQueue(b.broker.vhost('fixture-orders')!.queues.get('orders.new')!);
    b.broker.reset();
    expect(b.broker.access.user('fx-admin')).toBeDefined();
    expect(b.broker.vhost('fixture-orders')?.queues.has('orders.new')).toBe(true);
  });

  it('over HTTP: DELETE /api/warren/state (administrators only) resets as reset() does', async () => {
    const b = await broker({ managementPort: 0 });
    b.broker.addVhost('scratch');
    b.broker.addUser('viewer', { password: 'pw', tags: ['management'] });
    const reset = (auth: string) => fetch(`http://127.0.0.1:${b.managementPort}/api/warren/state`, {
      method: 'DELETE', headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
    });
    expect((await reset('viewer:pw')).status).toBe(401);
    expect(b.broker.vhost('scratch')).toBeDefined();
    expect((await reset('guest:guest')).status).toBe(204);
    expect(b.broker.vhost('scratch')).toBeUndefined();
    expect(b.broker.access.user('viewer')).toBeUndefined();
  });
});
