/** Checks on bindings: the user's rights on both ends, and arguments that depend on the source's type. */
import type { FieldTable } from '../../codec/field-table.js';
import { ACCESS_REFUSED } from '../../codec/generated/protocol.js';
import type { Channel } from '../channel.js';
import { validateBinding, type Exchange } from '../../broker/exchange.js';
import { AmqpError } from '../../codec/amqp-error.js';

/** The source type's check of the binding (headers: x-match; consistent-hash: the weight in the routing key). */
export function checkBindingArgs(source: Exchange, routingKey: string, args: FieldTable): void {
  validateBinding(source, routingKey, args);
}

/**
 * A binding's rights, in RabbitMQ's order: write on the destination, neither end the default
 * exchange, read on the source (then, once the source is found, its topic permissions).
 */
export function checkBindingAccess(ch: Channel, kind: 'queue' | 'exchange', destination: string, source: string): void {
  ch.conn.access.check(kind, destination, 'write');
  if (kind === 'exchange') notDefault(destination);
  notDefault(source);
  ch.conn.access.check('exchange', source, 'read');
}

/** A binding key on a topic exchange is checked against the user's topic read permission. */
export function checkTopicRead(ch: Channel, source: Exchange, bindingKey: string): void {
  if (source.type === 'topic' && ch.conn.access.hasTopicPermissions) ch.conn.access.checkTopic(source.name, bindingKey, 'read');
}

export function notDefault(name: string): void {
  if (name === '') throw new AmqpError(ACCESS_REFUSED, 'operation not permitted on the default exchange');
}
