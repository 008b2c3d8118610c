/**
 * RabbitMQ's permission table, row by row: each operation allowed with the permission it needs
 * and refused without it, with the reply code and text. A user is created in a vhost of its
 * own for this file (over the management API on RabbitMQ, the Broker's methods on Warren) and
 * given exactly the rights a scenario is about.
 *
 * RabbitMQ 4 names the missing permission in the text ("write access to exchange …"); 3.x
 * wrote "access to exchange …". RabbitMQ 4.3 asks a passive declare for any of the three
 * permissions; 3.x asked for none. Warren follows 4.3 (conformance/REFERENCE.md).
 */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Admin } from '../support/admin.js';
import { connect, expectChannelClose, expectChannelError, type Closed } from '../support/client.js';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let a: Admin;
let vhost: string;
const user = unique('user');
const password = 'pw-' + user;
/** The target's own user, with every right in the vhost (it sets things up). */
let owner: amqp.ChannelModel;

beforeAll(async () => {
  t = await target();
  a = await admin();
  vhost = unique('vhost');
  await a.addVhost(vhost);
  await a.addUser(user, password);
  owner = await connect({}, { vhost });
});
afterAll(async () => {
  await owner.close().catch(() => undefined);
  await a.deleteAll();
});

/** The 403 text for a missing permission, as the target's version writes it. */
function refused(permission: 'configure' | 'write' | 'read', kind: 'queue' | 'exchange', name: string): string {
  const what = `access to ${kind} '${name}' in vhost '${vhost}' refused for user '${user}'`;
  return `ACCESS_REFUSED - ${t.rabbitBefore('4.0') ? '' : `${permission} `}${what}`;
}

function topicRefused(permission: 'write' | 'read', key: string, exchange: string): string {
  const what = `access to topic '${key}' in exchange '${exchange}' in vhost '${vhost}' refused for user '${user}'`;
  return `ACCESS_REFUSED - ${t.rabbitBefore('4.0') ? '' : `${permission} `}${what}`;
}

/** Gives the user exactly these patterns, and a fresh connection as them. */
async function as(configure: string, write: string, read: string): Promise<amqp.ChannelModel> {
  await a.setPermissions(user, vhost, configure, write, read);
  return connect({}, { vhost, user, pass: password });
}

/** The names a scenario uses, unique to it. */
const n = (prefix: string) => unique(prefix);

async function ownerDeclares(kind: 'queue' | 'exchange', name: string, type = 'direct'): Promise<void> {
  const ch = await owner.createChannel();
  if (kind === 'queue') await ch.assertQueue(name, { durable: false });
  else await ch.assertExchange(name, type, { durable: false });
  await ch.close();
}

async function ok(c: amqp.ChannelModel, op: (ch: amqp.Channel) => Promise<unknown>): Promise<void> {
  const ch = await c.createChannel();
  await op(ch);
  await ch.close();
}

/** A publish then a round trip needing no permission (basic.qos): accepted if the channel is still open. */
async function published(ch: amqp.Channel, exchange: string, key: string): Promise<void> {
  ch.publish(exchange, key, Buffer.from('m'));
  await ch.prefetch(1);
}

describe('permissions on exchanges', () => {
  it('exchange.declare needs configure on the exchange', async () => {
    const x = n('cx');
    const c = await as(`^${x}$`, '', '');
    await ok(c, (ch) => ch.assertExchange(x, 'direct', { durable: false, autoDelete: true }));
    const other = n('ox');
    await expectChannelError(c, (ch) => ch.assertExchange(other, 'direct', { durable: false }), 403, refused('configure', 'exchange', other));
  });

  it('exchange.declare with an alternate exchange also needs read on the exchange and write on the alternate', async () => {
    const ae = n('ae');
    await ownerDeclares('exchange', ae, 'fanout');
    const x1 = n('x1');
    const noRead = await as('.*', '.*', '^$');
    await expectChannelError(noRead, (ch) => ch.assertExchange(x1, 'direct', { durable: false, alternateExchange: ae }),
      403, refused('read', 'exchange', x1));
    const noWrite = await as('.*', '^$', '.*');
    await expectChannelError(noWrite, (ch) => ch.assertExchange(x1, 'direct', { durable: false, alternateExchange: ae }),
      403, refused('write', 'exchange', ae));
    const both = await as('.*', `^${ae}$`, `^${x1}$`);
    await ok(both, (ch) => ch.assertExchange(x1, 'direct', { durable: false, alternateExchange: ae }));
    await ok(owner, (ch) => ch.deleteExchange(x1));
  });

  it('exchange.delete needs configure', async () => {
    const x = n('dx');
    await ownerDeclares('exchange', x);
    const c = await as('^$', '.*', '.*');
    await expectChannelError(c, (ch) => ch.deleteExchange(x), 403, refused('configure', 'exchange', x));
    const c2 = await as(`^${x}$`, '', '');
    await ok(c2, (ch) => ch.deleteExchange(x));
  });

  it('a passive exchange.declare needs no permission on 3.x, any of the three on 4.3', async () => {
    const x = n('px');
    await ownerDeclares('exchange', x);
    const none = await as('', '', '');
    if (t.rabbitBefore('4.0')) {
      await ok(none, (ch) => ch.checkExchange(x));
    } else {
      await expectChannelError(none, (ch) => ch.checkExchange(x), 403, refused('configure', 'exchange', x));
    }
    const readOnly = await as('', '', `^${x}$`);
    await ok(readOnly, (ch) => ch.checkExchange(x));
  });

  it('exchange.bind and unbind need write on the destination and read on the source', async () => {
    const src = n('src');
    const dst = n('dst');
    await ownerDeclares('exchange', src);
    await ownerDeclares('exchange', dst);
    const noWrite = await as('', '^$', '.*');
    await expectChannelError(noWrite, (ch) => ch.bindExchange(dst, src, 'k'), 403, refused('write', 'exchange', dst));
    const noRead = await as('', '.*', '^$');
    await expectChannelError(noRead, (ch) => ch.bindExchange(dst, src, 'k'), 403, refused('read', 'exchange', src));
    await expectChannelError(noRead, (ch) => ch.unbindExchange(dst, src, 'k'), 403, refused('read', 'exchange', src));
    const both = await as('', `^${dst}$`, `^${src}$`);
    await ok(both, (ch) => ch.bindExchange(dst, src, 'k'));
    await ok(both, (ch) => ch.unbindExchange(dst, src, 'k'));
  });
});

describe('permissions on queues', () => {
  it('queue.declare needs configure on the queue, a server-named one included', async () => {
    const q = n('cq');
    const c = await as(`^${q}$`, '', '');
    await ok(c, (ch) => ch.assertQueue(q, { durable: false, autoDelete: true }));
    const other = n('oq');
    await expectChannelError(c, (ch) => ch.assertQueue(other, { durable: false }), 403, refused('configure', 'queue', other));
    const closed = await expectChannelClose(c, (ch) => ch.assertQueue('', { exclusive: true }));
    expect(closed.code).toBe(403);
    expect(closed.text).toMatch(new RegExp(`^${escape(refused('configure', 'queue', 'QUEUE')).replace('QUEUE', 'amq\\.gen-[A-Za-z0-9_-]{22}')}$`));
    const gen = await as('^amq\\.gen-', '', '');
    await ok(gen, (ch) => ch.assertQueue('', { exclusive: true }));
  });

  it('queue.declare with a dead-letter exchange also needs read on the queue and write on the exchange', async () => {
    const dlx = n('dlx');
    await ownerDeclares('exchange', dlx, 'fanout');
    const q = n('dq');
    const noRead = await as('.*', '.*', '^$');
    await expectChannelError(noRead, (ch) => ch.assertQueue(q, { durable: false, deadLetterExchange: dlx }), 403, refused('read', 'queue', q));
    const noWrite = await as('.*', '^$', '.*');
    await expectChannelError(noWrite, (ch) => ch.assertQueue(q, { durable: false, deadLetterExchange: dlx }), 403, refused('write', 'exchange', dlx));
    const both = await as(`^${q}$`, `^${dlx}$`, `^${q}$`);
    await ok(both, (ch) => ch.assertQueue(q, { durable: false, deadLetterExchange: dlx }));
    await ok(owner, (ch) => ch.deleteQueue(q));
  });

  it('a passive queue.declare needs no permission on 3.x, any of the three on 4.3', async () => {
    const q = n('pq');
    await ownerDeclares('queue', q);
    const none = await as('', '', '');
    if (t.rabbitBefore('4.0')) {
      await ok(none, (ch) => ch.checkQueue(q));
    } else {
      await expectChannelError(none, (ch) => ch.checkQueue(q), 403, refused('configure', 'queue', q));
    }
    const writeOnly = await as('', `^${q}$`, '');
    await ok(writeOnly, (ch) => ch.checkQueue(q));
    await ok(owner, (ch) => ch.deleteQueue(q));
  });

  it('queue.delete needs configure', async () => {
    const q = n('xq');
    await ownerDeclares('queue', q);
    const c = await as('^$', '.*', '.*');
    await expectChannelError(c, (ch) => ch.deleteQueue(q), 403, refused('configure', 'queue', q));
    const c2 = await as(`^${q}$`, '', '');
    await ok(c2, (ch) => ch.deleteQueue(q));
  });

  it('queue.bind and unbind need write on the queue and read on the exchange', async () => {
    const q = n('bq');
    const x = n('bx');
    await ownerDeclares('queue', q);
    await ownerDeclares('exchange', x);
    const noWrite = await as('', '^$', '.*');
    await expectChannelError(noWrite, (ch) => ch.bindQueue(q, x, 'k'), 403, refused('write', 'queue', q));
    await expectChannelError(noWrite, (ch) => ch.unbindQueue(q, x, 'k'), 403, refused('write', 'queue', q));
    const noRead = await as('', '.*', '^$');
    await expectChannelError(noRead, (ch) => ch.bindQueue(q, x, 'k'), 403, refused('read', 'exchange', x));
    const both = await as('', `^${q}$`, `^${x}$`);
    await ok(both, (ch) => ch.bindQueue(q, x, 'k'));
    await ok(both, (ch) => ch.unbindQueue(q, x, 'k'));
    await ok(owner, (ch) => ch.deleteQueue(q));
  });

  it('basic.get, basic.consume and queue.purge need read on the queue', async () => {
    const q = n('rq');
    await ownerDeclares('queue', q);
    const noRead = await as('.*', '.*', '^$');
    await expectChannelError(noRead, (ch) => ch.get(q), 403, refused('read', 'queue', q));
    await expectChannelError(noRead, (ch) => ch.consume(q, () => undefined), 403, refused('read', 'queue', q));
    await expectChannelError(noRead, (ch) => ch.purgeQueue(q), 403, refused('read', 'queue', q));
    const c = await as('', '', `^${q}$`);
    await ok(c, async (ch) => {
      expect(await ch.get(q)).toBe(false);
      await ch.consume(q, () => undefined);
      await ch.purgeQueue(q);
    });
    await ok(owner, (ch) => ch.deleteQueue(q));
  });
});

describe('permissions on publishing', () => {
  it('basic.publish needs write on the exchange; the default exchange is checked as amq.default', async () => {
    const x = n('wx');
    await ownerDeclares('exchange', x);
    const c = await as('', `^${x}$`, '');
    await ok(c, (ch) => published(ch, x, 'k'));
    await expectChannelError(c, (ch) => published(ch, '', 'k'), 403, refused('write', 'exchange', 'amq.default'));
    await expectChannelError(c, (ch) => published(ch, 'amq.fanout', 'k'), 403, refused('write', 'exchange', 'amq.fanout'));
    const viaDefault = await as('', '^amq\\.default$', '');
    await ok(viaDefault, (ch) => published(ch, '', 'k'));
  });

  it('patterns match anywhere in the name unless anchored; the empty pattern matches nothing', async () => {
    const x = n('anchor');
    await ownerDeclares('exchange', x);
    const middle = await as('', 'anchor', '');
    await ok(middle, (ch) => published(ch, x, 'k'));
    const anchored = await as('', '^anchor', '');
    await expectChannelError(anchored, (ch) => published(ch, x, 'k'), 403, refused('write', 'exchange', x));
    const empty = await as('', '', '');
    await expectChannelError(empty, (ch) => published(ch, x, 'k'), 403, refused('write', 'exchange', x));
  });
});

describe('topic permissions', () => {
  it('publishing to a topic exchange checks the routing key against the write pattern', async () => {
    const c = await as('.*', '.*', '.*');
    await a.setTopicPermissions(user, vhost, 'amq.topic', '^orders\\.', '.*');
    await ok(c, (ch) => published(ch, 'amq.topic', 'orders.new'));
    await expectChannelError(c, (ch) => published(ch, 'amq.topic', 'billing.new'), 403, topicRefused('write', 'billing.new', 'amq.topic'));
    // another topic exchange is not concerned
    const other = n('tx');
    await ownerDeclares('exchange', other, 'topic');
    await ok(c, (ch) => published(ch, other, 'billing.new'));
  });

  it('binding to a topic exchange checks the binding key against the read pattern, {username} expanded', async () => {
    const q = n('tq');
    await ownerDeclares('queue', q);
    const c = await as('.*', '.*', '.*');
    await a.setTopicPermissions(user, vhost, 'amq.topic', '.*', '^{username}\\.');
    await ok(c, (ch) => ch.bindQueue(q, 'amq.topic', `${user}.events`));
    await expectChannelError(c, (ch) => ch.bindQueue(q, 'amq.topic', 'all.events'), 403, topicRefused('read', 'all.events', 'amq.topic'));
    await ok(owner, (ch) => ch.deleteQueue(q));
  });
});

describe('connection.open', () => {
  it('a user without permissions in the vhost is refused with 530', async () => {
    const other = unique('noperm');
    await a.addVhost(other);
    const closed = await openRefused({ vhost: other, user, pass: password });
    expect(closed).toEqual({ code: 530, text: `NOT_ALLOWED - access to vhost '${other}' refused for user '${user}'` });
  });

  it('a vhost that does not exist is refused with 530', async () => {
    const closed = await openRefused({ vhost: 'no-such-vhost', user, pass: password });
    expect(closed).toEqual({ code: 530, text: 'NOT_ALLOWED - vhost no-such-vhost not found' });
  });
});

/** Opens a connection expecting connection.open to be refused; the close's code and text. */
async function openRefused(login: { vhost: string; user: string; pass: string }): Promise<Pick<Closed, 'code' | 'text'>> {
  const { RawClient } = await import('../../test/support/raw-client.js');
  const P = await import('../../src/codec/generated/protocol.js');
  await a.setPermissions(user, vhost, '.*', '.*', '.*');
  const c = await RawClient.open(t.port, login);
  try {
    const m = c.frames.find((f) => f.method?.id === P.CONNECTION_CLOSE)?.method;
    if (m?.id !== P.CONNECTION_CLOSE) return { code: 0, text: c.closed ? 'dropped' : 'opened' };
    return { code: m.args.replyCode, text: m.args.replyText };
  } finally {
    c.close();
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
