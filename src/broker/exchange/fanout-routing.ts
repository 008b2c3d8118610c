/** Fanout: every bound destination, once, whatever the routing key. */
import type { FieldTable } from '../../codec/field-table.js';
import { argumentsKey } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

interface Binding<D> {
  readonly destination: D;
  readonly routingKey: string;
  readonly args: FieldTable;
}

export class FanoutRouting<D> implements RoutingTable<D> {
  /** destination → bindings by identity key; a destination may be bound several times. */
  private readonly byDestination = new Map<D, Map<string, Binding<D>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    let bs = this.byDestination.get(destination);
    if (!bs) this.byDestination.set(destination, (bs = new Map()));
    const key = `${routingKey}\u0000${argumentsKey(args)}`;
    if (bs.has(key)) return false;
    bs.set(key, { destination, routingKey, args });
    this.count++;
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const bs = this.byDestination.get(destination);
    if (!bs || !bs.delete(`${routingKey}\u0000${argumentsKey(args)}`)) return false;
    if (bs.size === 0) this.byDestination.delete(destination);
    this.count--;
    return true;
  }

  removeDestination(destination: D): number {
    const bs = this.byDestination.get(destination);
    if (!bs) return 0;
    this.byDestination.delete(destination);
    this.count -= bs.size;
    return bs.size;
  }

  route(_routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    for (const d of this.byDestination.keys()) out.add(d);
  }

  hasDestination(destination: D): boolean {
    return this.byDestination.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    for (const bs of this.byDestination.values()) yield* bs.values();
  }
}
