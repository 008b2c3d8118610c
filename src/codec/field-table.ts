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

/** Thrown inside the decoder; callers of decodeTable/decodeArray get it as a value. */
class Malformed {
  constructor(readonly detail: string) {}
}

/** Decodes the bytes of a table (without its 32-bit length prefix). */
export function decodeTable(buf: Buffer, start = 0, end = buf.length): FieldTable | TableFailure {
  try {
    return readContainer(buf, start, end, true) as TableEntry[];
  } catch (e) {
    if (e instanceof Malformed) return new TableFailure(e.detail);
    throw e;
  }
}

export function decodeArray(buf: Buffer, start = 0, end = buf.length): FieldArray | TableFailure {
  try {
    return readContainer(buf, start, end, false) as FieldValue[];
  } catch (e) {
    if (e instanceof Malformed) return new TableFailure(e.detail);
    throw e;
  }
}

/** Why a table could not be decoded (a value, never thrown to callers). */
export class TableFailure {
  constructor(readonly detail: string) {}
}

const TAG_TABLE = 0x46; // 'F'
const TAG_ARRAY = 0x41; // 'A'

/** A table or array being read: whether its entries are named, where it ends, what it holds so far. */
interface OpenContainer {
  readonly named: boolean;
  readonly end: number;
  readonly items: (TableEntry | FieldValue)[];
  /** Its own entry name in the table that holds it (null in an array, or at the top). */
  readonly key: string | null;
}

/**
 * Reads a table (`named`) or an array from `pos` to `end`. Nesting is followed with a stack on
 * the heap, not by recursion: a header table nested 15,000 deep fits in one 128 KiB frame, and
 * RabbitMQ delivers it, so its decoding must not run out of JS stack.
 */
function readContainer(buf: Buffer, pos: number, end: number, named: boolean): (TableEntry | FieldValue)[] {
  const open: OpenContainer[] = [];
  let top: OpenContainer = { named, end, items: [], key: null };
  for (;;) {
    if (pos >= top.end) {
      const done = top;
      const parent = open.pop();
      if (parent === undefined) return done.items;
      const value: FieldValue = done.named
        ? { type: 'F', value: done.items as TableEntry[] }
        : { type: 'A', value: done.items as FieldValue[] };
      parent.items.push(parent.named ? { name: done.key as string, value } : value);
      top = parent;
      continue;
    }
    let name: string | null = null;
    if (top.named) {
      const nameEnd = pos + 1 + buf[pos];
      if (nameEnd >= top.end) throw new Malformed('table entry name runs past the end of the table');
      name = buf.toString('utf8', pos + 1, nameEnd);
      pos = nameEnd;
    }
    const tag = buf[pos];
    if (tag === TAG_TABLE || tag === TAG_ARRAY) {
      need(pos + 1, 4, top.end, name);
      const start = pos + 5;
      const len = buf.readUInt32BE(pos + 1);
      need(start, len, top.end, name);
      open.push(top);
      top = { named: tag === TAG_TABLE, end: start + len, items: [], key: name };
      pos = start;
      continue;
    }
    const value = readScalar(buf, pos, top.end, name);
    top.items.push(name === null ? value : { name, value });
    pos = scalarEnd;
  }
}

function need(pos: number, n: number, end: number, name: string | null): void {
  if (pos + n > end) {
    throw new Malformed(`${name === null ? 'array element' : `table value '${name}'`} runs past the end`);
  }
}

/** Where the value readScalar read last ends (a module variable: no result object per value). */
let scalarEnd = 0;

/** Reads one tagged value other than a table or array at `pos` (the tag octet). */
function readScalar(buf: Buffer, pos: number, end: number, name: string | null): FieldValue {
  const tag = String.fromCharCode(buf[pos]);
  const p = pos + 1;
  switch (tag) {
    case 'S':
    case 'x': {
      need(p, 4, end, name);
      const len = buf.readUInt32BE(p);
      need(p + 4, len, end, name);
      scalarEnd = p + 4 + len;
      const bytes = buf.subarray(p + 4, scalarEnd);
      return tag === 'S' ? { type: 'S', value: bytes } : { type: 'x', value: bytes };
    }
    case 't':
      need(p, 1, end, name);
      scalarEnd = p + 1;
      return { type: 't', value: buf[p] !== 0 };
    case 'b':
      need(p, 1, end, name);
      scalarEnd = p + 1;
      return { type: 'b', value: buf.readInt8(p) };
    case 'B':
      need(p, 1, end, name);
      scalarEnd = p + 1;
      return { type: 'B', value: buf[p] };
    case 's':
      need(p, 2, end, name);
      scalarEnd = p + 2;
      return { type: 's', value: buf.readInt16BE(p) };
    case 'u':
      need(p, 2, end, name);
      scalarEnd = p + 2;
      return { type: 'u', value: buf.readUInt16BE(p) };
    case 'I':
      need(p, 4, end, name);
      scalarEnd = p + 4;
      return { type: 'I', value: buf.readInt32BE(p) };
    case 'i':
      need(p, 4, end, name);
      scalarEnd = p + 4;
      return { type: 'i', value: buf.readUInt32BE(p) };
    case 'f':
      need(p, 4, end, name);
      scalarEnd = p + 4;
      return { type: 'f', value: buf.readFloatBE(p) };
    case 'd':
      need(p, 8, end, name);
      scalarEnd = p + 8;
      return { type: 'd', value: buf.readDoubleBE(p) };
    case 'l':
    case 'L':
      need(p, 8, end, name);
      scalarEnd = p + 8;
      return { type: tag, value: buf.readBigInt64BE(p) };
    case 'T':
      need(p, 8, end, name);
      scalarEnd = p + 8;
      return { type: 'T', value: buf.readBigUInt64BE(p) };
    case 'D':
      need(p, 5, end, name);
      scalarEnd = p + 5;
      return { type: 'D', value: { scale: buf[p], digits: buf.readUInt32BE(p + 1) } };
    case 'V':
      scalarEnd = p;
      return { type: 'V', value: null };
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
    skipEntries(buf, start, end);
    return null;
  } catch (e) {
    if (e instanceof Malformed) return e.detail;
    throw e;
  }
}

const FIXED_WIDTH: Record<string, number> = {
  t: 1, b: 1, B: 1, s: 2, u: 2, I: 4, i: 4, f: 4, d: 8, l: 8, L: 8, T: 8, D: 5, V: 0,
};

/**
 * checkTable's walk. Entering a nested table or array saves where the outer one ends (and
 * whether its entries are named) on a stack, allocated only when there is nesting.
 */
function skipEntries(buf: Buffer, pos: number, end: number): void {
  let named = true;
  let outerEnds: number[] | null = null;
  let outerNamed: boolean[] | null = null;
  for (;;) {
    if (pos >= end) {
      if (outerEnds === null || outerEnds.length === 0) return;
      end = outerEnds.pop() as number;
      named = (outerNamed as boolean[]).pop() as boolean;
      continue;
    }
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
      if (tag === 'F' || tag === 'A') {
        (outerEnds ??= []).push(end);
        (outerNamed ??= []).push(named);
        end = pos + 4 + len;
        named = tag === 'F';
        pos += 4;
      } else {
        pos += 4 + len;
      }
    } else {
      throw new Malformed(`unknown field type 0x${buf[pos - 1].toString(16).padStart(2, '0')}`);
    }
  }
}

/**
 * Where the tagged value starting at `pos` ends, in bytes already checked by checkTable (a
 * nested table or array is skipped by its length, never entered).
 */
export function valueEnd(buf: Buffer, pos: number): number {
  const tag = String.fromCharCode(buf[pos]);
  const width = FIXED_WIDTH[tag];
  return width !== undefined ? pos + 1 + width : pos + 5 + buf.readUInt32BE(pos + 1);
}

/** A table or array being written: its items, the next one to write, where its length goes. */
interface WritingContainer {
  readonly items: readonly (TableEntry | FieldValue)[];
  readonly named: boolean;
  next: number;
  readonly lengthAt: number;
  readonly body: number;
}

/** Writes a table with its 32-bit length prefix. */
export function writeTable(w: ByteWriter, table: FieldTable): void {
  writeContainer(w, table, true);
}

/** Writes a table or array and everything nested in it, with a stack instead of recursion. */
function writeContainer(w: ByteWriter, items: readonly (TableEntry | FieldValue)[], named: boolean): void {
  const open: WritingContainer[] = [];
  let lengthAt = w.reserveU32();
  let top: WritingContainer = { items, named, next: 0, lengthAt, body: w.mark() };
  for (;;) {
    if (top.next === top.items.length) {
      w.patchU32(top.lengthAt, w.since(top.body));
      const parent = open.pop();
      if (parent === undefined) return;
      top = parent;
      continue;
    }
    const item = top.items[top.next++];
    let v: FieldValue;
    if (top.named) {
      const entry = item as TableEntry;
      w.shortstr(entry.name);
      v = entry.value;
    } else {
      v = item as FieldValue;
    }
    if (v.type === 'F' || v.type === 'A') {
      w.u8(v.type.charCodeAt(0));
      open.push(top);
      lengthAt = w.reserveU32();
      top = { items: v.value, named: v.type === 'F', next: 0, lengthAt, body: w.mark() };
      continue;
    }
    writeScalar(w, v);
  }
}

function writeScalar(w: ByteWriter, v: Exclude<FieldValue, { type: 'F' | 'A' }>): void {
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
