import { describe, expect, it } from 'vitest';
import type { FieldTable } from '../../../src/codec/field-table.js';
import { FanoutRouting } from '../../../src/broker/exchange/fanout-routing.js';

const args = (n: number): FieldTable => [{ name: 'n', value: { type: 'I', value: n } }];

function route(rt: FanoutRouting<string>, key: string, headers?: FieldTable): string[] {
  const out = new Set<string>();
  rt.route(key, headers, out);
  return [...out];
}

describe('fanout routing', () => {
  it('routes to every destination whatever the routing key or headers', () => {
    const rt = new FanoutRouting<string>();
    rt.bind('q1', '', []);
    rt.bind('q2', 'ignored', args(1));
    rt.bind('q3', '#', []);
    for (const key of ['', 'a', 'ignored', 'a.b.c', '#']) expect(route(rt, key).sort()).toEqual(['q1', 'q2', 'q3']);
    expect(route(rt, 'x', args(9)).sort()).toEqual(['q1', 'q2', 'q3']);
  });

  it('routes to each destination once, in the order destinations were first bound', () => {
    const rt = new FanoutRouting<string>();
    rt.bind('q2', 'a', []);
    rt.bind('q1', 'a', []);
    rt.bind('q2', 'b', []);
    rt.bind('q2', 'b', args(1));
    expect(route(rt, 'x')).toEqual(['q2', 'q1']);
  });

  it('keeps routing key and arguments as part of the identity: unbinding one binding of several keeps the route', () => {
    const rt = new FanoutRouting<string>();
    expect(rt.bind('q', 'a', [])).toBe(true);
    expect(rt.bind('q', 'b', [])).toBe(true);
    expect(rt.bind('q', 'a', args(1))).toBe(true);
    expect(rt.bind('q', 'a', [])).toBe(false);
    expect(rt.size).toBe(3);
    expect(rt.unbind('q', 'a', [])).toBe(true);
    expect(route(rt, 'zzz')).toEqual(['q']);
    expect(rt.unbind('q', 'b', [])).toBe(true);
    expect(rt.unbind('q', 'a', args(1))).toBe(true);
    expect(route(rt, 'zzz')).toEqual([]);
    expect(rt.hasDestination('q')).toBe(false);
  });

  it('removes a destination and keeps the others in order', () => {
    const rt = new FanoutRouting<string>();
    for (const q of ['q1', 'q2', 'q3', 'q4']) rt.bind(q, '', []);
    rt.bind('q2', 'x', []);
    expect(rt.removeDestination('q2')).toBe(2);
    expect(route(rt, '')).toEqual(['q1', 'q3', 'q4']);
    rt.bind('q2', '', []);
    expect(route(rt, '')).toEqual(['q1', 'q3', 'q4', 'q2']);
  });
});
