/**
 * Canonical identity of a binding's arguments.
 *
 * RabbitMQ stores a binding's arguments as the decoded Erlang list `[{Name, TypeAtom, Value}]`
 * after `rabbit_misc:sort_field_table/1`, which is `lists:keysort(1, Args)`: a *stable* sort of
 * the top level by name only. Two bindings are the same when those terms are exactly equal. So:
 * - entry order at the top level does not matter, but entries with the same name keep their
 *   relative order (a=1,a=2 is not a=2,a=1);
 * - nested tables and arrays are not sorted: their order matters;
 * - the type atom is part of the term: 'I' 1 (signedint) and 'l' 1 (long) differ, 'S' and 'x'
 *   with the same bytes differ (longstr vs binary), but 'l' and 'L' are both decoded to `long`
 *   and are the same.
 * The key written here is equal for two tables exactly when those Erlang terms are.
 */
import type { FieldTable, FieldValue } from '../../codec/field-table.js';

/** A string equal for two argument tables exactly when RabbitMQ considers them the same; '' for none. */
export function argumentsKey(args: FieldTable): string {
  if (args.length === 0) return '';
  // Array.prototype.sort is stable, as lists:keysort is.
  const sorted = [...args].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return JSON.stringify(sorted.map((e) => [e.name, ...valueTerm(e.value)]));
}

/** Identity of a whole binding apart from its destination: routing key and arguments. */
export function bindingKey(routingKey: string, args: FieldTable): string {
  // JSON-quoting the routing key keeps the pair unambiguous whatever characters it holds.
  return args.length === 0 ? JSON.stringify(routingKey) : `${JSON.stringify(routingKey)}${argumentsKey(args)}`;
}

type Term = string | number | boolean | null | Term[];

/** [type atom, value] of a field value, as JSON-safe data; nested containers keep their order. */
function valueTerm(v: FieldValue): [string, Term] {
  switch (v.type) {
    case 'l':
    case 'L':
    case 'T':
      return [v.type === 'T' ? 'T' : 'l', v.value.toString()];
    case 'f':
    case 'd':
      // -0.0 and 0.0 are different terms for =:= since OTP 27; JSON would print both as 0.
      return [v.type, Object.is(v.value, -0) ? '-0' : v.value];
    case 'S':
    case 'x':
      return [v.type, v.value.toString('hex')];
    case 'D':
      return ['D', [v.value.scale, v.value.digits]];
    case 'V':
      return ['V', null];
    case 'F':
      return ['F', v.value.map((e) => [e.name, ...valueTerm(e.value)])];
    case 'A':
      return ['A', v.value.map((x) => valueTerm(x))];
    default:
      return [v.type, v.value];
  }
}

/** One binding as the routing tables keep and list it. */
export interface Binding<D> {
  readonly destination: D;
  readonly routingKey: string;
  readonly args: FieldTable;
}

/**
 * Bindings that route alike (same direct key, same topic pattern, or all of a fanout), grouped
 * by destination and identified within a destination by a key string (see argumentsKey and
 * bindingKey). Destinations are also kept in a plain array so routing is an indexed loop that
 * allocates nothing, and a destination bound several times is routed to once.
 */
export class BindingGroup<D, B extends Binding<D> = Binding<D>> {
  private readonly byDestination = new Map<D, Map<string, B>>();
  /** Distinct destinations, in the order they were first bound. */
  private readonly destinations: D[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a binding under `key`; false if the destination already has one with that key. */
  add(binding: B, key: string): boolean {
    let mine = this.byDestination.get(binding.destination);
    if (mine === undefined) {
      mine = new Map();
      this.byDestination.set(binding.destination, mine);
      this.destinations.push(binding.destination);
    } else if (mine.has(key)) {
      return false;
    }
    mine.set(key, binding);
    this.count++;
    return true;
  }

  /** The destination's binding with `key`, if any. */
  get(destination: D, key: string): B | undefined {
    return this.byDestination.get(destination)?.get(key);
  }

  /** Removes the destination's binding with `key`; false if there was none. */
  delete(destination: D, key: string): boolean {
    const mine = this.byDestination.get(destination);
    if (mine === undefined || !mine.delete(key)) return false;
    this.count--;
    if (mine.size === 0) this.forget(destination);
    return true;
  }

  /** Removes all of the destination's bindings; returns how many there were. */
  removeDestination(destination: D): number {
    const mine = this.byDestination.get(destination);
    if (mine === undefined) return 0;
    this.count -= mine.size;
    this.forget(destination);
    return mine.size;
  }

  has(destination: D): boolean {
    return this.byDestination.has(destination);
  }

  /** Adds every destination to `out`. */
  addTo(out: Set<D>): void {
    const ds = this.destinations;
    for (let i = 0; i < ds.length; i++) out.add(ds[i]);
  }

  *values(): IterableIterator<B> {
    for (const mine of this.byDestination.values()) yield* mine.values();
  }

  /** Each destination's oldest binding still in place (what a consistent-hash weight is read from). */
  *firsts(): IterableIterator<B> {
    for (const mine of this.byDestination.values()) yield mine.values().next().value as B;
  }

  private forget(destination: D): void {
    this.byDestination.delete(destination);
    this.destinations.splice(this.destinations.indexOf(destination), 1);
  }
}
