/** The basic class: publishing, consuming, getting, acknowledging, prefetch and recovery. */
import type {
  BasicAckArgs, BasicCancelArgs, BasicConsumeArgs, BasicGetArgs, BasicNackArgs, BasicPublishArgs,
  BasicQosArgs, BasicRejectArgs,
} from '../../codec/generated/method-types.js';
import {
  ACCESS_REFUSED, BASIC_ACK, BASIC_CANCEL_OK, BASIC_CONSUME_OK, BASIC_GET_EMPTY, BASIC_GET_OK, BASIC_NACK,
  BASIC_QOS_OK, BASIC_RECOVER_OK, BASIC_REJECT, BASIC_RETURN, NO_ROUTE, NOT_ALLOWED, NOT_IMPLEMENTED,
  PRECONDITION_FAILED,
} from '../../codec/generated/protocol.js';
import type { ContentHeader } from '../../codec/content-header.js';
import { Message } from '../../broker/message.js';
import type { Exchange } from '../../broker/exchange.js';
import { generatedName, rs } from '../../broker/resource-names.js';
import { consumerOptions } from '../../broker/queue-arguments.js';
import { StreamQueue } from '../../broker/stream/stream-queue.js';
import { streamReadOptions } from '../../broker/stream/stream-reading.js';
import { checkExpiration } from '../../broker/message-expiry.js';
import { senderSelectedKeys, withoutBcc } from '../../broker/sender-selected.js';
import { tableGet } from '../../codec/field-table.js';
import { PUBLISH_ROUTING_START, publishRoutingEnd } from '../../codec/fast-paths.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';
import { Consumer } from '../consumer.js';
import {
  cancelReplies, consumeReplies, deliverReply, isReplyAddress, REPLY_TO, rewriteReplyTo,
} from '../direct-reply-to.js';
import { checkExclusiveAccess, queueName } from './queue-methods.js';
import { settleInTransaction } from './tx-confirm-methods.js';

/**
 * basic.publish, checked in RabbitMQ's order (rabbit_channel): exchange, internal, direct
 * reply-to, expiration, CC/BCC, user-id; then routed, and delivered or held by a transaction.
 */
export function basicPublish(ch: Channel, a: BasicPublishArgs): void {
  if (a.immediate) throw new AmqpError(NOT_IMPLEMENTED, 'immediate=true');
  const asm = ch.assembler;
  const vhost = ch.vhost;
  ch.conn.access.checkPublish(a.exchange);
  const x = vhost.exchange(a.exchange);
  if (x.internal) throw new AmqpError(ACCESS_REFUSED, `cannot publish to internal ${rs('exchange', x.name, vhost.name)}`);
  let header = asm.header as ContentHeader;
  if (header.has('replyTo') && header.get('replyTo') === REPLY_TO) header = rewriteReplyTo(ch, header);
  checkExpiration(header);
  // sender-selected distribution: CC and BCC add routing keys; BCC is not delivered
  let extraKeys: readonly string[] = NO_KEYS;
  if (header.has('headers') && mayHaveCcOrBcc(header.raw)) {
    const headers = header.headers;
    extraKeys = senderSelectedKeys(headers);
    if (headers !== undefined && tableGet(headers, 'BCC') !== undefined) header = withoutBcc(header);
  }
  if (x.type === 'topic' && ch.conn.access.hasTopicPermissions) checkTopicWrite(ch, x.name, a.routingKey, extraKeys);
  if (header.has('userId')) checkUserId(ch, header.get('userId') as string);
  const payload = asm.methodPayload;
  const message = new Message(a.exchange, a.routingKey, payload, header, asm.body, extraKeys,
    PUBLISH_ROUTING_START, publishRoutingEnd(payload));
  if (a.exchange === '' && isReplyAddress(a.routingKey)) {
    publishReply(ch, a, message);
    return;
  }
  ch.conn.publishing();
  ch.stats.publish++;
  x.publishIn++;
  if (ch.tx !== null) {
    // routed now, delivered at commit (as RabbitMQ)
    const queues = [...vhost.routeMessage(x, message)];
    ch.tx.publishes.push({ message, queues, mandatory: a.mandatory });
    countRouted(ch, x, queues.length, a.mandatory);
    return;
  }
  const seq = ch.confirms !== null ? ch.confirms.next() : 0;
  const outcome = vhost.publish(x, message);
  countRouted(ch, x, outcome.routed, a.mandatory);
  if (outcome.routed === 0 && a.mandatory) returnUnroutable(ch, message);
  if (seq !== 0) ch.confirmPublished(seq, outcome);
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** The management API's publish_out (one per queue reached) and unroutable counts. */
function countRouted(ch: Channel, x: Exchange, routed: number, mandatory: boolean): void {
  x.publishOut += routed;
  if (routed === 0) {
    if (mandatory) ch.stats.returnUnroutable++;
    else ch.stats.dropUnroutable++;
  }
}

/** A reply to a direct reply-to address: straight to its consumer, or unroutable. */
function publishReply(ch: Channel, a: BasicPublishArgs, message: Message): void {
  const seq = ch.confirms !== null ? ch.confirms.next() : 0;
  if (!deliverReply(ch, a.routingKey, message) && a.mandatory) returnUnroutable(ch, message);
  if (seq !== 0) ch.confirms?.ack(seq);
}

/** A cheap look at the raw header for a table key CC or BCC before decoding the headers. */
function mayHaveCcOrBcc(raw: Buffer): boolean {
  return raw.includes(CC_KEY) || raw.includes(BCC_KEY);
}
const CC_KEY = Buffer.from('\x02CC', 'latin1');
const BCC_KEY = Buffer.from('\x03BCC', 'latin1');

/** basic.return of a mandatory message that reached no queue (before its confirm, as RabbitMQ). */
export function returnUnroutable(ch: Channel, message: Message): void {
  ch.send(BASIC_RETURN, { replyCode: NO_ROUTE, replyText: 'NO_ROUTE', exchange: message.exchange, routingKey: message.routingKey });
  ch.conn.writer.content(ch.number, message.header.raw, message.body);
}

/** Topic permissions: every key the message is routed by (routing key, CC, BCC) must be writable. */
function checkTopicWrite(ch: Channel, exchange: string, routingKey: string, extraKeys: readonly string[]): void {
  ch.conn.access.checkTopic(exchange, routingKey, 'write');
  for (const key of extraKeys) ch.conn.access.checkTopic(exchange, key, 'write');
}

/** RabbitMQ refuses a user-id property that is not the connection's user. */
function checkUserId(ch: Channel, userId: string): void {
  if (userId !== ch.conn.user) {
    throw new AmqpError(PRECONDITION_FAILED, `user_id property set to '${userId}' but authenticated user was '${ch.conn.user}'`);
  }
}

export function basicConsume(ch: Channel, a: BasicConsumeArgs): void {
  if (a.queue === REPLY_TO) {
    consumeReplies(ch, a);
    return;
  }
  if (a.consumerTag !== '' && ch.consumers.has(a.consumerTag)) {
    throw new AmqpError(NOT_ALLOWED, `attempt to reuse consumer tag '${a.consumerTag}'`);
  }
  const name = queueName(ch, a.queue);
  ch.conn.access.check('queue', name, 'read');
  const q = ch.vhost.queue(name);
  checkExclusiveAccess(ch, q, false);
  if (q.hasExclusiveConsumer || (a.exclusive && q.consumerCount > 0)) {
    throw new AmqpError(ACCESS_REFUSED, `${rs('queue', q.name, ch.vhost.name)} in exclusive use`);
  }
  const resource = rs('queue', q.name, ch.vhost.name);
  // a stream reads its own consumer arguments and refuses what it cannot serve
  const reading = q instanceof StreamQueue
    ? streamReadOptions(a.arguments, resource, a.noAck, ch.consumerPrefetch, ch.channelPrefetch)
    : null;
  const options = reading === null ? consumerOptions(a.arguments, resource) : { priority: 0, timeout: undefined };
  const tag = a.consumerTag === '' ? generatedName('amq.ctag') : a.consumerTag;
  const consumer = new Consumer(ch, q, tag, a.noAck, a.exclusive, ch.consumerPrefetch, a.arguments, options.priority, options.timeout);
  ch.consumers.set(tag, consumer);
  if (q instanceof StreamQueue && reading !== null) q.addReader(consumer, reading);
  else q.addConsumer(consumer);
  if (!a.noWait) ch.send(BASIC_CONSUME_OK, { consumerTag: tag });
  q.dispatch();
}

export function basicCancel(ch: Channel, a: BasicCancelArgs): void {
  if (cancelReplies(ch, a.consumerTag)) {
    if (!a.noWait) ch.send(BASIC_CANCEL_OK, { consumerTag: a.consumerTag });
    return;
  }
  const consumer = ch.consumers.get(a.consumerTag);
  if (!a.noWait) ch.send(BASIC_CANCEL_OK, { consumerTag: a.consumerTag });
  if (consumer) {
    ch.consumers.delete(a.consumerTag);
    consumer.queue.removeConsumer(consumer);
  }
}

export function basicGet(ch: Channel, a: BasicGetArgs): void {
  const name = queueName(ch, a.queue);
  ch.conn.access.check('queue', name, 'read');
  const q = ch.vhost.queue(name);
  checkExclusiveAccess(ch, q, false);
  const qm = q.get();
  if (qm === undefined) {
    ch.stats.getEmpty++;
    ch.send(BASIC_GET_EMPTY, {});
    return;
  }
  if (qm.redelivered) ch.stats.redeliver++;
  if (a.noAck) ch.stats.getNoAck++;
  else ch.stats.get++;
  const tag = ch.nextDeliveryTag();
  const m = qm.message;
  ch.send(BASIC_GET_OK, {
    deliveryTag: tag, redelivered: qm.redelivered, exchange: m.exchange, routingKey: m.routingKey, messageCount: q.messageCount,
  });
  ch.conn.writer.content(ch.number, qm.header ?? m.header.raw, m.body);
  if (a.noAck) q.ack(qm);
  else ch.recordGet(tag, qm, q);
}

export function basicAck(ch: Channel, a: BasicAckArgs): void {
  if (ch.tx !== null) settleInTransaction(ch, a.deliveryTag, a.multiple, 'ack', BASIC_ACK);
  else ch.settle(a.deliveryTag, a.multiple, null, BASIC_ACK);
}

export function basicNack(ch: Channel, a: BasicNackArgs): void {
  if (ch.tx !== null) settleInTransaction(ch, a.deliveryTag, a.multiple, a.requeue ? 'requeue' : 'discard', BASIC_NACK);
  else ch.settle(a.deliveryTag, a.multiple, a.requeue, BASIC_NACK);
}

export function basicReject(ch: Channel, a: BasicRejectArgs): void {
  if (ch.tx !== null) settleInTransaction(ch, a.deliveryTag, false, a.requeue ? 'requeue' : 'discard', BASIC_REJECT);
  else ch.settle(a.deliveryTag, false, a.requeue, BASIC_REJECT);
}

export function basicQos(ch: Channel, a: BasicQosArgs): void {
  if (a.prefetchSize !== 0) throw new AmqpError(NOT_IMPLEMENTED, `prefetch_size!=0 (${a.prefetchSize})`);
  if (a.global) ch.channelPrefetch = a.prefetchCount;
  else ch.consumerPrefetch = a.prefetchCount;
  ch.send(BASIC_QOS_OK, {});
  for (const c of ch.consumers.values()) c.queue.dispatch(); // a larger window may let messages move
}

export function basicRecover(ch: Channel, requeue: boolean, synchronous: boolean): void {
  if (!requeue) throw new AmqpError(NOT_IMPLEMENTED, 'requeue=false');
  ch.requeueAll();
  if (synchronous) ch.send(BASIC_RECOVER_OK, {});
  ch.dispatchFreed();
}
