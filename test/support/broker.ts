/** Starts an in-process Warren on a free port with a temporary data directory, for tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { startBroker, type BrokerHandle } from '../../src/broker.js';
import type { BrokerOptions } from '../../src/config.js';

export interface TestBroker extends BrokerHandle {
  dataDir: string;
  /** Connects with amqplib; closed automatically by stop(). */
  connect(options?: { frameMax?: number; heartbeat?: number; vhost?: string; user?: string; pass?: string }): Promise<amqp.ChannelModel>;
  /** Closes clients and the broker; removes the data directory unless keepData. */
  stop(o?: { keepData?: boolean }): Promise<void>;
}

export async function startTestBroker(options: BrokerOptions = {}): Promise<TestBroker> {
  const dataDir = options.dataDir ?? await mkdtemp(path.join(tmpdir(), 'warren-test-'));
  // WARREN_TEST_AGAINST=amqp://…:5672 points the suites at another broker (to compare with
  // RabbitMQ by hand; tests that configure Warren's limits will then differ)
  const against = process.env.WARREN_TEST_AGAINST;
  const handle: BrokerHandle = against ? externalBroker(against) : await startBroker({
    dataDir,
    port: 0, host: '127.0.0.1', logger: pino({ level: process.env.WARREN_TEST_LOG ?? 'silent' }), ...options,
  });
  const open = new Set<amqp.ChannelModel>();
  return {
    ...handle,
    dataDir,
    async connect(o = {}) {
      const user = encodeURIComponent(o.user ?? 'guest');
      const pass = encodeURIComponent(o.pass ?? 'guest');
      const vhost = encodeURIComponent(o.vhost ?? '/');
      const params = new URLSearchParams();
      if (o.frameMax !== undefined) params.set('frameMax', String(o.frameMax));
      params.set('heartbeat', String(o.heartbeat ?? 0));
      const c = await amqp.connect(`amqp://${user}:${pass}@127.0.0.1:${handle.port}/${vhost}?${params}`);
      c.on('error', () => undefined); // tests assert on errors explicitly
      open.add(c);
      c.on('close', () => open.delete(c));
      return c;
    },
    async stop(o = {}) {
      // a test may have cut a connection's socket: amqplib's close() then never settles
      await Promise.all([...open].map((c) => Promise.race([c.close().catch(() => undefined), sleep(500)])));
      await handle.close();
      if (!o.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the error a channel (or connection) closes with. */
export function closedWith(emitter: { once(event: 'error', cb: (e: Error) => void): unknown }): Promise<Error & { code?: number }> {
  return new Promise((resolve) => emitter.once('error', resolve as (e: Error) => void));
}

function externalBroker(url: string): BrokerHandle {
  const u = new URL(url);
  return {
    port: Number(u.port || 5672), tlsPort: null, managementPort: null, prometheusPort: null, host: u.hostname, url, broker: null as never,
    close: async () => undefined,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
