/**
 * The composition root: options → logger, users, vhosts, TCP server. startBroker() is the
 * programmatic entry (tests, embedding); cli.ts wraps it for `npx warren`.
 */
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { FieldTable } from './codec/field-table.js';
import { resolveOptions, type BrokerOptions, type ResolvedOptions } from './config.js';
import { VirtualHost } from './broker/vhost.js';
import type { BrokerContext, ConnectionLimits } from './session/broker-context.js';
import { Connection } from './session/connection.js';
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
  private readonly allConnections = new Set<Connection>();
  private readonly server: net.Server;

  constructor(readonly options: ResolvedOptions) {
    this.log = options.logger ?? pino({ level: options.logLevel, base: { name: 'warren' } });
    this.limits = {
      frameMax: options.frameMax,
      channelMax: options.channelMax,
      heartbeat: options.heartbeat,
      maxMessageSize: options.maxMessageSize,
      handshakeTimeoutMs: 10_000,
    };
    this.serverProperties = serverProperties(VERSION, 'warren');
    this.users.set(options.defaultUser, options.defaultPass);
    this.vhosts.set('/', new VirtualHost('/'));
    this.server = net.createServer((socket) => this.accept(socket));
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
    const c = new Connection(socket, this);
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
  }

  connectionClosed(c: Connection): void {
    this.connections.delete(c);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const sockets = [...this.allConnections].map((c) => new Promise<void>((resolve) => {
      if (c.socket.destroyed) return resolve();
      c.socket.once('close', () => resolve());
      c.forceClose("broker forced connection closure with reason 'shutdown'");
    }));
    await Promise.all(sockets);
    await closed;
  }
}

export async function startBroker(options: BrokerOptions = {}): Promise<BrokerHandle> {
  const resolved = resolveOptions(options);
  await mkdir(resolved.dataDir, { recursive: true });
  const broker = new Broker(resolved);
  const port = await broker.listen();
  const shown = resolved.host === '0.0.0.0' || resolved.host === '::' ? '127.0.0.1' : resolved.host;
  broker.log.info({ address: `${resolved.host}:${port}`, dataDir: resolved.dataDir },
    `Server startup complete; listening on ${resolved.host}:${port}`);
  return {
    port,
    host: resolved.host,
    broker,
    url: `amqp://${encodeURIComponent(resolved.defaultUser)}:${encodeURIComponent(resolved.defaultPass)}@${shown}:${port}/`,
    close: () => broker.close(),
  };
}
