/** What a connection needs from the broker that accepted it (implemented by Broker). */
import type { Logger } from 'pino';
import type { FieldTable } from '../codec/field-table.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { Connection } from './connection.js';

export interface ConnectionLimits {
  /** Offered in connection.tune; the client may ask for less, never more. */
  readonly frameMax: number;
  readonly channelMax: number;
  /** Seconds; 0 disables heartbeats. */
  readonly heartbeat: number;
  readonly maxMessageSize: number;
  /** ms an unacknowledged delivery may stay out before its channel is closed (0: never). */
  readonly consumerTimeout: number;
  /** Time allowed from accept to connection.open-ok. */
  readonly handshakeTimeoutMs: number;
}

export interface BrokerContext {
  readonly limits: ConnectionLimits;
  readonly log: Logger;
  readonly serverProperties: FieldTable;
  /** True when the user exists and the password matches. */
  authenticate(username: string, password: string): boolean;
  /** The vhost, if it exists and the user may use it. */
  vhost(name: string, username: string): VirtualHost | undefined;
  connectionOpened(c: Connection): void;
  connectionClosed(c: Connection): void;
}
