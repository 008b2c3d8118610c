/**
 * Headers: a binding matches on the message's headers, not its routing key. Its `x-match`
 * argument says how: `all` (the default) or `any` of the binding's other arguments must equal
 * the header of the same name; `all-with-x` / `any-with-x` also count arguments starting with
 * `x-`. An argument of type void matches when the header is present at all. As in RabbitMQ,
 * `all` with nothing to compare matches every message and `any` with nothing matches none.
 */
import type { FieldTable, FieldValue } from '../../codec/field-table.js';
import { erlangTerm } from './erlang-terms.js';
import { argumentsKey } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

type MatchMode = 'all' | 'any' | 'all-with-x' | 'any-with-x';

interface Binding<D> {
  readonly destination: D;
  readonly routingKey: string;
  readonly args: FieldTable;
  readonly identity: string;
  readonly all: boolean;
  /** The arguments compared, with x-match (and, for all/any, every x- argument) left out. */
  readonly compared: FieldTable;
}

/**
 * RabbitMQ's check of x-match at bind time; returns its error text (a 406) or null.
 * Values are quoted as Erlang prints them (`<<"foo">>`).
 */
export function validateHeadersBindingArgs(args: FieldTable): string | null {
  const xm = args.find((e) => e.name === 'x-match');
  if (xm === undefined) return null;
  const v = xm.value;
  if (v.type === 'S') {
    const s = v.value.toString('utf8');
    if (s === 'all' || s === 'any' || s === 'all-with-x' || s === 'any-with-x') return null;
    return `Invalid x-match field value ${erlangTerm(v)}; expected all, any, all-with-x, or any-with-x`;
  }
  return `Invalid x-match field type ${erlangTypeName(v)} (value ${erlangTerm(v)}); expected longstr`;
}

export class HeadersRouting<D> implements RoutingTable<D> {
  private list: Binding<D>[] = [];

  get size(): number {
    return this.list.length;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    const identity = `${routingKey}\u0000${argumentsKey(args)}`;
    if (this.list.some((b) => b.destination === destination && b.identity === identity)) return false;
    const mode = matchMode(args);
    const withX = mode === 'all-with-x' || mode === 'any-with-x';
    const compared = args.filter((e) => e.name !== 'x-match' && (withX || !e.name.startsWith('x-')));
    this.list.push({ destination, routingKey, args, identity, all: mode === 'all' || mode === 'all-with-x', compared });
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const identity = `${routingKey}\u0000${argumentsKey(args)}`;
    const i = this.list.findIndex((b) => b.destination === destination && b.identity === identity);
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  removeDestination(destination: D): number {
    const before = this.list.length;
    this.list = this.list.filter((b) => b.destination !== destination);
    return before - this.list.length;
  }

  route(_routingKey: string, headers: FieldTable | undefined, out: Set<D>): void {
    const h = headers ?? [];
    for (const b of this.list) {
      if (out.has(b.destination)) continue;
      if (b.all ? matchAll(b.compared, h) : matchAny(b.compared, h)) out.add(b.destination);
    }
  }

  hasDestination(destination: D): boolean {
    return this.list.some((b) => b.destination === destination);
  }

  *bindings(): IterableIterator<{ destination: D; routingKey: string; args: FieldTable }> {
    yield* this.list;
  }
}

function matchMode(args: FieldTable): MatchMode {
  const xm = args.find((e) => e.name === 'x-match');
  if (xm?.value.type === 'S') {
    const s = xm.value.value.toString('utf8');
    if (s === 'any' || s === 'all-with-x' || s === 'any-with-x') return s;
  }
  return 'all';
}

function matchAll(compared: FieldTable, headers: FieldTable): boolean {
  for (const e of compared) if (!entryMatches(e.name, e.value, headers)) return false;
  return true;
}

function matchAny(compared: FieldTable, headers: FieldTable): boolean {
  for (const e of compared) if (entryMatches(e.name, e.value, headers)) return true;
  return false;
}

function entryMatches(name: string, want: FieldValue, headers: FieldTable): boolean {
  const got = headers.find((h) => h.name === name);
  if (got === undefined) return false;
  return want.type === 'V' ? true : fieldValuesMatch(want, got.value);
}

/**
 * Equality as RabbitMQ's headers exchange decides it: it compares the decoded Erlang terms with
 * =:=, so integers of any width (and timestamps) are equal by value, a float never equals an
 * integer, long strings equal byte arrays with the same bytes, and nested tables and arrays must
 * match entry by entry including their types.
 */
export function fieldValuesMatch(a: FieldValue, b: FieldValue): boolean {
  const ka = termKind(a);
  if (ka !== termKind(b)) return false;
  switch (ka) {
    case 'int': return BigInt(a.value as number | bigint) === BigInt(b.value as number | bigint);
    case 'float': return a.value === b.value;
    case 'binary': return (a.value as Buffer).equals(b.value as Buffer);
    default: return erlangTerm(a) === erlangTerm(b);
  }
}

function termKind(v: FieldValue): string {
  switch (v.type) {
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': case 'l': case 'L': case 'T': return 'int';
    case 'f': case 'd': return 'float';
    case 'S': case 'x': return 'binary';
    default: return v.type;
  }
}

function erlangTypeName(v: FieldValue): string {
  const names: Record<string, string> = {
    S: 'longstr', I: 'signedint', i: 'unsignedint', l: 'long', L: 'long', b: 'byte', B: 'unsignedbyte',
    s: 'short', u: 'unsignedshort', f: 'float', d: 'double', D: 'decimal', t: 'bool', T: 'timestamp',
    F: 'table', A: 'array', x: 'binary', V: 'void',
  };
  return names[v.type];
}
