/**
 * Deduplication (issue 16) without sockets: the cache (size, FIFO eviction, TTL judged with an
 * injected clock), header values as keys, the exchange's argument checks with the plugin's
 * texts, and a vhost routing and delivering through deduplicating exchanges and queues.
 */
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeRouting } from '../../src/codec/fast-paths.js';
import { fieldValueOf, tableFromObject, type FieldTable, type FieldValue } from '../../src/codec/field-table.js';
import type { BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { AmqpError } from '../../src/codec/amqp-error.js';
import {
  DedupCache, InQueueKeys, dedupKeyOf, exchangeDedup, messageKey, messageTtl,
} from '../../src/broker/deduplication.js';
import { Message } from '../../src/broker/message.js';
import type { Queue, QueueOptions } from '../../src/broker/queue.js';
import { queueConfig } from '../../src/broker/queue-arguments.js';
import { parsePolicy, PolicyError } from '../../src/broker/policies.js';
import { VirtualHost } from '../../src/broker/vhost.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe('DedupCache', () => {
  it('remembers a key once: seen() is false the first time, true after', () => {
    const c = new DedupCache(10, undefined);
    expect(c.seen('a')).toBe(false);
    expect(c.seen('a')).toBe(true);
    expect(c.seen('b')).toBe(false);
    expect(c.count).toBe(2);
  });

  it('holds at most size keys and evicts the oldest first (FIFO, not least recently used)', () => {
    const c = new DedupCache(3, undefined);
    for (const k of ['a', 'b', 'c']) c.add(k);
    expect(c.has('a')).toBe(true); // a lookup does not make it younger
    c.add('d');
    expect(c.count).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((k) => c.has(k))).toEqual([false, true, true, true]);
    c.add('e');
    expect(['b', 'c', 'd', 'e'].map((k) => c.has(k))).toEqual([false, true, true, true]);
  });

  it('a smaller size (a policy) takes effect at the next insert', () => {
    const c = new DedupCache(5, undefined);
    for (const k of ['a', 'b', 'c', 'd', 'e']) c.add(k);
    c.size = 2;
    c.add('f');
    expect(c.count).toBe(2);
    expect(['d', 'e', 'f'].map((k) => c.has(k))).toEqual([false, true, true]);
  });

  it('forgets a key once its TTL has passed, judged at lookup against the clock', () => {
    const clock = manualClock();
    const c = new DedupCache(10, 1000, clock.now);
    c.add('a');
    clock.advance(999);
    expect(c.has('a')).toBe(true);
    clock.advance(1);
    expect(c.has('a')).toBe(false);
    expect(c.count).toBe(0); // found out and removed
    expect(c.seen('a')).toBe(false); // and taken again, for a new TTL
    clock.advance(500);
    expect(c.seen('a')).toBe(true);
  });

  it('a per-key TTL overrides the cache default; without any TTL a key stays until evicted', () => {
    const clock = manualClock();
    const c = new DedupCache(10, 1000, clock.now);
    c.add('short', 100);
    c.add('long', 5000);
    clock.advance(2000);
    expect([c.has('short'), c.has('long')]).toEqual([false, true]);
    const forever = new DedupCache(10, undefined, clock.now);
    forever.add('k');
    clock.advance(1e12);
    expect(forever.has('k')).toBe(true);
  });

  it('an expired key keeps its FIFO slot until looked up or evicted', () => {
    const clock = manualClock();
    const c = new DedupCache(2, 10, clock.now);
    c.add('a');
    c.add('b');
    clock.advance(20);
    c.add('c'); // evicts a (oldest), expired or not
    expect(c.count).toBe(2);
    expect(c.has('b')).toBe(false);
    expect(c.has('c')).toBe(true);
  });
});

describe('InQueueKeys', () => {
  it('holds a key while its message is in the queue, until a message with it leaves', () => {
    const keys = new InQueueKeys();
    keys.add('k', Infinity);
    keys.add('j', Infinity);
    expect(keys.has('k')).toBe(true);
    keys.release('k');
    expect([keys.has('k'), keys.has('j')]).toEqual([false, true]);
    keys.clear();
    expect(keys.count).toBe(0);
  });

  it('a message past its expiry stops holding its key', () => {
    const clock = manualClock();
    const keys = new InQueueKeys(clock.now);
    keys.add('k', clock.now() + 100);
    clock.advance(100);
    expect(keys.has('k')).toBe(false);
  });
});

describe('keys and TTL headers', () => {
  const key = (v: unknown) => dedupKeyOf(fieldValueOf(v));
  it('compares values, not encodings: a short 1 and a long 1 are one key, "1" is another', () => {
    const short: FieldValue = { type: 's', value: 1 };
    const long: FieldValue = { type: 'l', value: 1n };
    expect(dedupKeyOf(short)).toBe(dedupKeyOf(long));
    expect(key('1')).not.toBe(dedupKeyOf(short));
    expect(key(true)).not.toBe(key('true'));
    expect(dedupKeyOf({ type: 'x', value: Buffer.from('ab') })).toBe(key('ab'));
  });

  it('void, tables and arrays are no key: the message passes', () => {
    expect(dedupKeyOf({ type: 'V', value: null })).toBeUndefined();
    expect(key({ a: 1 })).toBeUndefined();
    expect(key([1])).toBeUndefined();
  });

  it('reads the key from the named header, and x-cache-ttl when it is an integer', () => {
    const h = tableFromObject({ 'x-deduplication-header': 'id-1', 'my-id': 7, 'x-cache-ttl': 250 });
    expect(messageKey(h, 'x-deduplication-header')).toBe(key('id-1'));
    expect(messageKey(h, 'my-id')).toBe(key(7));
    expect(messageKey(h, 'absent')).toBeUndefined();
    expect(messageKey(undefined, 'x-deduplication-header')).toBeUndefined();
    expect(messageTtl(h)).toBe(250);
    expect(messageTtl(tableFromObject({ 'x-cache-ttl': '250' }))).toBeUndefined();
    expect(messageTtl(tableFromObject({ 'x-cache-ttl': -5 }))).toBeUndefined();
  });
});

describe('exchange arguments', () => {
  const refusal = (type: string, args: Record<string, unknown>): string => {
    try {
      exchangeDedup(type, tableFromObject(args));
    } catch (err) {
      return `${(err as AmqpError).replyCode} ${(err as AmqpError).detail}`;
    }
    return 'accepted';
  };

  it('the plugin type requires x-cache-size > 0 and checks x-cache-ttl and x-cache-persistence (its texts, spaces and all)', () => {
    const T = 'x-message-deduplication';
    // the plugin's source continues each text on an indented line: the indentation stays in it
    const sizeText = `406 Missing or invalid argument,${' '.repeat(11)}'x-cache-size' must be an integer greater than 0`;
    expect(refusal(T, {})).toBe(sizeText);
    expect(refusal(T, { 'x-cache-size': 0 })).toBe(sizeText);
    expect(refusal(T, { 'x-cache-size': -1 })).toBe(sizeText);
    expect(refusal(T, { 'x-cache-size': true })).toBe(sizeText);
    expect(refusal(T, { 'x-cache-size': 'foo' }))
      .toBe(`406 Missing or invalid argument,${' '.repeat(23)}'x-cache-size' must be an integer greater than 0`);
    expect(refusal(T, { 'x-cache-size': 10 })).toBe('accepted');
    expect(refusal(T, { 'x-cache-size': '10' })).toBe('accepted'); // a longstr that parses, as the plugin
    expect(refusal(T, { 'x-cache-size': 10, 'x-cache-ttl': 0 }))
      .toBe(`406 Invalid argument,${' '.repeat(14)}'x-cache-ttl' must be an integer greater than 0`);
    expect(refusal(T, { 'x-cache-size': 10, 'x-cache-ttl': 'bar' }))
      .toBe(`406 Invalid argument,${' '.repeat(23)}'x-cache-ttl' must be an integer greater than 0`);
    expect(refusal(T, { 'x-cache-size': 10, 'x-cache-persistence': 'disk' })).toBe('accepted');
    expect(refusal(T, { 'x-cache-size': 10, 'x-cache-persistence': 'ram' }))
      .toBe(`406 Invalid argument,${' '.repeat(14)}'x-cache-persistence' must be either 'disk' or 'memory'`);
  });

  it('LavinMQ\'s argument on another type: x-cache-size optional (128); nothing refused, as RabbitMQ checks no argument of the standard types', () => {
    expect(exchangeDedup('direct', tableFromObject({}))).toBeNull();
    expect(exchangeDedup('direct', tableFromObject({ 'x-message-deduplication': 'true' }))).toBeNull(); // not a boolean: off
    expect(exchangeDedup('direct', tableFromObject({ 'x-cache-size': 0 }))).toBeNull(); // without the flag: ignored
    const d = exchangeDedup('topic', tableFromObject({ 'x-message-deduplication': true }));
    expect([d?.cache.size, d?.cache.ttl, d?.header, d?.pluginType]).toEqual([128, undefined, 'x-deduplication-header', false]);
    const custom = exchangeDedup('fanout', tableFromObject({
      'x-message-deduplication': true, 'x-cache-size': 5, 'x-cache-ttl': 100, 'x-deduplication-header': 'msg-id',
    }));
    expect([custom?.cache.size, custom?.cache.ttl, custom?.header]).toEqual([5, 100, 'msg-id']);
    for (const bad of [{ 'x-cache-size': 0 }, { 'x-cache-ttl': -1 }, { 'x-deduplication-header': 5 }, { 'x-cache-persistence': 'tape' }]) {
      expect(refusal('direct', { 'x-message-deduplication': true, ...bad })).toBe('accepted');
    }
    const defaults = exchangeDedup('direct', tableFromObject({ 'x-message-deduplication': true, 'x-cache-size': 0, 'x-cache-ttl': -1, 'x-deduplication-header': 5 }));
    expect([defaults?.cache.size, defaults?.cache.ttl, defaults?.header]).toEqual([128, undefined, 'x-deduplication-header']);
  });
});

describe('queue arguments', () => {
  const config = (args: Record<string, unknown>, type?: string) => queueConfig(
    tableFromObject(type !== undefined ? { ...args, 'x-queue-type': type } : args), "queue 'q' in vhost '/'",
    { durable: true, exclusive: false, autoDelete: false, serverNamed: false },
  );
  const refusal = (args: Record<string, unknown>): string => {
    try {
      config(args);
    } catch (err) {
      return (err as AmqpError).detail;
    }
    return 'accepted';
  };

  it('x-message-deduplication alone: the plugin\'s "in the queue"; with cache options: LavinMQ\'s cache', () => {
    expect(config({}).dedup).toBeUndefined();
    expect(config({ 'x-message-deduplication': false }).dedup).toBeUndefined();
    expect(config({ 'x-message-deduplication': true }).dedup).toEqual({ mode: 'in-queue' });
    expect(config({ 'x-message-deduplication': true, 'x-cache-size': 3 }).dedup)
      .toEqual({ mode: 'cache', size: 3, header: 'x-deduplication-header' });
    expect(config({ 'x-message-deduplication': true, 'x-cache-ttl': 50, 'x-deduplication-header': 'id' }).dedup)
      .toEqual({ mode: 'cache', size: 128, ttl: 50, header: 'id' });
    expect(config({ 'x-message-deduplication': true }, 'quorum').dedup).toBeUndefined(); // classic queues only
  });

  it('refuses no deduplication argument, as RabbitMQ with the plugin checks none: any flag but false turns it on, malformed options take their defaults', () => {
    for (const args of [
      { 'x-message-deduplication': 'yes' },
      { 'x-message-deduplication': true, 'x-cache-size': 0 },
      { 'x-message-deduplication': true, 'x-cache-ttl': 'x' },
      { 'x-message-deduplication': true, 'x-deduplication-header': 1 },
      { 'x-cache-size': 0, 'x-deduplication-header': 1, 'x-whatever': 'x' },
    ]) expect(refusal(args)).toBe('accepted');
    expect(config({ 'x-message-deduplication': 'yes' }).dedup).toEqual({ mode: 'in-queue' });
    expect(config({ 'x-message-deduplication': 1 }).dedup).toEqual({ mode: 'in-queue' });
    expect(config({ 'x-message-deduplication': false }).dedup).toBeUndefined();
    expect(config({ 'x-message-deduplication': true, 'x-cache-size': 0 }).dedup).toEqual({ mode: 'cache', size: 128, header: 'x-deduplication-header' });
    expect(config({ 'x-message-deduplication': true, 'x-cache-ttl': 'x', 'x-deduplication-header': 1 }).dedup)
      .toEqual({ mode: 'cache', size: 128, header: 'x-deduplication-header' });
  });

  it('the plugin\'s policy keys are recognised and checked with its texts', () => {
    const ok = parsePolicy('policy', '/', 'p', { pattern: '.*', definition: { 'x-message-deduplication': true, 'x-cache-size': 5, 'x-cache-ttl': 10, 'x-cache-persistence': 'disk' } });
    expect(ok.definition['x-cache-size']).toBe(5);
    const problem = (definition: Record<string, unknown>) => {
      try {
        parsePolicy('policy', '/', 'p', { pattern: '.*', definition });
      } catch (err) {
        return (err as PolicyError).message;
      }
      return 'accepted';
    };
    expect(problem({ 'x-cache-size': 0 })).toBe('Validation failed\n\n"x-cache-size" must be an integer greater than 0, got 0\n');
    expect(problem({ 'x-message-deduplication': 'yes' }))
      .toBe('Validation failed\n\n"x-message-deduplication" must be a boolean, got <<"yes">>\n');
  });
});

// ---- through a vhost ----

function message(exchange: string, routingKey: string, headers?: Record<string, unknown>, props: BasicProperties = {}): Message {
  const p = headers !== undefined ? { ...props, headers: tableFromObject(headers) } : props;
  return new Message(exchange, routingKey, encodeRouting(exchange, routingKey), ContentHeader.build(60, 1, p), Buffer.from('x'));
}

function declare(vhost: VirtualHost, name: string, args: Record<string, unknown> = {}): Queue {
  const table = tableFromObject(args);
  const config = queueConfig(table, `queue '${name}' in vhost '/'`, { durable: false, exclusive: false, autoDelete: false, serverNamed: false });
  const options: QueueOptions = { durable: false, exclusive: false, autoDelete: false, arguments: table, owner: null, config };
  return vhost.addQueue(name, options);
}

const xopts = (args: Record<string, unknown> = {}) => ({ durable: false, autoDelete: false, internal: false, arguments: tableFromObject(args) as FieldTable });
const publish = (v: VirtualHost, x: string, key: string, headers?: Record<string, unknown>) => {
  const o = v.publish(v.exchange(x), message(x, key, headers));
  return { routed: o.routed, refused: o.refused };
};
const id = (k: string) => ({ 'x-deduplication-header': k });

describe('a vhost with deduplication', () => {
  it('the plugin exchange type routes like fanout and drops a duplicate as unroutable', () => {
    const v = new VirtualHost('/');
    const x = v.addExchange('dx', 'x-message-deduplication', xopts({ 'x-cache-size': 10 }));
    const a = declare(v, 'a');
    const b = declare(v, 'b');
    v.bind(x, a, 'ignored', []);
    v.bind(x, b, 'other', []);
    expect(publish(v, 'dx', 'any', id('m1'))).toEqual({ routed: 2, refused: false });
    expect(publish(v, 'dx', 'any', id('m1'))).toEqual({ routed: 0, refused: false });
    expect(publish(v, 'dx', 'any')).toEqual({ routed: 2, refused: false }); // no key: never a duplicate
    expect(publish(v, 'dx', 'any')).toEqual({ routed: 2, refused: false });
    expect([a.messageCount, b.messageCount]).toEqual([3, 3]);
  });

  it('a duplicate at the plugin type still reaches the alternate exchange (its route is empty); LavinMQ\'s argument drops it', () => {
    const v = new VirtualHost('/');
    const ae = v.addExchange('ae', 'fanout', xopts());
    const aeq = declare(v, 'aeq');
    v.bind(ae, aeq, '', []);
    const plugin = v.addExchange('px', 'x-message-deduplication', xopts({ 'x-cache-size': 10, 'alternate-exchange': 'ae' }));
    const pq = declare(v, 'pq');
    v.bind(plugin, pq, '', []);
    const lavin = v.addExchange('lx', 'direct', xopts({ 'x-message-deduplication': true, 'alternate-exchange': 'ae' }));
    const lq = declare(v, 'lq');
    v.bind(lavin, lq, 'k', []);
    publish(v, 'px', 'k', id('1'));
    expect(publish(v, 'px', 'k', id('1'))).toEqual({ routed: 1, refused: false });
    expect([pq.messageCount, aeq.messageCount]).toEqual([1, 1]);
    publish(v, 'lx', 'k', id('1'));
    expect(publish(v, 'lx', 'k', id('1'))).toEqual({ routed: 0, refused: false });
    expect([lq.messageCount, aeq.messageCount]).toEqual([1, 1]);
  });

  it('LavinMQ\'s argument keeps the exchange\'s own routing and reads the header it names', () => {
    const v = new VirtualHost('/');
    const x = v.addExchange('tx', 'topic', xopts({ 'x-message-deduplication': true, 'x-deduplication-header': 'msg-id' }));
    const q = declare(v, 'q');
    v.bind(x, q, 'a.*', []);
    expect(publish(v, 'tx', 'b.c', { 'msg-id': 1 }).routed).toBe(0); // not routed, but its key is taken
    expect(publish(v, 'tx', 'a.b', { 'msg-id': 1 }).routed).toBe(0);
    expect(publish(v, 'tx', 'a.b', { 'msg-id': 2 }).routed).toBe(1);
    expect(publish(v, 'tx', 'a.b', { 'x-deduplication-header': 2 }).routed).toBe(1); // not the header it reads
    expect(q.messageCount).toBe(2);
  });

  it('the plugin\'s type checks messages routed through it by an exchange-to-exchange binding; LavinMQ\'s argument does not', () => {
    const v = new VirtualHost('/');
    const front = v.addExchange('front', 'direct', xopts());
    const plugin = v.addExchange('px', 'x-message-deduplication', xopts({ 'x-cache-size': 10 }));
    const lavin = v.addExchange('lx', 'fanout', xopts({ 'x-message-deduplication': true }));
    const pq = declare(v, 'pq');
    const lq = declare(v, 'lq');
    v.bind(front, plugin, 'p', []);
    v.bind(front, lavin, 'l', []);
    v.bind(plugin, pq, '', []);
    v.bind(lavin, lq, '', []);
    expect([publish(v, 'front', 'p', id('1')).routed, publish(v, 'front', 'p', id('1')).routed]).toEqual([1, 0]);
    expect([publish(v, 'front', 'l', id('1')).routed, publish(v, 'front', 'l', id('1')).routed]).toEqual([1, 1]);
  });

  it('an exchange policy sets the plugin cache\'s size, and its removal restores the argument', () => {
    const v = new VirtualHost('/');
    const x = v.addExchange('dx', 'x-message-deduplication', xopts({ 'x-cache-size': 1 }));
    const q = declare(v, 'q');
    v.bind(x, q, '', []);
    v.setPolicy('policy', parsePolicy('policy', '/', 'p', { pattern: '^dx$', 'apply-to': 'exchanges', definition: { 'x-cache-size': 5 } }));
    expect(x.dedup?.cache.size).toBe(5);
    publish(v, 'dx', '', id('this'));
    publish(v, 'dx', '', id('that'));
    expect(publish(v, 'dx', '', id('this')).routed).toBe(0); // a cache of 1 would have lost it
    v.clearPolicy('policy', 'p');
    expect(x.dedup?.cache.size).toBe(1);
  });

  it('the plugin\'s queue level: a key is a duplicate while its message is in the queue, refused (nack) and dead-lettered as maxlen', () => {
    const v = new VirtualHost('/');
    const dlx = v.addExchange('dlx', 'fanout', xopts());
    const dead = declare(v, 'dead');
    v.bind(dlx, dead, '', []);
    const q = declare(v, 'q', { 'x-message-deduplication': true, 'x-dead-letter-exchange': 'dlx' });
    expect(publish(v, '', 'q', id('k'))).toEqual({ routed: 1, refused: false });
    expect(publish(v, '', 'q', id('k'))).toEqual({ routed: 1, refused: true });
    expect(q.messageCount).toBe(1);
    expect(dead.messageCount).toBe(1);
    const deathReason = dead.get()?.message.header.headers?.find((e) => e.name === 'x-first-death-reason')?.value;
    expect(deathReason?.type === 'S' && deathReason.value.toString()).toBe('maxlen');
    // delivered and not yet acknowledged: still in the queue
    const got = q.get();
    expect(publish(v, '', 'q', id('k')).refused).toBe(true);
    q.requeue(got!, true);
    expect(publish(v, '', 'q', id('k')).refused).toBe(true);
    // acknowledged: gone, the key is free
    q.ack(q.get()!);
    expect(publish(v, '', 'q', id('k'))).toEqual({ routed: 1, refused: false });
  });

  it('the plugin\'s queue level frees a key on reject, purge, expiry and drop-head', () => {
    const v = new VirtualHost('/');
    const q = declare(v, 'q', { 'x-message-deduplication': true, 'x-max-length': 1 });
    publish(v, '', 'q', id('a'));
    q.reject(q.get()!);
    expect(publish(v, '', 'q', id('a')).refused).toBe(false);
    q.purge();
    expect(publish(v, '', 'q', id('a')).refused).toBe(false);
    publish(v, '', 'q', id('b')); // drop-head pushes a out
    expect(q.messageCount).toBe(1);
    expect(publish(v, '', 'q', id('a')).refused).toBe(false); // and b out
    expect(publish(v, '', 'q', id('a')).refused).toBe(true);
    const expiring = declare(v, 'e', { 'x-message-deduplication': true });
    v.publish(v.exchange(''), message('', 'e', id('t'), { expiration: '0' }));
    expect(expiring.messageCount).toBe(0); // expired at once: nobody holds t
    expect(publish(v, '', 'e', id('t')).refused).toBe(false);
  });

  it('LavinMQ\'s queue level: a cache of recent keys, a duplicate dropped (ack, and returned when no queue took it)', () => {
    const v = new VirtualHost('/');
    const x = v.addExchange('fx', 'fanout', xopts());
    const q = declare(v, 'q', { 'x-message-deduplication': true, 'x-cache-size': 2 });
    const plain = declare(v, 'plain');
    v.bind(x, q, '', []);
    expect(publish(v, '', 'q', id('a'))).toEqual({ routed: 1, refused: false });
    q.ack(q.get()!);
    expect(publish(v, '', 'q', id('a'))).toEqual({ routed: 0, refused: false }); // consumed, still remembered
    v.bind(x, plain, '', []);
    expect(publish(v, 'fx', '', id('a'))).toEqual({ routed: 1, refused: false }); // plain took it
    publish(v, '', 'q', id('b'));
    publish(v, '', 'q', id('c')); // a evicted
    expect(publish(v, '', 'q', id('a')).routed).toBe(1);
    expect(q.messageCount).toBe(3);
  });

  it('a queue policy turns the plugin\'s queue level on and off', () => {
    const v = new VirtualHost('/');
    const q = declare(v, 'q');
    v.setPolicy('policy', parsePolicy('policy', '/', 'p', { pattern: '^q$', definition: { 'x-message-deduplication': true } }));
    publish(v, '', 'q', id('a'));
    expect(publish(v, '', 'q', id('a')).refused).toBe(true);
    v.clearPolicy('policy', 'p');
    expect(publish(v, '', 'q', id('a')).refused).toBe(false);
    expect(q.messageCount).toBe(2);
  });
});
