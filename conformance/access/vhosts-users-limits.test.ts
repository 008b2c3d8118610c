/**
 * Vhosts and users over their life, logins, and limits: what a client sees when its vhost or
 * user is deleted, how a refused login is answered, and RabbitMQ's answers at each limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { RawClient } from '../../test/support/raw-client.js';
import { admin, type Admin } from '../support/admin.js';
import { connect } from '../support/client.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let a: Admin;

beforeAll(async () => {
  t = await target();
  a = await admin();
});
afterAll(async () => {
  await a.deleteAll();
});

/** A user with every right in a vhost of its own. */
async function tenant(): Promise<{ vhost: string; user: string; pass: string }> {
  const vhost = unique('tenant');
  const user = unique('tenant-user');
  const pass = `pw-${user}`;
  await a.addVhost(vhost);
  await a.addUser(user, pass);
  await a.setPermissions(user, vhost, '.*', '.*', '.*');
  return { vhost, user, pass };
}

/** Resolves with the code and text a connection is closed by the server with. */
function serverClose(c: Awaited<ReturnType<typeof connect>>): Promise<{ code: number; text: string }> {
  return new Promise((resolve) => {
    c.once('close', (e?: Error & { code?: number }) => {
      const m = e ? /with message "(.*)"$/s.exec(e.message) : null;
      resolve({ code: e?.code ?? 0, text: m ? m[1] : '' });
    });
  });
}

/** The handshake as a raw client: 'opened', 'dropped', or the code and text of the close it got. */
async function handshake(o: Parameters<typeof RawClient.open>[1]): Promise<string> {
  const c = await RawClient.open(t.port, o);
  try {
    if (c.opened) return 'opened';
    await c.until(() => c.closed || c.frames.some((f) => f.method?.id === P.CONNECTION_CLOSE), 5000).catch(() => undefined);
    const m = c.frames.find((f) => f.method?.id === P.CONNECTION_CLOSE)?.method;
    if (m?.id === P.CONNECTION_CLOSE) return `${m.args.replyCode} ${m.args.replyText}`;
    return c.closed ? 'dropped' : 'opened';
  } finally {
    c.close();
  }
}

describe('vhosts and users', () => {
  it('deleting a vhost closes its connections with 320 and removes its queues', async () => {
    const { vhost, user, pass } = await tenant();
    const c = await connect({}, { vhost, user, pass });
    const ch = await c.createChannel();
    await ch.assertQueue('kept', { durable: true });
    const closed = serverClose(c);
    await a.deleteVhost(vhost);
    // RabbitMQ closes a deleted vhost's connections from two places that race: the deletion
    // ("is deleted", what Warren sends) and the vhost's supervisor going down ("is down")
    const texts = [`CONNECTION_FORCED - vhost '${vhost}' is deleted`];
    if (t.product === 'RabbitMQ') texts.push(`CONNECTION_FORCED - vhost '${vhost}' is down`);
    const got = await closed;
    expect(got.code).toBe(320);
    expect(texts).toContain(got.text);
    await a.addVhost(vhost);
    await a.setPermissions(user, vhost, '.*', '.*', '.*');
    const again = await connect({}, { vhost, user, pass });
    const ch2 = await again.createChannel();
    ch2.on('error', () => undefined);
    await expect(ch2.checkQueue('kept')).rejects.toThrow(/404/);
    await again.close().catch(() => undefined);
  });

  it('deleting a user closes their connections with 320', async () => {
    const { vhost, user, pass } = await tenant();
    const c = await connect({}, { vhost, user, pass });
    const closed = serverClose(c);
    await a.deleteUser(user);
    expect(await closed).toEqual({ code: 320, text: `CONNECTION_FORCED - user '${user}' is deleted` });
  });
});

describe('logins', () => {
  it('a wrong password: 403 with RabbitMQ\'s text to a client with authentication_failure_close', async () => {
    const { vhost, user } = await tenant();
    expect(await handshake({ vhost, user, pass: 'wrong', capabilities: { authentication_failure_close: true } })).toBe(
      '403 ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
  });

  it('a wrong password without that capability: the socket is closed without a frame', async () => {
    const { vhost, user } = await tenant();
    expect(await handshake({ vhost, user, pass: 'wrong', capabilities: {} })).toBe('dropped');
  });

  it('an unknown user is refused as a wrong password is', async () => {
    expect(await handshake({ user: unique('nobody'), pass: 'x', capabilities: { authentication_failure_close: true } })).toBe(
      '403 ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
  });

  it('AMQPLAIN logs a user in', async () => {
    const { vhost, user, pass } = await tenant();
    const { amqplainResponse } = await import('../../test/support/raw-client.js');
    expect(await handshake({ vhost, mechanism: 'AMQPLAIN', response: amqplainResponse(user, pass) })).toBe('opened');
    expect(await handshake({ vhost, mechanism: 'AMQPLAIN', response: amqplainResponse(user, 'wrong'), capabilities: { authentication_failure_close: true } }))
      .toBe('403 ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN. For details see the broker logfile.');
  });
});

describe('limits', () => {
  it('vhost max-connections: connection.open beyond it gets 530', async () => {
    const { vhost, user, pass } = await tenant();
    await a.setVhostLimit(vhost, 'max-connections', 1);
    const first = await connect({}, { vhost, user, pass });
    expect(await handshake({ vhost, user, pass })).toBe(
      `530 NOT_ALLOWED - access to vhost '${vhost}' refused for user '${user}': connection limit (1) is reached`);
    await first.close();
  });

  it('vhost max-queues: a new queue beyond it gets 406, redeclaring an existing one is fine', async () => {
    const { vhost, user, pass } = await tenant();
    await a.setVhostLimit(vhost, 'max-queues', 1);
    const c = await connect({}, { vhost, user, pass });
    const ch = await c.createChannel();
    await ch.assertQueue('q1', { durable: false });
    await ch.assertQueue('q1', { durable: false });
    const ch2 = await c.createChannel();
    const closed = new Promise<Error>((resolve) => ch2.once('error', resolve));
    await ch2.assertQueue('q2', { durable: false }).catch(() => undefined);
    expect((await closed).message).toContain(`406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - cannot declare queue 'q2': queue limit in vhost '${vhost}' (1) is reached"`);
    await c.close();
  });

  it('user max-connections: connection.open beyond it gets 530', async () => {
    const { vhost, user, pass } = await tenant();
    await a.setUserLimit(user, 'max-connections', 1);
    const first = await connect({}, { vhost, user, pass });
    expect(await handshake({ vhost, user, pass })).toBe(
      `530 NOT_ALLOWED - connection refused for user '${user}': user connection limit (1) is reached`);
    await first.close();
  });

  it('user max-channels: channel.open beyond it closes the connection with 530', async () => {
    const { vhost, user, pass } = await tenant();
    await a.setUserLimit(user, 'max-channels', 2);
    const c = await connect({}, { vhost, user, pass });
    await c.createChannel();
    await c.createChannel();
    const closed = serverClose(c);
    await c.createChannel().catch(() => undefined);
    // RabbitMQ 4.3.2 dropped the parentheses around the limit
    const limit = t.rabbitBefore('4.3.2') ? '(2)' : '2';
    expect(await closed).toEqual({
      code: 530, text: `NOT_ALLOWED - number of channels opened for user '${user}' has reached the maximum allowed user limit of ${limit}`,
    });
  });
});
