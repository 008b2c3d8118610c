/**
 * Fanout exchange: every bound destination gets the message once, whatever its routing key.
 * The routing key and arguments of a binding do not take part in matching, but they are still
 * part of its identity: a queue bound with keys 'a' and 'b' has two bindings, and unbinding
 * one leaves it routed.
 */
import type { FieldTable } from '../../codec/field-table.js';
import { bindingKey, BindingGroup, type Binding } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

export class FanoutRouting<D> implements RoutingTable<D> {
  private readonly group = new BindingGroup<D>();

  get size(): number {
    return this.group.size;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    return this.group.add({ destination, routingKey, args }, bindingKey(routingKey, args));
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    return this.group.delete(destination, bindingKey(routingKey, args));
  }

  removeDestination(destination: D): number {
    return this.group.removeDestination(destination);
  }

  route(_routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    this.group.addTo(out);
  }

  hasDestination(destination: D): boolean {
    return this.group.has(destination);
  }

  bindings(): IterableIterator<Binding<D>> {
    return this.group.values();
  }
}
