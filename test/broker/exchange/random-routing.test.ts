import { describe, expect, it } from 'vitest';
import { RandomRouting } from '../../../src/broker/exchange/random-routing.js';

/** A fixed sequence of draws in [0, 1), so each pick is known. */
function draws(...xs: number[]): () => number {
  let i = 0;
  return () => xs[i++ % xs.length];
}

function route(rt: RandomRouting<string>, key = 'any'): string[] {
  const out = new Set<string>();
  rt.route(key, undefined, out);
  return [...out];
}

describe('RandomRouting', () => {
  it('routes nowhere without bindings and always to a lone binding', () => {
    const rt = new RandomRouting<string>(draws(0.99));
    expect(route(rt)).toEqual([]);
    rt.bind('a', 'k', []);
    expect(route(rt)).toEqual(['a']);
  });

  it('picks exactly one binding per message, by the draw, whatever the routing key', () => {
    const rt = new RandomRouting<string>(draws(0, 0.34, 0.67, 0.99));
    for (const q of ['a', 'b', 'c']) rt.bind(q, `key-${q}`, []);
    expect([route(rt, 'x'), route(rt, 'key-a'), route(rt, ''), route(rt, 'y')]).toEqual([['a'], ['b'], ['c'], ['c']]);
  });

  it('picks among bindings, so a destination bound twice is twice as likely (RabbitMQ matches every binding of the source)', () => {
    const rt = new RandomRouting<string>(draws(0, 0.34, 0.67));
    rt.bind('a', 'one', []);
    rt.bind('a', 'two', []);
    rt.bind('b', '', []);
    expect([route(rt), route(rt), route(rt)]).toEqual([['a'], ['a'], ['b']]);
  });

  it('spreads messages over every destination with Math.random', () => {
    const rt = new RandomRouting<string>();
    for (const q of ['a', 'b', 'c', 'd']) rt.bind(q, '', []);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const d of route(rt)) counts.set(d, (counts.get(d) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const n of counts.values()) expect(n).toBeGreaterThan(700); // about 1000 each
  });

  it('forgets unbound and removed destinations', () => {
    const rt = new RandomRouting<string>(draws(0, 0.5, 0.99));
    rt.bind('a', '', []);
    rt.bind('b', '', []);
    rt.bind('b', 'x', []);
    rt.bind('c', '', []);
    expect(rt.unbind('a', '', [])).toBe(true);
    expect(rt.unbind('a', '', [])).toBe(false);
    expect(rt.removeDestination('b')).toBe(2);
    expect(rt.size).toBe(1);
    for (let i = 0; i < 3; i++) expect(route(rt)).toEqual(['c']);
    expect(rt.hasDestination('b')).toBe(false);
  });

  it('says it routes once per message (CC/BCC keys do not add picks)', () => {
    expect(new RandomRouting<string>().routesOnce).toBe(true);
  });
});
