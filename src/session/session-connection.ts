/** What a channel needs from its connection (implemented by Connection). */
import type { ResourceAccess } from '../access/resource-access.js';
import type { Logger } from 'pino';
import type { FrameWriter } from '../net/frame-writer.js';
import type { AmqpError } from '../codec/amqp-error.js';
import type { Channel } from './channel.js';

/** Client capabilities from connection.start-ok that change what the server sends. */
export interface ClientCapabilities {
  consumerCancelNotify: boolean;
  connectionBlocked: boolean;
  authenticationFailureClose: boolean;
}

export interface SessionConnection {
  readonly id: number;
  readonly writer: FrameWriter;
  readonly log: Logger;
  /** The authenticated user name. */
  readonly user: string;
  /** The user's rights in the connection's vhost. */
  readonly access: ResourceAccess;
  readonly capabilities: ClientCapabilities;
  /** False while the socket is not draining: consumers wait. */
  readonly canWrite: boolean;
  /** Largest message body accepted. */
  readonly maxMessageSize: number;
  /** ms an unacknowledged delivery may stay out (0: no limit), unless its queue says otherwise. */
  readonly consumerTimeout: number;
  /** Called on every publish (an alarm stops reading from publishers). */
  publishing(): void;
  /** Called after queueing a delivery, so the connection can apply output backpressure. */
  noteOutput(): void;
  /** A connection-level error: connection.close with this code and text. */
  fail(err: AmqpError): void;
  /** The channel finished closing (close-ok exchanged); its number is free again. */
  channelClosed(channel: Channel): void;
}
