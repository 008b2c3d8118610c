/**
 * Redeclaring an exchange or queue must match what exists: RabbitMQ's assert_field_equivalence
 * and assert_args_equivalence, with their reply texts ("inequivalent arg 'durable' for queue 'q'
 * in vhost '/': received 'true' but current is 'false'"). Arguments are compared only for the
 * keys the entity type cares about; integers of any width compare by value, as do floats.
 */
import { encodeTable, tableGet, type FieldTable, type FieldValue } from '../codec/field-table.js';
import { PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import { erlangText, TYPE_ATOMS } from './erlang-format.js';

/** rabbit_misc:type_class/1: integer types (and decimal) compare as one class, floats as another. */
function typeClass(v: FieldValue): string {
  switch (v.type) {
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': case 'l': case 'L': case 'D':
      return 'int';
    case 'f': case 'd':
      return 'float';
    default:
      return TYPE_ATOMS[v.type];
  }
}

function describe(v: FieldValue | undefined): string {
  return v === undefined ? 'none' : `the value '${erlangText(v)}' of type '${TYPE_ATOMS[v.type]}'`;
}

/** Same semantic value by RabbitMQ's rules (type class and value). */
export function equivalentValues(a: FieldValue, b: FieldValue): boolean {
  if (typeClass(a) !== typeClass(b)) return false;
  if (a.type === 'D' || b.type === 'D') {
    return a.type === 'D' && b.type === 'D' && a.value.scale === b.value.scale && a.value.digits === b.value.digits;
  }
  const av = a.value;
  const bv = b.value;
  if (typeof av === 'bigint' || typeof bv === 'bigint' || typeof av === 'number') {
    return Number(av) === Number(bv);
  }
  if (Buffer.isBuffer(av) && Buffer.isBuffer(bv)) return av.equals(bv);
  if ((a.type === 'F' || a.type === 'A') && a.type === b.type) {
    // nested values: the same encoding (which the encoder writes without recursion, whatever
    // the depth); stricter than Erlang's == only for 'l' against 'L' and ints against floats
    // deep inside, which no queue or exchange argument RabbitMQ compares can hold
    return encodeTable([{ name: '', value: a }]).equals(encodeTable([{ name: '', value: b }]));
  }
  return av === bv;
}

/** A boolean or name field of a declaration (durable, auto_delete, type…). */
export function assertFieldEquivalence(current: string | boolean, requested: string | boolean, resource: string, key: string): void {
  if (current === requested) return;
  throw new AmqpError(PRECONDITION_FAILED,
    `inequivalent arg '${key}' for ${resource}: received '${String(requested)}' but current is '${String(current)}'`);
}

export function assertArgsEquivalence(current: FieldTable, requested: FieldTable, resource: string, keys: readonly string[]): void {
  for (const key of keys) {
    const a = tableGet(current, key);
    const b = tableGet(requested, key);
    if (a === undefined && b === undefined) continue;
    if (a !== undefined && b !== undefined && equivalentValues(a, b)) continue;
    if (key === 'x-queue-type' && isClassic(a) && isClassic(b)) continue; // classic is the default
    // RabbitMQ quotes bare values when both sides have one, typed values when one is missing
    const [got, now] = a !== undefined && b !== undefined
      ? [`'${erlangText(b)}'`, `'${erlangText(a)}'`]
      : [describe(b), describe(a)];
    throw new AmqpError(PRECONDITION_FAILED, `inequivalent arg '${key}' for ${resource}: received ${got} but current is ${now}`);
  }
}

function isClassic(v: FieldValue | undefined): boolean {
  return v === undefined || (v.type === 'S' && v.value.toString() === 'classic');
}
