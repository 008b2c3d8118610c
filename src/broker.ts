/**
 * The composition root: options → logger, users, vhosts, TCP server. startBroker() is the
 * programmatic entry (tests, embedding); cli.ts wraps it for `npx warren`.
 */
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { FieldTable } from './codec/field-table.js';
import { resolveOptions, type BrokerOptions, type ResolvedOptions } from './config.js';
import { VirtualHost } from './broker/vhost.js';
import { MemoryPersistence, type Persistence } from './broker/persistence.js';
import { DurablePersistence } from './broker/durable-persistence.js';
import { replayTopology, topologyRecords } from './broker/durable-topology.js';
import { DataStore } from './store/data-store.js';
import type { RecoveryStats } from './store/segment-recovery.js';
import { lockDataDir, unlockDataDir } from './store/data-dir-lock.js';
import type { BrokerContext, ConnectionLimits } from './session/broker-context.js';
import { Connection } from './session/connection.js';
import { Negotiation } from './session/negotiation.js';
import { serverProperties } from './session/server-properties.js';

const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export interface BrokerHandle {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  readonly host: string;
  readonly broker: Broker;
  /** amqp://user:pass@host:port/ for clients. */
  readonly url: string;
  /** Closes every connection (CONNECTION_FORCED) and stops listening. */
  close(): Promise<void>;
}

export class Broker implements BrokerContext {
  readonly log: Logger;
  readonly limits: ConnectionLimits;
  readonly serverProperties: FieldTable;
  readonly vhosts = new Map<string, VirtualHost>();
  readonly connections = new Set<Connection>();
  private readonly users = new Map<string, string>();
  /** Every client socket, negotiating or running (shutdown closes them all). */
  private readonly allConnections = new Set<Negotiation>();
  private readonly server: net.Server;
  readonly dataStore: DataStore | null;
  /** Each vhost's persistence on the data directory (none with --ephemeral). */
  private readonly durable = new Map<string, DurablePersistence>();
  /** Resource alarms in force: while any is, publishers are blocked. */
  private readonly alarms = new Set<'memory' | 'disk'>();
  private memoryTimer: NodeJS.Timeout | null = null;
  private memoryLimit: number;

  constructor(readonly options: ResolvedOptions) {
    this.log = options.logger ?? pino({ level: options.logLevel, base: { name: 'warren' } });
    this.limits = {
      frameMax: options.frameMax,
      channelMax: options.channelMax,
      heartbeat: options.heartbeat,
      maxMessageSize: options.maxMessageSize,
      consumerTimeout: options.consumerTimeout,
      handshakeTimeoutMs: 10_000,
    };
    this.serverProperties = serverProperties(VERSION, 'warren');
    this.users.set(options.defaultUser, options.defaultPass);
    this.dataStore = options.ephemeral ? null : new DataStore({
      dataDir: options.dataDir, log: this.log, fsync: options.fsync, segmentSize: options.segmentSize, fs: options.storeFs,
    });
    this.addVhost('/');
    this.server = net.createServer((socket) => this.accept(socket));
    this.memoryLimit = memoryLimitOf(options.memoryHighWatermark);
    this.memoryTimer = setInterval(() => {
      try {
        this.checkMemory();
      } catch (err) {
        this.log.error({ err }, 'internal error checking memory');
      }
    }, 1000);
    this.memoryTimer.unref();
  }

  /** The publisher-blocking memory limit: a fraction of RAM (≤ 1) or bytes. */
  setMemoryHighWatermark(watermark: number): void {
    this.memoryLimit = memoryLimitOf(watermark);
    this.checkMemory();
  }

  /** RabbitMQ's memory alarm: above the watermark publishers wait; consumers keep draining. */
  checkMemory(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.memoryLimit && !this.alarms.has('memory')) {
      this.log.warn({ rss, limit: this.memoryLimit }, 'memory high watermark reached: blocking publishers');
      this.raiseAlarm('memory');
    } else if (rss <= this.memoryLimit && this.alarms.has('memory')) {
      this.log.info({ rss, limit: this.memoryLimit }, 'memory back under the high watermark');
      this.clearAlarm('memory');
    }
  }

  /** A vhost, its persistence on the data directory (or in memory with --ephemeral). */
  private addVhost(name: string): VirtualHost {
    let persistence: Persistence = new MemoryPersistence();
    if (this.dataStore !== null) {
      const durable = new DurablePersistence(this.dataStore, name);
      this.durable.set(name, durable);
      persistence = durable;
    }
    const vhost = new VirtualHost(name, persistence, this.log);
    this.vhosts.set(name, vhost);
    return vhost;
  }

  /**
   * Loads durable topology and messages (before accepting connections): the definition records
   * replayed into the vhosts, then each vhost's stored messages into its durable queues.
   */
  recover(): void {
    const store = this.dataStore;
    if (store === null) return;
    const started = Date.now();
    const records = store.loadDefinitions();
    store.replaying(() => replayTopology(records, this.vhosts,
      (vhost, id, options) => (this.durable.get(vhost) as DurablePersistence).durableStorage(id, options), this.log));
    const stats: RecoveryStats = { segments: 0, records: 0, messages: 0, droppedRecords: 0, truncatedBytes: 0 };
    for (const durable of this.durable.values()) {
      const s = durable.recoverMessages();
      for (const k of Object.keys(stats) as (keyof RecoveryStats)[]) stats[k] += s[k];
    }
    store.topologyRecords = () => topologyRecords(this.vhosts);
    store.compactDefinitions();
    for (const vhost of this.vhosts.values()) for (const q of vhost.queues.values()) q.startExpiry();
    store.onAlarm = (err) => {
      if (err === null) this.clearAlarm('disk');
      else this.raiseAlarm('disk'); // the store has logged the error itself
    };
    this.log.info({ ...stats, ms: Date.now() - started }, 'recovered durable state');
  }

  /** Blocks every publisher while any resource alarm holds, as RabbitMQ's alarms do. */
  private raiseAlarm(kind: 'disk' | 'memory'): void {
    this.alarms.add(kind);
    for (const c of this.connections) c.setBlocked(this.alarm);
  }

  private clearAlarm(kind: 'disk' | 'memory'): void {
    this.alarms.delete(kind);
    for (const c of this.connections) c.setBlocked(this.alarm);
  }

  /**
   * The reason publishers are blocked, or null: connection.blocked's text as RabbitMQ writes it
   * (rabbit_reader: "low on memory", "low on disk", "low on memory & disk").
   */
  get alarm(): string | null {
    if (this.alarms.size === 0) return null;
    return `low on ${(['memory', 'disk'] as const).filter((k) => this.alarms.has(k)).join(' & ')}`;
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  private accept(socket: net.Socket): void {
    // tracked from accept to close, for shutdown: the negotiation passes forceClose on to the
    // running connection it builds
    const c = new Negotiation(socket, this);
    this.allConnections.add(c);
    socket.once('close', () => this.allConnections.delete(c));
  }

  authenticate(username: string, password: string): boolean {
    return this.users.get(username) === password;
  }

  vhost(name: string): VirtualHost | undefined {
    return this.vhosts.get(name);
  }

  connectionOpened(c: Connection): void {
    this.connections.add(c);
    if (this.alarm !== null) c.setBlocked(this.alarm);
  }

  connectionClosed(c: Connection): void {
    this.connections.delete(c);
  }

  async close(): Promise<void> {
    if (this.memoryTimer !== null) clearInterval(this.memoryTimer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const sockets = [...this.allConnections].map((c) => new Promise<void>((resolve) => {
      if (c.socket.destroyed) return resolve();
      c.socket.once('close', () => resolve());
      c.forceClose("broker forced connection closure with reason 'shutdown'");
    }));
    await Promise.all(sockets);
    await closed;
    await this.dataStore?.close();
    if (!this.options.ephemeral) unlockDataDir(this.options.dataDir);
  }
}

function memoryLimitOf(watermark: number): number {
  return watermark <= 1 ? Math.floor(watermark * os.totalmem()) : watermark;
}

export async function startBroker(options: BrokerOptions = {}): Promise<BrokerHandle> {
  const resolved = resolveOptions(options);
  if (!resolved.ephemeral) {
    await mkdir(resolved.dataDir, { recursive: true });
    lockDataDir(resolved.dataDir);
  }
  let broker: Broker;
  try {
    broker = new Broker(resolved); // opens the data directory: its format may be refused
    broker.recover();
  } catch (err) {
    if (!resolved.ephemeral) unlockDataDir(resolved.dataDir);
    throw err;
  }
  const port = await broker.listen();
  const shown = resolved.host === '0.0.0.0' || resolved.host === '::' ? '127.0.0.1' : resolved.host;
  broker.log.info({ address: `${resolved.host}:${port}`, dataDir: resolved.ephemeral ? null : resolved.dataDir },
    `Server startup complete; listening on ${resolved.host}:${port}`);
  return {
    port,
    host: resolved.host,
    broker,
    url: `amqp://${encodeURIComponent(resolved.defaultUser)}:${encodeURIComponent(resolved.defaultPass)}@${shown}:${port}/`,
    close: () => broker.close(),
  };
}
