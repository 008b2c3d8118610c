#!/usr/bin/env node
// Generates src/codec/generated/* from protocol/amqp-0-9-1.json (npm run gen:protocol).
// Output is deterministic; CI regenerates and fails if anything changed (--check).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '..', 'src', 'codec', 'generated');
const def = JSON.parse(readFileSync(path.join(here, 'amqp-0-9-1.json'), 'utf8'));
const BANNER =
  '// generated — do not edit. Source: protocol/amqp-0-9-1.json, by protocol/generate.mjs\n' +
  '// (npm run gen:protocol).\n';

// ---------- naming ----------
const camel = (s) => s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (s) => camel(s).replace(/^./, (c) => c.toUpperCase());
const upper = (s) => s.replace(/-/g, '_').toUpperCase();
const hex8 = (n) => '0x' + n.toString(16).padStart(8, '0');
const methodConst = (c, m) => `${upper(c.name)}_${upper(m.name)}`;
const methodType = (c, m) => `${pascal(c.name)}${pascal(m.name)}`;
const fullName = (c, m) => `${c.name}.${m.name}`;

const methods = def.classes.flatMap((c) =>
  c.methods.map((m) => ({ c, m, id: c.id * 65536 + m.id, konst: methodConst(c, m), type: methodType(c, m) })),
);

/** Groups consecutive bit fields into octets (at most 8 bits each), as AMQP packs them. */
function packFields(fields) {
  const out = [];
  let group = null;
  fields.forEach((f, index) => {
    if (f.type === 'bit') {
      if (!group || group.bits.length === 8) {
        group = { kind: 'bits', index, bits: [] };
        out.push(group);
      }
      group.bits.push(f);
    } else {
      group = null;
      out.push({ kind: 'field', index, field: f });
    }
  });
  return out;
}

const TS_TYPE = {
  octet: 'number', short: 'number', long: 'number', longlong: 'number', timestamp: 'number',
  shortstr: 'string', longstr: 'Buffer', bit: 'boolean', table: 'FieldTable',
};
const TS_INIT_TYPE = { ...TS_TYPE, longstr: 'Buffer | string' };

function write(file, text) {
  const target = path.join(outDir, file);
  if (process.argv.includes('--check')) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), target)} differs from what the generator writes`);
      process.exitCode = 1;
    }
    return;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(target, text);
}

// ---------- protocol.ts: constants, ids, metadata ----------
function genProtocol() {
  const L = [BANNER];
  L.push(`/** ${def.protocol}. */`);
  L.push(`export const PROTOCOL_VERSION = { major: ${def.major}, minor: ${def.minor}, revision: ${def.revision} } as const;`);
  L.push(`export const DEFAULT_PORT = ${def.port};`, '');
  L.push('// ---- constants (frame types, sizes, reply codes) ----');
  for (const k of def.constants) L.push(`export const ${upper(k.name)} = ${k.value};`);
  const replies = def.constants.filter((k) => k.value >= 200 && k.name !== 'frame-min-size');
  L.push('', '/** Reply code → its constant name, as used at the start of reply texts. */');
  L.push('export const REPLY_CODE_NAMES: ReadonlyMap<number, string> = new Map([');
  for (const k of replies) L.push(`  [${k.value}, '${upper(k.name)}'],`);
  L.push(']);', '');
  L.push('/** Reply codes that close the whole connection. */');
  L.push(`export const HARD_ERRORS: ReadonlySet<number> = new Set([${replies.filter((k) => k.class === 'hard-error').map((k) => k.value).join(', ')}]);`);
  L.push('/** Reply codes that close only the channel. */');
  L.push(`export const SOFT_ERRORS: ReadonlySet<number> = new Set([${replies.filter((k) => k.class === 'soft-error').map((k) => k.value).join(', ')}]);`, '');
  L.push('// ---- class ids ----');
  for (const c of def.classes) L.push(`export const CLASS_${upper(c.name)} = ${c.id};`);
  L.push('', '// ---- method ids: class id << 16 | method id ----');
  for (const x of methods) L.push(`export const ${x.konst} = ${hex8(x.id)};`);
  L.push('');
  L.push(`export type AmqpType = ${Object.keys(TS_TYPE).map((t) => `'${t}'`).join(' | ')};`);
  L.push('export interface FieldInfo {');
  L.push('  readonly name: string;');
  L.push('  readonly domain: string | null;');
  L.push('  readonly type: AmqpType;');
  L.push('  readonly reserved: boolean;');
  L.push('}');
  L.push('export interface MethodInfo {');
  L.push('  readonly id: number;');
  L.push('  readonly classId: number;');
  L.push('  readonly methodId: number;');
  L.push("  /** e.g. 'basic.publish' */");
  L.push('  readonly name: string;');
  L.push('  readonly synchronous: boolean;');
  L.push('  readonly hasContent: boolean;');
  L.push('  /** Ids of the methods that answer this one. */');
  L.push('  readonly responses: readonly number[];');
  L.push("  /** Which peer may send it: 'client', 'server' or both. */");
  L.push("  readonly sentBy: readonly ('client' | 'server')[];");
  L.push('  readonly fields: readonly FieldInfo[];');
  L.push('}', '');
  const fieldInfo = (f) =>
    `{ name: '${f.name}', domain: ${f.domain ? `'${f.domain}'` : 'null'}, type: '${f.type}', reserved: ${f.reserved} }`;
  L.push('export const METHODS: readonly MethodInfo[] = [');
  for (const { c, m, id } of methods) {
    const responses = m.responses.map((r) => methodConst(c, { name: r }));
    L.push('  {');
    L.push(`    id: ${hex8(id)}, classId: ${c.id}, methodId: ${m.id}, name: '${fullName(c, m)}',`);
    L.push(`    synchronous: ${m.synchronous}, hasContent: ${m.content}, responses: [${responses.join(', ')}],`);
    L.push(`    sentBy: [${m.sentBy.map((s) => `'${s}'`).join(', ')}],`);
    L.push(`    fields: [${m.fields.length ? '\n' + m.fields.map((f) => `      ${fieldInfo(f)},`).join('\n') + '\n    ' : ''}],`);
    L.push('  },');
  }
  L.push('];', '');
  L.push('export const METHOD_INFO: ReadonlyMap<number, MethodInfo> = new Map(METHODS.map((m) => [m.id, m]));', '');
  const basic = def.classes.find((c) => c.name === 'basic');
  L.push('/** The content-header properties of class basic, in flag order (first = bit 15). */');
  L.push('export const BASIC_PROPERTY_FIELDS: readonly FieldInfo[] = [');
  for (const f of basic.properties) L.push(`  ${fieldInfo(f)},`);
  L.push('];', '');
  return L.join('\n');
}

// ---------- method-types.ts ----------
function genTypes() {
  const L = [BANNER];
  L.push("import type { FieldTable } from '../field-table.js';");
  L.push(`import type { ${methods.map((x) => x.konst).join(', ')} } from './protocol.js';`, '');
  for (const { c, m, type } of methods) {
    L.push(`/** ${fullName(c, m)} as decoded. */`);
    if (m.fields.length === 0) {
      L.push(`export type ${type}Args = Record<string, never>;`);
    } else {
      L.push(`export interface ${type}Args {`);
      for (const f of m.fields) L.push(`  readonly ${camel(f.name)}${f.reserved ? '?' : ''}: ${TS_TYPE[f.type]};`);
      L.push('}');
    }
    L.push(`/** ${fullName(c, m)} as given to its encoder (reserved fields and tables may be left out). */`);
    if (m.fields.length === 0) {
      L.push(`export type ${type}Init = Record<string, never>;`);
    } else {
      L.push(`export interface ${type}Init {`);
      for (const f of m.fields) {
        const optional = f.reserved || f.type === 'table' ? '?' : '';
        L.push(`  readonly ${camel(f.name)}${optional}: ${TS_INIT_TYPE[f.type]};`);
      }
      L.push('}');
    }
    L.push('');
  }
  L.push('/** Decoded arguments by method id. */');
  L.push('export interface MethodArgsById {');
  for (const x of methods) L.push(`  [${x.id}]: ${x.type}Args;`);
  L.push('}');
  L.push('/** Encoder inputs by method id. */');
  L.push('export interface MethodInitById {');
  for (const x of methods) L.push(`  [${x.id}]: ${x.type}Init;`);
  L.push('}', '');
  L.push('/** A decoded method: switch on `id` and TypeScript narrows `args`. */');
  L.push('export type Method =');
  for (const x of methods) L.push(`  | { readonly id: typeof ${x.konst}; readonly args: ${x.type}Args }`);
  L.push(';', '');
  return L.join('\n');
}

// ---------- method-decoders.ts (binary-parser) ----------
function genDecoders() {
  const L = [BANNER];
  L.push("import { isUtf8 } from 'node:buffer';");
  L.push("import { Parser } from 'binary-parser';");
  L.push("import { decodeTable, TableFailure, type FieldTable } from '../field-table.js';");
  L.push("import { DecodeFailure } from '../decode-failure.js';");
  L.push("import { argumentFailure, tableFailure, utf8Failure, unknownMethod, EMPTY_ARGS } from '../method-faults.js';");
  L.push(`import { ${methods.map((x) => x.konst).join(', ')} } from './protocol.js';`);
  L.push(`import type { Method, ${methods.map((x) => `${x.type}Args`).join(', ')} } from './method-types.js';`, '');
  L.push('/*');
  L.push(' * One binary-parser Parser per method. Notes on binary-parser, measured here:');
  L.push(' * - strings are read with buffer() (a view) and decoded once, here: string() allocates a');
  L.push(' *   TextDecoder per call;');
  L.push(' * - the fields are nested under `m` because the top-level result object has properties');
  L.push(' *   deleted from it, which leaves it in slow dictionary mode;');
  L.push(' * - 64-bit fields are read as two 32-bit halves, not uint64 (a bigint);');
  L.push(' * - a length that runs past the payload is silently truncated by buffer(), so every parser');
  L.push(' *   ends with saveOffset and the payload must end exactly there;');
  L.push(' * - AMQP packs bits LSB-first, so a bit group is read as one octet and masked here.');
  L.push(' * Reading past the end throws a RangeError, which decodeMethodGenerated turns into a value.');
  L.push(' */', '');
  for (const { c, m, konst, type } of methods) {
    if (m.fields.length === 0) continue;
    const packed = packFields(m.fields);
    const chain = [];
    const raw = [];
    for (const p of packed) {
      if (p.kind === 'bits') {
        chain.push(`.uint8('b${p.index}')`);
        raw.push(`b${p.index}: number`);
        continue;
      }
      const n = `f${p.index}`;
      switch (p.field.type) {
        case 'octet': chain.push(`.uint8('${n}')`); raw.push(`${n}: number`); break;
        case 'short': chain.push(`.uint16('${n}')`); raw.push(`${n}: number`); break;
        case 'long': chain.push(`.uint32('${n}')`); raw.push(`${n}: number`); break;
        case 'longlong':
        case 'timestamp':
          chain.push(`.uint32('${n}h')`, `.uint32('${n}l')`);
          raw.push(`${n}h: number`, `${n}l: number`);
          break;
        case 'shortstr':
          chain.push(`.uint8('${n}n')`, `.buffer('${n}', { length: '${n}n' })`);
          raw.push(`${n}n: number`, `${n}: Buffer`);
          break;
        case 'longstr':
        case 'table':
          chain.push(`.uint32('${n}n')`, `.buffer('${n}', { length: '${n}n' })`);
          raw.push(`${n}n: number`, `${n}: Buffer`);
          break;
        default: throw new Error(`unhandled type ${p.field.type}`);
      }
    }
    const parserName = `${camel(c.name)}${pascal(m.name)}Parser`;
    L.push(`interface ${type}Raw {`);
    for (const r of raw) L.push(`  ${r};`);
    L.push('  end: number;');
    L.push('}');
    L.push(`const ${parserName} = new Parser()`);
    L.push('  .seek(4)');
    L.push('  .nest(\'m\', {');
    L.push('    type: new Parser()');
    for (const ch of chain) L.push(`      ${ch}`);
    L.push("      .saveOffset('end'),");
    L.push('  });', '');

    L.push(`/** Decodes the arguments of ${fullName(c, m)} (payload = the whole method frame payload). */`);
    L.push(`export function decode${type}(payload: Buffer): ${type}Args | DecodeFailure {`);
    L.push(`  const r = (${parserName}.parse(payload) as { m: ${type}Raw }).m;`);
    L.push(`  if (r.end !== payload.length) return argumentFailure(${konst}, payload);`);
    // UTF-8 checks: RabbitMQ validates shortstrs of non-content methods only (a speed choice).
    for (const p of packed) {
      if (p.kind === 'field' && p.field.type === 'shortstr' && !m.content) {
        L.push(`  if (!isUtf8(r.f${p.index})) return utf8Failure(${konst}, '${p.field.name}');`);
      }
    }
    for (const p of packed) {
      if (p.kind === 'field' && p.field.type === 'table') {
        L.push(`  const t${p.index} = r.f${p.index}.length === 0 ? EMPTY_TABLE : decodeTable(r.f${p.index});`);
        L.push(`  if (t${p.index} instanceof TableFailure) return tableFailure(${konst}, '${p.field.name}', t${p.index});`);
      }
    }
    L.push('  return {');
    for (const p of packed) {
      if (p.kind === 'bits') {
        p.bits.forEach((f, i) => L.push(`    ${camel(f.name)}: (r.b${p.index} & ${1 << i}) !== 0,`));
        continue;
      }
      const f = p.field;
      const n = `r.f${p.index}`;
      const key = camel(f.name);
      switch (f.type) {
        case 'shortstr': L.push(`    ${key}: ${n}.toString('utf8'),`); break;
        case 'longstr': L.push(`    ${key}: ${n},`); break;
        case 'table': L.push(`    ${key}: t${p.index} as FieldTable,`); break;
        case 'longlong':
        case 'timestamp': L.push(`    ${key}: ${n}h * 0x1_0000_0000 + ${n}l,`); break;
        default: L.push(`    ${key}: ${n},`);
      }
    }
    L.push('  };');
    L.push('}', '');
  }
  L.push('const EMPTY_TABLE: FieldTable = [];', '');
  L.push('/**');
  L.push(' * Decodes a method frame payload with the generated decoders. Never throws on bad input:');
  L.push(' * a payload that does not fit its method comes back as a DecodeFailure.');
  L.push(' */');
  L.push('export function decodeMethodGenerated(payload: Buffer): Method | DecodeFailure {');
  L.push('  const id = payload.readUInt32BE(0);');
  L.push('  try {');
  L.push('    switch (id) {');
  for (const { m, konst, type } of methods) {
    if (m.fields.length === 0) {
      L.push(`      case ${konst}:`);
      L.push(`        return payload.length === 4 ? { id, args: EMPTY_ARGS } : argumentFailure(id, payload);`);
    } else {
      L.push(`      case ${konst}: {`);
      L.push(`        const args = decode${type}(payload);`);
      L.push('        return args instanceof DecodeFailure ? args : { id, args };');
      L.push('      }');
    }
  }
  L.push('      default:');
  L.push('        return unknownMethod(id);');
  L.push('    }');
  L.push('  } catch (e) {');
  L.push('    if (e instanceof RangeError) return argumentFailure(id, payload);');
  L.push('    throw e;');
  L.push('  }');
  L.push('}', '');
  return L.join('\n');
}

// ---------- method-encoders.ts ----------
function genEncoders() {
  const L = [BANNER];
  L.push("import type { ByteWriter } from '../byte-writer.js';");
  L.push("import { writeTable, EMPTY_TABLE } from '../field-table.js';");
  L.push(`import { ${methods.map((x) => x.konst).join(', ')} } from './protocol.js';`);
  L.push(`import type { MethodInitById, ${methods.map((x) => `${x.type}Init`).join(', ')} } from './method-types.js';`, '');
  for (const { c, m, konst, type } of methods) {
    const packed = packFields(m.fields);
    const param = m.fields.length ? 'a' : '_a';
    L.push(`/** Writes the payload of ${fullName(c, m)}: class and method id, then the arguments. */`);
    L.push(`export function encode${type}(w: ByteWriter, ${param}: ${type}Init): void {`);
    L.push(`  w.u32(${konst});`);
    for (const p of packed) {
      if (p.kind === 'bits') {
        const expr = p.bits.map((f, i) => `(a.${camel(f.name)} ? ${1 << i} : 0)`).join(' | ');
        L.push(`  w.u8(${expr});`);
        continue;
      }
      const f = p.field;
      const v = `a.${camel(f.name)}`;
      const dflt = { octet: '0', short: '0', long: '0', longlong: '0', timestamp: '0', shortstr: "''", longstr: "''", table: 'EMPTY_TABLE' }[f.type];
      const val = f.reserved || f.type === 'table' ? `${v} ?? ${dflt}` : v;
      switch (f.type) {
        case 'octet': L.push(`  w.u8(${val});`); break;
        case 'short': L.push(`  w.u16(${val});`); break;
        case 'long': L.push(`  w.u32(${val});`); break;
        case 'longlong':
        case 'timestamp': L.push(`  w.u64(${val});`); break;
        case 'shortstr': L.push(`  w.shortstr(${val});`); break;
        case 'longstr': L.push(`  w.longstr(${val});`); break;
        case 'table': L.push(`  writeTable(w, ${val});`); break;
        default: throw new Error(`unhandled type ${f.type}`);
      }
    }
    L.push('}', '');
  }
  L.push('type Encoder = (w: ByteWriter, a: never) => void;');
  L.push('const ENCODERS: ReadonlyMap<number, Encoder> = new Map<number, Encoder>([');
  for (const x of methods) L.push(`  [${x.konst}, encode${x.type}],`);
  L.push(']);', '');
  L.push('/** Writes any method\'s payload by id. */');
  L.push('export function encodeMethod<K extends keyof MethodInitById>(w: ByteWriter, id: K, args: MethodInitById[K]): void {');
  L.push('  const encode = ENCODERS.get(id);');
  L.push('  if (!encode) throw new RangeError(`no encoder for method id ${id}`);');
  L.push('  (encode as (w: ByteWriter, a: MethodInitById[K]) => void)(w, args);');
  L.push('}', '');
  return L.join('\n');
}

// ---------- basic-properties.ts ----------
function genProperties() {
  const basic = def.classes.find((c) => c.name === 'basic');
  const props = basic.properties;
  if (props.length > 15) throw new Error('more than 15 properties needs flag continuation');
  const L = [BANNER];
  L.push("import type { ByteWriter } from '../byte-writer.js';");
  L.push("import { checkTable, decodeTable, TableFailure, writeTable, type FieldTable } from '../field-table.js';", '');
  L.push('/** The 14 properties of a basic content header; absent ones are undefined. */');
  L.push('export interface BasicProperties {');
  for (const f of props) L.push(`  ${camel(f.name)}?: ${TS_TYPE[f.type]};`);
  L.push('}', '');
  L.push('/** Property index → flag bit (the first property is bit 15; bit 0 would flag a continuation). */');
  L.push('export const PROPERTY_FLAG = {');
  props.forEach((f, i) => L.push(`  ${camel(f.name)}: 0x${(0x8000 >> i).toString(16)},`));
  L.push('} as const;', '');
  L.push(`export const PROPERTY_COUNT = ${props.length};`);
  L.push('/** Property index by name, for ContentHeader offset lookups. */');
  L.push('export const PROPERTY_INDEX = {');
  props.forEach((f, i) => L.push(`  ${camel(f.name)}: ${i},`));
  L.push('} as const;', '');
  L.push('/**');
  L.push(' * Checks the property list starting at `start` (the flags word): every length stays inside');
  L.push(' * [start, end), the headers table is well formed, nothing follows the last property. Walks');
  L.push(' * the bytes without decoding anything. Returns null when well formed, else what is wrong.');
  L.push(' */');
  L.push('export function checkBasicProperties(buf: Buffer, start: number, end: number): string | null {');
  L.push("  if (start + 2 > end) return 'property flags missing';");
  L.push('  const flags = buf.readUInt16BE(start);');
  L.push('  let p = start + 2;');
  props.forEach((f, i) => {
    const bit = `0x${(0x8000 >> i).toString(16)}`;
    L.push(`  if ((flags & ${bit}) !== 0) {`);
    switch (f.type) {
      case 'shortstr':
        L.push(`    if (p >= end || p + 1 + buf[p] > end) return '${f.name} runs past the end of the header';`);
        L.push('    p += 1 + buf[p];');
        break;
      case 'octet':
        L.push(`    if (p + 1 > end) return '${f.name} runs past the end of the header';`);
        L.push('    p += 1;');
        break;
      case 'timestamp':
        L.push(`    if (p + 8 > end) return '${f.name} runs past the end of the header';`);
        L.push('    p += 8;');
        break;
      case 'table':
        L.push(`    if (p + 4 > end) return '${f.name} runs past the end of the header';`);
        L.push('    const n = buf.readUInt32BE(p);');
        L.push(`    if (p + 4 + n > end) return '${f.name} runs past the end of the header';`);
        L.push('    const bad = checkTable(buf, p + 4, p + 4 + n);');
        L.push(`    if (bad !== null) return \`${f.name}: \${bad}\`;`);
        L.push('    p += 4 + n;');
        break;
      default: throw new Error(`unhandled property type ${f.type}`);
    }
    L.push('  }');
  });
  L.push("  if (p !== end) return `${end - p} bytes after the last property`;");
  L.push('  return null;');
  L.push('}', '');
  L.push('/**');
  L.push(' * Where property `index` starts in a property list already checked by checkBasicProperties,');
  L.push(' * or -1 when it is absent. Skips the properties before it by their lengths.');
  L.push(' */');
  L.push('export function findBasicProperty(buf: Buffer, start: number, index: number): number {');
  L.push('  const flags = buf.readUInt16BE(start);');
  L.push('  if ((flags & (0x8000 >> index)) === 0) return -1;');
  L.push('  let p = start + 2;');
  props.forEach((f, i) => {
    if (i === props.length - 1) return;
    const bit = `0x${(0x8000 >> i).toString(16)}`;
    const skip = { shortstr: '1 + buf[p]', octet: '1', timestamp: '8', table: '4 + buf.readUInt32BE(p)' }[f.type];
    L.push(`  if (index === ${i}) return p;`);
    L.push(`  if ((flags & ${bit}) !== 0) p += ${skip};`);
  });
  L.push('  return p;');
  L.push('}', '');
  L.push('/** Decodes property `index` starting at `at` (an offset from findBasicProperty). */');
  L.push('export function readBasicProperty(buf: Buffer, index: number, at: number): BasicProperties[keyof BasicProperties] {');
  L.push('  switch (index) {');
  props.forEach((f, i) => {
    switch (f.type) {
      case 'shortstr': L.push(`    case ${i}: return buf.toString('utf8', at + 1, at + 1 + buf[at]);`); break;
      case 'octet': L.push(`    case ${i}: return buf[at];`); break;
      case 'timestamp': L.push(`    case ${i}: return buf.readUInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);`); break;
      case 'table':
        L.push(`    case ${i}: {`);
        L.push('      const t = decodeTable(buf, at + 4, at + 4 + buf.readUInt32BE(at));');
        L.push('      // checkBasicProperties has already walked the table, so this cannot fail');
        L.push('      return t instanceof TableFailure ? [] : (t as FieldTable);');
        L.push('    }');
        break;
    }
  });
  L.push('    default: return undefined;');
  L.push('  }');
  L.push('}', '');
  L.push('/** Writes the flags word and the present properties (a content header\'s property list). */');
  L.push('export function writeBasicProperties(w: ByteWriter, p: BasicProperties): void {');
  L.push('  let flags = 0;');
  props.forEach((f) => L.push(`  if (p.${camel(f.name)} !== undefined) flags |= PROPERTY_FLAG.${camel(f.name)};`));
  L.push('  w.u16(flags);');
  props.forEach((f) => {
    const v = `p.${camel(f.name)}`;
    const call = { shortstr: `w.shortstr(${v})`, octet: `w.u8(${v})`, timestamp: `w.u64(${v})`, table: `writeTable(w, ${v})` }[f.type];
    L.push(`  if (${v} !== undefined) ${call};`);
  });
  L.push('}', '');
  return L.join('\n');
}

write('protocol.ts', genProtocol());
write('method-types.ts', genTypes());
write('method-decoders.ts', genDecoders());
write('method-encoders.ts', genEncoders());
write('basic-properties.ts', genProperties());
if (process.argv.includes('--check')) {
  if (process.exitCode) console.error('run npm run gen:protocol and commit the result');
  else console.log('generated codec is up to date');
}
