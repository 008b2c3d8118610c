/**
 * Declarations that come from an operator rather than a client: a definitions file at start
 * (and, later, the management API). They follow RabbitMQ's import: what exists is kept as it
 * is (no equivalence check: loading the same file at every start is a no-op), what does not is
 * created with the same validation a client's declare gets.
 */
import type { FieldTable } from '../codec/field-table.js';
import { DELAYED_TYPE, EXCHANGE_TYPES, validateBinding, validateExchangeArguments, type DeclaredType, type Exchange } from './exchange.js';
import type { ExchangeType } from './exchange/routing-table.js';
import { delayedRoutingType } from './delayed-exchange.js';
import type { Queue } from './queue.js';
import { queueConfig } from './queue-arguments.js';
import { rs } from './resource-names.js';
import type { VirtualHost } from './vhost.js';

export interface AdminExchange {
  readonly type: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments: FieldTable;
}

export interface AdminQueue {
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly arguments: FieldTable;
}

/** An operator's declaration refused (a reserved name, an unknown type, a missing end). */
export class AdminRefusal extends Error {}

/** Throws an AdminRefusal, or the AmqpError a client would get, when it cannot be declared. */
export function declareExchange(vhost: VirtualHost, name: string, x: AdminExchange): Exchange {
  const existing = vhost.exchanges.get(name);
  if (existing !== undefined) return existing;
  if (name === '' || name.startsWith('amq.')) throw new AdminRefusal(`exchange name '${name}' is reserved`);
  if (!(EXCHANGE_TYPES as readonly string[]).includes(x.type) && x.type !== DELAYED_TYPE) throw new AdminRefusal(`unknown exchange type '${x.type}'`);
  validateExchangeArguments(x.type === DELAYED_TYPE ? delayedRoutingType(x.arguments) : x.type as ExchangeType, x.arguments);
  return vhost.addExchange(name, x.type as DeclaredType, {
    durable: x.durable, autoDelete: x.autoDelete, internal: x.internal, arguments: x.arguments,
  });
}

export function declareQueue(vhost: VirtualHost, name: string, q: AdminQueue): Queue {
  vhost.churn.queuesDeclared++;
  const existing = vhost.queues.get(name);
  if (existing !== undefined) return existing;
  if (name === '' || name.startsWith('amq.')) throw new AdminRefusal(`queue name '${name}' is reserved`);
  const config = queueConfig(q.arguments, rs('queue', name, vhost.name), {
    durable: q.durable, exclusive: false, autoDelete: q.autoDelete, serverNamed: false,
  });
  return vhost.addQueue(name, {
    durable: q.durable, exclusive: false, autoDelete: q.autoDelete, arguments: q.arguments, owner: null, config,
  });
}

/** Binds (idempotently); both ends must exist. */
export function declareBinding(
  vhost: VirtualHost, source: string, kind: 'queue' | 'exchange', destination: string, key: string, args: FieldTable,
): void {
  const x = vhost.exchanges.get(source);
  if (x === undefined) throw new AdminRefusal(`no ${rs('exchange', source, vhost.name)}`);
  const dest = kind === 'queue' ? vhost.queues.get(destination) : vhost.exchanges.get(destination);
  if (dest === undefined) throw new AdminRefusal(`no ${rs(kind, destination, vhost.name)}`);
  validateBinding(x, key, args);
  vhost.bind(x, dest, key, args);
}
