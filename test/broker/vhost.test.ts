/**
 * A virtual host alone, with persistence in memory or recorded by a fake: publishing (routing,
 * CC/BCC keys, alternate exchanges, refusal by full queues, persisting, the outcome the session
 * turns into basic.return and confirms) and dead-lettering through the same path.
 */
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeRouting } from '../../src/codec/fast-paths.js';
import { tableFromObject, tableGet, type FieldTable } from '../../src/codec/field-table.js';
import type { BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { Message } from '../../src/broker/message.js';
import { MemoryPersistence } from '../../src/broker/persistence.js';
import type { Queue, QueueOptions } from '../../src/broker/queue.js';
import { queueConfig } from '../../src/broker/queue-arguments.js';
import { VirtualHost } from '../../src/broker/vhost.js';

function message(exchange: string, routingKey: string, props: BasicProperties = {}, extraKeys: string[] = []): Message {
  return new Message(exchange, routingKey, encodeRouting(exchange, routingKey), ContentHeader.build(60, 1, props), Buffer.from('x'), extraKeys);
}

function declare(vhost: VirtualHost, name: string, args: Record<string, unknown> = {}, durable = false): Queue {
  const table = tableFromObject(args);
  const config = queueConfig(table, `queue '${name}' in vhost '/'`, { durable, exclusive: false, autoDelete: false, serverNamed: false });
  const options: QueueOptions = { durable, exclusive: false, autoDelete: false, arguments: table, owner: null, config };
  return vhost.addQueue(name, options);
}

const exchangeOpts = { durable: false, autoDelete: false, internal: false, arguments: [] as FieldTable };
const routingKeysIn = (q: Queue) => {
  const out: string[] = [];
  for (let m = q.get(); m; m = q.get()) out.push(`${m.message.routingKey}`);
  return out;
};

/** Persistence that writes every persistent message at a new position and remembers it. */
class RecordingPersistence extends MemoryPersistence {
  readonly written: [string, string[]][] = [];
  override persist(m: Message, queues: readonly Queue[]): number {
    if (!m.persistent) return -1;
    this.written.push([m.routingKey, queues.map((q) => q.name)]);
    return this.written.length;
  }
}

describe('VirtualHost.publish', () => {
  it('routes through the exchange and reports how many queues took it', () => {
    const vhost = new VirtualHost('/');
    const a = declare(vhost, 'a');
    const b = declare(vhost, 'b');
    const x = vhost.addExchange('logs', 'fanout', exchangeOpts);
    vhost.bind(x, a, '', []);
    vhost.bind(x, b, '', []);
    expect(vhost.publish(x, message('logs', 'k'))).toEqual({ routed: 2, refused: false, position: -1 });
    expect([a.messageCount, b.messageCount]).toEqual([1, 1]);
    expect(vhost.publish(vhost.exchange(''), message('', 'nowhere')).routed).toBe(0);
  });

  it('adds the CC/BCC keys, each queue once', () => {
    const vhost = new VirtualHost('/');
    const [a, b, c] = ['a', 'b', 'c'].map((n) => declare(vhost, n));
    const direct = vhost.exchange('amq.direct');
    for (const q of [a, b, c]) vhost.bind(direct, q, q.name, []);
    const outcome = vhost.publish(direct, message('amq.direct', 'a', {}, ['b', 'a', 'c']));
    expect(outcome.routed).toBe(3);
    expect([a, b, c].map((q) => q.messageCount)).toEqual([1, 1, 1]);
  });

  it('falls back to the alternate exchange when nothing is bound to the key', () => {
    const vhost = new VirtualHost('/');
    const unrouted = declare(vhost, 'unrouted');
    const ae = vhost.addExchange('ae', 'fanout', exchangeOpts);
    vhost.bind(ae, unrouted, '', []);
    const x = vhost.addExchange('main', 'direct', { ...exchangeOpts, arguments: tableFromObject({ 'alternate-exchange': 'ae' }) });
    expect(vhost.publish(x, message('main', 'no-binding')).routed).toBe(1);
    expect(routingKeysIn(unrouted)).toEqual(['no-binding']);
  });

  it('a full queue with reject-publish refuses it while the others take it', () => {
    const vhost = new VirtualHost('/');
    const full = declare(vhost, 'full', { 'x-max-length': 1, 'x-overflow': 'reject-publish' });
    const open = declare(vhost, 'open');
    const x = vhost.addExchange('fan', 'fanout', exchangeOpts);
    vhost.bind(x, full, '', []);
    vhost.bind(x, open, '', []);
    expect(vhost.publish(x, message('fan', '1')).refused).toBe(false);
    expect(vhost.publish(x, message('fan', '2'))).toEqual({ routed: 2, refused: true, position: -1 });
    expect([full.messageCount, open.messageCount]).toEqual([1, 2]);
  });

  it('writes a persistent message once for its queues, and reports where', () => {
    const persistence = new RecordingPersistence();
    const vhost = new VirtualHost('/', persistence);
    const q = declare(vhost, 'q', {}, true);
    expect(vhost.publish(vhost.exchange(''), message('', 'q', { deliveryMode: 2 })).position).toBe(1);
    expect(vhost.publish(vhost.exchange(''), message('', 'q', { deliveryMode: 1 })).position).toBe(-1);
    expect(persistence.written).toEqual([['q', ['q']]]);
    expect(q.messageCount).toBe(2);
  });

  it('deliver() takes queues routed earlier (a transaction) and skips nothing it is given', () => {
    const vhost = new VirtualHost('/');
    const q = declare(vhost, 'q');
    const queues = [...vhost.routeMessage(vhost.exchange(''), message('', 'q'))];
    expect(vhost.deliver(message('', 'q'), queues).routed).toBe(1);
    expect(q.messageCount).toBe(1);
  });
});

describe('VirtualHost dead-lettering', () => {
  it('a rejected message goes to the dead-letter exchange with its routing keys, CC included', () => {
    const vhost = new VirtualHost('/');
    const dead = declare(vhost, 'dead');
    const deadCc = declare(vhost, 'dead-cc');
    const dlx = vhost.addExchange('dlx', 'direct', exchangeOpts);
    vhost.bind(dlx, dead, 'src', []);
    vhost.bind(dlx, deadCc, 'cc-key', []);
    const src = declare(vhost, 'src', { 'x-dead-letter-exchange': 'dlx' });
    vhost.publish(vhost.exchange(''), message('', 'src', { headers: tableFromObject({ CC: ['cc-key'] }) }));
    src.reject(src.get() as NonNullable<ReturnType<Queue['get']>>);
    for (const q of [dead, deadCc]) {
      const m = q.get();
      expect(m?.message.exchange).toBe('dlx');
      const h = m?.message.header.headers as FieldTable;
      expect(h).toBeDefined();
      expect(String(tableGet(h, 'x-first-death-reason')?.value)).toBe('rejected');
    }
  });

  it('x-dead-letter-routing-key replaces the keys; an expiry cycle back into the same queue is dropped', async () => {
    const vhost = new VirtualHost('/');
    const dlx = vhost.addExchange('dlx', 'fanout', exchangeOpts);
    const looping = declare(vhost, 'looping', { 'x-dead-letter-exchange': 'dlx', 'x-message-ttl': 1 });
    vhost.bind(dlx, looping, '', []);
    vhost.publish(vhost.exchange(''), message('', 'looping'));
    await new Promise((r) => setTimeout(r, 30));
    // expired into dlx, which routes back to looping: a cycle with no rejection, dropped
    expect(looping.messageCount).toBe(0);

    const target = declare(vhost, 'target');
    vhost.bind(vhost.exchange('amq.direct'), target, 'fixed', []);
    const src = declare(vhost, 'src2', { 'x-dead-letter-exchange': 'amq.direct', 'x-dead-letter-routing-key': 'fixed' });
    vhost.publish(vhost.exchange(''), message('', 'src2'));
    src.reject(src.get() as NonNullable<ReturnType<Queue['get']>>);
    expect(target.get()?.message.routingKey).toBe('fixed');
  });
});
