/**
 * Field values written the way RabbitMQ's reply texts show them: RabbitMQ formats its decoded
 * Erlang terms with ~p / ~ts, so Warren must too where a value appears in a text clients see
 * (inequivalent arguments, invalid x-match, …).
 */
import { erlangBinary } from '../codec/decode-failure.js';
import type { FieldValue } from '../codec/field-table.js';

/** RabbitMQ's type atom for each field type ('l' and 'L' both decode to long). */
export const TYPE_ATOMS: Readonly<Record<FieldValue['type'], string>> = {
  S: 'longstr', I: 'signedint', i: 'unsignedint', l: 'long', L: 'long', b: 'byte', B: 'unsignedbyte',
  s: 'short', u: 'unsignedshort', f: 'float', d: 'double', D: 'decimal', t: 'bool', T: 'timestamp',
  F: 'table', A: 'array', x: 'binary', V: 'void',
};

/** The value as ~p prints the decoded term: binaries as <<"…">>, tables as [{Name,Type,Value}]. */
export function erlangTerm(v: FieldValue): string {
  switch (v.type) {
    case 'S': case 'x': return erlangBinary(v.value);
    case 'F': return `[${v.value.map((e) => `{${erlangBinary(Buffer.from(e.name))},${TYPE_ATOMS[e.value.type]},${erlangTerm(e.value)}}`).join(',')}]`;
    case 'A': return `[${v.value.map((e) => `{${TYPE_ATOMS[e.type]},${erlangTerm(e)}}`).join(',')}]`;
    default: return erlangScalar(v);
  }
}

/** The value as RabbitMQ quotes it with ~ts for binaries and ~tp otherwise (strings bare). */
export function erlangText(v: FieldValue): string {
  return v.type === 'S' || v.type === 'x' ? v.value.toString('utf8') : erlangTerm(v);
}

function erlangScalar(v: FieldValue): string {
  switch (v.type) {
    case 't': return v.value ? 'true' : 'false';
    case 'D': return `{${v.value.scale},${v.value.digits}}`;
    case 'V': return 'undefined';
    case 'f': case 'd': return erlangFloat(v.value);
    default: return String(v.value);
  }
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
