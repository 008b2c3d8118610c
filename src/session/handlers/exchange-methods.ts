/** exchange.declare / delete / bind / unbind, with RabbitMQ's checks in RabbitMQ's order. */
import type {
  ExchangeBindArgs, ExchangeDeclareArgs, ExchangeDeleteArgs, ExchangeUnbindArgs,
} from '../../codec/generated/method-types.js';
import {
  ACCESS_REFUSED, EXCHANGE_BIND_OK, EXCHANGE_DECLARE_OK, EXCHANGE_DELETE_OK, EXCHANGE_UNBIND_OK,
  PRECONDITION_FAILED,
} from '../../codec/generated/protocol.js';
import { assertArgsEquivalence, assertFieldEquivalence } from '../../broker/equivalence.js';
import { EXCHANGE_TYPES, type Exchange } from '../../broker/exchange.js';
import type { ExchangeType } from '../../broker/exchange/routing-table.js';
import { rs, stripCrLf } from '../../broker/resource-names.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';
import { checkBindingArgs } from './binding-checks.js';

export function exchangeDeclare(ch: Channel, args: ExchangeDeclareArgs): void {
  const vhost = ch.vhost;
  const a = { ...args, exchange: stripCrLf(args.exchange) };
  if (a.passive) {
    notDefault(a.exchange);
    vhost.exchange(a.exchange);
  } else {
    const type = checkType(a.type);
    notDefault(a.exchange);
    const existing = vhost.exchanges.get(a.exchange);
    if (existing) {
      assertEquivalent(existing, type, a, rs('exchange', a.exchange, vhost.name));
    } else {
      checkName('exchange', a.exchange);
      vhost.addExchange(a.exchange, type, {
        durable: a.durable, autoDelete: a.autoDelete, internal: a.internal, arguments: a.arguments,
      });
    }
  }
  if (!a.noWait) ch.send(EXCHANGE_DECLARE_OK, {});
}

function assertEquivalent(x: Exchange, type: ExchangeType, a: ExchangeDeclareArgs, resource: string): void {
  assertFieldEquivalence(x.type, type, resource, 'type');
  assertFieldEquivalence(x.durable, a.durable, resource, 'durable');
  assertFieldEquivalence(x.autoDelete, a.autoDelete, resource, 'auto_delete');
  assertFieldEquivalence(x.internal, a.internal, resource, 'internal');
  assertArgsEquivalence(x.options.arguments, a.arguments, resource, ['alternate-exchange']);
}

export function exchangeDelete(ch: Channel, args: ExchangeDeleteArgs): void {
  const a = { ...args, exchange: stripCrLf(args.exchange) };
  notDefault(a.exchange);
  if (a.exchange.startsWith('amq.')) {
    throw new AmqpError(ACCESS_REFUSED, `deletion of system ${rs('exchange', a.exchange, ch.vhost.name)} not allowed`);
  }
  const x = ch.vhost.exchanges.get(a.exchange);
  if (x) ch.vhost.deleteExchange(x, a.ifUnused);
  if (!a.noWait) ch.send(EXCHANGE_DELETE_OK, {});
}

export function exchangeBind(ch: Channel, a: ExchangeBindArgs): void {
  const [source, destination] = bindingEnds(ch, a.source, a.destination);
  checkBindingArgs(source, a.arguments);
  ch.vhost.bind(source, destination, a.routingKey, a.arguments);
  if (!a.noWait) ch.send(EXCHANGE_BIND_OK, {});
}

/** As in RabbitMQ, unbinding what does not exist (binding or exchanges) is fine. */
export function exchangeUnbind(ch: Channel, a: ExchangeUnbindArgs): void {
  notDefault(a.source);
  notDefault(a.destination);
  const source = ch.vhost.exchanges.get(a.source);
  const destination = ch.vhost.exchanges.get(a.destination);
  if (source && destination) ch.vhost.unbind(source, destination, a.routingKey, a.arguments);
  if (!a.noWait) ch.send(EXCHANGE_UNBIND_OK, {});
}

/** Both ends of an exchange-to-exchange binding; the default exchange takes no part; source looked up first. */
function bindingEnds(ch: Channel, source: string, destination: string): [Exchange, Exchange] {
  notDefault(source);
  notDefault(destination);
  return [ch.vhost.exchange(source), ch.vhost.exchange(destination)];
}

export function notDefault(name: string): void {
  if (name === '') throw new AmqpError(ACCESS_REFUSED, 'operation not permitted on the default exchange');
}

/** The `amq.` prefix is reserved for new entities (redeclaring amq.direct is fine). */
export function checkName(kind: 'exchange' | 'queue', name: string): void {
  if (name.startsWith('amq.')) {
    throw new AmqpError(ACCESS_REFUSED, `${kind} name '${name}' contains reserved prefix 'amq.*'`);
  }
}

function checkType(type: string): ExchangeType {
  if ((EXCHANGE_TYPES as readonly string[]).includes(type)) return type as ExchangeType;
  throw new AmqpError(PRECONDITION_FAILED, `unknown exchange type '${type}'`);
}
