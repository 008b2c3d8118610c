/** AMQP field tables as the management API shows them: plain JSON (numbers, strings, objects, lists). */
import type { FieldTable, FieldValue } from '../codec/field-table.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function tableJson(t: FieldTable): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const e of t) out[e.name] = valueJson(e.value);
  return out;
}

function valueJson(v: FieldValue): Json {
  switch (v.type) {
    case 'S': case 'x': return v.value.toString('utf8');
    case 'F': return tableJson(v.value);
    case 'A': return v.value.map(valueJson);
    case 'l': case 'L': case 'T': return Number(v.value);
    case 'D': return v.value.digits / 10 ** v.value.scale;
    case 'V': return null;
    default: return v.value;
  }
}
