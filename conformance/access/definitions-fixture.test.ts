/**
 * A RabbitMQ 3.10 export (`rabbitmqctl export_definitions`: vhosts / and fixture-orders, an
 * administrator, a producer and a consumer with different rights, a topic permission, a vhost
 * limit, durable exchanges, queues with arguments, a quorum queue, bindings) loaded unchanged,
 * then the same clients allowed and refused as on RabbitMQ. RabbitMQ imports it over its HTTP
 * API; Warren is started with it (`definitions`, the --definitions flag's option), which is how
 * a CI job would preload it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type BrokerHandle } from '../../src/broker.js';
import { admin, type Admin } from '../support/admin.js';
import { target, type Target } from '../support/target.js';

const FIXTURE = new URL('../fixtures/rabbitmq-3.10-definitions.json', import.meta.url).pathname;
const VHOST = 'fixture-orders';
const USERS = { admin: ['fx-admin', 'admin-pw'], producer: ['fx-producer', 'producer-pw'], consumer: ['fx-consumer', 'consumer-pw'] } as const;

let t: Target;
let a: Admin;
let warren: BrokerHandle | null = null;
let dataDir = '';
let port = 0;
const open: amqp.ChannelModel[] = [];

beforeAll(async () => {
  t = await target();
  a = await admin();
  if (t.warren !== null) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'warren-fixture-'));
    warren = await startBroker({ port: 0, host: '127.0.0.1', dataDir, definitions: FIXTURE, logger: pino({ level: 'silent' }) });
    port = warren.port;
  } else {
    await a.importDefinitions(FIXTURE);
    port = t.port;
  }
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  if (warren !== null) {
    await warren.close();
    await rm(dataDir, { recursive: true, force: true });
  } else {
    await a.deleteVhost(VHOST);
    for (const [name] of Object.values(USERS)) await a.deleteUser(name);
  }
});

async function login(who: keyof typeof USERS, vhost = VHOST): Promise<amqp.ChannelModel> {
  const [user, pass] = USERS[who];
  const c = await amqp.connect(`amqp://${user}:${pass}@127.0.0.1:${port}/${encodeURIComponent(vhost)}?heartbeat=0`);
  c.on('error', () => undefined);
  open.push(c);
  return c;
}

/** 'ok', or the code and reply text the channel was closed with. */
async function attempt(c: amqp.ChannelModel, op: (ch: amqp.Channel) => Promise<unknown>): Promise<string> {
  const ch = await c.createChannel();
  ch.on('error', () => undefined);
  try {
    await op(ch);
    await ch.close();
    return 'ok';
  } catch (err) {
    const m = /(\d{3}) \([A-Z-]+\) with message "(.*)"$/s.exec((err as Error).message);
    return m ? `${m[1]} ${m[2]}` : (err as Error).message;
  }
}

/** A publish, then basic.qos as a round trip that needs no permission. */
const publish = (exchange: string, key: string) => async (ch: amqp.Channel) => {
  ch.publish(exchange, key, Buffer.from(`to ${exchange}/${key}`));
  await ch.prefetch(1);
};

/** RabbitMQ 4 names the missing permission in the text. */
function refused(permission: string, kind: string, name: string, user: string): string {
  return `403 ACCESS_REFUSED - ${t.rabbitBefore('4.0') ? '' : `${permission} `}access to ${kind} '${name}' in vhost '${VHOST}' refused for user '${user}'`;
}

describe('a RabbitMQ 3.10 export, loaded', () => {
  it('the administrator declares, publishes through the imported bindings and reads', async () => {
    const c = await login('admin');
    expect(await attempt(c, (ch) => ch.checkQueue('orders.new'))).toBe('ok');
    expect(await attempt(c, publish('orders', 'new'))).toBe('ok');
    expect(await attempt(c, async (ch) => {
      const m = await ch.get('orders.new', { noAck: true });
      expect(m && m.content.toString()).toBe('to orders/new');
    })).toBe('ok');
    // the queue kept its arguments: redeclaring with another TTL is refused
    expect(await attempt(c, (ch) => ch.assertQueue('orders.new', { durable: true, arguments: { 'x-message-ttl': 1 } })))
      .toMatch(/^406 PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'orders.new' in vhost 'fixture-orders'/);
  });

  it('the producer may write to orders and nothing else', async () => {
    const c = await login('producer');
    expect(await attempt(c, publish('orders', 'new'))).toBe('ok');
    expect(await attempt(c, publish('orders.dlx', 'x'))).toBe(refused('write', 'exchange', 'orders.dlx', 'fx-producer'));
    expect(await attempt(c, (ch) => ch.get('orders.new'))).toBe(refused('read', 'queue', 'orders.new', 'fx-producer'));
    expect(await attempt(c, (ch) => ch.assertQueue('mine', { durable: false }))).toBe(refused('configure', 'queue', 'mine', 'fx-producer'));
  });

  it('the consumer reads its queues, declares its own, and may not publish to orders', async () => {
    const c = await login('consumer');
    expect(await attempt(c, async (ch) => {
      const m = await ch.get('orders.new', { noAck: true });
      expect(m && m.content.toString()).toBe('to orders/new');
    })).toBe('ok');
    expect(await attempt(c, async (ch) => {
      await ch.prefetch(10);
      await ch.consume('events', () => undefined);
    })).toBe('ok');
    expect(await attempt(c, (ch) => ch.get('orders.dead'))).toBe(refused('read', 'queue', 'orders.dead', 'fx-consumer'));
    expect(await attempt(c, (ch) => ch.assertQueue('consumer-tmp', { durable: false, autoDelete: true }))).toBe('ok');
    expect(await attempt(c, publish('orders', 'new'))).toBe(refused('write', 'exchange', 'orders', 'fx-consumer'));
  });

  it('a user without permissions on a vhost is refused there; a wrong password is refused', async () => {
    await expect(login('consumer', '/')).rejects.toThrow(/ConnectionClose|530|refused/);
    const [user] = USERS.producer;
    await expect(amqp.connect(`amqp://${user}:wrong@127.0.0.1:${port}/${VHOST}`)).rejects.toThrow(/ACCESS[-_]REFUSED|403/);
  });
});
