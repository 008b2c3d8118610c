/**
 * Routing for one exchange: each exchange type is a small plug-in implementing RoutingTable.
 * A binding is identified, as in RabbitMQ, by (destination, routing key, arguments), where
 * argument tables that RabbitMQ sorts to the same term are the same (see binding-key.ts).
 */
import type { ContentHeader } from '../../codec/content-header.js';
import type { FieldTable } from '../../codec/field-table.js';
import { ConsistentHashRouting } from './consistent-hash-routing.js';
import { DirectRouting } from './direct-routing.js';
import { FanoutRouting } from './fanout-routing.js';
import { HeadersRouting } from './headers-routing.js';
import { RandomRouting } from './random-routing.js';
import { TopicRouting } from './topic-routing.js';

/** Routing for one exchange: its bindings and the match function. D is a destination (a queue or an exchange object); identity is by reference. */
export interface RoutingTable<D> {
  /** Adds a binding; returns false if an identical one (same destination, routing key and arguments) exists. */
  bind(destination: D, routingKey: string, args: FieldTable): boolean;
  /** Removes a binding; returns false if there was none. */
  unbind(destination: D, routingKey: string, args: FieldTable): boolean;
  /** Removes every binding to `destination` (it was deleted); returns how many. */
  removeDestination(destination: D): number;
  /**
   * Adds to `out` every destination whose binding matches. `headers` is the message's headers
   * table (only the headers exchange reads it; may be undefined). `header` is the whole content
   * header, for types that read something else of the message (consistent-hash on a header or a
   * property): passing it costs nothing, since a property is decoded only when asked for. Must
   * not allocate per call beyond what is unavoidable; no logging.
   */
  route(routingKey: string, headers: FieldTable | undefined, out: Set<D>, header?: ContentHeader): void;
  /**
   * True for types RabbitMQ asks once per message, not once per routing key: the message's
   * CC/BCC keys are then not routed separately (consistent-hash hashes the first key only,
   * random picks one destination per message).
   */
  readonly routesOnce?: boolean;
  /** Number of bindings. */
  readonly size: number;
  /** Every binding, for listing and for persisting topology. */
  bindings(): IterableIterator<{ destination: D; routingKey: string; args: FieldTable }>;
  /** True if some binding has this destination. */
  hasDestination(destination: D): boolean;
}

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers' | 'x-consistent-hash' | 'x-random' | 'x-message-deduplication';

/**
 * A fresh, empty routing table for an exchange of this type. `args` are the exchange's
 * arguments (consistent-hash reads hash-header / hash-property from them); `identify` names a
 * destination the same way in every process (consistent-hash seeds its choice with it).
 */
export function createRoutingTable<D>(type: ExchangeType, args: FieldTable = [], identify: (d: D) => string = String): RoutingTable<D> {
  switch (type) {
    case 'direct': return new DirectRouting<D>();
    case 'fanout':
    case 'x-message-deduplication': return new FanoutRouting<D>(); // the plugin's type routes as fanout
    case 'topic': return new TopicRouting<D>();
    case 'headers': return new HeadersRouting<D>();
    case 'x-consistent-hash': return new ConsistentHashRouting<D>(args, identify);
    case 'x-random': return new RandomRouting<D>();
  }
}
