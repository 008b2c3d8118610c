import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../../src/codec/content-header.js';
import type { FieldTable, FieldValue } from '../../../src/codec/field-table.js';
import type { BasicProperties } from '../../../src/codec/generated/basic-properties.js';
import {
  consistentHashArgumentsProblem, consistentHashWeightProblem, ConsistentHashRouting, hashOn,
} from '../../../src/broker/exchange/consistent-hash-routing.js';
import { hashBytes, hashString } from '../../../src/broker/exchange/stable-hash.js';

const S = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s) });
const I = (n: number): FieldValue => ({ type: 'I', value: n });
const A = (...items: FieldValue[]): FieldValue => ({ type: 'A', value: items });
const t = (...entries: [string, FieldValue][]): FieldTable => entries.map(([name, value]) => ({ name, value }));
const header = (props: BasicProperties): ContentHeader => ContentHeader.build(60, 0, props);

const table = (args: FieldTable = []) => new ConsistentHashRouting<string>(args, (d) => `queue:${d}`);

/** Where `key` goes (exactly one destination, or none). */
function target(rt: ConsistentHashRouting<string>, key: string, h?: ContentHeader): string | undefined {
  const out = new Set<string>();
  rt.route(key, undefined, out, h);
  expect(out.size).toBeLessThanOrEqual(1);
  return [...out][0];
}

function shares(rt: ConsistentHashRouting<string>, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const d = target(rt, `key-${i}`) as string;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return counts;
}

describe('stable hash', () => {
  it('is MurmurHash3 x86_32 (seed 0) on bytes: the published test vectors', () => {
    expect(hashBytes(Buffer.from(''))).toBe(0);
    expect(hashBytes(Buffer.from('hello'))).toBe(0x248bfa47);
    expect(hashBytes(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x2e4ff723);
  });

  it('hashes a string as MurmurHash3 of its UTF-16LE code units: fixed values, as a change would move every key after an upgrade', () => {
    expect(hashString('')).toBe(0);
    expect(hashString('a')).toBe(0x6f49d11a);
    expect(hashString('order-42')).toBe(0xf0ce9de9);
    expect(hashString('queue:q1')).toBe(0x260f9de8);
    expect(hashString('order-42')).toBe(hashBytes(Buffer.from('order-42', 'utf16le')));
  });
});

describe('weights (texts verified against RabbitMQ 3.10.8)', () => {
  it('accepts what Erlang list_to_integer reads as 1 or more', () => {
    for (const k of ['1', '3', '+5', '05', '10000', '99999999999999999999']) expect(consistentHashWeightProblem(k)).toBeNull();
  });

  it('refuses anything else with RabbitMQ texts', () => {
    expect(consistentHashWeightProblem('abc')).toBe('The binding key must be an integer: <<"abc">>');
    expect(consistentHashWeightProblem('')).toBe('The binding key must be an integer: <<>>');
    expect(consistentHashWeightProblem(' 5')).toBe('The binding key must be an integer: <<" 5">>');
    expect(consistentHashWeightProblem('1.5')).toBe('The binding key must be an integer: <<"1.5">>');
    expect(consistentHashWeightProblem('0x10')).toBe('The binding key must be an integer: <<"0x10">>');
    expect(consistentHashWeightProblem('१')).toBe('The binding key must be an integer: <<"१">>');
    expect(consistentHashWeightProblem('0')).toBe('The binding key must be greater than 0');
    expect(consistentHashWeightProblem('-1')).toBe('The binding key must be greater than 0');
    expect(consistentHashWeightProblem('-0')).toBe('The binding key must be greater than 0');
  });
});

describe('exchange arguments', () => {
  it('accepts none, a header name, or one of the three properties', () => {
    expect(consistentHashArgumentsProblem([])).toBeNull();
    expect(consistentHashArgumentsProblem(t(['hash-header', S('h')]))).toBeNull();
    expect(consistentHashArgumentsProblem(t(['hash-header', S('')]))).toBeNull();
    for (const p of ['correlation_id', 'message_id', 'timestamp']) expect(consistentHashArgumentsProblem(t(['hash-property', S(p)]))).toBeNull();
    expect(consistentHashArgumentsProblem(t(['other', I(1)]))).toBeNull();
  });

  it('refuses both at once, and an unknown property, with 406 and RabbitMQ texts', () => {
    expect(consistentHashArgumentsProblem(t(['hash-header', S('h')], ['hash-property', S('message_id')])))
      .toEqual({ code: 406, text: 'hash-header and hash-property are mutually exclusive' });
    // both given is checked before the property's name
    expect(consistentHashArgumentsProblem(t(['hash-header', S('h')], ['hash-property', S('foo')])))
      .toEqual({ code: 406, text: 'hash-header and hash-property are mutually exclusive' });
    expect(consistentHashArgumentsProblem(t(['hash-property', S('foo')]))).toEqual({ code: 406, text: 'Unsupported property: foo' });
    expect(consistentHashArgumentsProblem(t(['hash-property', S('')]))).toEqual({ code: 406, text: 'Unsupported property: ' });
  });

  it('answers a value that is not a long string with 541, where RabbitMQ crashes', () => {
    expect(consistentHashArgumentsProblem(t(['hash-property', I(5)]))).toEqual({ code: 541, text: 'hash-property must be a longstr, not signedint' });
    expect(consistentHashArgumentsProblem(t(['hash-header', I(5)]))?.code).toBe(541);
    expect(consistentHashArgumentsProblem(t(['hash-header', S('h')], ['hash-property', I(5)]))?.code).toBe(541);
    expect(consistentHashArgumentsProblem(t(['hash-property', { type: 'x', value: Buffer.from('message_id') }]))?.code).toBe(541);
  });

  it('reads what to hash', () => {
    expect(hashOn([])).toEqual({ kind: 'routing-key' });
    expect(hashOn(t(['hash-header', S('user')]))).toEqual({ kind: 'header', name: 'user' });
    expect(hashOn(t(['hash-property', S('timestamp')]))).toEqual({ kind: 'property', property: 'timestamp' });
  });
});

describe('ConsistentHashRouting', () => {
  it('routes nowhere without bindings, and everything to a single destination', () => {
    const rt = table();
    expect(target(rt, 'k')).toBeUndefined();
    rt.bind('only', '7', []);
    for (let i = 0; i < 50; i++) expect(target(rt, `k${i}`)).toBe('only');
  });

  it('sends each key to one destination, the same every time', () => {
    const rt = table();
    for (const q of ['a', 'b', 'c', 'd']) rt.bind(q, '1', []);
    for (let i = 0; i < 200; i++) {
      const first = target(rt, `k${i}`);
      expect(first).toBeDefined();
      expect(target(rt, `k${i}`)).toBe(first);
    }
  });

  it('depends on the bindings only: another table (a restart) bound in another order routes every key alike', () => {
    const one = table();
    const two = table();
    for (const q of ['a', 'b', 'c', 'd', 'e']) one.bind(q, q === 'c' ? '3' : '1', []);
    for (const q of ['e', 'd', 'c', 'b', 'a']) two.bind(q, q === 'c' ? '3' : '1', []);
    for (let i = 0; i < 2000; i++) expect(target(two, `k${i}`)).toBe(target(one, `k${i}`));
  });

  it('follows the weights: 1 and 3 over 10 000 keys give about 25% and 75%', () => {
    const rt = table();
    rt.bind('light', '1', []);
    rt.bind('heavy', '3', []);
    const s = shares(rt, 10_000);
    expect((s.get('light') ?? 0) / 10_000).toBeGreaterThan(0.22);
    expect((s.get('light') ?? 0) / 10_000).toBeLessThan(0.28);
    expect((s.get('light') ?? 0) + (s.get('heavy') ?? 0)).toBe(10_000);
  });

  it('shares evenly between equal weights', () => {
    const rt = table();
    for (const q of ['a', 'b', 'c', 'd']) rt.bind(q, '1', []);
    const s = shares(rt, 20_000);
    for (const q of ['a', 'b', 'c', 'd']) {
      expect(s.get(q)).toBeGreaterThan(4_500);
      expect(s.get(q)).toBeLessThan(5_500);
    }
  });

  it('moves only the keys a new destination wins, and only the keys of a removed one', () => {
    const rt = table();
    for (const q of ['a', 'b', 'c']) rt.bind(q, '1', []);
    const before = Array.from({ length: 3000 }, (_, i) => target(rt, `k${i}`));
    rt.bind('d', '1', []);
    const after = Array.from({ length: 3000 }, (_, i) => target(rt, `k${i}`));
    let moved = 0;
    for (let i = 0; i < before.length; i++) {
      if (after[i] !== before[i]) {
        moved++;
        expect(after[i]).toBe('d');
      }
    }
    expect(moved).toBeGreaterThan(600); // about a quarter
    expect(moved).toBeLessThan(900);
    rt.removeDestination('b');
    for (let i = 0; i < after.length; i++) {
      const now = target(rt, `k${i}`);
      if (after[i] !== 'b') expect(now).toBe(after[i]);
      else expect(now).not.toBe('b');
    }
  });

  it('gives a destination bound twice the weight of its first binding (RabbitMQ since 3.10.6)', () => {
    const plain = table();
    plain.bind('a', '1', []);
    plain.bind('b', '3', []);
    const twice = table();
    twice.bind('a', '1', []);
    twice.bind('b', '3', []);
    expect(twice.bind('a', '5', [])).toBe(true);
    expect(twice.bind('a', '5', [])).toBe(false);
    expect(twice.size).toBe(3);
    for (let i = 0; i < 2000; i++) expect(target(twice, `k${i}`)).toBe(target(plain, `k${i}`));
  });

  it('keeps a destination while one of its bindings stays, with the weight of the oldest left', () => {
    const rt = table();
    rt.bind('a', '1', []);
    rt.bind('a', '3', []);
    rt.bind('b', '1', []);
    expect(rt.unbind('a', '1', [])).toBe(true);
    expect(rt.hasDestination('a')).toBe(true);
    const s = shares(rt, 10_000);
    expect((s.get('a') ?? 0) / 10_000).toBeGreaterThan(0.72);
    expect((s.get('a') ?? 0) / 10_000).toBeLessThan(0.78);
    expect(rt.unbind('a', '3', [])).toBe(true);
    expect(shares(rt, 100).get('b')).toBe(100);
  });

  it('lists bindings per destination in the order they were made (a snapshot replays them so)', () => {
    const rt = table();
    rt.bind('a', '2', []);
    rt.bind('b', '1', []);
    rt.bind('a', '1', t(['x', I(1)]));
    expect([...rt.bindings()].map((b) => `${b.destination}:${b.routingKey}:${b.args.length}`)).toEqual(['a:2:0', 'a:1:1', 'b:1:0']);
  });

  it('hashes a header when given hash-header, ignoring the routing key', () => {
    const rt = table(t(['hash-header', S('user')]));
    for (const q of ['a', 'b', 'c', 'd']) rt.bind(q, '1', []);
    const seen = new Set<string | undefined>();
    for (let u = 0; u < 40; u++) {
      const h = header({ headers: t(['user', S(`u${u}`)]) });
      const first = target(rt, 'rk-1', h);
      for (let i = 0; i < 5; i++) expect(target(rt, `rk-${i}`, h)).toBe(first);
      seen.add(first);
    }
    expect(seen.size).toBe(4);
    // missing: always the same destination, with or without other headers
    const none = target(rt, 'x', header({}));
    expect(none).toBeDefined();
    expect(target(rt, 'y', header({ headers: t(['other', S('v')]) }))).toBe(none);
    expect(target(rt, 'z', undefined)).toBe(none);
  });

  it('hashes header values of any type, an array by its first element', () => {
    const rt = table(t(['hash-header', S('n')]));
    for (const q of ['a', 'b', 'c', 'd', 'e', 'f']) rt.bind(q, '1', []);
    const seen = new Set<string | undefined>();
    for (let n = 0; n < 30; n++) {
      const h = header({ headers: t(['n', I(n)]) });
      seen.add(target(rt, '', h));
      expect(target(rt, 'other', h)).toBe(target(rt, '', h));
    }
    expect(seen.size).toBeGreaterThan(2);
    expect(target(rt, '', header({ headers: t(['n', A(S('v'), S('w'))]) }))).toBe(target(rt, '', header({ headers: t(['n', A(S('v'))]) })));
    expect(target(rt, '', header({ headers: t(['n', A()]) }))).toBeDefined();
  });

  it('hashes message_id, correlation_id or timestamp when given hash-property', () => {
    for (const [property, props] of [
      ['message_id', (i: number) => ({ messageId: `m${i}` })],
      ['correlation_id', (i: number) => ({ correlationId: `c${i}` })],
      ['timestamp', (i: number) => ({ timestamp: 1_700_000_000 + i })],
    ] as const) {
      const rt = table(t(['hash-property', S(property)]));
      for (const q of ['a', 'b', 'c']) rt.bind(q, '1', []);
      const seen = new Set<string | undefined>();
      for (let i = 0; i < 30; i++) {
        const h = header(props(i));
        seen.add(target(rt, 'rk', h));
        expect(target(rt, `other-${i}`, h)).toBe(target(rt, 'rk', h));
      }
      expect(seen.size).toBe(3);
      const missing = target(rt, 'a', header({ appId: 'x' }));
      expect(target(rt, 'b', header({}))).toBe(missing);
    }
  });

  it('says it routes once per message (CC/BCC keys are not hashed)', () => {
    expect(table().routesOnce).toBe(true);
  });
});
