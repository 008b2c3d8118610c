/** Generators of field-table values of every type RabbitMQ uses, nested to a given depth. */
import type { FieldArray, FieldTable, FieldType, FieldValue } from '../../src/codec/field-table.js';
import { FIELD_TYPES } from '../../src/codec/field-table.js';
import type { Random } from './random.js';

export function randomValue(r: Random, depth: number, type: FieldType = r.pick(FIELD_TYPES)): FieldValue {
  switch (type) {
    case 't': return { type, value: r.bool() };
    case 'b': return { type, value: r.range(-128, 127) };
    case 'B': return { type, value: r.range(0, 255) };
    case 's': return { type, value: r.range(-32768, 32767) };
    case 'u': return { type, value: r.range(0, 65535) };
    case 'I': return { type, value: r.range(-0x8000_0000, 0x7fff_ffff) };
    case 'i': return { type, value: r.range(0, 0xffff_ffff) };
    case 'l':
    case 'L': return { type, value: BigInt.asIntN(64, BigInt(`0x${r.bytes(8).toString('hex')}`)) };
    case 'T': return { type, value: BigInt(`0x${r.bytes(8).toString('hex')}`) };
    case 'f': return { type, value: Math.fround((r.next() - 0.5) * 1e6) };
    case 'd': return { type, value: (r.next() - 0.5) * 1e12 };
    case 'D': return { type, value: { scale: r.range(0, 255), digits: r.range(0, 0xffff_ffff) } };
    case 'S': return { type, value: Buffer.from(r.string(40), 'utf8') };
    case 'x': return { type, value: r.bytes(r.int(40)) };
    case 'V': return { type, value: null };
    case 'F': return { type, value: depth > 0 ? randomTable(r, depth - 1) : [] };
    case 'A': return { type, value: depth > 0 ? randomArray(r, depth - 1) : [] };
  }
}

export function randomTable(r: Random, depth: number, maxEntries = 6): FieldTable {
  const n = r.int(maxEntries + 1);
  const out = [];
  for (let i = 0; i < n; i++) out.push({ name: r.shortString(20), value: randomValue(r, depth) });
  return out;
}

export function randomArray(r: Random, depth: number, maxItems = 6): FieldArray {
  const n = r.int(maxItems + 1);
  const out = [];
  for (let i = 0; i < n; i++) out.push(randomValue(r, depth));
  return out;
}
