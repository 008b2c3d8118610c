/**
 * Headers exchange, as RabbitMQ 3.13+/4.x does it (rabbit_exchange_type_headers.erl with
 * mc_amqpl:routing_headers/2). The routing key plays no part; a binding's arguments are matched
 * against the message's headers:
 *
 * - `x-match` is 'all' (also when absent, or, for bindings that escaped validation, anything
 *   else), 'any', 'all-with-x' or 'any-with-x'. 'all'/'any' ignore every argument whose name
 *   starts with 'x-'; the -with-x modes ignore only 'x-match' itself.
 * - An argument of type void matches when the header is present, whatever its value.
 * - Otherwise the header's value must equal the argument's value as Erlang's =:= compares the
 *   decoded terms (see fieldValuesMatch): the top-level types are not compared, only values.
 * - 'all' with nothing left to compare matches every message; 'any' with nothing matches none.
 *   A message without headers is matched as if its table were empty.
 * - The message's headers become a map first, so when a name repeats the last entry wins; and
 *   a top-level header of type timestamp becomes milliseconds (seconds × 1000) on the way, while
 *   binding arguments stay as they are. So timestamp argument 5 does not match timestamp header
 *   5 (only 0 matches 0), while an integer or timestamp argument 5000 does. Faithful to
 *   RabbitMQ, odd as it is.
 * - Arguments are all compared, duplicates included (two 'a' arguments with different values
 *   never both match under 'all').
 */
import type { FieldTable, FieldValue, TableEntry } from '../../codec/field-table.js';
import { BindingGroup, bindingKey, type Binding } from './binding-key.js';
import { erlangTerm, TYPE_ATOMS } from '../erlang-format.js';
import type { RoutingTable } from './routing-table.js';

/** One binding argument that takes part in matching, prepared at bind time. */
interface Condition {
  readonly name: string;
  readonly value: FieldValue;
  readonly presenceOnly: boolean;
  /** The seconds a timestamp header must hold to equal this value once RabbitMQ scales it by 1000. */
  readonly timestampSeconds: bigint | null;
}

interface HeadersBinding<D> extends Binding<D> {
  readonly matchAll: boolean;
  readonly conditions: readonly Condition[];
}

const X_MATCH_VALUES = ['all', 'any', 'all-with-x', 'any-with-x'];

/**
 * RabbitMQ's bind-time check of x-match (validate_binding/2): its error text, sent as
 * `PRECONDITION_FAILED - <text>`, or null when the arguments are acceptable. Values are quoted
 * the way Erlang's ~tp prints them (`<<"foo">>`, `signedint`).
 */
export function validateHeadersBindingArgs(args: FieldTable): string | null {
  const xMatch = firstNamed(args, 'x-match');
  if (xMatch === undefined) return null;
  if (xMatch.type === 'S') {
    if (X_MATCH_VALUES.includes(xMatch.value.toString('utf8'))) return null;
    return `Invalid x-match field value ${erlangTerm(xMatch)}; expected all, any, all-with-x, or any-with-x`;
  }
  return `Invalid x-match field type ${TYPE_ATOMS[xMatch.type]} (value ${erlangTerm(xMatch)}); expected longstr`;
}

export class HeadersRouting<D> implements RoutingTable<D> {
  /** Every binding, in bind order; routing scans them all, as RabbitMQ does. */
  private list: HeadersBinding<D>[] = [];
  private readonly identities = new BindingGroup<D, HeadersBinding<D>>();

  get size(): number {
    return this.list.length;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    const binding = compile(destination, routingKey, args);
    if (!this.identities.add(binding, bindingKey(routingKey, args))) return false;
    this.list.push(binding);
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const key = bindingKey(routingKey, args);
    const binding = this.identities.get(destination, key);
    if (binding === undefined) return false;
    this.identities.delete(destination, key);
    this.list.splice(this.list.indexOf(binding), 1);
    return true;
  }

  removeDestination(destination: D): number {
    const removed = this.identities.removeDestination(destination);
    if (removed > 0) this.list = this.list.filter((b) => b.destination !== destination);
    return removed;
  }

  route(_routingKey: string, headers: FieldTable | undefined, out: Set<D>): void {
    const list = this.list;
    for (let k = 0; k < list.length; k++) {
      const b = list[k];
      if (out.has(b.destination)) continue; // already routed there: nothing to learn
      if (b.matchAll ? matchesAll(b.conditions, headers) : matchesAny(b.conditions, headers)) {
        out.add(b.destination);
      }
    }
  }

  hasDestination(destination: D): boolean {
    return this.identities.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    for (const b of this.list) yield { destination: b.destination, routingKey: b.routingKey, args: b.args };
  }
}

function compile<D>(destination: D, routingKey: string, args: FieldTable): HeadersBinding<D> {
  const xMatch = firstNamed(args, 'x-match');
  const mode = xMatch?.type === 'S' ? xMatch.value.toString('utf8') : 'all';
  const withX = mode === 'all-with-x' || mode === 'any-with-x';
  const conditions: Condition[] = [];
  for (const { name, value } of args) {
    if (name === 'x-match' || (!withX && name.startsWith('x-'))) continue;
    conditions.push({ name, value, presenceOnly: value.type === 'V', timestampSeconds: asTimestampSeconds(value) });
  }
  const matchAll = mode !== 'any' && mode !== 'any-with-x';
  return { destination, routingKey, args, matchAll, conditions };
}

function asTimestampSeconds(v: FieldValue): bigint | null {
  if (kindOf(v) !== Kind.Int) return null;
  const n = BigInt(v.value as number | bigint);
  return n >= 0n && n % 1000n === 0n ? n / 1000n : null;
}

function matchesAll(conditions: readonly Condition[], headers: FieldTable | undefined): boolean {
  for (let i = 0; i < conditions.length; i++) if (!satisfied(conditions[i], headers)) return false;
  return true;
}

function matchesAny(conditions: readonly Condition[], headers: FieldTable | undefined): boolean {
  for (let i = 0; i < conditions.length; i++) if (satisfied(conditions[i], headers)) return true;
  return false;
}

function satisfied(c: Condition, headers: FieldTable | undefined): boolean {
  if (headers === undefined) return false;
  // Last entry of that name: RabbitMQ folds the headers into a map, later entries overwriting.
  for (let i = headers.length - 1; i >= 0; i--) {
    const h = headers[i];
    if (h.name !== c.name) continue;
    if (c.presenceOnly) return true;
    if (h.value.type === 'T') return c.timestampSeconds !== null && c.timestampSeconds === h.value.value;
    return fieldValuesMatch(c.value, h.value);
  }
  return false;
}

/**
 * Whether two field values decode to Erlang terms that are exactly equal (=:=), which is how
 * RabbitMQ's headers exchange compares an argument with a header (and how it compares nested
 * values). What that means:
 * - every integer type, timestamps included, decodes to an integer: 'b' 1, 'I' 1, 'l' 1 and
 *   'T' 1 are all equal; 'l' and 'L' are read alike (signed 64-bit);
 * - 'f' and 'd' decode to floats, and a float never equals an integer (1.0 =:= 1 is false);
 *   a float32 equals a double only with the very same value (0.5 yes, 0.1 no); 0.0 and -0.0
 *   differ (=:= tells them apart since OTP 27);
 * - 'S' and 'x' both decode to binaries: equal when the bytes are;
 * - 't' is true/false, 'D' is {Scale, Digits} (1.0 with scale 1 is not 1 with scale 0),
 *   'V' is undefined (equal only to 'V');
 * - a table is the list [{Name, TypeAtom, Value}] and an array [{TypeAtom, Value}]: inside them
 *   order and types count ('I' 1 ≠ 'l' 1 there; 'l' and 'L' share the atom `long`), and an
 *   empty table equals an empty array (both are []).
 * Top-level timestamp headers are scaled by route() before this, not here.
 */
export function fieldValuesMatch(a: FieldValue, b: FieldValue): boolean {
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  return kind === Kind.List ? listsEqual(a, b) : scalarsEqual(kind, a, b);
}

function scalarsEqual(kind: Kind, a: FieldValue, b: FieldValue): boolean {
  switch (kind) {
    case Kind.Int: return integersEqual(a.value as number | bigint, b.value as number | bigint);
    case Kind.Float: return Object.is(a.value, b.value);
    case Kind.Binary: return bytesEqual(a.value as Buffer, b.value as Buffer);
    case Kind.Bool: return a.value === b.value;
    case Kind.Decimal: return decimalsEqual(a, b);
    default: return true; // void
  }
}

/** What a field value decodes to in Erlang; values of different kinds are never =:=. */
const Kind = { Int: 0, Float: 1, Binary: 2, Bool: 3, Decimal: 4, Void: 5, List: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

function kindOf(v: FieldValue): Kind {
  switch (v.type) {
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': case 'l': case 'L': case 'T': return Kind.Int;
    case 'f': case 'd': return Kind.Float;
    case 'S': case 'x': return Kind.Binary;
    case 't': return Kind.Bool;
    case 'D': return Kind.Decimal;
    case 'V': return Kind.Void;
    case 'F': case 'A': return Kind.List;
  }
}

function integersEqual(a: number | bigint, b: number | bigint): boolean {
  // Loose equality between a bigint and a number compares their mathematical values exactly,
  // without allocating a bigint.
  return typeof a === typeof b ? a === b : (a as unknown) == (b as unknown);
}

/** Buffer.equals crosses into C++; header values are mostly short, so compare those here. */
function bytesEqual(a: Buffer, b: Buffer): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  if (n > 32) return a.equals(b);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function decimalsEqual(a: FieldValue, b: FieldValue): boolean {
  const x = a.value as { scale: number; digits: number };
  const y = b.value as { scale: number; digits: number };
  return x.scale === y.scale && x.digits === y.digits;
}

/**
 * Tables and arrays are Erlang lists: [] equals [], else element by element, types included.
 * Nested lists are compared through a stack of pairs rather than by recursion (a header may
 * nest thousands deep).
 */
function listsEqual(a: FieldValue, b: FieldValue): boolean {
  const pending: FieldValue[] = [a, b];
  while (pending.length > 0) {
    const y = pending.pop() as FieldValue;
    const x = pending.pop() as FieldValue;
    const xs = x.value as readonly (TableEntry | FieldValue)[];
    const ys = y.value as readonly (TableEntry | FieldValue)[];
    if (xs.length !== ys.length) return false;
    if (xs.length === 0) continue;
    if (x.type !== y.type) return false; // a 3-tuple never equals a 2-tuple
    const named = x.type === 'F';
    for (let i = 0; i < xs.length; i++) {
      let p: FieldValue;
      let q: FieldValue;
      if (named) {
        const e = xs[i] as TableEntry;
        const f = ys[i] as TableEntry;
        if (e.name !== f.name) return false;
        p = e.value;
        q = f.value;
      } else {
        p = xs[i] as FieldValue;
        q = ys[i] as FieldValue;
      }
      if (!sameTypeAtom(p, q)) return false;
      const kind = kindOf(p);
      if (kind !== kindOf(q)) return false;
      if (kind === Kind.List) pending.push(p, q);
      else if (!scalarsEqual(kind, p, q)) return false;
    }
  }
  return true;
}

function sameTypeAtom(a: FieldValue, b: FieldValue): boolean {
  return TYPE_ATOMS[a.type] === TYPE_ATOMS[b.type];
}

/** rabbit_misc:table_lookup/2 on the sorted table: the first entry of that name in wire order. */
function firstNamed(args: FieldTable, name: string): FieldValue | undefined {
  for (const e of args) if (e.name === name) return e.value;
  return undefined;
}
