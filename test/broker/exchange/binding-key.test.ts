import { describe, expect, it } from 'vitest';
import type { FieldTable, FieldValue } from '../../../src/codec/field-table.js';
import { argumentsKey, BindingGroup, bindingKey } from '../../../src/broker/exchange/binding-key.js';
import { randomTable } from '../../support/field-values.js';
import { Random } from '../../support/random.js';

const S = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s) });
const I = (n: number): FieldValue => ({ type: 'I', value: n });
const t = (...entries: [string, FieldValue][]): FieldTable => entries.map(([name, value]) => ({ name, value }));

describe('argumentsKey', () => {
  it('is empty for the empty table', () => {
    expect(argumentsKey([])).toBe('');
  });

  it('ignores the order of top-level entries (RabbitMQ keysorts binding arguments)', () => {
    expect(argumentsKey(t(['a', I(1)], ['b', S('x')]))).toBe(argumentsKey(t(['b', S('x')], ['a', I(1)])));
  });

  it('keeps the relative order of entries with the same name (lists:keysort is stable)', () => {
    const k1 = argumentsKey(t(['a', I(1)], ['z', I(0)], ['a', I(2)]));
    expect(argumentsKey(t(['z', I(0)], ['a', I(1)], ['a', I(2)]))).toBe(k1);
    expect(argumentsKey(t(['a', I(2)], ['a', I(1)], ['z', I(0)]))).not.toBe(k1);
  });

  it('does not sort nested tables or arrays (verified: RabbitMQ 3.10.8 keeps {n:{x,y}} and {n:{y,x}} as two bindings)', () => {
    const xy: FieldValue = { type: 'F', value: t(['x', I(1)], ['y', I(2)]) };
    const yx: FieldValue = { type: 'F', value: t(['y', I(2)], ['x', I(1)]) };
    expect(argumentsKey(t(['n', xy]))).not.toBe(argumentsKey(t(['n', yx])));
    const a12: FieldValue = { type: 'A', value: [I(1), I(2)] };
    const a21: FieldValue = { type: 'A', value: [I(2), I(1)] };
    expect(argumentsKey(t(['n', a12]))).not.toBe(argumentsKey(t(['n', a21])));
  });

  it('includes the type: signedint 1 and byte 1 are different bindings (verified against RabbitMQ 3.10.8)', () => {
    expect(argumentsKey(t(['a', I(1)]))).not.toBe(argumentsKey(t(['a', { type: 'b', value: 1 }])));
    expect(argumentsKey(t(['a', I(1)]))).not.toBe(argumentsKey(t(['a', { type: 'l', value: 1n }])));
    expect(argumentsKey(t(['a', S('x')]))).not.toBe(argumentsKey(t(['a', { type: 'x', value: Buffer.from('x') }])));
    expect(argumentsKey(t(['a', { type: 'f', value: 1 }]))).not.toBe(argumentsKey(t(['a', { type: 'd', value: 1 }])));
    expect(argumentsKey(t(['a', { type: 'd', value: 1 }]))).not.toBe(argumentsKey(t(['a', I(1)])));
    expect(argumentsKey(t(['a', { type: 'T', value: 1n }]))).not.toBe(argumentsKey(t(['a', { type: 'l', value: 1n }])));
  });

  it("treats 'l' and 'L' alike: RabbitMQ decodes both to a signed 64-bit `long`", () => {
    expect(argumentsKey(t(['a', { type: 'l', value: -5n }]))).toBe(argumentsKey(t(['a', { type: 'L', value: -5n }])));
    const nested = (type: 'l' | 'L'): FieldTable => t(['n', { type: 'A', value: [{ type, value: 7n }] }]);
    expect(argumentsKey(nested('l'))).toBe(argumentsKey(nested('L')));
  });

  it('tells values apart', () => {
    const keys = new Set([
      argumentsKey(t(['a', I(1)])),
      argumentsKey(t(['a', I(2)])),
      argumentsKey(t(['b', I(1)])),
      argumentsKey(t(['a', S('1')])),
      argumentsKey(t(['a', { type: 't', value: true }])),
      argumentsKey(t(['a', { type: 't', value: false }])),
      argumentsKey(t(['a', { type: 'V', value: null }])),
      argumentsKey(t(['a', { type: 'D', value: { scale: 1, digits: 10 } }])),
      argumentsKey(t(['a', { type: 'D', value: { scale: 0, digits: 1 } }])),
      argumentsKey(t(['a', { type: 'd', value: 0 }])),
      argumentsKey(t(['a', { type: 'd', value: -0 }])),
      argumentsKey(t(['a', { type: 'F', value: [] }])),
      argumentsKey(t(['a', { type: 'A', value: [] }])),
      argumentsKey(t(['a', S('')])),
      argumentsKey(t(['a', S('x')], ['b', S('y')])),
      argumentsKey(t(['a', S('x"],["b'), ])),
    ]);
    expect(keys.size).toBe(16);
  });

  it('is the same for any reordering that keeps same-named entries in order (seeded)', () => {
    const r = new Random(20261123);
    for (let n = 0; n < 500; n++) {
      const table = randomTable(r, 2, 8);
      // duplicate some names so stability is exercised
      const withDupes = table.length > 1 && r.bool() ? [...table, { name: table[0].name, value: table[1].value }] : table;
      const shuffled = stableShuffleByName(r, withDupes);
      expect(argumentsKey(shuffled)).toBe(argumentsKey(withDupes));
    }
  });
});

/** A random order of the entries in which entries of the same name keep their relative order. */
function stableShuffleByName(r: Random, table: FieldTable): FieldTable {
  const queues = new Map<string, FieldTable[number][]>();
  for (const e of table) (queues.get(e.name) ?? queues.set(e.name, []).get(e.name)!).push(e);
  const out: FieldTable[number][] = [];
  while (queues.size > 0) {
    const names = [...queues.keys()];
    const name = names[r.int(names.length)];
    const q = queues.get(name)!;
    out.push(q.shift()!);
    if (q.length === 0) queues.delete(name);
  }
  return out;
}

describe('bindingKey', () => {
  it('combines routing key and arguments without ambiguity', () => {
    expect(bindingKey('a', [])).not.toBe(bindingKey('', t(['a', I(1)])));
    expect(bindingKey('a', t(['b', I(1)]))).toBe(bindingKey('a', t(['b', I(1)])));
    expect(bindingKey('a', t(['b', I(1)]))).not.toBe(bindingKey('a"', t(['b', I(1)])));
    expect(bindingKey('', [])).not.toBe(bindingKey('""', []));
  });
});

describe('BindingGroup', () => {
  it('keeps each destination once for routing however many bindings it has', () => {
    const g = new BindingGroup<string>();
    expect(g.add({ destination: 'q1', routingKey: 'k', args: [] }, 'a')).toBe(true);
    expect(g.add({ destination: 'q1', routingKey: 'k', args: [] }, 'b')).toBe(true);
    expect(g.add({ destination: 'q1', routingKey: 'k', args: [] }, 'a')).toBe(false);
    expect(g.add({ destination: 'q2', routingKey: 'k', args: [] }, 'a')).toBe(true);
    expect(g.size).toBe(3);
    const out = new Set<string>();
    g.addTo(out);
    expect([...out]).toEqual(['q1', 'q2']);
    expect(g.delete('q1', 'a')).toBe(true);
    expect(g.delete('q1', 'a')).toBe(false);
    expect(g.has('q1')).toBe(true);
    expect(g.removeDestination('q1')).toBe(1);
    expect(g.has('q1')).toBe(false);
    expect(g.removeDestination('q1')).toBe(0);
    const out2 = new Set<string>();
    g.addTo(out2);
    expect([...out2]).toEqual(['q2']);
    expect([...g.values()].map((b) => b.destination)).toEqual(['q2']);
    expect(g.get('q2', 'a')?.destination).toBe('q2');
  });
});
