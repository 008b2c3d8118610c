/**
 * Routing for one exchange: its bindings and the match function. Each exchange type is a small
 * plug-in implementing this interface; D is a destination (a queue or an exchange), compared by
 * reference. A binding is identified, as in RabbitMQ, by (destination, routing key, arguments),
 * where argument tables that differ only in entry order are the same (see binding-key.ts).
 */
import type { FieldTable } from '../../codec/field-table.js';
import { DirectRouting } from './direct-routing.js';
import { FanoutRouting } from './fanout-routing.js';
import { HeadersRouting } from './headers-routing.js';
import { TopicRouting } from './topic-routing.js';

export interface RoutingTable<D> {
  /** Adds a binding; returns false if an identical one (same destination, routing key and arguments) exists. */
  bind(destination: D, routingKey: string, args: FieldTable): boolean;
  /** Removes a binding; returns false if there was none. */
  unbind(destination: D, routingKey: string, args: FieldTable): boolean;
  /** Removes every binding to `destination` (it was deleted); returns how many. */
  removeDestination(destination: D): number;
  /**
   * Adds to `out` every destination with a matching binding. `headers` is the message's headers
   * table (only the headers exchange reads it). No logging and no allocation that can be avoided:
   * this runs for every message.
   */
  route(routingKey: string, headers: FieldTable | undefined, out: Set<D>): void;
  /** Number of bindings. */
  readonly size: number;
  /** Every binding, for listing and for persisting topology. */
  bindings(): IterableIterator<{ destination: D; routingKey: string; args: FieldTable }>;
  /** True if some binding has this destination. */
  hasDestination(destination: D): boolean;
}

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';

export function createRoutingTable<D>(type: ExchangeType): RoutingTable<D> {
  switch (type) {
    case 'direct': return new DirectRouting<D>();
    case 'fanout': return new FanoutRouting<D>();
    case 'topic': return new TopicRouting<D>();
    case 'headers': return new HeadersRouting<D>();
  }
}
