/**
 * Field values written the way Erlang's ~p prints RabbitMQ's decoded terms, for reply texts
 * that quote a value and for comparing nested tables the way RabbitMQ does (types included).
 */
import type { FieldValue } from '../../codec/field-table.js';

const TYPE_ATOMS: Record<FieldValue['type'], string> = {
  S: 'longstr', I: 'signedint', i: 'unsignedint', l: 'long', L: 'long', b: 'byte', B: 'unsignedbyte',
  s: 'short', u: 'unsignedshort', f: 'float', d: 'double', D: 'decimal', t: 'bool', T: 'timestamp',
  F: 'table', A: 'array', x: 'binary', V: 'void',
};

export function erlangTerm(v: FieldValue): string {
  switch (v.type) {
    case 'S': case 'x': return binary(v.value);
    case 't': return v.value ? 'true' : 'false';
    case 'D': return `{${v.value.scale},${v.value.digits}}`;
    case 'V': return 'undefined';
    case 'f': case 'd': return Number.isInteger(v.value) ? v.value.toFixed(1) : String(v.value);
    case 'F': return `[${v.value.map((e) => `{${binary(Buffer.from(e.name))},${TYPE_ATOMS[e.value.type]},${erlangTerm(e.value)}}`).join(',')}]`;
    case 'A': return `[${v.value.map((e) => `{${TYPE_ATOMS[e.type]},${erlangTerm(e)}}`).join(',')}]`;
    default: return String(v.value);
  }
}

function binary(b: Buffer): string {
  let printable = true;
  for (const c of b) if (c < 0x20 || c > 0x7e) printable = false;
  return printable ? `<<"${b.toString('latin1').replace(/["\\]/g, (m) => `\\${m}`)}">>` : `<<${[...b].join(',')}>>`;
}
