/**
 * AMQP field tables and arrays with RabbitMQ's type tags (which differ from the 0-9-1 errata:
 * 's' is a signed 16-bit int, not a short string, and 'l'/'L' are both signed 64-bit).
 *
 * A decoded value keeps its tag, so re-encoding gives back the same bytes: an 'I' stays 32-bit,
 * an 'L' stays 'L', a decimal keeps its scale. A table keeps its entries in wire order, duplicates
 * included. Long strings and byte arrays are Buffers (views of the received bytes).
 */
import { ByteWriter } from './byte-writer.js';

export type FieldValue =
  | { readonly type: 't'; readonly value: boolean } // boolean (octet)
  | { readonly type: 'b'; readonly value: number } // int8
  | { readonly type: 'B'; readonly value: number } // uint8
  | { readonly type: 's'; readonly value: number } // int16 (RabbitMQ; 0-9-1 errata says shortstr)
  | { readonly type: 'u'; readonly value: number } // uint16
  | { readonly type: 'I'; readonly value: number } // int32
  | { readonly type: 'i'; readonly value: number } // uint32
  | { readonly type: 'l'; readonly value: bigint } // int64
  | { readonly type: 'L'; readonly value: bigint } // int64 as RabbitMQ reads it (the errata's uint64)
  | { readonly type: 'f'; readonly value: number } // float32
  | { readonly type: 'd'; readonly value: number } // float64
  | { readonly type: 'D'; readonly value: Decimal } // scale octet + uint32 digits
  | { readonly type: 'S'; readonly value: Buffer } // long string (bytes)
  | { readonly type: 'x'; readonly value: Buffer } // byte array
  | { readonly type: 'T'; readonly value: bigint } // timestamp, uint64 seconds
  | { readonly type: 'V'; readonly value: null } // void
  | { readonly type: 'F'; readonly value: FieldTable } // nested table
  | { readonly type: 'A'; readonly value: FieldArray }; // array

export interface Decimal {
  readonly scale: number;
  readonly digits: number;
}
export interface TableEntry {
  readonly name: string;
  readonly value: FieldValue;
}
export type FieldTable = readonly TableEntry[];
export type FieldArray = readonly FieldValue[];
export type FieldType = FieldValue['type'];

export const EMPTY_TABLE: FieldTable = Object.freeze([]) as FieldTable;

/** Every tag RabbitMQ reads and writes, in the order of its parser. */
export const FIELD_TYPES: readonly FieldType[] = [
  'S', 'T', 'b', 'B', 's', 'u', 'I', 'i', 'd', 'f', 'l', 'L', 't', 'D', 'F', 'A', 'x', 'V',
];

/** Thrown inside the recursive decoder; callers of decodeTable/decodeArray get it as a value. */
class Malformed {
  constructor(readonly detail: string) {}
}

/** Decodes the bytes of a table (without its 32-bit length prefix). */
export function decodeTable(buf: Buffer, start = 0, end = buf.length): FieldTable | TableFailure {
  try {
    return readTable(buf, start, end);
  } catch (e) {
    if (e instanceof Malformed) return new TableFailure(e.detail);
    throw e;
  }
}

export function decodeArray(buf: Buffer, start = 0, end = buf.length): FieldArray | TableFailure {
  try {
    return readArray(buf, start, end);
  } catch (e) {
    if (e instanceof Malformed) return new TableFailure(e.detail);
    throw e;
  }
}

/** Why a table could not be decoded (a value, never thrown to callers). */
export class TableFailure {
  constructor(readonly detail: string) {}
}

function readTable(buf: Buffer, pos: number, end: number): TableEntry[] {
  const out: TableEntry[] = [];
  while (pos < end) {
    const nameLen = buf[pos];
    const nameEnd = pos + 1 + nameLen;
    if (nameEnd >= end) throw new Malformed(`table entry name runs past the end of the table`);
    const name = buf.toString('utf8', pos + 1, nameEnd);
    const cell = readValue(buf, nameEnd, end, name);
    out.push({ name, value: cell.value });
    pos = cell.next;
  }
  return out;
}

function readArray(buf: Buffer, pos: number, end: number): FieldValue[] {
  const out: FieldValue[] = [];
  while (pos < end) {
    const cell = readValue(buf, pos, end, null);
    out.push(cell.value);
    pos = cell.next;
  }
  return out;
}

interface Cell {
  value: FieldValue;
  next: number;
}

function need(pos: number, n: number, end: number, name: string | null): void {
  if (pos + n > end) {
    throw new Malformed(`${name === null ? 'array element' : `table value '${name}'`} runs past the end`);
  }
}

/** Reads one tagged value at `pos` (the tag octet). */
function readValue(buf: Buffer, pos: number, end: number, name: string | null): Cell {
  const tag = String.fromCharCode(buf[pos]);
  const p = pos + 1;
  switch (tag) {
    case 'S':
    case 'x':
    case 'F':
    case 'A': {
      need(p, 4, end, name);
      const len = buf.readUInt32BE(p);
      need(p + 4, len, end, name);
      const s = p + 4;
      const e = s + len;
      const value: FieldValue =
        tag === 'S' ? { type: 'S', value: buf.subarray(s, e) }
        : tag === 'x' ? { type: 'x', value: buf.subarray(s, e) }
        : tag === 'F' ? { type: 'F', value: readTable(buf, s, e) }
        : { type: 'A', value: readArray(buf, s, e) };
      return { value, next: e };
    }
    case 't':
      need(p, 1, end, name);
      return { value: { type: 't', value: buf[p] !== 0 }, next: p + 1 };
    case 'b':
      need(p, 1, end, name);
      return { value: { type: 'b', value: buf.readInt8(p) }, next: p + 1 };
    case 'B':
      need(p, 1, end, name);
      return { value: { type: 'B', value: buf[p] }, next: p + 1 };
    case 's':
      need(p, 2, end, name);
      return { value: { type: 's', value: buf.readInt16BE(p) }, next: p + 2 };
    case 'u':
      need(p, 2, end, name);
      return { value: { type: 'u', value: buf.readUInt16BE(p) }, next: p + 2 };
    case 'I':
      need(p, 4, end, name);
      return { value: { type: 'I', value: buf.readInt32BE(p) }, next: p + 4 };
    case 'i':
      need(p, 4, end, name);
      return { value: { type: 'i', value: buf.readUInt32BE(p) }, next: p + 4 };
    case 'f':
      need(p, 4, end, name);
      return { value: { type: 'f', value: buf.readFloatBE(p) }, next: p + 4 };
    case 'd':
      need(p, 8, end, name);
      return { value: { type: 'd', value: buf.readDoubleBE(p) }, next: p + 8 };
    case 'l':
    case 'L':
      need(p, 8, end, name);
      return { value: { type: tag, value: buf.readBigInt64BE(p) }, next: p + 8 };
    case 'T':
      need(p, 8, end, name);
      return { value: { type: 'T', value: buf.readBigUInt64BE(p) }, next: p + 8 };
    case 'D':
      need(p, 5, end, name);
      return { value: { type: 'D', value: { scale: buf[p], digits: buf.readUInt32BE(p + 1) } }, next: p + 5 };
    case 'V':
      return { value: { type: 'V', value: null }, next: p };
    default: {
      const where = name === null ? 'an array element' : `table value '${name}'`;
      throw new Malformed(`unknown field type 0x${buf[pos].toString(16).padStart(2, '0')} for ${where}`);
    }
  }
}

/**
 * Walks a table's bytes checking its structure without building anything (used to validate
 * message headers on the publish path). Returns null when well formed, else what is wrong.
 */
export function checkTable(buf: Buffer, start: number, end: number): string | null {
  try {
    skipEntries(buf, start, end, true);
    return null;
  } catch (e) {
    if (e instanceof Malformed) return e.detail;
    throw e;
  }
}

const FIXED_WIDTH: Record<string, number> = {
  t: 1, b: 1, B: 1, s: 2, u: 2, I: 4, i: 4, f: 4, d: 8, l: 8, L: 8, T: 8, D: 5, V: 0,
};

function skipEntries(buf: Buffer, pos: number, end: number, named: boolean): void {
  while (pos < end) {
    let name: string | null = null;
    if (named) {
      const nameEnd = pos + 1 + buf[pos];
      if (nameEnd >= end) throw new Malformed('table entry name runs past the end of the table');
      name = '';
      pos = nameEnd;
    }
    const tag = String.fromCharCode(buf[pos]);
    const width = FIXED_WIDTH[tag];
    pos += 1;
    if (width !== undefined) {
      need(pos, width, end, name);
      pos += width;
    } else if (tag === 'S' || tag === 'x' || tag === 'F' || tag === 'A') {
      need(pos, 4, end, name);
      const len = buf.readUInt32BE(pos);
      need(pos + 4, len, end, name);
      if (tag === 'F' || tag === 'A') skipEntries(buf, pos + 4, pos + 4 + len, tag === 'F');
      pos += 4 + len;
    } else {
      throw new Malformed(`unknown field type 0x${buf[pos - 1].toString(16).padStart(2, '0')}`);
    }
  }
}

/** Writes a table with its 32-bit length prefix. */
export function writeTable(w: ByteWriter, table: FieldTable): void {
  const lenAt = w.reserveU32();
  const body = w.mark();
  for (const entry of table) {
    w.shortstr(entry.name);
    writeValue(w, entry.value);
  }
  w.patchU32(lenAt, w.since(body));
}

function writeArray(w: ByteWriter, values: FieldArray): void {
  const lenAt = w.reserveU32();
  const body = w.mark();
  for (const v of values) writeValue(w, v);
  w.patchU32(lenAt, w.since(body));
}

function writeValue(w: ByteWriter, v: FieldValue): void {
  w.u8(v.type.charCodeAt(0));
  switch (v.type) {
    case 't': return w.u8(v.value ? 1 : 0);
    case 'b': return w.i8(v.value);
    case 'B': return w.u8(v.value);
    case 's': return w.i16(v.value);
    case 'u': return w.u16(v.value);
    case 'I': return w.i32(v.value);
    case 'i': return w.u32(v.value);
    case 'f': return w.f32(v.value);
    case 'd': return w.f64(v.value);
    case 'l':
    case 'L': return w.i64(v.value);
    case 'T': return w.u64n(v.value);
    case 'D':
      w.u8(v.value.scale);
      return w.u32(v.value.digits);
    case 'S':
    case 'x': return w.longstr(v.value);
    case 'V': return;
    case 'F': return writeTable(w, v.value);
    case 'A': return writeArray(w, v.value);
  }
}

/** Encodes a table (with its length prefix) into a fresh Buffer. */
export function encodeTable(table: FieldTable): Buffer {
  const w = new ByteWriter(256);
  writeTable(w, table);
  return Buffer.from(w.take());
}

// ---- convenience for code that builds or reads tables ----

/** The value of the first entry named `name`, if any. */
export function tableGet(table: FieldTable, name: string): FieldValue | undefined {
  for (const e of table) if (e.name === name) return e.value;
  return undefined;
}

/** Plain JS shape of a value: numbers, bigints, strings for long strings, nested objects/arrays. */
export type PlainValue =
  | boolean | number | bigint | string | Buffer | null | Decimal
  | { [key: string]: PlainValue } | PlainValue[];

export function toPlain(v: FieldValue): PlainValue {
  switch (v.type) {
    case 'S': return v.value.toString('utf8');
    case 'F': return tableToObject(v.value);
    case 'A': return v.value.map(toPlain);
    default: return v.value;
  }
}

export function tableToObject(table: FieldTable): { [key: string]: PlainValue } {
  const out: { [key: string]: PlainValue } = {};
  for (const e of table) out[e.name] = toPlain(e.value);
  return out;
}

/**
 * Builds a table from a plain object, choosing tags the way RabbitMQ's clients commonly do:
 * strings → 'S', booleans → 't', integers → 'I' (or 'l' beyond 32 bits), other numbers → 'd',
 * bigints → 'l', Buffers → 'x', null → 'V', arrays → 'A', Dates → 'T', objects → 'F'.
 * Values that are already FieldValues ({ type, value }) are kept as given.
 */
export function tableFromObject(obj: { [key: string]: unknown }): FieldTable {
  return Object.entries(obj).map(([name, v]) => ({ name, value: fieldValueOf(v) }));
}

export function fieldValueOf(v: unknown): FieldValue {
  if (isFieldValue(v)) return v;
  if (typeof v === 'string') return { type: 'S', value: Buffer.from(v, 'utf8') };
  if (typeof v === 'boolean') return { type: 't', value: v };
  if (typeof v === 'bigint') return { type: 'l', value: v };
  if (typeof v === 'number') {
    if (Number.isInteger(v)) {
      return v >= -0x8000_0000 && v <= 0x7fff_ffff ? { type: 'I', value: v } : { type: 'l', value: BigInt(v) };
    }
    return { type: 'd', value: v };
  }
  if (v === null || v === undefined) return { type: 'V', value: null };
  if (Buffer.isBuffer(v)) return { type: 'x', value: v };
  if (Array.isArray(v)) return { type: 'A', value: v.map(fieldValueOf) };
  if (v instanceof Date) return { type: 'T', value: BigInt(Math.floor(v.getTime() / 1000)) };
  if (typeof v === 'object') return { type: 'F', value: tableFromObject(v as { [key: string]: unknown }) };
  throw new TypeError(`cannot put a ${typeof v} in a field table`);
}

function isFieldValue(v: unknown): v is FieldValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Buffer.isBuffer(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && 'type' in v && 'value' in v && FIELD_TYPES.includes((v as FieldValue).type);
}
