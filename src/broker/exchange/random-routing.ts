/**
 * Random exchange (`x-random`, rabbitmq_random_exchange, shipped with RabbitMQ 3.13+): each
 * message goes to one binding's destination picked at random, whatever its routing key; with no
 * bindings, nowhere. As in RabbitMQ the pick is among bindings, not destinations: a queue bound
 * twice (with two keys) is twice as likely to be picked. Routing looks at the message once,
 * not once per CC/BCC key (routesOnce). Bindings take no arguments of their own and any key.
 */
import type { FieldTable } from '../../codec/field-table.js';
import { bindingKey, type Binding } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

export class RandomRouting<D> implements RoutingTable<D> {
  readonly routesOnce = true;
  /** Every binding, so a pick is one index; order is the order of binding. */
  private readonly list: Binding<D>[] = [];
  /** destination → its bindings by binding key, for unbind and removeDestination. */
  private readonly byDestination = new Map<D, Map<string, Binding<D>>>();

  /** Where picks come from: Math.random unless a test gives its own sequence. */
  constructor(private readonly random: () => number = Math.random) {}

  get size(): number {
    return this.list.length;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    const key = bindingKey(routingKey, args);
    let mine = this.byDestination.get(destination);
    if (mine === undefined) {
      mine = new Map();
      this.byDestination.set(destination, mine);
    } else if (mine.has(key)) {
      return false;
    }
    const b = { destination, routingKey, args };
    mine.set(key, b);
    this.list.push(b);
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const mine = this.byDestination.get(destination);
    const key = bindingKey(routingKey, args);
    const b = mine?.get(key);
    if (mine === undefined || b === undefined) return false;
    mine.delete(key);
    if (mine.size === 0) this.byDestination.delete(destination);
    this.list.splice(this.list.indexOf(b), 1);
    return true;
  }

  removeDestination(destination: D): number {
    const mine = this.byDestination.get(destination);
    if (mine === undefined) return 0;
    this.byDestination.delete(destination);
    let kept = 0;
    for (const b of this.list) if (b.destination !== destination) this.list[kept++] = b;
    this.list.length = kept;
    return mine.size;
  }

  route(_routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    const n = this.list.length;
    if (n === 0) return;
    out.add(this.list[n === 1 ? 0 : Math.floor(this.random() * n)].destination);
  }

  hasDestination(destination: D): boolean {
    return this.byDestination.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    for (const mine of this.byDestination.values()) yield* mine.values();
  }
}
