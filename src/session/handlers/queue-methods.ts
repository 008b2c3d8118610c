/**
 * queue.declare / bind / unbind / purge / delete, with RabbitMQ's checks in RabbitMQ's order,
 * and its shortcut: queue name '' means the queue this channel declared last.
 */
import type {
  QueueBindArgs, QueueDeclareArgs, QueueDeleteArgs, QueuePurgeArgs, QueueUnbindArgs,
} from '../../codec/generated/method-types.js';
import {
  NOT_FOUND, PRECONDITION_FAILED, QUEUE_BIND_OK, QUEUE_DECLARE_OK, QUEUE_DELETE_OK, QUEUE_PURGE_OK,
  QUEUE_UNBIND_OK, RESOURCE_LOCKED,
} from '../../codec/generated/protocol.js';
import { assertArgsEquivalence, assertFieldEquivalence } from '../../broker/equivalence.js';
import type { Queue } from '../../broker/queue.js';
import { queueConfig, queueTypeArguments } from '../../broker/queue-arguments.js';
import { generatedName, rs, stripCrLf } from '../../broker/resource-names.js';
import { tableGet } from '../../codec/field-table.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';
import { checkBindingAccess, checkBindingArgs, checkTopicRead } from './binding-checks.js';
import { REPLY_TO, replyQueueExists } from '../direct-reply-to.js';
import { checkName } from './exchange-methods.js';

export function queueDeclare(ch: Channel, a: QueueDeclareArgs): void {
  const vhost = ch.vhost;
  const requested = stripCrLf(a.queue);
  if (requested.startsWith(REPLY_TO)) {
    // RabbitMQ: every declare of amq.rabbitmq.reply-to or a reply address is passive; the
    // pseudo-queue always exists (frameworks declare it before consuming from it), an address
    // while its client consumes
    if (!replyQueueExists(ch, requested)) throw new AmqpError(NOT_FOUND, `no ${rs('queue', requested, vhost.name)}`);
    if (!a.noWait) ch.send(QUEUE_DECLARE_OK, { queue: requested, messageCount: 0, consumerCount: 1 });
    return;
  }
  let q: Queue;
  if (a.passive) {
    ch.conn.access.checkAny('queue', requested);
    q = vhost.queue(requested);
    checkExclusiveAccess(ch, q, false);
    q.touch();
  } else {
    const owner = a.exclusive ? ch.conn.id : null;
    // RabbitMQ 4: exclusive queues are never durable
    const durable = a.durable && !a.exclusive;
    const name = requested === '' ? generatedName('amq.gen') : requested;
    if (requested !== '') checkName('queue', name);
    ch.conn.access.check('queue', name, 'configure');
    vhost.churn.queuesDeclared++;
    const existing = vhost.queues.get(name);
    const resource = rs('queue', name, vhost.name);
    if (existing) {
      checkExclusiveAccess(ch, existing, true, a.exclusive);
      assertFieldEquivalence(existing.durable, durable, resource, 'durable');
      assertFieldEquivalence(existing.autoDelete, a.autoDelete, resource, 'auto_delete');
      const known = queueTypeArguments(existing.config.type);
      assertArgsEquivalence(existing.options.arguments, a.arguments, resource, known);
      existing.touch();
      q = existing;
    } else {
      // as RabbitMQ, for a new queue only: dead-lettering reads the queue and writes the exchange
      const dlx = tableGet(a.arguments, 'x-dead-letter-exchange');
      if (dlx?.type === 'S') {
        ch.conn.access.check('queue', name, 'read');
        ch.conn.access.check('exchange', dlx.value.toString('utf8'), 'write');
      }
      const config = queueConfig(a.arguments, resource, {
        durable, exclusive: a.exclusive, autoDelete: a.autoDelete, serverNamed: requested === '',
      });
      checkQueueLimit(ch, name);
      q = vhost.addQueue(name, { durable, exclusive: a.exclusive, autoDelete: a.autoDelete, arguments: a.arguments, owner, config });
    }
  }
  ch.lastQueue = q.name;
  if (!a.noWait) {
    ch.send(QUEUE_DECLARE_OK, { queue: q.name, messageCount: q.messageCount, consumerCount: q.declaredConsumerCount });
  }
}

export function queueBind(ch: Channel, a: QueueBindArgs): void {
  const name = queueName(ch, a.queue);
  const routingKey = a.queue === '' && a.routingKey === '' ? name : a.routingKey;
  checkBindingAccess(ch, 'queue', name, a.exchange);
  const x = ch.vhost.exchange(a.exchange);
  checkTopicRead(ch, x, routingKey);
  const q = ch.vhost.queue(name);
  checkExclusiveAccess(ch, q, false);
  checkBindingArgs(x, routingKey, a.arguments);
  ch.vhost.bind(x, q, routingKey, a.arguments);
  if (!a.noWait) ch.send(QUEUE_BIND_OK, {});
}

/** As in RabbitMQ, unbinding what does not exist (binding, queue or exchange) is fine. */
export function queueUnbind(ch: Channel, a: QueueUnbindArgs): void {
  const name = queueName(ch, a.queue);
  const routingKey = a.queue === '' && a.routingKey === '' ? name : a.routingKey;
  checkBindingAccess(ch, 'queue', name, a.exchange);
  const x = ch.vhost.exchanges.get(a.exchange);
  if (x) checkTopicRead(ch, x, routingKey);
  const q = ch.vhost.queues.get(name);
  if (x && q) ch.vhost.unbind(x, q, routingKey, a.arguments);
  ch.send(QUEUE_UNBIND_OK, {});
}

/** RabbitMQ's vhost max-queues, checked on a new queue once its arguments are valid. */
function checkQueueLimit(ch: Channel, name: string): void {
  const limit = ch.conn.access.queueLimit();
  if (limit !== null && ch.vhost.queues.size >= limit) {
    throw new AmqpError(PRECONDITION_FAILED, `cannot declare queue '${name}': queue limit in vhost '${ch.vhost.name}' (${limit}) is reached`);
  }
}

export function queuePurge(ch: Channel, a: QueuePurgeArgs): void {
  const name = queueName(ch, a.queue);
  ch.conn.access.check('queue', name, 'read');
  const q = ch.vhost.queue(name);
  checkExclusiveAccess(ch, q, false);
  const messageCount = q.purge();
  if (!a.noWait) ch.send(QUEUE_PURGE_OK, { messageCount });
}

export function queueDelete(ch: Channel, a: QueueDeleteArgs): void {
  const name = queueName(ch, stripCrLf(a.queue));
  ch.conn.access.check('queue', name, 'configure');
  const q = ch.vhost.queues.get(name);
  let messageCount = 0;
  if (q) {
    checkExclusiveAccess(ch, q, false);
    const resource = rs('queue', name, ch.vhost.name);
    if (a.ifUnused && q.consumerCount > 0) throw new AmqpError(PRECONDITION_FAILED, `${resource} in use`);
    if (a.ifEmpty && q.messageCount > 0) throw new AmqpError(PRECONDITION_FAILED, `${resource} not empty`);
    messageCount = ch.vhost.deleteQueue(q);
  }
  if (!a.noWait) ch.send(QUEUE_DELETE_OK, { messageCount });
}

/** RabbitMQ's shortcut: '' is the queue this channel declared last. */
export function queueName(ch: Channel, name: string): string {
  if (name !== '') return name;
  if (ch.lastQueue === '') throw new AmqpError(NOT_FOUND, 'no previously declared queue');
  return ch.lastQueue;
}

/**
 * An exclusive queue belongs to the connection that declared it. `strict` (a redeclaration)
 * also refuses a non-exclusive queue redeclared as exclusive, as RabbitMQ does.
 */
export function checkExclusiveAccess(ch: Channel, q: Queue, strict: boolean, declaringExclusive = false): void {
  const owner = q.options.owner;
  const ok = owner === ch.conn.id ? (!strict || declaringExclusive) : owner === null && !(strict && declaringExclusive);
  if (ok) return;
  throw new AmqpError(RESOURCE_LOCKED,
    `cannot obtain exclusive access to locked ${rs('queue', q.name, ch.vhost.name)}. It could be originally `
    + 'declared on another connection or the exclusive property value does not match that of the original declaration.');
}
