/** What the management API needs from the broker (implemented by Broker). */
import type { AccessControl, NewUser, NewVhost, UserLimits, VhostLimits } from '../access/access-control.js';
import type { QueueChurn, VirtualHost } from '../broker/vhost.js';
import type { Connection } from '../session/connection.js';
import type { SessionTotals } from '../session/channel-stats.js';

export interface ManagementContext {
  readonly access: AccessControl;
  readonly vhosts: ReadonlyMap<string, VirtualHost>;
  /** Running client connections. */
  readonly connections: ReadonlySet<Connection>;
  /** Node-wide message counts and churn (closed channels' counts included). */
  readonly sessionTotals: SessionTotals;
  /** Node-wide queue churn and dead-lettering counts (the Prometheus counters). */
  readonly queueChurn: QueueChurn;
  /** When the broker started (ms since the epoch). */
  readonly startedAt: number;
  /** Memory and disk limits and alarms, read when asked. */
  resources(): ResourceFigures;
  /** Warren's version (package.json). */
  readonly version: string;
  /** The node's name as the API reports it (RabbitMQ's rabbit@host). */
  readonly nodeName: string;
  /** Where the broker listens. */
  listeners(): { protocol: 'amqp' | 'amqp/ssl' | 'http'; host: string; port: number }[];
  /** The reason publishers are blocked (a resource alarm), or null. */
  readonly alarm: string | null;
  addVhost(name: string, settings?: NewVhost): void;
  deleteVhost(name: string): boolean;
  addUser(name: string, user: NewUser): void;
  deleteUser(name: string): boolean;
  setPermissions(user: string, vhost: string, p: { configure: string; write: string; read: string }): void;
  clearPermissions(user: string, vhost: string): void;
  setTopicPermissions(user: string, vhost: string, p: { exchange: string; write: string; read: string }): void;
  clearTopicPermissions(user: string, vhost: string, exchange?: string): void;
  setVhostLimits(vhost: string, limits: VhostLimits): void;
  setUserLimits(user: string, limits: UserLimits): void;
  clearVhostLimit(vhost: string, limit: keyof VhostLimits): void;
  clearUserLimit(user: string, limit: keyof UserLimits): void;
  /** Back to the configured start state (connections closed, vhosts and users as at first start). */
  reset(): void;
  /** Applies a RabbitMQ definitions document (throws a DefinitionsError naming a bad entry). */
  importDefinitions(text: string, source: string): void;
}

/** What rabbitmq_prometheus reports of the node's resources. */
export interface ResourceFigures {
  /** The memory high watermark in bytes. */
  readonly memoryLimit: number;
  readonly memoryAlarm: boolean;
  /** Free bytes on the data directory's filesystem at the last reading (null: ephemeral, or not read yet). */
  readonly diskFree: number | null;
  /** The disk free limit in bytes (null without a data directory). */
  readonly diskFreeLimit: number | null;
  readonly diskAlarm: boolean;
}
