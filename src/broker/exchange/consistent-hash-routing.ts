/**
 * Consistent-hash exchange (`x-consistent-hash`, rabbitmq_consistent_hash_exchange): each
 * message goes to at most one destination, chosen from a hash of its routing key, of one of its
 * headers (`hash-header`) or of one of its properties (`hash-property`), so that every message
 * with the same key reaches the same queue while the bindings stay as they are.
 *
 * As in RabbitMQ:
 * - a binding's routing key is its destination's weight (validated by consistentHashWeightProblem);
 *   a destination bound more than once keeps the weight of its first binding;
 * - a missing header or property is hashed as one fixed value, so such messages all go to one
 *   destination;
 * - routing looks at the message once, at its routing key, not at its CC/BCC keys (routesOnce).
 *
 * Unlike RabbitMQ, the choice is weighted rendezvous hashing rather than a jump hash over a
 * bucket list built in binding order: every destination draws a pseudo-random number from the
 * key and its own name, scaled by its weight, and the best draw wins. So the choice depends on
 * the set of bindings and their weights only, not on the order they were made in, and a
 * restart (which replays the bindings) sends every key where it went before; adding a
 * destination moves only the keys it wins, removing one moves only the keys it had. RabbitMQ's
 * hash (Erlang's phash2 and rand seeds) cannot be reproduced; only its properties are kept.
 * Where Warren's rules differ from RabbitMQ's (unbinding one of several bindings of a
 * destination) see conformance/REFERENCE.md.
 */
import type { ContentHeader } from '../../codec/content-header.js';
import { erlangBinary } from '../../codec/decode-failure.js';
import { tableGet, type FieldTable, type FieldValue } from '../../codec/field-table.js';
import { TYPE_ATOMS } from '../erlang-format.js';
import { argumentsKey, bindingKey, BindingGroup, type Binding } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';
import { fmix32, hashBytes, hashString } from './stable-hash.js';

/** The properties `hash-property` may name (RabbitMQ's ?PROPERTIES). */
export const HASH_PROPERTIES = ['correlation_id', 'message_id', 'timestamp'] as const;
export type HashProperty = (typeof HASH_PROPERTIES)[number];

/** What a consistent-hash exchange hashes, from its arguments. */
export type HashOn =
  | { readonly kind: 'routing-key' }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'property'; readonly property: HashProperty };

/** A problem with an exchange's arguments: the reply code (406, or 541 where RabbitMQ crashes) and its text. */
export interface ArgumentProblem {
  readonly code: 406 | 541;
  readonly text: string;
}

const LONGSTR = 'S';

/**
 * RabbitMQ's declare-time check of `hash-header` and `hash-property` (validate/1), in its order:
 * both are read first, and a value that is not a long string is not handled there (the channel
 * crashes, and the client sees its connection closed with 541 INTERNAL_ERROR); then both given
 * is refused, then a property other than the three it knows. Null when the arguments are fine.
 */
export function consistentHashArgumentsProblem(args: FieldTable): ArgumentProblem | null {
  const header = tableGet(args, 'hash-header');
  const property = tableGet(args, 'hash-property');
  for (const [name, v] of [['hash-header', header], ['hash-property', property]] as const) {
    if (v !== undefined && v.type !== LONGSTR) {
      return { code: 541, text: `${name} must be a longstr, not ${TYPE_ATOMS[v.type]}` };
    }
  }
  if (header !== undefined && property !== undefined) {
    return { code: 406, text: 'hash-header and hash-property are mutually exclusive' };
  }
  if (property !== undefined) {
    const p = property.value as Buffer;
    if (!(HASH_PROPERTIES as readonly string[]).includes(p.toString('utf8'))) {
      return { code: 406, text: `Unsupported property: ${p.toString('utf8')}` };
    }
  }
  return null;
}

/** What the exchange hashes, for arguments that passed consistentHashArgumentsProblem. */
export function hashOn(args: FieldTable): HashOn {
  const header = tableGet(args, 'hash-header');
  if (header?.type === LONGSTR) return { kind: 'header', name: header.value.toString('utf8') };
  const property = tableGet(args, 'hash-property');
  if (property?.type === LONGSTR) {
    const p = property.value.toString('utf8');
    if ((HASH_PROPERTIES as readonly string[]).includes(p)) return { kind: 'property', property: p as HashProperty };
  }
  return { kind: 'routing-key' };
}

/** Erlang's list_to_integer accepts an optional sign and ASCII digits, nothing else. */
const INTEGER = /^[+-]?[0-9]+$/;

/**
 * RabbitMQ's bind-time check of a weight (validate_binding/2): the text sent as
 * `PRECONDITION_FAILED - <text>`, or null. The key is quoted as Erlang's ~tp prints a binary.
 */
export function consistentHashWeightProblem(routingKey: string): string | null {
  if (!INTEGER.test(routingKey)) return `The binding key must be an integer: ${erlangBinary(Buffer.from(routingKey, 'utf8'))}`;
  if (BigInt(routingKey) < 1n) return 'The binding key must be greater than 0';
  return null;
}

/** A valid weight as a number (very large ones become Number.MAX_VALUE); 1 for a key that never passed validation. */
function weightOf(routingKey: string): number {
  if (!INTEGER.test(routingKey)) return 1;
  const w = Number(routingKey);
  if (!(w >= 1)) return 1;
  return Number.isFinite(w) ? w : Number.MAX_VALUE;
}

/** The hash of a missing header or property: a fixed value, so such messages all go one way. */
const MISSING = 0x2f6b_3a91;
/** An empty array header (RabbitMQ 4 hashes an array by its first element, an empty one as a fixed term). */
const EMPTY_ARRAY = 0x71c4_0e5d;

/** The hash of a header's value: its bytes for strings, its first element for arrays, its text otherwise. */
function valueHash(v: FieldValue): number {
  switch (v.type) {
    case 'S':
    case 'x':
      return hashBytes(v.value);
    case 'A':
      return v.value.length === 0 ? EMPTY_ARRAY : valueHash(v.value[0]);
    case 'V':
      return MISSING;
    case 'F':
      return hashString(argumentsKey(v.value));
    case 'D':
      return hashString(`${v.value.scale}:${v.value.digits}`);
    default:
      return hashString(String(v.value));
  }
}

interface Member<D> {
  readonly destination: D;
  readonly seed: number;
  /** 1 / weight: a draw's score is -ln(u) / weight, the smallest wins. */
  readonly inverseWeight: number;
  readonly identity: string;
}

export class ConsistentHashRouting<D> implements RoutingTable<D> {
  readonly routesOnce = true;
  private readonly on: HashOn;
  /** The bindings by destination, in the order they were made (a destination's first gives its weight). */
  private readonly group = new BindingGroup<D>();
  /** The destinations with their seeds and weights, sorted by identity; rebuilt on the first route after a change. */
  private members: Member<D>[] = [];
  private stale = false;

  /**
   * `identify` names a destination the same way in every process (its kind and name): the
   * draws are seeded from it, so a restart keeps every key where it was.
   */
  constructor(args: FieldTable, private readonly identify: (d: D) => string) {
    this.on = hashOn(args);
  }

  get size(): number {
    return this.group.size;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    if (!this.group.add({ destination, routingKey, args }, bindingKey(routingKey, args))) return false;
    this.stale = true;
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    if (!this.group.delete(destination, bindingKey(routingKey, args))) return false;
    this.stale = true;
    return true;
  }

  removeDestination(destination: D): number {
    const n = this.group.removeDestination(destination);
    if (n > 0) this.stale = true;
    return n;
  }

  route(routingKey: string, _headers: FieldTable | undefined, out: Set<D>, header?: ContentHeader): void {
    if (this.group.size === 0) return;
    if (this.stale) this.rebuild();
    const members = this.members;
    if (members.length === 1) {
      out.add(members[0].destination);
      return;
    }
    out.add(this.pick(this.keyHash(routingKey, header)));
  }

  hasDestination(destination: D): boolean {
    return this.group.has(destination);
  }

  bindings(): IterableIterator<Binding<D>> {
    return this.group.values();
  }

  /** The destination a key hash goes to: weighted rendezvous (highest random weight) over the members. */
  pick(h: number): D {
    const members = this.members;
    let best = members[0];
    let bestScore = Infinity;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      // a uniform draw in (0, 1) that depends on the key and the destination alone
      const u = (fmix32(h ^ m.seed) + 0.5) / 4294967296;
      const score = -Math.log(u) * m.inverseWeight;
      if (score < bestScore) {
        bestScore = score;
        best = m;
      }
    }
    return best.destination;
  }

  private keyHash(routingKey: string, header: ContentHeader | undefined): number {
    const on = this.on;
    if (on.kind === 'routing-key') return hashString(routingKey);
    if (header === undefined) return MISSING;
    if (on.kind === 'header') {
      const headers = header.headers;
      const v = headers === undefined ? undefined : tableGet(headers, on.name);
      return v === undefined ? MISSING : valueHash(v);
    }
    switch (on.property) {
      case 'correlation_id': {
        const id = header.get('correlationId');
        return id === undefined ? MISSING : hashString(id);
      }
      case 'message_id': {
        const id = header.get('messageId');
        return id === undefined ? MISSING : hashString(id);
      }
      case 'timestamp': {
        const ts = header.get('timestamp');
        return ts === undefined ? MISSING : hashString(String(ts));
      }
    }
  }

  /** Each destination once, weighted by its first binding, in an order that does not depend on the order of binding. */
  private rebuild(): void {
    const members: Member<D>[] = [];
    for (const first of this.group.firsts()) {
      const destination = first.destination;
      const identity = this.identify(destination);
      members.push({ destination, identity, seed: hashString(identity), inverseWeight: 1 / weightOf(first.routingKey) });
    }
    // equal draws (two names whose seeds collide, with equal weights) go to the first by name
    members.sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
    this.members = members;
    this.stale = false;
  }
}
