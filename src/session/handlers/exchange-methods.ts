/** exchange.declare / delete / bind / unbind, with RabbitMQ's checks in RabbitMQ's order. */
import type {
  ExchangeBindArgs, ExchangeDeclareArgs, ExchangeDeleteArgs, ExchangeUnbindArgs,
} from '../../codec/generated/method-types.js';
import {
  ACCESS_REFUSED, EXCHANGE_BIND_OK, EXCHANGE_DECLARE_OK, EXCHANGE_DELETE_OK, EXCHANGE_UNBIND_OK,
  PRECONDITION_FAILED,
} from '../../codec/generated/protocol.js';
import { assertArgsEquivalence, assertFieldEquivalence } from '../../broker/equivalence.js';
import { DELAYED_TYPE, EXCHANGE_TYPES, validateExchangeArguments, type DeclaredType, type Exchange } from '../../broker/exchange.js';
import { delayedRoutingType } from '../../broker/delayed-exchange.js';
import { rs, stripCrLf } from '../../broker/resource-names.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';
import { checkBindingAccess, checkBindingArgs, checkTopicRead, notDefault } from './binding-checks.js';
import { tableGet } from '../../codec/field-table.js';

export function exchangeDeclare(ch: Channel, args: ExchangeDeclareArgs): void {
  const vhost = ch.vhost;
  const a = { ...args, exchange: stripCrLf(args.exchange) };
  if (a.passive) {
    notDefault(a.exchange);
    ch.conn.access.checkAny('exchange', a.exchange);
    vhost.exchange(a.exchange);
  } else {
    const type = checkType(a.type);
    notDefault(a.exchange);
    ch.conn.access.check('exchange', a.exchange, 'configure');
    const existing = vhost.exchanges.get(a.exchange);
    if (existing) {
      assertEquivalent(existing, type, a, rs('exchange', a.exchange, vhost.name));
    } else {
      checkName('exchange', a.exchange);
      // as RabbitMQ, for a new exchange only: an alternate exchange is written to on its behalf
      const ae = tableGet(a.arguments, 'alternate-exchange');
      if (ae?.type === 'S') {
        ch.conn.access.check('exchange', a.exchange, 'read');
        ch.conn.access.check('exchange', ae.value.toString('utf8'), 'write');
      }
      // an x-delayed-message exchange's arguments are checked as its x-delayed-type's (the plugin's validate/1)
      validateExchangeArguments(type === DELAYED_TYPE ? delayedRoutingType(a.arguments) : type, a.arguments);
      vhost.addExchange(a.exchange, type, {
        durable: a.durable, autoDelete: a.autoDelete, internal: a.internal, arguments: a.arguments,
      });
    }
  }
  if (!a.noWait) ch.send(EXCHANGE_DECLARE_OK, {});
}

function assertEquivalent(x: Exchange, type: DeclaredType, a: ExchangeDeclareArgs, resource: string): void {
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
  ch.conn.access.check('exchange', a.exchange, 'configure');
  const x = ch.vhost.exchanges.get(a.exchange);
  if (x) ch.vhost.deleteExchange(x, a.ifUnused);
  if (!a.noWait) ch.send(EXCHANGE_DELETE_OK, {});
}

export function exchangeBind(ch: Channel, a: ExchangeBindArgs): void {
  checkBindingAccess(ch, 'exchange', a.destination, a.source);
  const source = ch.vhost.exchange(a.source);
  checkTopicRead(ch, source, a.routingKey);
  const destination = ch.vhost.exchange(a.destination);
  checkBindingArgs(source, a.routingKey, a.arguments);
  ch.vhost.bind(source, destination, a.routingKey, a.arguments);
  if (!a.noWait) ch.send(EXCHANGE_BIND_OK, {});
}

/** As in RabbitMQ, unbinding what does not exist (binding or exchanges) is fine. */
export function exchangeUnbind(ch: Channel, a: ExchangeUnbindArgs): void {
  checkBindingAccess(ch, 'exchange', a.destination, a.source);
  const source = ch.vhost.exchanges.get(a.source);
  if (source) checkTopicRead(ch, source, a.routingKey);
  const destination = ch.vhost.exchanges.get(a.destination);
  if (source && destination) ch.vhost.unbind(source, destination, a.routingKey, a.arguments);
  if (!a.noWait) ch.send(EXCHANGE_UNBIND_OK, {});
}

/** The `amq.` prefix is reserved for new entities (redeclaring amq.direct is fine). */
export function checkName(kind: 'exchange' | 'queue', name: string): void {
  if (name.startsWith('amq.')) {
    throw new AmqpError(ACCESS_REFUSED, `${kind} name '${name}' contains reserved prefix 'amq.*'`);
  }
}

function checkType(type: string): DeclaredType {
  if ((EXCHANGE_TYPES as readonly string[]).includes(type) || type === DELAYED_TYPE) return type as DeclaredType;
  throw new AmqpError(PRECONDITION_FAILED, `unknown exchange type '${type}'`);
}
