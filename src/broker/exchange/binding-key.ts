/**
 * Canonical identity of a binding's arguments: RabbitMQ sorts argument tables before comparing
 * bindings, so two tables with the same entries in another order are the same binding. The key
 * spells out every entry's name, type tag and value, recursively; the empty table is ''.
 */
import type { FieldTable, FieldValue } from '../../codec/field-table.js';

export function argumentsKey(args: FieldTable): string {
  if (args.length === 0) return '';
  return tableKey(args);
}

function tableKey(t: FieldTable): string {
  const entries = t.map((e) => `${JSON.stringify(e.name)}:${valueKey(e.value)}`);
  entries.sort();
  return `{${entries.join(',')}}`;
}

function valueKey(v: FieldValue): string {
  switch (v.type) {
    case 'F': return `F${tableKey(v.value)}`;
    case 'A': return `A[${v.value.map(valueKey).join(',')}]`;
    case 'S': case 'x': return `${v.type}${v.value.toString('hex')}`;
    case 'D': return `D${v.value.scale}/${v.value.digits}`;
    case 'V': return 'V';
    default: return `${v.type}${String(v.value)}`;
  }
}
