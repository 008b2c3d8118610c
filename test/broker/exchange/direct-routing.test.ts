import { describe, expect, it } from 'vitest';
import type { FieldTable } from '../../../src/codec/field-table.js';
import { DirectRouting } from '../../../src/broker/exchange/direct-routing.js';

const args = (n: number): FieldTable => [{ name: 'n', value: { type: 'I', value: n } }];

function route(rt: DirectRouting<string>, key: string): string[] {
  const out = new Set<string>();
  rt.route(key, undefined, out);
  return [...out].sort();
}

describe('direct routing', () => {
  it('matches the routing key exactly: no wildcards, no case folding, no trimming', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q-a', 'a', []);
    rt.bind('q-star', '*', []);
    rt.bind('q-hash', '#', []);
    rt.bind('q-A', 'A', []);
    rt.bind('q-dot', 'a.b', []);
    rt.bind('q-sp', 'a ', []);
    expect(route(rt, 'a')).toEqual(['q-a']);
    expect(route(rt, 'A')).toEqual(['q-A']);
    expect(route(rt, 'b')).toEqual([]);
    expect(route(rt, '*')).toEqual(['q-star']);
    expect(route(rt, '#')).toEqual(['q-hash']);
    expect(route(rt, 'a.b')).toEqual(['q-dot']);
    expect(route(rt, 'a.c')).toEqual([]);
    expect(route(rt, 'a ')).toEqual(['q-sp']);
    expect(route(rt, '')).toEqual([]);
  });

  it('routes the empty key to bindings with the empty key', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q', '', []);
    expect(route(rt, '')).toEqual(['q']);
    expect(route(rt, ' ')).toEqual([]);
  });

  it('compares keys outside ASCII exactly (precomposed é is not e + combining accent)', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q1', 'caf\u00e9', []);
    rt.bind('q2', 'cafe\u0301', []);
    rt.bind('q3', '传感器.🌡', []);
    expect(route(rt, 'caf\u00e9')).toEqual(['q1']);
    expect(route(rt, 'cafe\u0301')).toEqual(['q2']);
    expect(route(rt, '传感器.🌡')).toEqual(['q3']);
  });

  it('routes to each destination once however many bindings match', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q1', 'k', []);
    rt.bind('q1', 'k', args(1));
    rt.bind('q1', 'k', args(2));
    rt.bind('q2', 'k', args(1));
    const out = new Set<string>();
    rt.route('k', undefined, out);
    expect([...out]).toEqual(['q1', 'q2']);
  });

  it('keeps routing while any binding for the key remains; arguments play no part in matching', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q', 'k', args(1));
    rt.bind('q', 'k', args(2));
    rt.unbind('q', 'k', args(1));
    expect(route(rt, 'k')).toEqual(['q']);
    rt.unbind('q', 'k', args(2));
    expect(route(rt, 'k')).toEqual([]);
    expect(rt.hasDestination('q')).toBe(false);
  });

  it('ignores the headers', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q', 'k', args(1));
    const out = new Set<string>();
    rt.route('k', args(2), out);
    expect([...out]).toEqual(['q']);
  });

  it('removeDestination leaves other destinations on the same keys', () => {
    const rt = new DirectRouting<string>();
    rt.bind('q1', 'a', []);
    rt.bind('q2', 'a', []);
    rt.bind('q1', 'b', args(1));
    rt.bind('q1', 'b', args(2));
    expect(rt.removeDestination('q1')).toBe(3);
    expect(route(rt, 'a')).toEqual(['q2']);
    expect(route(rt, 'b')).toEqual([]);
    expect(rt.size).toBe(1);
  });

  it('handles many keys and destinations', () => {
    const rt = new DirectRouting<number>();
    for (let q = 0; q < 200; q++) for (let k = 0; k < 10; k++) rt.bind(q, `key-${(q + k) % 50}`, []);
    expect(rt.size).toBe(2000);
    const out = new Set<number>();
    rt.route('key-7', undefined, out);
    const expected = [];
    for (let q = 0; q < 200; q++) for (let k = 0; k < 10; k++) if ((q + k) % 50 === 7) expected.push(q);
    expect([...out].sort((a, b) => a - b)).toEqual([...new Set(expected)].sort((a, b) => a - b));
  });
});
