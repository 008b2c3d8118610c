/** channel.open / close / flow on an open channel. */
import { CHANNEL_CLOSE_OK, CHANNEL_ERROR, CHANNEL_FLOW_OK, NOT_IMPLEMENTED } from '../../codec/generated/protocol.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';

/** channel.open on a channel that is already open. */
export function channelOpen(): void {
  throw new AmqpError(CHANNEL_ERROR, "second 'channel.open' seen");
}

/** The client closes the channel: release everything, answer close-ok, free the number. */
export function channelClose(ch: Channel): void {
  ch.teardown();
  ch.send(CHANNEL_CLOSE_OK, {});
  ch.conn.channelClosed(ch);
}

/** RabbitMQ does not implement a client stopping its own deliveries with channel.flow. */
export function channelFlow(ch: Channel, active: boolean): void {
  if (!active) throw new AmqpError(NOT_IMPLEMENTED, 'active=false');
  ch.send(CHANNEL_FLOW_OK, { active: true });
}
