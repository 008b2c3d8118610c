/**
 * Broker options with their defaults. The CLI (cli.ts) fills them from flags, WARREN_* env
 * variables and a JSON config file; embedders pass them to startBroker() directly.
 */
import { DEFAULT_DISK_FREE_LIMIT, parseDiskFreeLimit } from './store/disk-monitor.js';
export interface BrokerOptions {
  /** TCP port; 0 picks a free one (see BrokerHandle.port). Default 5672. */
  port?: number;
  /** Address to listen on. Default 0.0.0.0. */
  host?: string;
  /** Where durable data lives. Default ./data. */
  dataDir?: string;
  /** pino level: fatal, error, warn, info, debug, trace, silent. Default info. */
  logLevel?: string;
  /** Largest frame offered in connection.tune. Default 131072, as RabbitMQ. */
  frameMax?: number;
  /** Most channels per connection offered in connection.tune. Default 2047. */
  channelMax?: number;
  /** Heartbeat interval offered in connection.tune, in seconds; 0 disables. Default 60. */
  heartbeat?: number;
  /**
   * Largest message body accepted. Default 128 MiB, RabbitMQ 3.x's max_message_size: a
   * development broker must not refuse what the production one accepts (4.x lowered it to 16 MiB).
   */
  maxMessageSize?: number;
  /** The user created at start. Default guest / guest. */
  defaultUser?: string;
  defaultPass?: string;
  /** ms an unacknowledged delivery may stay out before RabbitMQ-style channel closure; 0 = never. Default 1800000 (30 min, RabbitMQ's). */
  consumerTimeout?: number;
  /** Memory above which publishers are blocked: a fraction of total RAM (≤ 1) or bytes. Default 0.6 (RabbitMQ's). */
  memoryHighWatermark?: number;
  /** fdatasync before confirming persistent messages. false is faster and unsafe (throwaway CI brokers). Default true. */
  fsync?: boolean;
  /** No data directory at all: everything in memory, nothing survives a restart. Default false. */
  ephemeral?: boolean;
  /** Size of message store segment files in bytes. Default 8 MiB. */
  segmentSize?: number;
  /**
   * A RabbitMQ definitions file (rabbitmqctl export_definitions) loaded at every start, as
   * RabbitMQ's load_definitions: users, vhosts, permissions, exchanges, queues, bindings.
   * '' = none. Given on a fresh data directory, it replaces the default user and vhost.
   */
  definitions?: string;
  /** Users who may connect only from localhost (RabbitMQ's loopback_users). Default none, as RabbitMQ's Docker image. */
  loopbackUsers?: string[];
  /** Most client connections at once (RabbitMQ's connection_max); 0 = no limit. Default 0. */
  maxConnections?: number;
  /** ms from accept to connection.open-ok before the socket is closed (RabbitMQ's handshake_timeout). Default 10000. */
  handshakeTimeout?: number;
  /**
   * The amqps listener's port (RabbitMQ's 5671); it runs only when tlsCert and tlsKey are
   * given. 0 picks a free one (BrokerHandle.tlsPort).
   */
  tlsPort?: number;
  /** PEM files: the server's certificate (chain), its key, and the CAs client certificates are checked against. */
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  /** 'peer' asks clients for a certificate and refuses an invalid one (RabbitMQ's verify_peer); default 'none'. */
  tlsVerify?: 'none' | 'peer';
  /** With tlsVerify 'peer': refuse a client without a certificate too. Default false. */
  tlsFailIfNoPeerCert?: boolean;
  /**
   * Free space on the data directory's filesystem below which publishers are blocked (RabbitMQ's
   * disk_free_limit): bytes, a size as rabbitmq.conf writes it ('50MB' = 50·10^6, '2GiB' =
   * 2·2^30), or a multiple of RAM ({ mem_relative: 1.5 }, or 'mem_relative:1.5'). Default 50 MB,
   * RabbitMQ's; 0 turns the check off. Not checked with ephemeral.
   */
  diskFreeLimit?: import('./store/disk-monitor.js').DiskFreeLimit;
  /** Test hook: how free space is read (default: statfs on the data directory). */
  freeSpace?: import('./store/disk-monitor.js').FreeSpace;
  /**
   * The management HTTP API's port (RabbitMQ's 15672); 0 picks a free one (BrokerHandle.managementPort),
   * -1 turns it off. The warren command listens on 15672 by default; embedded, it is off unless asked for.
   */
  managementPort?: number;
  /**
   * The Prometheus metrics port (rabbitmq_prometheus's 15692): `/metrics`, `/metrics/per-object`,
   * `/metrics/detailed`. 0 picks a free one (BrokerHandle.prometheusPort), -1 turns it off. The
   * warren command listens on 15692 by default; embedded, it is off unless asked for.
   */
  prometheusPort?: number;
  /** Log destination for embedding; default: pino to stdout at logLevel. */
  logger?: import('pino').Logger;
  /** File operations of the message store (tests inject disk failures here). */
  storeFs?: import('./store/store-fs.js').StoreFs;
}

type Hooks = 'logger' | 'storeFs' | 'freeSpace';
export type ResolvedOptions = Required<Omit<BrokerOptions, Hooks>> & Pick<BrokerOptions, Hooks>;

export const DEFAULTS: Required<Omit<BrokerOptions, Hooks>> = {
  port: 5672,
  host: '0.0.0.0',
  dataDir: './data',
  logLevel: 'info',
  frameMax: 131072,
  channelMax: 2047,
  heartbeat: 60,
  maxMessageSize: 128 * 1024 * 1024,
  defaultUser: 'guest',
  defaultPass: 'guest',
  consumerTimeout: 1_800_000,
  memoryHighWatermark: 0.6,
  fsync: true,
  ephemeral: false,
  segmentSize: 8 * 1024 * 1024,
  definitions: '',
  loopbackUsers: [],
  maxConnections: 0,
  handshakeTimeout: 10_000,
  tlsPort: 5671,
  tlsCert: '',
  tlsKey: '',
  tlsCa: '',
  tlsVerify: 'none',
  tlsFailIfNoPeerCert: false,
  diskFreeLimit: DEFAULT_DISK_FREE_LIMIT,
  managementPort: -1,
  prometheusPort: -1,
};

/** RabbitMQ accepts frame_max ≥ 4096 and caps message size at 512 MiB. */
export function resolveOptions(options: BrokerOptions): ResolvedOptions {
  const o: ResolvedOptions = { ...DEFAULTS, ...stripUndefined(options) };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new RangeError(`invalid port ${o.port}`);
  if (!Number.isInteger(o.frameMax) || o.frameMax < 4096) throw new RangeError('frameMax must be an integer ≥ 4096');
  if (!Number.isInteger(o.channelMax) || o.channelMax < 0 || o.channelMax > 65535) throw new RangeError('channelMax must be 0–65535');
  if (!Number.isInteger(o.heartbeat) || o.heartbeat < 0 || o.heartbeat > 65535) throw new RangeError('heartbeat must be 0–65535 seconds');
  if (!Number.isInteger(o.maxMessageSize) || o.maxMessageSize < 1 || o.maxMessageSize > 512 * 1024 * 1024) {
    throw new RangeError('maxMessageSize must be between 1 byte and 512 MiB');
  }
  if (!Number.isInteger(o.consumerTimeout) || o.consumerTimeout < 0) throw new RangeError('consumerTimeout must be a non-negative integer (ms)');
  if (!(o.memoryHighWatermark > 0)) throw new RangeError('memoryHighWatermark must be a fraction of RAM (0–1] or a byte count');
  if (!Number.isInteger(o.segmentSize) || o.segmentSize < 4096) throw new RangeError('segmentSize must be an integer ≥ 4096');
  if (!Number.isInteger(o.maxConnections) || o.maxConnections < 0) throw new RangeError('maxConnections must be a non-negative integer (0: no limit)');
  if (!Number.isInteger(o.handshakeTimeout) || o.handshakeTimeout < 1) throw new RangeError('handshakeTimeout must be a positive integer (ms)');
  if (!Number.isInteger(o.tlsPort) || o.tlsPort < 0 || o.tlsPort > 65535) throw new RangeError(`invalid tlsPort ${o.tlsPort}`);
  if ((o.tlsCert === '') !== (o.tlsKey === '')) throw new RangeError('TLS needs both tlsCert and tlsKey');
  if (o.tlsVerify !== 'none' && o.tlsVerify !== 'peer') throw new RangeError("tlsVerify must be 'none' or 'peer'");
  if (o.tlsVerify === 'peer' && o.tlsCert !== '' && o.tlsCa === '') throw new RangeError("tlsVerify 'peer' needs tlsCa (the CAs client certificates are checked against)");
  if (!Number.isInteger(o.managementPort) || o.managementPort < -1 || o.managementPort > 65535) {
    throw new RangeError(`invalid managementPort ${o.managementPort} (-1 turns the API off)`);
  }
  if (!Number.isInteger(o.prometheusPort) || o.prometheusPort < -1 || o.prometheusPort > 65535) {
    throw new RangeError(`invalid prometheusPort ${o.prometheusPort} (-1 turns the metrics endpoint off)`);
  }
  parseDiskFreeLimit(o.diskFreeLimit); // throws a RangeError saying what is wrong
  if (!Array.isArray(o.loopbackUsers) || o.loopbackUsers.some((u) => typeof u !== 'string')) throw new RangeError('loopbackUsers must be a list of user names');
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
