/**
 * Random exchange (`x-random`, rabbitmq_random_exchange, shipped with RabbitMQ 3.13+): each
 * message goes to one binding's destination picked at random, whatever its routing key; with no
 * bindings, nowhere. As in RabbitMQ the pick is among bindings, not destinations: a queue bound
 * twice (with two keys) is twice as likely to be picked. Routing looks at the message once,
 * not once per CC/BCC key (routesOnce). Bindings take no arguments of their own and any key.
 */
import type { FieldTable } from '../../codec/field-table.js';
import { bindingKey, BindingGroup, type Binding } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

export class RandomRouting<D> implements RoutingTable<D> {
  readonly routesOnce = true;
  /** Every binding, so a pick is one index; order is the order of binding. */
  private readonly list: Binding<D>[] = [];
  /** The same bindings by destination, for unbind, removeDestination and listing. */
  private readonly group = new BindingGroup<D>();

  /** Where picks come from: Math.random unless a test gives its own sequence. */
  constructor(private readonly random: () => number = Math.random) {}

  get size(): number {
    return this.list.length;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    const b = { destination, routingKey, args };
    if (!this.group.add(b, bindingKey(routingKey, args))) return false;
    this.list.push(b);
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const key = bindingKey(routingKey, args);
    const b = this.group.get(destination, key);
    if (b === undefined) return false;
    this.group.delete(destination, key);
    this.list.splice(this.list.indexOf(b), 1);
    return true;
  }

  removeDestination(destination: D): number {
    const n = this.group.removeDestination(destination);
    if (n === 0) return 0;
    let kept = 0;
    for (const b of this.list) if (b.destination !== destination) this.list[kept++] = b;
    this.list.length = kept;
    return n;
  }

  route(_routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    const n = this.list.length;
    if (n === 0) return;
    out.add(this.list[n === 1 ? 0 : Math.floor(this.random() * n)].destination);
  }

  hasDestination(destination: D): boolean {
    return this.group.has(destination);
  }

  bindings(): IterableIterator<Binding<D>> {
    return this.group.values();
  }
}
