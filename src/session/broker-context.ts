/** What a connection needs from the broker that accepted it (implemented by Broker). */
import type { Logger } from 'pino';
import type { FieldTable } from '../codec/field-table.js';
import type { ResourceAccess } from '../access/resource-access.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { Connection } from './connection.js';
import type { SessionTotals } from './channel-stats.js';

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
  /** Node-wide message counts and churn, kept by the sessions (the management API and metrics read them). */
  readonly sessionTotals: SessionTotals;
  /**
   * True when the user exists and the password matches; a null password (EXTERNAL: a verified
   * client certificate vouches for the name) only asks that the user exists.
   */
  authenticate(username: string, password: string | null): boolean;
  /**
   * Null, or why this user may not log in from that address (RabbitMQ's loopback_users: the
   * reason goes to the log; the client hears the usual login refusal).
   */
  loginRestriction(username: string, remoteAddress: string | undefined): string | null;
  /**
   * connection.open: the vhost and the connection's rights in it. Throws RabbitMQ's
   * NOT_ALLOWED answers in its order — node connection limit, vhost not found, vhost and user
   * connection limits, no access to the vhost.
   */
  openVhost(name: string, username: string): { vhost: VirtualHost; access: ResourceAccess };
  /** Throws unless the user (still) has access to the vhost (update-secret asks again). */
  checkVhostAccess(name: string, username: string): void;
  /** Throws NOT_ALLOWED when the user's max-channels limit is reached. */
  checkChannelLimit(username: string): void;
  connectionOpened(c: Connection): void;
  connectionClosed(c: Connection): void;
}
