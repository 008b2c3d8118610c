/**
 * Field values written the way RabbitMQ's reply texts show them: RabbitMQ formats its decoded
 * Erlang terms with ~p / ~ts, so Warren must too where a value appears in a text clients see
 * (inequivalent arguments, invalid x-match, …).
 */
import { erlangBinary } from '../codec/decode-failure.js';
import type { FieldValue, TableEntry } from '../codec/field-table.js';

/** RabbitMQ's type atom for each field type ('l' and 'L' both decode to long). */
export const TYPE_ATOMS: Readonly<Record<FieldValue['type'], string>> = {
  S: 'longstr', I: 'signedint', i: 'unsignedint', l: 'long', L: 'long', b: 'byte', B: 'unsignedbyte',
  s: 'short', u: 'unsignedshort', f: 'float', d: 'double', D: 'decimal', t: 'bool', T: 'timestamp',
  F: 'table', A: 'array', x: 'binary', V: 'void',
};

/**
 * Formatting stops past this many characters: reply texts are cut at 255 bytes anyway, and a
 * value nested thousands deep must cost neither stack nor time.
 */
const TERM_TEXT_LIMIT = 1024;

/**
 * The value as ~p prints the decoded term: binaries as <<"…">>, tables as [{Name,Type,Value}],
 * arrays as [{Type,Value}]. Nested values are expanded with a work stack, not by recursion.
 */
export function erlangTerm(v: FieldValue): string {
  let out = '';
  const work: (string | FieldValue)[] = [v];
  while (work.length > 0 && out.length < TERM_TEXT_LIMIT) {
    const item = work.pop() as string | FieldValue;
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    if (item.type !== 'F' && item.type !== 'A') {
      out += item.type === 'S' || item.type === 'x' ? erlangBinary(item.value) : erlangScalar(item);
      continue;
    }
    // pushed last element first, so that they come off the stack in order
    work.push(']');
    for (let i = item.value.length - 1; i >= 0; i--) {
      const e = item.value[i];
      const value = item.type === 'F' ? (e as TableEntry).value : (e as FieldValue);
      work.push('}', value, item.type === 'F'
        ? `{${erlangBinary(Buffer.from((e as TableEntry).name))},${TYPE_ATOMS[value.type]},`
        : `{${TYPE_ATOMS[value.type]},`);
      if (i > 0) work.push(',');
    }
    work.push('[');
  }
  return out;
}

/** The value as RabbitMQ quotes it with ~ts for binaries and ~tp otherwise (strings bare). */
export function erlangText(v: FieldValue): string {
  return v.type === 'S' || v.type === 'x' ? v.value.toString('utf8') : erlangTerm(v);
}

function erlangScalar(v: Exclude<FieldValue, { type: 'F' | 'A' | 'S' | 'x' }>): string {
  switch (v.type) {
    case 't': return v.value ? 'true' : 'false';
    case 'D': return `{${v.value.scale},${v.value.digits}}`;
    case 'V': return 'undefined';
    case 'f': case 'd': return erlangFloat(v.value);
    default: return String(v.value);
  }
}

/** A JSON value as ~tp prints what RabbitMQ's JSON decoder makes of it (policy texts): <<"s">>, 1, 2.5, #{<<"k">> => v}. */
export function erlangJsonTerm(v: unknown, budget = TERM_TEXT_LIMIT): string {
  if (budget <= 0) return '...';
  if (typeof v === 'string') return erlangBinary(Buffer.from(v, 'utf8'));
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : erlangFloat(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return `[${v.map((e) => erlangJsonTerm(e, budget - 16)).join(',')}]`;
  if (typeof v === 'object') {
    return `#{${Object.entries(v as object).map(([k, e]) => `${erlangBinary(Buffer.from(k, 'utf8'))} => ${erlangJsonTerm(e, budget - 16)}`).join(',')}}`;
  }
  return String(v);
}

/** Erlang prints floats with at least one decimal and an `e` exponent for large ones (1.0e20). */
function erlangFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const s = String(x);
  if (!s.includes('e')) return s;
  const [m, e] = s.split('e');
  return `${m.includes('.') ? m : `${m}.0`}e${e.replace('+', '')}`;
}
