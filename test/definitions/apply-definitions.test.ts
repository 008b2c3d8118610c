/**
 * Real RabbitMQ 3.10.8 exports loaded into a broker, and the import rules that need one: what
 * RabbitMQ skips when it applies a file (bindings whose ends are missing) and what it keeps
 * though nothing can use it (a user whose hashing algorithm it does not know).
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isExchange } from '../../src/broker/exchange.js';
import { startTestBroker, type TestBroker } from '../support/broker.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

/**
 * The export without what Warren does not have — stream queues — which RabbitMQ too refuses
 * where they are missing. (Its x-consistent-hash exchange `spread` is kept: Warren has the type.)
 */
function exportWithoutStreams(name: string): string {
  const o = JSON.parse(readFileSync(fixture(name), 'utf8')) as Record<string, { name: string }[]>;
  o.queues = o.queues.filter((q) => q.name !== 'audit');
  return JSON.stringify(o);
}

let b: TestBroker | undefined;
let logged: { msg: string; level: number }[] = [];
afterEach(async () => {
  await b?.stop();
  b = undefined;
});

async function broker(): Promise<TestBroker> {
  logged = [];
  const sink = new Writable({ write(chunk, _, done) { logged.push(JSON.parse(String(chunk))); done(); } });
  b = await startTestBroker({ ephemeral: true, logger: pino({ level: 'warn' }, sink) });
  return b;
}

function bindingsOf(t: TestBroker, vhost: string): string[] {
  const v = t.broker.vhost(vhost)!;
  return [...v.exchanges.values()].filter((x) => !x.isDefault)
    .flatMap((x) => [...x.routing.bindings()].map((bd) => `${x.name} → ${isExchange(bd.destination) ? 'exchange' : 'queue'} ${bd.destination.name} (${bd.routingKey})`))
    .sort();
}

describe('applying a RabbitMQ 3.10.8 export', () => {
  it.each([['rabbitmqctl export_definitions', 'rabbitmq-3.10-export_definitions.json'], ['GET /api/definitions', 'rabbitmq-3.10-api-definitions.json']])(
    'from %s: users log in with their passwords, the topology is there, and a second load changes nothing', async (_, name) => {
      const t = await broker();
      const text = exportWithoutStreams(name);
      t.broker.importDefinitions(text, name);
      for (const [user, password] of [['guest', 'guest'], ['defsfx-admin', 'admin-pw'], ['defsfx-app', 'app-pw'], ['defsfx-old', 'w4rren-é✓']]) {
        expect(t.broker.authenticate(user, password), user).toBe(true);
        expect(t.broker.authenticate(user, `${password}!`), user).toBe(false);
      }
      expect(t.broker.authenticate('defsfx-cert', '')).toBe(false);
      const conn = await t.connect({ user: 'defsfx-app', pass: 'app-pw', vhost: 'defsfx-shop' });
      const ch = await conn.createChannel();
      expect(await ch.checkQueue('orders.new')).toMatchObject({ queue: 'orders.new', messageCount: 0 });
      await conn.close();

      const shop = t.broker.vhost('defsfx-shop')!;
      expect([...shop.queues.keys()].sort()).toEqual(['app-scratch', 'orders.dead', 'orders.new']);
      expect([shop.exchanges.get('spread')?.type, shop.exchanges.get('spread')?.durable]).toEqual(['x-consistent-hash', true]);
      const before = bindingsOf(t, 'defsfx-shop');
      expect(before).toEqual(expect.arrayContaining([
        'events → exchange orders (order.new)', 'orders → queue orders.new (new)', 'unrouted → queue orders.dead ()',
      ]));
      // the policy and the operator policy apply: orders.new takes both, merged
      expect(shop.policies.list('policy').map((p) => p.name)).toEqual(['defsfx-ttl']);
      expect(shop.policies.list('operator').map((p) => [p.name, p.definition])).toEqual([['defsfx-cap', { 'max-length-bytes': 100000000 }]]);
      const ordersNew = shop.queues.get('orders.new')!;
      expect([ordersNew.policy?.name, ordersNew.operatorPolicy?.name, ordersNew.config.maxLength, ordersNew.config.maxLengthBytes])
        .toEqual(['defsfx-ttl', 'defsfx-cap', 1000, 100000000]);
      t.broker.importDefinitions(text, name);
      expect(bindingsOf(t, 'defsfx-shop')).toEqual(before);
      expect([...shop.queues.keys()].sort()).toEqual(['app-scratch', 'orders.dead', 'orders.new']);
    });

  it("skips, with a warning, the bindings whose ends are missing — rabbitmqctl's export keeps those of the internal exchanges it leaves out", async () => {
    const t = await broker();
    t.broker.importDefinitions(exportWithoutStreams('rabbitmq-3.10-export_definitions.json'), 'ctl.json');
    expect(t.broker.vhost('defsfx-shop')!.exchanges.has('by-header')).toBe(false);
    const warnings = logged.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toContainEqual(expect.stringMatching(/bindings\[0\] \("by-header" → "audit" in vhost "defsfx-shop"\): skipped, no exchange "by-header"/));
    expect(warnings).toContainEqual(expect.stringMatching(/bindings\[1\] \("events" → "audit" in vhost "defsfx-shop"\): skipped, no queue "audit"/));
  });
});

describe('RabbitMQ import rules that need a broker', () => {
  it('a binding in a vhost that does not exist is skipped; a queue there is refused', async () => {
    const t = await broker();
    t.broker.importDefinitions(JSON.stringify({
      bindings: [{ source: 'amq.direct', vhost: 'nowhere', destination: 'q', destination_type: 'queue', routing_key: 'k' }],
    }), 'defs.json');
    expect(logged.map((l) => l.msg)).toContainEqual(expect.stringMatching(/bindings\[0\].*skipped, no vhost "nowhere"/));
    expect(() => t.broker.importDefinitions(JSON.stringify({
      queues: [{ name: 'q', vhost: 'nowhere', durable: true, auto_delete: false }],
    }), 'defs.json')).toThrow(/queues\[0\] \("q" in vhost "nowhere"\): Please create virtual host "nowhere" prior to importing definitions/);
  });

  it('a consistent-hash exchange and its bindings are checked as a client declaration is', async () => {
    const t = await broker();
    const file = (routingKey: string, args: Record<string, unknown> = {}) => JSON.stringify({
      exchanges: [{ name: 'chx', vhost: '/', type: 'x-consistent-hash', durable: true, auto_delete: false, internal: false, arguments: args }],
      queues: [{ name: 'chq', vhost: '/', durable: true, auto_delete: false, arguments: {} }],
      bindings: [{ source: 'chx', vhost: '/', destination: 'chq', destination_type: 'queue', routing_key: routingKey, arguments: {} }],
    });
    expect(() => t.broker.importDefinitions(file('1', { 'hash-property': 'foo' }), 'defs.json'))
      .toThrow(/exchanges\[0\] \("chx" in vhost "\/"\): PRECONDITION_FAILED - Unsupported property: foo/);
    expect(() => t.broker.importDefinitions(file('abc'), 'defs.json'))
      .toThrow(/bindings\[0\] .*: PRECONDITION_FAILED - The binding key must be an integer: <<"abc">>/);
    t.broker.importDefinitions(file('3'), 'defs.json');
    expect(bindingsOf(t, '/')).toContain('chx → queue chq (3)');
  });

  it('a user whose hashing algorithm is unknown exists and cannot log in with a password, as in RabbitMQ', async () => {
    const t = await broker();
    t.broker.importDefinitions(JSON.stringify({
      users: [{ name: 'odd', password_hash: 'YzosMsAAraBF/pw6JoyobvGkOuNTE2ImmWcL2axhuHDuFeBf', hashing_algorithm: 'rot13', tags: '' }],
    }), 'defs.json');
    expect(t.broker.authenticate('odd', null)).toBe(true);
    expect(t.broker.authenticate('odd', 's3cret')).toBe(false);
    expect(logged.map((l) => l.msg)).toContainEqual(expect.stringMatching(/users\[0\] \("odd"\): unknown hashing_algorithm "rot13"/));
  });
});
