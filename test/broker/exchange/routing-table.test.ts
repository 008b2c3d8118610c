/** The RoutingTable contract, held against every exchange type. */
import { describe, expect, it } from 'vitest';
import type { FieldTable, FieldValue } from '../../../src/codec/field-table.js';
import { createRoutingTable, type ExchangeType } from '../../../src/broker/exchange/routing-table.js';
import { DirectRouting } from '../../../src/broker/exchange/direct-routing.js';
import { FanoutRouting } from '../../../src/broker/exchange/fanout-routing.js';
import { HeadersRouting } from '../../../src/broker/exchange/headers-routing.js';
import { TopicRouting } from '../../../src/broker/exchange/topic-routing.js';
import { ConsistentHashRouting } from '../../../src/broker/exchange/consistent-hash-routing.js';
import { RandomRouting } from '../../../src/broker/exchange/random-routing.js';

interface Q {
  name: string;
}
const S = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s) });
const I = (n: number): FieldValue => ({ type: 'I', value: n });
const t = (...entries: [string, FieldValue][]): FieldTable => entries.map(([name, value]) => ({ name, value }));

const TYPES: ExchangeType[] = ['direct', 'fanout', 'topic', 'headers', 'x-consistent-hash', 'x-random'];

function sorted(it: Iterable<{ destination: Q; routingKey: string; args: FieldTable }>): string[] {
  return [...it].map((b) => `${b.destination.name}|${b.routingKey}|${b.args.map((e) => e.name).join(',')}`).sort();
}

describe('createRoutingTable', () => {
  it('makes the implementation of each type', () => {
    expect(createRoutingTable('direct')).toBeInstanceOf(DirectRouting);
    expect(createRoutingTable('fanout')).toBeInstanceOf(FanoutRouting);
    expect(createRoutingTable('topic')).toBeInstanceOf(TopicRouting);
    expect(createRoutingTable('headers')).toBeInstanceOf(HeadersRouting);
    expect(createRoutingTable('x-consistent-hash')).toBeInstanceOf(ConsistentHashRouting);
    expect(createRoutingTable('x-random')).toBeInstanceOf(RandomRouting);
  });
});

describe.each(TYPES)('%s routing table contract', (type) => {
  it('starts empty and routes nowhere', () => {
    const rt = createRoutingTable<Q>(type);
    expect(rt.size).toBe(0);
    expect([...rt.bindings()]).toEqual([]);
    const out = new Set<Q>();
    rt.route('', undefined, out);
    rt.route('a.b', t(['a', I(1)]), out);
    expect(out.size).toBe(0);
  });

  it('refuses an identical binding, whatever the order of its arguments', () => {
    const rt = createRoutingTable<Q>(type);
    const q = { name: 'q' };
    expect(rt.bind(q, 'k', t(['a', I(1)], ['b', S('x')]))).toBe(true);
    expect(rt.bind(q, 'k', t(['a', I(1)], ['b', S('x')]))).toBe(false);
    expect(rt.bind(q, 'k', t(['b', S('x')], ['a', I(1)]))).toBe(false);
    expect(rt.size).toBe(1);
  });

  it('counts bindings that differ in destination, routing key, argument values or argument types', () => {
    const rt = createRoutingTable<Q>(type);
    const q1 = { name: 'q1' };
    const q2 = { name: 'q1' }; // same name, different object: identity is by reference
    expect(rt.bind(q1, 'k', [])).toBe(true);
    expect(rt.bind(q2, 'k', [])).toBe(true);
    expect(rt.bind(q1, 'k2', [])).toBe(true);
    expect(rt.bind(q1, 'k', t(['a', I(1)]))).toBe(true);
    expect(rt.bind(q1, 'k', t(['a', I(2)]))).toBe(true);
    expect(rt.bind(q1, 'k', t(['a', { type: 'l', value: 1n }]))).toBe(true);
    expect(rt.bind(q1, 'k', t(['a', { type: 'L', value: 1n }]))).toBe(false); // 'l' and 'L' are both `long`
    expect(rt.size).toBe(6);
    expect(rt.hasDestination(q1)).toBe(true);
    expect(rt.hasDestination(q2)).toBe(true);
    expect(rt.hasDestination({ name: 'q1' })).toBe(false);
  });

  it('unbinds exactly the binding named, with arguments in any order', () => {
    const rt = createRoutingTable<Q>(type);
    const q = { name: 'q' };
    rt.bind(q, 'k', t(['a', I(1)], ['b', I(2)]));
    rt.bind(q, 'k', []);
    expect(rt.unbind(q, 'k', t(['a', I(1)]))).toBe(false);
    expect(rt.unbind(q, 'other', t(['a', I(1)], ['b', I(2)]))).toBe(false);
    expect(rt.unbind({ name: 'q' }, 'k', [])).toBe(false);
    expect(rt.unbind(q, 'k', t(['b', I(2)], ['a', I(1)]))).toBe(true);
    expect(rt.unbind(q, 'k', t(['b', I(2)], ['a', I(1)]))).toBe(false);
    expect(rt.size).toBe(1);
    expect(rt.hasDestination(q)).toBe(true);
    expect(rt.unbind(q, 'k', [])).toBe(true);
    expect(rt.size).toBe(0);
    expect(rt.hasDestination(q)).toBe(false);
    expect(rt.unbind(q, 'k', [])).toBe(false);
  });

  it('removes every binding of a deleted destination and reports how many', () => {
    const rt = createRoutingTable<Q>(type);
    const q1 = { name: 'q1' };
    const q2 = { name: 'q2' };
    rt.bind(q1, 'a', []);
    rt.bind(q1, 'b', []);
    rt.bind(q1, 'b', t(['x', I(1)]));
    rt.bind(q2, 'a', []);
    expect(rt.removeDestination(q1)).toBe(3);
    expect(rt.removeDestination(q1)).toBe(0);
    expect(rt.size).toBe(1);
    expect(rt.hasDestination(q1)).toBe(false);
    expect(sorted(rt.bindings())).toEqual(['q2|a|']);
    const out = new Set<Q>();
    rt.route('a', undefined, out);
    expect(out.has(q1)).toBe(false);
    // the destination can be bound again afterwards
    expect(rt.bind(q1, 'a', [])).toBe(true);
    expect(rt.size).toBe(2);
  });

  it('lists every binding with the arguments as given', () => {
    const rt = createRoutingTable<Q>(type);
    const q1 = { name: 'q1' };
    const q2 = { name: 'q2' };
    const args = t(['z', I(1)], ['a', I(2)]);
    rt.bind(q1, 'a.b', args);
    rt.bind(q1, '', []);
    rt.bind(q2, '#', []);
    expect(sorted(rt.bindings())).toEqual(['q1|a.b|z,a', 'q1||', 'q2|#|']);
    const listed = [...rt.bindings()].find((b) => b.routingKey === 'a.b');
    expect(listed?.args).toBe(args);
  });

  it('adds to the set it is given without removing anything', () => {
    const rt = createRoutingTable<Q>(type);
    const q = { name: 'q' };
    const other = { name: 'other' };
    rt.bind(q, 'k', []);
    const out = new Set<Q>([other]);
    rt.route('k', undefined, out);
    expect(out).toEqual(new Set([other, q]));
  });

  it('survives many bind/unbind cycles with consistent counts', () => {
    const rt = createRoutingTable<Q>(type);
    const qs = Array.from({ length: 5 }, (_, i) => ({ name: `q${i}` }));
    const keys = ['', 'a', 'a.b', '*.b', '#', 'a.#'];
    const live = new Set<string>();
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let step = 0; step < 2000; step++) {
      const qi = next(qs.length);
      const k = keys[next(keys.length)];
      const args = next(2) === 0 ? [] : t(['n', I(next(2))]);
      const id = `${qi}|${k}|${args.length === 0 ? '' : (args[0].value as { value: number }).value}`;
      const op = next(10);
      if (op < 5) expect(rt.bind(qs[qi], k, args)).toBe(!live.has(id)), live.add(id);
      else if (op < 9) expect(rt.unbind(qs[qi], k, args)).toBe(live.delete(id));
      else {
        const n = [...live].filter((x) => x.startsWith(`${qi}|`));
        expect(rt.removeDestination(qs[qi])).toBe(n.length);
        for (const x of n) live.delete(x);
      }
      expect(rt.size).toBe(live.size);
    }
    expect([...rt.bindings()].length).toBe(live.size);
    for (let i = 0; i < qs.length; i++) {
      expect(rt.hasDestination(qs[i])).toBe([...live].some((x) => x.startsWith(`${i}|`)));
    }
  });
});
