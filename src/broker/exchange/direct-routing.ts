/** Direct: destinations whose binding key equals the routing key — one map lookup per message. */
import type { FieldTable } from '../../codec/field-table.js';
import { argumentsKey } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

interface Binding<D> {
  readonly destination: D;
  readonly routingKey: string;
  readonly args: FieldTable;
}

export class DirectRouting<D> implements RoutingTable<D> {
  /** routing key → destination → bindings (by arguments key). */
  private readonly byKey = new Map<string, Map<D, Map<string, Binding<D>>>>();
  /** destination → routing keys it is bound with, for removeDestination. */
  private readonly keysOf = new Map<D, Set<string>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    let dests = this.byKey.get(routingKey);
    if (!dests) this.byKey.set(routingKey, (dests = new Map()));
    let bs = dests.get(destination);
    if (!bs) dests.set(destination, (bs = new Map()));
    const ak = argumentsKey(args);
    if (bs.has(ak)) return false;
    bs.set(ak, { destination, routingKey, args });
    let keys = this.keysOf.get(destination);
    if (!keys) this.keysOf.set(destination, (keys = new Set()));
    keys.add(routingKey);
    this.count++;
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const dests = this.byKey.get(routingKey);
    const bs = dests?.get(destination);
    if (!dests || !bs || !bs.delete(argumentsKey(args))) return false;
    this.count--;
    if (bs.size === 0) {
      dests.delete(destination);
      if (dests.size === 0) this.byKey.delete(routingKey);
      const keys = this.keysOf.get(destination) as Set<string>;
      keys.delete(routingKey);
      if (keys.size === 0) this.keysOf.delete(destination);
    }
    return true;
  }

  removeDestination(destination: D): number {
    const keys = this.keysOf.get(destination);
    if (!keys) return 0;
    let removed = 0;
    for (const k of keys) {
      const dests = this.byKey.get(k) as Map<D, Map<string, Binding<D>>>;
      removed += (dests.get(destination) as Map<string, Binding<D>>).size;
      dests.delete(destination);
      if (dests.size === 0) this.byKey.delete(k);
    }
    this.keysOf.delete(destination);
    this.count -= removed;
    return removed;
  }

  route(routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    const dests = this.byKey.get(routingKey);
    if (dests !== undefined) for (const d of dests.keys()) out.add(d);
  }

  hasDestination(destination: D): boolean {
    return this.keysOf.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    for (const dests of this.byKey.values()) for (const bs of dests.values()) yield* bs.values();
  }
}
