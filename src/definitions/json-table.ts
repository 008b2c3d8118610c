/**
 * AMQP field tables and JSON, both ways, as RabbitMQ converts them for definitions files and the
 * management API: JSON strings are long strings, integers 64-bit longs, other numbers doubles.
 */
import type { FieldTable, FieldValue } from '../codec/field-table.js';
import type { JsonObject, JsonValue } from './definitions-file.js';

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

/**
 * JSON arguments as an AMQP table, typed as RabbitMQ converts them (rabbit_misc:to_amqp_table):
 * strings long strings, integers 64-bit longs, other numbers doubles, booleans, lists arrays,
 * objects tables, null void.
 */
export function jsonTable(o: JsonObject): FieldTable {
  return Object.entries(o).map(([name, v]) => ({ name, value: jsonValue(v) }));
}

function jsonValue(v: JsonValue): FieldValue {
  if (typeof v === 'string') return { type: 'S', value: Buffer.from(v, 'utf8') };
  if (typeof v === 'boolean') return { type: 't', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'l', value: BigInt(v) } : { type: 'd', value: v };
  if (v === null) return { type: 'V', value: null };
  if (Array.isArray(v)) return { type: 'A', value: v.map(jsonValue) };
  return { type: 'F', value: jsonTable(v) };
}
