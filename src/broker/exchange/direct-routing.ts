/**
 * Direct exchange: a binding matches when its routing key equals the message's, exactly
 * (RabbitMQ compares the binaries; no wildcards, no case folding). Routing is one map lookup.
 */
import type { FieldTable } from '../../codec/field-table.js';
import { argumentsKey, BindingGroup, type Binding } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

export class DirectRouting<D> implements RoutingTable<D> {
  /** routing key → its bindings, identified within a destination by their arguments. */
  private readonly byKey = new Map<string, BindingGroup<D>>();
  /** destination → the routing keys it is bound with, so removeDestination need not scan. */
  private readonly keysOf = new Map<D, Set<string>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    let group = this.byKey.get(routingKey);
    if (group === undefined) {
      group = new BindingGroup<D>();
      this.byKey.set(routingKey, group);
    }
    if (!group.add({ destination, routingKey, args }, argumentsKey(args))) return false;
    let keys = this.keysOf.get(destination);
    if (keys === undefined) {
      keys = new Set();
      this.keysOf.set(destination, keys);
    }
    keys.add(routingKey);
    this.count++;
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const group = this.byKey.get(routingKey);
    if (group === undefined || !group.delete(destination, argumentsKey(args))) return false;
    this.count--;
    if (group.size === 0) this.byKey.delete(routingKey);
    if (!group.has(destination)) {
      const keys = this.keysOf.get(destination);
      keys?.delete(routingKey);
      if (keys?.size === 0) this.keysOf.delete(destination);
    }
    return true;
  }

  removeDestination(destination: D): number {
    const keys = this.keysOf.get(destination);
    if (keys === undefined) return 0;
    let removed = 0;
    for (const k of keys) {
      const group = this.byKey.get(k);
      if (group === undefined) continue;
      removed += group.removeDestination(destination);
      if (group.size === 0) this.byKey.delete(k);
    }
    this.keysOf.delete(destination);
    this.count -= removed;
    return removed;
  }

  route(routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    this.byKey.get(routingKey)?.addTo(out);
  }

  hasDestination(destination: D): boolean {
    return this.keysOf.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    for (const group of this.byKey.values()) yield* group.values();
  }
}
