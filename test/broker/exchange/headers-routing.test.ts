import { describe, expect, it } from 'vitest';
import type { FieldTable, FieldValue } from '../../../src/codec/field-table.js';
import { fieldValuesMatch, HeadersRouting, validateHeadersBindingArgs } from '../../../src/broker/exchange/headers-routing.js';

const S = (s: string): FieldValue => ({ type: 'S', value: Buffer.from(s) });
const X = (s: string): FieldValue => ({ type: 'x', value: Buffer.from(s) });
const I = (n: number): FieldValue => ({ type: 'I', value: n });
const L = (n: bigint): FieldValue => ({ type: 'l', value: n });
const D = (n: number): FieldValue => ({ type: 'd', value: n });
const T = (n: bigint): FieldValue => ({ type: 'T', value: n });
const V: FieldValue = { type: 'V', value: null };
const F = (...entries: [string, FieldValue][]): FieldValue => ({ type: 'F', value: t(...entries) });
const A = (...items: FieldValue[]): FieldValue => ({ type: 'A', value: items });
const t = (...entries: [string, FieldValue][]): FieldTable => entries.map(([name, value]) => ({ name, value }));

/** Does one binding with `args` route a message with `headers`? */
function routes(args: FieldTable, headers: FieldTable | undefined): boolean {
  const rt = new HeadersRouting<string>();
  rt.bind('q', '', args);
  const out = new Set<string>();
  rt.route('', headers, out);
  return out.has('q');
}

describe('validateHeadersBindingArgs (texts verified against RabbitMQ 3.10.8; 4.x formats ASCII values the same)', () => {
  it('accepts no x-match and the four modes', () => {
    expect(validateHeadersBindingArgs([])).toBeNull();
    expect(validateHeadersBindingArgs(t(['a', S('b')]))).toBeNull();
    for (const mode of ['all', 'any', 'all-with-x', 'any-with-x']) {
      expect(validateHeadersBindingArgs(t(['x-match', S(mode)]))).toBeNull();
    }
  });

  it('rejects other strings, case-sensitively', () => {
    const expected = (v: string): string => `Invalid x-match field value <<"${v}">>; expected all, any, all-with-x, or any-with-x`;
    expect(validateHeadersBindingArgs(t(['x-match', S('foo')]))).toBe(expected('foo'));
    expect(validateHeadersBindingArgs(t(['x-match', S('ANY')]))).toBe(expected('ANY'));
    // RabbitMQ 3.10.8, checked: the empty binary prints as <<>>, a newline escaped, UTF-8 as text
    expect(validateHeadersBindingArgs(t(['x-match', S('')]))).toBe('Invalid x-match field value <<>>; expected all, any, all-with-x, or any-with-x');
    expect(validateHeadersBindingArgs(t(['x-match', S('a\nb')]))).toBe(expected('a\\nb'));
    expect(validateHeadersBindingArgs(t(['x-match', S('é')]))).toBe(expected('é'));
    expect(validateHeadersBindingArgs(t(['x-match', S('all ')]))).toBe(expected('all '));
  });

  it('rejects other types, naming the type as RabbitMQ decodes it', () => {
    const expected = (type: string, v: string): string => `Invalid x-match field type ${type} (value ${v}); expected longstr`;
    const cases: [FieldValue, string, string][] = [
      [{ type: 'b', value: 1 }, 'byte', '1'],
      [L(7n), 'long', '7'],
      [{ type: 'L', value: 7n }, 'long', '7'],
      [I(-3), 'signedint', '-3'],
      [X('any'), 'binary', '<<"any">>'],
      [V, 'void', 'undefined'],
      [F(['a', S('b')]), 'table', '[{<<"a">>,longstr,<<"b">>}]'],
      [A(S('b'), { type: 'b', value: 1 }), 'array', '[{longstr,<<"b">>},{byte,1}]'],
      [{ type: 't', value: true }, 'bool', 'true'],
      [D(1.5), 'double', '1.5'],
      [{ type: 'f', value: 1 }, 'float', '1.0'],
      [T(5n), 'timestamp', '5'],
      [{ type: 'D', value: { scale: 2, digits: 100 } }, 'decimal', '{2,100}'],
    ];
    for (const [value, type, shown] of cases) {
      expect(validateHeadersBindingArgs(t(['x-match', value]))).toBe(expected(type, shown));
    }
  });

  it('checks the first x-match in wire order, as table_lookup on the stably sorted table does', () => {
    expect(validateHeadersBindingArgs(t(['x-match', S('any')], ['x-match', S('bogus')]))).toBeNull();
    expect(validateHeadersBindingArgs(t(['x-match', S('bogus')], ['x-match', S('any')]))).toMatch(/^Invalid x-match field value/);
  });
});

describe('headers routing: modes (cases verified against RabbitMQ 3.10.8 where noted)', () => {
  it("'all' (explicit or default) needs every non-x- argument to match", () => {
    for (const mode of [[], t(['x-match', S('all')])]) {
      const args = [...mode, ...t(['foo', S('bar')], ['fuu', S('ber')])];
      expect(routes(args, t(['foo', S('bar')], ['fuu', S('ber')]))).toBe(true);
      expect(routes(args, t(['fuu', S('ber')], ['foo', S('bar')], ['extra', I(1)]))).toBe(true);
      expect(routes(args, t(['foo', S('bar')]))).toBe(false);
      expect(routes(args, t(['foo', S('bar')], ['fuu', S('BER')]))).toBe(false);
      expect(routes(args, undefined)).toBe(false);
    }
  });

  it("'any' needs one non-x- argument to match", () => {
    const args = t(['x-match', S('any')], ['foo', S('bar')], ['fuu', S('ber')]);
    expect(routes(args, t(['foo', S('bar')], ['fuu', S('ber')]))).toBe(true);
    expect(routes(args, t(['foo', S('bar')]))).toBe(true);
    expect(routes(args, t(['fuu', S('ber')], ['foo', S('nope')]))).toBe(true);
    expect(routes(args, t(['foo', S('nope')]))).toBe(false);
    expect(routes(args, [])).toBe(false);
    expect(routes(args, undefined)).toBe(false);
  });

  it("'all' with nothing to compare matches every message; 'any' with nothing matches none (verified)", () => {
    for (const h of [undefined, [], t(['a', I(1)])]) {
      expect(routes([], h)).toBe(true);
      expect(routes(t(['x-match', S('all')]), h)).toBe(true);
      expect(routes(t(['x-match', S('any')]), h)).toBe(false);
      expect(routes(t(['x-match', S('all-with-x')]), h)).toBe(true);
      expect(routes(t(['x-match', S('any-with-x')]), h)).toBe(false);
    }
  });

  it("'all'/'any' ignore x- arguments (verified: {x-foo: bar} alone matches everything)", () => {
    expect(routes(t(['x-foo', S('bar')]), t(['x-foo', S('baz')]))).toBe(true);
    expect(routes(t(['x-foo', S('bar')]), undefined)).toBe(true);
    expect(routes(t(['x-match', S('any')], ['x-foo', S('bar')]), t(['x-foo', S('bar')]))).toBe(false);
    expect(routes(t(['x-match', S('any')], ['x-foo', S('bar')], ['a', I(1)]), t(['x-foo', S('bar')]))).toBe(false);
  });

  it('the -with-x modes compare x- arguments too, but never x-match itself (verified)', () => {
    const all = t(['x-match', S('all-with-x')], ['x-foo', S('bar')]);
    expect(routes(all, t(['x-foo', S('bar')]))).toBe(true);
    expect(routes(all, t(['x-foo', S('baz')]))).toBe(false);
    expect(routes(all, [])).toBe(false);
    expect(routes(all, t(['x-foo', S('bar')], ['x-match', S('something else')]))).toBe(true);
    const any = t(['x-match', S('any-with-x')], ['x-foo', S('bar')], ['a', I(1)]);
    expect(routes(any, t(['x-foo', S('bar')]))).toBe(true);
    expect(routes(any, t(['a', I(1)]))).toBe(true);
    expect(routes(any, t(['x-foo', S('no')], ['a', I(2)]))).toBe(false);
  });

  it('treats an x-match that escaped validation as all', () => {
    expect(routes(t(['x-match', S('bogus')], ['a', I(1)]), t(['a', I(1)]))).toBe(true);
    expect(routes(t(['x-match', X('any')], ['a', I(1)], ['b', I(2)]), t(['a', I(1)]))).toBe(false);
    // the first x-match decides
    expect(routes(t(['x-match', S('any')], ['x-match', S('all')], ['a', I(1)], ['b', I(2)]), t(['a', I(1)]))).toBe(true);
  });

  it('a void argument matches on presence, any value (verified; rabbit exchanges_SUITE key_presence_only)', () => {
    const args = t(['a', V]);
    expect(routes(args, t(['a', S('x')]))).toBe(true);
    expect(routes(args, t(['a', V]))).toBe(true);
    expect(routes(args, t(['b', I(1)]))).toBe(false);
    expect(routes(args, undefined)).toBe(false);
    const allX = t(['x-match', S('all-with-x')], ['foo', V], ['x-foo', V]);
    const anyX = t(['x-match', S('any-with-x')], ['foo', V], ['x-foo', V]);
    const msgs = [t(['foo', S('anything')], ['x-foo', L(42n)]), t(['foo', S('whatever')]), t(['x-foo', S('something')]),
      t(['other', S('value')]), undefined];
    expect(msgs.map((h) => routes(allX, h))).toEqual([true, false, false, false, false]);
    expect(msgs.map((h) => routes(anyX, h))).toEqual([true, true, true, false, false]);
  });

  it('a void header matches only a void argument or presence', () => {
    expect(routes(t(['a', S('')]), t(['a', V]))).toBe(false);
    expect(routes(t(['a', I(0)]), t(['a', V]))).toBe(false);
  });

  it('takes the last of repeated header names (RabbitMQ folds the headers into a map)', () => {
    expect(routes(t(['a', I(1)]), t(['a', I(2)], ['a', I(1)]))).toBe(true);
    expect(routes(t(['a', I(1)]), t(['a', I(1)], ['a', I(2)]))).toBe(false);
  });

  it('compares every argument, repeated names included', () => {
    expect(routes(t(['a', I(1)], ['a', I(2)]), t(['a', I(1)]))).toBe(false);
    expect(routes(t(['x-match', S('any')], ['a', I(1)], ['a', I(2)]), t(['a', I(2)]))).toBe(true);
    expect(routes(t(['a', I(1)], ['a', I(1)]), t(['a', I(1)]))).toBe(true);
  });

  it('compares header names exactly', () => {
    expect(routes(t(['Foo', S('bar')]), t(['foo', S('bar')]))).toBe(false);
    expect(routes(t(['é', S('bar')]), t(['é', S('bar')]))).toBe(true);
  });

  it('ignores the routing key', () => {
    const rt = new HeadersRouting<string>();
    rt.bind('q', 'some-key', t(['a', I(1)]));
    const out = new Set<string>();
    rt.route('another-key', t(['a', I(1)]), out);
    expect([...out]).toEqual(['q']);
  });

  it('routes to a destination once when several of its bindings match', () => {
    const rt = new HeadersRouting<string>();
    rt.bind('q', '', t(['a', I(1)]));
    rt.bind('q', '', t(['x-match', S('any')], ['a', I(1)]));
    rt.bind('q2', '', t(['b', I(1)]));
    rt.bind('q3', '', []);
    const out = new Set<string>();
    rt.route('', t(['a', I(1)]), out);
    expect([...out].sort()).toEqual(['q', 'q3']);
  });
});

describe('headers routing: value comparison (RabbitMQ 4.x compares decoded terms with =:=)', () => {
  it('integers of every width are equal by value (verified: byte 1 matches long, int, unsignedbyte 1)', () => {
    const ones: FieldValue[] = [
      { type: 'b', value: 1 }, { type: 'B', value: 1 }, { type: 's', value: 1 }, { type: 'u', value: 1 }, I(1),
      { type: 'i', value: 1 }, L(1n), { type: 'L', value: 1n },
    ];
    for (const a of ones) for (const b of ones) expect(fieldValuesMatch(a, b), `${a.type} ${b.type}`).toBe(true);
    expect(fieldValuesMatch(I(1), L(2n))).toBe(false);
    expect(fieldValuesMatch(L(2n ** 62n), L(2n ** 62n))).toBe(true);
    expect(fieldValuesMatch({ type: 'i', value: 0xffff_ffff }, L(0xffff_ffffn))).toBe(true);
    expect(fieldValuesMatch(I(-1), { type: 'i', value: 0xffff_ffff })).toBe(false);
    expect(fieldValuesMatch(L(2n ** 53n + 1n), L(2n ** 53n))).toBe(false);
    expect(routes(t(['a', { type: 'b', value: 1 }]), t(['a', L(1n)]))).toBe(true);
  });

  it('floats never equal integers; float32 equals double only for the same value', () => {
    // RabbitMQ 3.10.8 used == here and did match double 1.0 against byte 1; 3.13+/4.x use =:=.
    expect(fieldValuesMatch(D(1), I(1))).toBe(false);
    expect(fieldValuesMatch(I(1), D(1))).toBe(false);
    expect(fieldValuesMatch({ type: 'f', value: 1 }, L(1n))).toBe(false);
    expect(fieldValuesMatch({ type: 'f', value: 0.5 }, D(0.5))).toBe(true);
    expect(fieldValuesMatch({ type: 'f', value: Math.fround(0.1) }, D(0.1))).toBe(false);
    expect(fieldValuesMatch(D(1.5), D(1.5))).toBe(true);
    expect(fieldValuesMatch(D(0), D(-0))).toBe(false);
    expect(routes(t(['a', D(1)]), t(['a', I(1)]))).toBe(false);
  });

  it('long strings and byte arrays are both binaries (verified)', () => {
    expect(fieldValuesMatch(S('x'), X('x'))).toBe(true);
    expect(fieldValuesMatch(X('x'), S('x'))).toBe(true);
    expect(fieldValuesMatch(S('x'), S('X'))).toBe(false);
    expect(fieldValuesMatch(S(''), X(''))).toBe(true);
    expect(fieldValuesMatch(S('1'), I(1))).toBe(false);
    expect(routes(t(['a', S('x')]), t(['a', X('x')]))).toBe(true);
  });

  it('booleans, decimals and void', () => {
    const TRUE: FieldValue = { type: 't', value: true };
    const FALSE: FieldValue = { type: 't', value: false };
    expect(fieldValuesMatch(TRUE, TRUE)).toBe(true);
    expect(fieldValuesMatch(TRUE, FALSE)).toBe(false);
    expect(fieldValuesMatch(TRUE, I(1))).toBe(false); // verified: bool true does not match byte 1
    expect(fieldValuesMatch(TRUE, S('true'))).toBe(false);
    const dec = (scale: number, digits: number): FieldValue => ({ type: 'D', value: { scale, digits } });
    expect(fieldValuesMatch(dec(2, 100), dec(2, 100))).toBe(true);
    expect(fieldValuesMatch(dec(1, 10), dec(0, 1))).toBe(false);
    expect(fieldValuesMatch(dec(0, 1), I(1))).toBe(false);
    expect(fieldValuesMatch(V, V)).toBe(true);
    expect(fieldValuesMatch(V, S(''))).toBe(false);
  });

  it('nested tables and arrays compare in order, with types (verified for tables)', () => {
    expect(fieldValuesMatch(F(['x', I(1)], ['y', S('z')]), F(['x', I(1)], ['y', S('z')]))).toBe(true);
    expect(fieldValuesMatch(F(['x', I(1)], ['y', S('z')]), F(['y', S('z')], ['x', I(1)]))).toBe(false);
    expect(fieldValuesMatch(F(['x', I(1)]), F(['x', L(1n)]))).toBe(false); // signedint vs long
    expect(fieldValuesMatch(F(['x', L(1n)]), F(['x', { type: 'L', value: 1n }]))).toBe(true); // both `long`
    expect(fieldValuesMatch(F(['x', S('a')]), F(['x', X('a')]))).toBe(false); // longstr vs binary
    expect(fieldValuesMatch(F(['x', I(1)]), F(['X', I(1)]))).toBe(false);
    expect(fieldValuesMatch(F(['x', I(1)]), F(['x', I(1)], ['y', I(2)]))).toBe(false);
    expect(fieldValuesMatch(A(I(1), S('a')), A(I(1), S('a')))).toBe(true);
    expect(fieldValuesMatch(A(I(1), S('a')), A(S('a'), I(1)))).toBe(false);
    expect(fieldValuesMatch(A(I(1)), A({ type: 'b', value: 1 }))).toBe(false);
    expect(fieldValuesMatch(A(F(['k', A(V)])), A(F(['k', A(V)])))).toBe(true);
    expect(fieldValuesMatch(A(F(['k', A(V)])), A(F(['k', A(S(''))])))).toBe(false);
    expect(fieldValuesMatch(F(['x', I(1)]), A(I(1)))).toBe(false);
    // nested timestamps are not scaled: only top-level message headers are
    expect(fieldValuesMatch(F(['t', T(5n)]), F(['t', T(5n)]))).toBe(true);
    expect(routes(t(['a', F(['t', T(5n)])]), t(['a', F(['t', T(5n)])]))).toBe(true);
  });

  it('an empty table equals an empty array: both decode to [] (verified)', () => {
    expect(fieldValuesMatch(F(), A())).toBe(true);
    expect(fieldValuesMatch(A(), F())).toBe(true);
    expect(routes(t(['a', F()]), t(['a', A()]))).toBe(true);
  });

  it('timestamp headers are compared in milliseconds, as mc_amqpl:routing_headers/2 converts them', () => {
    // RabbitMQ 3.13+/4.x: a top-level timestamp header T becomes T * 1000 before the comparison;
    // binding arguments are not converted. (3.10.8, before mc, compared raw seconds.)
    expect(routes(t(['a', T(5n)]), t(['a', T(5n)]))).toBe(false);
    expect(routes(t(['a', T(0n)]), t(['a', T(0n)]))).toBe(true);
    expect(routes(t(['a', I(5000)]), t(['a', T(5n)]))).toBe(true);
    expect(routes(t(['a', L(5000n)]), t(['a', T(5n)]))).toBe(true);
    expect(routes(t(['a', T(5000n)]), t(['a', T(5n)]))).toBe(true);
    expect(routes(t(['a', I(5001)]), t(['a', T(5n)]))).toBe(false);
    expect(routes(t(['a', I(-5000)]), t(['a', T(5n)]))).toBe(false);
    expect(routes(t(['a', D(5000)]), t(['a', T(5n)]))).toBe(false);
    // a timestamp argument against an integer header compares raw values
    expect(routes(t(['a', T(5n)]), t(['a', I(5)]))).toBe(true);
    expect(routes(t(['a', T(5n)]), t(['a', I(5000)]))).toBe(false);
    // large values compare exactly: the largest timestamp whose milliseconds still fit a long
    expect(routes(t(['a', L(9_223_372_036_854_775_000n)]), t(['a', T(9_223_372_036_854_775n)]))).toBe(true);
    expect(routes(t(['a', L(9_223_372_036_854_775_000n)]), t(['a', T(9_223_372_036_854_774n)]))).toBe(false);
    expect(routes(t(['a', L(2n ** 63n - 1n)]), t(['a', T(2n ** 60n)]))).toBe(false);
    expect(routes(t(['a', V]), t(['a', T(5n)]))).toBe(true);
  });
});

describe('headers routing: bookkeeping', () => {
  it('lists bindings with their arguments as given and unbinds by sorted identity', () => {
    const rt = new HeadersRouting<string>();
    const args = t(['x-match', S('any')], ['b', I(2)], ['a', I(1)]);
    expect(rt.bind('q', 'rk', args)).toBe(true);
    expect(rt.bind('q', 'rk', t(['a', I(1)], ['x-match', S('any')], ['b', I(2)]))).toBe(false);
    expect(rt.bind('q', 'other-rk', args)).toBe(true); // the routing key is part of the identity
    expect([...rt.bindings()].map((b) => [b.destination, b.routingKey, b.args])).toEqual([
      ['q', 'rk', args],
      ['q', 'other-rk', args],
    ]);
    expect(rt.unbind('q', 'rk', t(['a', I(1)], ['b', I(2)], ['x-match', S('any')]))).toBe(true);
    const out = new Set<string>();
    rt.route('', t(['a', I(1)]), out);
    expect([...out]).toEqual(['q']);
    expect(rt.unbind('q', 'other-rk', args)).toBe(true);
    const out2 = new Set<string>();
    rt.route('', t(['a', I(1)]), out2);
    expect(out2.size).toBe(0);
  });

  it('removeDestination drops only that destination', () => {
    const rt = new HeadersRouting<string>();
    rt.bind('q1', '', []);
    rt.bind('q2', '', []);
    rt.bind('q1', '', t(['a', I(1)]));
    expect(rt.removeDestination('q1')).toBe(2);
    const out = new Set<string>();
    rt.route('', undefined, out);
    expect([...out]).toEqual(['q2']);
  });
});
