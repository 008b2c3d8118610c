/**
 * The composition root: options → logger, users, vhosts, TCP server. startBroker() is the
 * programmatic entry (tests, embedding); cli.ts wraps it for `npx warren`.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import type tls from 'node:tls';
import os from 'node:os';
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { FieldTable } from './codec/field-table.js';
import { resolveOptions, type BrokerOptions, type ResolvedOptions } from './config.js';
import { QueueChurn, VirtualHost } from './broker/vhost.js';
import { MemoryPersistence, type Persistence } from './broker/persistence.js';
import { DurablePersistence } from './broker/durable-persistence.js';
import { replayDefinitions, topologyRecords } from './broker/durable-topology.js';
import { AccessControl, limitOf, type NewUser, type NewVhost, type UserLimits, type VhostLimits } from './access/access-control.js';
import { ResourceAccess } from './access/resource-access.js';
import { applyDefinitions } from './definitions/apply-definitions.js';
import { DefinitionsError, parseDefinitions } from './definitions/definitions-file.js';
import { AmqpError } from './codec/amqp-error.js';
import { NOT_ALLOWED } from './codec/generated/protocol.js';
import { isAccessDefinition, type AccessDefinition } from './store/definitions-log.js';
import { removeDeletedVhostDirs } from './store/data-store.js';
import { DiskMonitor, parseDiskFreeLimit } from './store/disk-monitor.js';
import { DataStore } from './store/data-store.js';
import type { RecoveryStats } from './store/segment-recovery.js';
import { lockDataDir, unlockDataDir } from './store/data-dir-lock.js';
import type { BrokerContext, ConnectionLimits } from './session/broker-context.js';
import { Connection } from './session/connection.js';
import { Negotiation } from './session/negotiation.js';
import { createManagementApi } from './management/http-api.js';
import { createMetricsServer } from './management/prometheus/metrics-server.js';
import type { ManagementContext, ResourceFigures } from './management/management-context.js';
import type { FastifyInstance } from 'fastify';
import { createTlsListener, TLS_HANDSHAKE_TIMEOUT_MS } from './net/tls-listener.js';
import { serverProperties } from './session/server-properties.js';
import { SessionTotals } from './session/channel-stats.js';

const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export interface BrokerHandle {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** The amqps port bound, or null without TLS. */
  readonly tlsPort: number | null;
  /** The management API's port, or null when it is off. */
  readonly managementPort: number | null;
  /** The Prometheus endpoint's port, or null when it is off. */
  readonly prometheusPort: number | null;
  readonly host: string;
  readonly broker: Broker;
  /** amqp://user:pass@host:port/ for clients. */
  readonly url: string;
  /** Closes every connection (CONNECTION_FORCED) and stops listening. */
  close(): Promise<void>;
}

export class Broker implements BrokerContext, ManagementContext {
  readonly log: Logger;
  readonly limits: ConnectionLimits;
  readonly serverProperties: FieldTable;
  readonly sessionTotals = new SessionTotals();
  /** Queues created and deleted, messages dead-lettered: shared by every vhost. */
  readonly queueChurn = new QueueChurn();
  readonly startedAt = Date.now();
  readonly vhosts = new Map<string, VirtualHost>();
  readonly connections = new Set<Connection>();
  /** Users, vhost settings and permissions (the vhosts' contents are in `vhosts`). */
  readonly access = new AccessControl();
  /** Every client socket, negotiating or running (shutdown closes them all). */
  private readonly allConnections = new Set<Negotiation>();
  private readonly server: net.Server;
  /** The amqps listener, when a certificate and key are configured. */
  private readonly tlsServer: tls.Server | null = null;
  /** The management HTTP API, when its port is not -1. */
  private managementApi: FastifyInstance | null = null;
  /** The Prometheus endpoint, when its port is not -1. */
  private metricsServer: FastifyInstance | null = null;
  readonly version = VERSION;
  /** The node's name in the management API (RabbitMQ's rabbit@host). */
  readonly nodeName = `warren@${os.hostname()}`;
  readonly dataStore: DataStore | null;
  /** Each vhost's persistence on the data directory (none with --ephemeral). */
  private readonly durable = new Map<string, DurablePersistence>();
  /**
   * Resource alarms in force: while any is, publishers are blocked. The disk alarm has two
   * causes, free space under the limit and a write that failed; it holds while either does.
   */
  private readonly alarms = new Set<Alarm>();
  private diskMonitor: DiskMonitor | null = null;
  private memoryTimer: NodeJS.Timeout | null = null;
  /** recover() has run: vhosts created from now on start their message store themselves. */
  private recovered = false;
  private memoryLimit: number;

  constructor(readonly options: ResolvedOptions) {
    this.log = options.logger ?? pino({ level: options.logLevel, base: { name: 'warren' } });
    this.limits = {
      frameMax: options.frameMax,
      channelMax: options.channelMax,
      heartbeat: options.heartbeat,
      maxMessageSize: options.maxMessageSize,
      consumerTimeout: options.consumerTimeout,
      handshakeTimeoutMs: options.handshakeTimeout,
    };
    this.serverProperties = serverProperties(VERSION, 'warren');
    // before the data directory is opened: unusable TLS files stop the start having touched nothing
    if (options.tlsCert !== '') {
      this.tlsServer = createTlsListener({
        cert: options.tlsCert, key: options.tlsKey, ca: options.tlsCa, verify: options.tlsVerify,
        failIfNoPeerCert: options.tlsFailIfNoPeerCert, handshakeTimeout: Math.min(TLS_HANDSHAKE_TIMEOUT_MS, options.handshakeTimeout),
      }, (socket) => this.accept(socket), this.log);
    }
    this.dataStore = options.ephemeral ? null : new DataStore({
      dataDir: options.dataDir, log: this.log, fsync: options.fsync, segmentSize: options.segmentSize, fs: options.storeFs,
    });
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

  /** Resource figures and alarms for the metrics endpoint (read when scraped). */
  resources(): ResourceFigures {
    return {
      memoryLimit: this.memoryLimit,
      memoryAlarm: this.alarms.has('memory'),
      diskFree: this.diskMonitor?.free ?? null,
      diskFreeLimit: this.diskMonitor?.limit ?? null,
      diskAlarm: this.alarms.has('disk-free') || this.alarms.has('disk-write'),
    };
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

  // ---- vhosts, users and permissions (RabbitMQ's rabbitmqctl verbs) ----

  /** Creates a vhost, or updates its description, tags and limits when it exists. */
  addVhost(name: string, settings: NewVhost = {}): void {
    if (name === '') throw new Error('a vhost name cannot be empty');
    this.access.putVhost(name, settings);
    this.openVirtualHost(name);
  }

  /**
   * Deletes a vhost with everything in it: its connections are closed with CONNECTION_FORCED
   * "vhost 'v' is deleted", its queues (and their messages) and exchanges deleted. Its message
   * store stays open until shutdown (a vhost of the same name created later uses it; every
   * message in it belongs to a deleted queue by then), and its files are removed at next start.
   */
  deleteVhost(name: string): boolean {
    const vhost = this.vhosts.get(name);
    if (vhost === undefined) return false;
    // (a connection already closing keeps its close: a second forceClose would cut it short)
    for (const c of this.connections) if (c.vhost === vhost && c.state === 'running') c.forceClose(`vhost '${name}' is deleted`);
    for (const q of [...vhost.queues.values()]) vhost.deleteQueue(q);
    for (const x of [...vhost.exchanges.values()]) if (!x.isDefault && !x.name.startsWith('amq.')) vhost.deleteExchange(x, false);
    this.vhosts.delete(name);
    this.durable.delete(name);
    this.access.deleteVhost(name);
    this.log.info({ vhost: name }, 'deleted vhost');
    return true;
  }

  /** Creates or updates a user (a clear-text password is hashed as RabbitMQ hashes it). */
  addUser(name: string, user: NewUser): void {
    if (name === '') throw new Error('a user name cannot be empty');
    this.access.putUser(name, user);
  }

  /** Deletes a user and their permissions; their connections are closed ("user 'u' is deleted"). */
  deleteUser(name: string): boolean {
    if (!this.access.deleteUser(name)) return false;
    for (const c of this.connections) if (c.user === name && c.state === 'running') c.forceClose(`user '${name}' is deleted`);
    return true;
  }

  setPermissions(user: string, vhost: string, p: { configure: string; write: string; read: string }): void {
    this.access.setPermissions(user, vhost, p);
  }

  clearPermissions(user: string, vhost: string): void {
    this.access.clearPermissions(user, vhost);
  }

  setTopicPermissions(user: string, vhost: string, p: { exchange: string; write: string; read: string }): void {
    this.access.setTopicPermissions(user, vhost, p);
  }

  clearTopicPermissions(user: string, vhost: string, exchange?: string): void {
    this.access.clearTopicPermissions(user, vhost, exchange);
  }

  setVhostLimits(vhost: string, limits: VhostLimits): void {
    this.access.setVhostLimits(vhost, limits);
  }

  setUserLimits(user: string, limits: UserLimits): void {
    this.access.setUserLimits(user, limits);
  }

  clearVhostLimit(vhost: string, limit: keyof VhostLimits): void {
    this.access.clearVhostLimit(vhost, limit);
  }

  clearUserLimit(user: string, limit: keyof UserLimits): void {
    this.access.clearUserLimit(user, limit);
  }

  /**
   * Back to the state the broker started in, for a test suite that resets between tests rather
   * than restarting: every connection closed (320 "broker reset"), every vhost (with its queues
   * and messages) and user deleted, then the defaults — or the definitions file, when one is
   * configured — applied again. Kept on disk like any other change.
   */
  reset(): void {
    for (const c of [...this.connections]) c.forceClose('broker reset');
    for (const name of [...this.vhosts.keys()]) this.deleteVhost(name);
    for (const u of [...this.access.allUsers()]) this.access.deleteUser(u.name);
    if (this.options.definitions === '') this.createDefaults();
    else this.loadDefinitions(this.options.definitions);
    this.log.info('broker reset');
  }

  /** The VirtualHost of a vhost the access control knows, with its persistence (created once). */
  private openVirtualHost(name: string): VirtualHost {
    const existing = this.vhosts.get(name);
    if (existing !== undefined) return existing;
    let persistence: Persistence = new MemoryPersistence();
    if (this.dataStore !== null) {
      const opened = this.dataStore.hasMessagesFor(name);
      const durable = new DurablePersistence(this.dataStore, name);
      this.durable.set(name, durable);
      persistence = durable;
      // created at runtime: its message store starts now (at start, recover() starts them all);
      // a vhost deleted and created again finds its store running
      if (this.recovered && !opened) durable.recoverMessages();
    }
    const vhost = new VirtualHost(name, persistence, this.log, this.queueChurn);
    this.vhosts.set(name, vhost);
    return vhost;
  }

  /**
   * A fresh broker (nothing on disk, or a data directory from before users were kept) gets
   * RabbitMQ's defaults: the vhost `/` and the default user with every right on it — unless a
   * definitions file is loaded at start, which then says who exists (as RabbitMQ skips its
   * default user when load_definitions is set).
   */
  private createDefaults(): void {
    this.addVhost('/');
    this.addUser(this.options.defaultUser, { password: this.options.defaultPass, tags: ['administrator'] });
    this.setPermissions(this.options.defaultUser, '/', { configure: '.*', write: '.*', read: '.*' });
  }

  /**
   * Loads durable topology and messages (before accepting connections): the definition records
   * replayed into the vhosts, then each vhost's stored messages into its durable queues.
   */
  recover(): void {
    const store = this.dataStore;
    const started = Date.now();
    const records = store === null ? [] : store.loadDefinitions();
    const replay = () => replayDefinitions(records, {
      access: (d) => this.replayAccess(d),
      vhosts: this.vhosts,
      storage: (vhost, name, id, options) => (this.durable.get(vhost) as DurablePersistence).durableStorage(name, id, options),
      log: this.log,
    });
    if (store === null) replay();
    else store.replaying(replay);
    // the access control records its changes from now on (after the replay: nothing is written twice)
    this.access.onRecord = (d) => store?.record(d);
    const knowsAccess = records.some(isAccessDefinition);
    const migrated = !knowsAccess && records.length > 0; // topology kept by a Warren before users existed
    if (migrated || (!knowsAccess && this.options.definitions === '')) this.createDefaults();
    if (this.options.definitions !== '') this.loadDefinitions(this.options.definitions);
    if (store === null) {
      this.recovered = true;
      return;
    }
    removeDeletedVhostDirs(this.options.dataDir, new Set(this.vhosts.keys()), this.log);
    const stats: RecoveryStats = { segments: 0, records: 0, messages: 0, droppedRecords: 0, truncatedBytes: 0 };
    for (const durable of this.durable.values()) {
      const s = durable.recoverMessages();
      for (const k of Object.keys(stats) as (keyof RecoveryStats)[]) stats[k] += s[k];
    }
    this.recovered = true;
    store.topologyRecords = () => [...this.access.records(), ...topologyRecords(this.vhosts)];
    store.compactDefinitions();
    for (const vhost of this.vhosts.values()) for (const q of vhost.queues.values()) q.startExpiry();
    store.onAlarm = (err) => {
      if (err === null) this.clearAlarm('disk-write');
      else this.raiseAlarm('disk-write'); // the store has logged the error itself
    };
    this.diskMonitor = new DiskMonitor(this.options.dataDir, parseDiskFreeLimit(this.options.diskFreeLimit),
      (low) => (low ? this.raiseAlarm('disk-free') : this.clearAlarm('disk-free')), this.log, this.options.freeSpace);
    this.diskMonitor.start();
    this.log.info({ ...stats, ms: Date.now() - started }, 'recovered durable state');
  }

  /** A RabbitMQ definitions file, at every start (as load_definitions); throws naming a bad entry. */
  private loadDefinitions(file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new DefinitionsError(`definitions file ${file}: cannot read it (${(err as Error).message})`);
    }
    this.importDefinitions(text, file);
  }

  /**
   * Applies RabbitMQ definitions (a file's text; `source` names it in errors): users, vhosts,
   * permissions, limits, exchanges, queues, bindings. Throws a DefinitionsError naming the first
   * entry that cannot be applied (those before it stay applied, as in RabbitMQ).
   */
  importDefinitions(text: string, source: string): void {
    const counts = applyDefinitions(this, parseDefinitions(text, source), source, this.log);
    this.log.info({ source, ...counts }, 'imported definitions');
  }

  /** A user, vhost or permission record from disk: into the access control, and the vhost opened or dropped. */
  private replayAccess(d: AccessDefinition): void {
    this.access.apply(d);
    if (d.op === 'vhost') this.openVirtualHost(d.name);
    else if (d.op === 'delete-vhost') {
      this.vhosts.delete(d.name);
      this.durable.delete(d.name);
    }
  }

  /** Blocks every publisher while any resource alarm holds, as RabbitMQ's alarms do. */
  private raiseAlarm(kind: Alarm): void {
    this.alarms.add(kind);
    for (const c of this.connections) c.setBlocked(this.alarm);
  }

  private clearAlarm(kind: Alarm): void {
    this.alarms.delete(kind);
    for (const c of this.connections) c.setBlocked(this.alarm);
  }

  /**
   * The reason publishers are blocked, or null: connection.blocked's text as RabbitMQ writes it
   * (rabbit_reader: "low on memory", "low on disk", "low on memory & disk").
   */
  get alarm(): string | null {
    if (this.alarms.size === 0) return null;
    const disk = this.alarms.has('disk-free') || this.alarms.has('disk-write');
    return `low on ${[this.alarms.has('memory') ? 'memory' : '', disk ? 'disk' : ''].filter((k) => k !== '').join(' & ')}`;
  }

  listeners(): { protocol: 'amqp' | 'amqp/ssl' | 'http'; host: string; port: number }[] {
    const out: { protocol: 'amqp' | 'amqp/ssl' | 'http'; host: string; port: number }[] = [];
    const add = (protocol: 'amqp' | 'amqp/ssl' | 'http', server: net.Server | null | undefined) => {
      const a = server?.listening ? server.address() : null;
      if (a !== null && typeof a === 'object') out.push({ protocol, host: a.address, port: a.port });
    };
    add('amqp', this.server);
    add('amqp/ssl', this.tlsServer);
    add('http', this.managementApi?.server);
    return out;
  }

  /** Starts the listeners: AMQP, and amqps and the management API when configured (null otherwise). */
  async listen(): Promise<{ port: number; tlsPort: number | null; managementPort: number | null; prometheusPort: number | null }> {
    const port = await listenOn(this.server, this.options.port, this.options.host);
    const tlsPort = this.tlsServer === null ? null : await listenOn(this.tlsServer, this.options.tlsPort, this.options.host);
    let managementPort: number | null = null;
    if (this.options.managementPort >= 0) {
      this.managementApi = createManagementApi(this, this.log);
      await this.managementApi.listen({ port: this.options.managementPort, host: this.options.host });
      managementPort = (this.managementApi.server.address() as net.AddressInfo).port;
    }
    let prometheusPort: number | null = null;
    if (this.options.prometheusPort >= 0) {
      this.metricsServer = createMetricsServer(this, this.log);
      await this.metricsServer.listen({ port: this.options.prometheusPort, host: this.options.host });
      prometheusPort = (this.metricsServer.server.address() as net.AddressInfo).port;
    }
    return { port, tlsPort, managementPort, prometheusPort };
  }

  private accept(socket: net.Socket): void {
    // tracked from accept to close, for shutdown: the negotiation passes forceClose on to the
    // running connection it builds
    const c = new Negotiation(socket, this);
    this.allConnections.add(c);
    socket.once('close', () => this.allConnections.delete(c));
  }

  authenticate(username: string, password: string | null): boolean {
    return 'user' in this.access.login(username, password);
  }

  loginRestriction(username: string, remoteAddress: string | undefined): string | null {
    if (!this.options.loopbackUsers.includes(username) || isLoopback(remoteAddress)) return null;
    return `user '${username}' can only connect via localhost`;
  }

  /** The vhost, if it exists. */
  vhost(name: string): VirtualHost | undefined {
    return this.vhosts.get(name);
  }

  openVhost(name: string, username: string): { vhost: VirtualHost; access: ResourceAccess } {
    const nodeLimit = this.options.maxConnections;
    // this connection is not counted yet: RabbitMQ's count includes it
    if (nodeLimit > 0 && this.connections.size + 1 > nodeLimit) {
      throw new AmqpError(NOT_ALLOWED, `connection refused: node connection limit (${nodeLimit}) is reached`);
    }
    const vhost = this.vhosts.get(name);
    const settings = this.access.vhost(name);
    if (vhost === undefined || settings === undefined) throw new AmqpError(NOT_ALLOWED, `vhost ${name} not found`);
    const vhostLimit = limitOf(settings.limits['max-connections']);
    if (vhostLimit !== null && this.countConnections((c) => c.vhost === vhost) >= vhostLimit) {
      throw new AmqpError(NOT_ALLOWED, `access to vhost '${name}' refused for user '${username}': connection limit (${vhostLimit}) is reached`);
    }
    const userLimit = limitOf(this.access.user(username)?.limits['max-connections']);
    if (userLimit !== null && this.countConnections((c) => c.user === username) >= userLimit) {
      throw new AmqpError(NOT_ALLOWED, `connection refused for user '${username}': user connection limit (${userLimit}) is reached`);
    }
    this.checkVhostAccess(name, username);
    return { vhost, access: new ResourceAccess(this.access, username, name) };
  }

  checkVhostAccess(name: string, username: string): void {
    if (!this.vhosts.has(name)) throw new AmqpError(NOT_ALLOWED, `vhost ${name} not found`);
    if (this.access.permissionsOf(username, name) === undefined) {
      throw new AmqpError(NOT_ALLOWED, `access to vhost '${name}' refused for user '${username}'`);
    }
  }

  checkChannelLimit(username: string): void {
    const limit = limitOf(this.access.user(username)?.limits['max-channels']);
    if (limit === null) return;
    let open = 0;
    for (const c of this.connections) if (c.user === username) open += c.channelCount;
    if (open >= limit) {
      throw new AmqpError(NOT_ALLOWED, `number of channels opened for user '${username}' has reached the maximum allowed user limit of ${limit}`);
    }
  }

  private countConnections(match: (c: Connection) => boolean): number {
    let n = 0;
    for (const c of this.connections) if (match(c)) n++;
    return n;
  }

  connectionOpened(c: Connection): void {
    this.connections.add(c);
    this.sessionTotals.connectionsOpened++;
    if (this.alarm !== null) c.setBlocked(this.alarm);
  }

  connectionClosed(c: Connection): void {
    if (this.connections.delete(c)) this.sessionTotals.connectionsClosed++;
  }

  async close(): Promise<void> {
    if (this.memoryTimer !== null) clearInterval(this.memoryTimer);
    this.diskMonitor?.stop();
    // no delayed message is routed into a closing store (they are released at the next start)
    for (const v of this.vhosts.values()) v.stopDelayed();
    const closed = Promise.all([this.server, this.tlsServer].map((server) => new Promise<void>((resolve) => {
      if (server === null || !server.listening) resolve();
      else server.close(() => resolve());
    })));
    const sockets = [...this.allConnections].map((c) => new Promise<void>((resolve) => {
      if (c.socket.destroyed) return resolve();
      c.socket.once('close', () => resolve());
      c.forceClose("broker forced connection closure with reason 'shutdown'");
    }));
    await Promise.all(sockets);
    await closed;
    await this.managementApi?.close();
    await this.metricsServer?.close();
    await this.dataStore?.close();
    if (!this.options.ephemeral) unlockDataDir(this.options.dataDir);
  }
}

/** RabbitMQ's rabbit_net:is_loopback: 127.0.0.0/8, ::1, and IPv4 mapped into IPv6. */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

type Alarm = 'memory' | 'disk-free' | 'disk-write';

function listenOn(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
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
  let port: number;
  let tlsPort: number | null;
  let managementPort: number | null;
  let prometheusPort: number | null;
  try {
    ({ port, tlsPort, managementPort, prometheusPort } = await broker.listen());
  } catch (err) {
    await broker.close();
    throw err;
  }
  const shown = resolved.host === '0.0.0.0' || resolved.host === '::' ? '127.0.0.1' : resolved.host;
  const listening = `${resolved.host}:${port}${tlsPort === null ? '' : ` and ${resolved.host}:${tlsPort} (amqps)`}`
    + `${managementPort === null ? '' : `, management API on http://${resolved.host}:${managementPort}/`}`
    + `${prometheusPort === null ? '' : `, Prometheus metrics on http://${resolved.host}:${prometheusPort}/metrics`}`;
  broker.log.info({ address: `${resolved.host}:${port}`, tlsAddress: tlsPort === null ? null : `${resolved.host}:${tlsPort}`,
    managementAddress: managementPort === null ? null : `${resolved.host}:${managementPort}`,
    prometheusAddress: prometheusPort === null ? null : `${resolved.host}:${prometheusPort}`,
    dataDir: resolved.ephemeral ? null : resolved.dataDir }, `Server startup complete; listening on ${listening}`);
  return {
    port,
    tlsPort,
    managementPort,
    prometheusPort,
    host: resolved.host,
    broker,
    url: `amqp://${encodeURIComponent(resolved.defaultUser)}:${encodeURIComponent(resolved.defaultPass)}@${shown}:${port}/`,
    close: () => broker.close(),
  };
}
