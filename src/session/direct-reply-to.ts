/**
 * Direct reply-to (RabbitMQ's amq.rabbitmq.reply-to): an RPC client consumes from the
 * pseudo-queue `amq.rabbitmq.reply-to` with no-ack and publishes requests with that reply_to;
 * the broker rewrites it to `amq.rabbitmq.reply-to.<token>`, and a reply published to the
 * default exchange with that routing key goes straight to the client's consumer — no queue.
 */
import { randomBytes } from 'node:crypto';
import type { BasicConsumeArgs } from '../codec/generated/method-types.js';
import { BASIC_CONSUME_OK, NOT_ALLOWED, PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { encodeShortstr } from '../codec/fast-paths.js';
import { PROPERTY_INDEX } from '../codec/generated/basic-properties.js';
import { shortstrProperty, withProperty } from '../codec/header-edit.js';
import { ContentHeader } from '../codec/content-header.js';
import type { Message } from '../broker/message.js';
import { generatedName } from '../broker/resource-names.js';
import { AmqpError } from '../codec/amqp-error.js';
import type { Channel } from './channel.js';

export const REPLY_TO = 'amq.rabbitmq.reply-to';
const PREFIX = `${REPLY_TO}.`;

/** The reply consumer of a channel. */
export interface ReplyConsumer {
  readonly tag: string;
  readonly tagBytes: Buffer;
  readonly token: string;
}

export function isReplyAddress(routingKey: string): boolean {
  return routingKey.startsWith(PREFIX);
}

/** basic.consume on amq.rabbitmq.reply-to. */
export function consumeReplies(ch: Channel, a: BasicConsumeArgs): void {
  if (a.consumerTag !== '' && ch.consumers.has(a.consumerTag)) {
    throw new AmqpError(NOT_ALLOWED, `attempt to reuse consumer tag '${a.consumerTag}'`);
  }
  if (!a.noAck) throw new AmqpError(PRECONDITION_FAILED, 'reply consumer cannot acknowledge');
  if (ch.replyConsumer !== null) throw new AmqpError(PRECONDITION_FAILED, 'reply consumer already set');
  const tag = a.consumerTag === '' ? generatedName('amq.ctag') : a.consumerTag;
  const token = randomBytes(18).toString('base64url');
  ch.replyConsumer = { tag, tagBytes: encodeShortstr(tag), token };
  ch.vhost.replyTargets.set(token, (m) => ch.deliverReply(m));
  if (!a.noWait) ch.send(BASIC_CONSUME_OK, { consumerTag: tag });
}

/** basic.cancel of the reply consumer (true if it was that one). */
export function cancelReplies(ch: Channel, tag: string): boolean {
  const rc = ch.replyConsumer;
  if (rc === null || rc.tag !== tag) return false;
  ch.vhost.replyTargets.delete(rc.token);
  ch.replyConsumer = null;
  return true;
}

/** A publish with reply_to amq.rabbitmq.reply-to: the header with the channel's own address. */
export function rewriteReplyTo(ch: Channel, header: ContentHeader): ContentHeader {
  const rc = ch.replyConsumer;
  if (rc === null) throw new AmqpError(PRECONDITION_FAILED, 'fast reply consumer does not exist');
  return ContentHeader.edited(withProperty(header.raw, PROPERTY_INDEX.replyTo, shortstrProperty(`${PREFIX}${rc.token}`)));
}

/** A reply addressed to amq.rabbitmq.reply-to.<token>: delivered at once; false if nobody waits. */
export function deliverReply(ch: Channel, routingKey: string, message: Message): boolean {
  const target = ch.vhost.replyTargets.get(routingKey.slice(PREFIX.length));
  if (target === undefined) return false;
  target(message);
  return true;
}

/**
 * queue.declare of a name starting amq.rabbitmq.reply-to: the pseudo-queue itself always
 * "exists" (with one consumer), an address amq.rabbitmq.reply-to.<token> while its client
 * consumes; any other name with that start does not.
 */
export function replyQueueExists(ch: Channel, name: string): boolean {
  if (name === REPLY_TO) return true;
  return name.startsWith(PREFIX) && ch.vhost.replyTargets.has(name.slice(PREFIX.length));
}
