import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import {
  checkTable, decodeArray, decodeTable, encodeTable, FIELD_TYPES, tableFromObject, tableGet, TableFailure, writeTable,
  tableToObject, type FieldTable, type FieldValue,
} from '../../src/codec/field-table.js';
import { deeplyNestedTable } from '../support/deep-nesting.js';
import { randomTable, randomValue } from '../support/field-values.js';
import { Random } from '../support/random.js';

/** The table's bytes without the 32-bit length prefix. */
const body = (t: FieldTable) => encodeTable(t).subarray(4);

describe('field tables', () => {
  it('every type tag round-trips byte for byte, alone and inside tables and arrays', () => {
    const r = new Random(7);
    for (const type of FIELD_TYPES) {
      for (let i = 0; i < 50; i++) {
        const value = randomValue(r, 2, type);
        const table: FieldTable = [{ name: `k-${type}`, value }];
        const bytes = body(table);
        const decoded = decodeTable(bytes);
        expect(decoded).toEqual(table);
        expect(body(decoded as FieldTable).equals(bytes)).toBe(true);
        // the same value as an array element and nested one level deeper
        const nested: FieldTable = [{ name: 'n', value: { type: 'F', value: [{ name: 'a', value: { type: 'A', value: [value, value] } }] } }];
        const nb = body(nested);
        expect(decodeTable(nb)).toEqual(nested);
        expect(body(decodeTable(nb) as FieldTable).equals(nb)).toBe(true);
      }
    }
  });

  it('random tables nested four deep round-trip byte for byte', () => {
    const r = new Random(99);
    for (let i = 0; i < 300; i++) {
      const table = randomTable(r, 4);
      const bytes = body(table);
      const decoded = decodeTable(bytes);
      expect(decoded).toEqual(table);
      expect(body(decoded as FieldTable).equals(bytes)).toBe(true);
      expect(checkTable(bytes, 0, bytes.length)).toBeNull();
    }
  });

  it('uses RabbitMQ tags: s is a signed 16-bit int, l and L are signed 64-bit', () => {
    const bytes = Buffer.from([
      1, 0x61, 0x73, 0xff, 0xfe, // a: 's' -2
      1, 0x62, 0x4c, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // b: 'L' -1
      1, 0x63, 0x54, 0, 0, 0, 0, 0x65, 0x4f, 0x9e, 0x80, // c: 'T'
      1, 0x64, 0x44, 2, 0, 0, 0x30, 0x39, // d: 'D' 123.45
    ]);
    const t = decodeTable(bytes) as FieldTable;
    expect(t.map((e) => e.value)).toEqual([
      { type: 's', value: -2 },
      { type: 'L', value: -1n },
      { type: 'T', value: 0x654f9e80n },
      { type: 'D', value: { scale: 2, digits: 12345 } },
    ]);
    expect(body(t).equals(bytes)).toBe(true);
  });

  it('keeps duplicate keys and their order', () => {
    const t: FieldTable = [
      { name: 'x', value: { type: 'I', value: 1 } },
      { name: 'x', value: { type: 'I', value: 2 } },
    ];
    expect(decodeTable(body(t))).toEqual(t);
    expect(tableGet(t, 'x')).toEqual({ type: 'I', value: 1 });
  });

  it('builds tables from plain objects and reads them back', () => {
    const t = tableFromObject({ s: 'str', n: 5, big: 2 ** 40, f: 1.5, b: true, nil: null, arr: [1, 'a'], obj: { x: 1 } });
    expect(t.map((e) => e.value.type)).toEqual(['S', 'I', 'l', 'd', 't', 'V', 'A', 'F']);
    expect(tableToObject(decodeTable(body(t)) as FieldTable)).toEqual({
      s: 'str', n: 5, big: 2n ** 40n, f: 1.5, b: true, nil: null, arr: [1, 'a'], obj: { x: 1 },
    });
  });

  describe('malformed tables are values, not exceptions', () => {
    const cases: [string, number[], RegExp][] = [
      ['unknown type tag', [1, 0x61, 0x5a], /unknown field type 0x5a for table value 'a'/],
      ['name longer than the table', [9, 0x61], /name runs past the end/],
      ['name with no value', [1, 0x61], /name runs past the end/],
      ['long string longer than the table', [1, 0x61, 0x53, 0, 0, 1, 0, 0x41], /table value 'a' runs past the end/],
      ['truncated int', [1, 0x61, 0x49, 0, 0], /table value 'a' runs past the end/],
      ['bad tag inside a nested array', [1, 0x61, 0x41, 0, 0, 0, 1, 0x3f], /unknown field type 0x3f for an array element/],
    ];
    for (const [what, bytes, message] of cases) {
      it(what, () => {
        const b = Buffer.from(bytes);
        const out = decodeTable(b);
        expect(out).toBeInstanceOf(TableFailure);
        expect((out as TableFailure).detail).toMatch(message);
        expect(checkTable(b, 0, b.length)).not.toBeNull();
      });
    }
    it('arrays too', () => {
      expect(decodeArray(Buffer.from([0x49, 0]))).toBeInstanceOf(TableFailure);
    });
  });

  it('writes lengths correctly when the table crosses into a new arena slab', () => {
    const w = new ByteWriter(16);
    const t: FieldTable = [{ name: 'long', value: { type: 'S', value: Buffer.alloc(100, 0x41) } as FieldValue }];
    w.u8(9);
    w.u8(9);
    const before = w.mark();
    writeTable(w, t);
    const out = w.take();
    expect(out.readUInt32BE(before)).toBe(out.length - before - 4);
  });

  describe('nesting of any depth, without recursion on the JS stack', () => {
    for (const kind of ['F', 'A', 'mixed'] as const) {
      it(`${kind === 'F' ? 'tables' : kind === 'A' ? 'arrays' : 'tables and arrays'} 100,000 deep decode, check and encode back byte for byte`, () => {
        const bytes = deeplyNestedTable(100_000, kind);
        expect(checkTable(bytes, 0, bytes.length)).toBeNull();
        const t = decodeTable(bytes);
        expect(t).not.toBeInstanceOf(TableFailure);
        expect(body(t as FieldTable).equals(bytes)).toBe(true);
        // walk down to the bottom: every level is there
        let v = (t as FieldTable)[0].value;
        let depth = 0;
        while (v.type === 'F' || v.type === 'A') {
          v = v.type === 'F' ? v.value[0].value : v.value[0];
          depth++;
        }
        expect(depth).toBe(100_000);
        expect(v).toEqual({ type: 'S', value: Buffer.from('bottom') });
      });
    }

    it('a fault deep inside is reported, not thrown', () => {
      const bytes = deeplyNestedTable(50_000, 'mixed');
      bytes[bytes.length - 11] = 0x3f; // the innermost value's tag
      const t = decodeTable(bytes);
      expect(t).toBeInstanceOf(TableFailure);
      expect((t as TableFailure).detail).toMatch(/unknown field type 0x3f/);
      expect(checkTable(bytes, 0, bytes.length)).toMatch(/unknown field type 0x3f/);
    });
  });
});
