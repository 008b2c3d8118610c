/**
 * The broker a conformance run talks to: CONFORMANCE_URL (e.g. a RabbitMQ from Debian), or a
 * Warren started in this process on a free port with a temporary data directory. Scenarios are
 * written once and must pass against both; names carry a per-run suffix so that a shared
 * RabbitMQ is not disturbed, and everything a scenario declares is deleted afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { startBroker, type Broker } from '../../src/broker.js';

export interface Target {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** 'RabbitMQ' or 'Warren', from connection.start's server-properties. */
  readonly product: string;
  readonly version: string;
  /** RabbitMQ 3.x (some answers changed in 4.x; Warren gives the 4.x one, see REFERENCE.md). */
  readonly isRabbit3: boolean;
  /**
   * A RabbitMQ older than `version` (e.g. '3.13'): for behaviour a later RabbitMQ added or
   * changed and Warren follows (each such branch is listed in REFERENCE.md).
   */
  rabbitBefore(version: string): boolean;
  /** The management HTTP API: RabbitMQ's on port 15672 of its host, or the in-process Warren's. */
  readonly managementUrl: string;
  /** The Prometheus endpoint: RabbitMQ's rabbitmq_prometheus on port 15692 of its host, or the in-process Warren's. */
  readonly prometheusUrl: string;
  /** The in-process Warren (none when CONFORMANCE_URL points elsewhere): admin.ts manages users on it. */
  readonly warren: Broker | null;
  stop(): Promise<void>;
}

let shared: Promise<Target> | null = null;

/** The target of this run (one per test file's process). */
export function target(): Promise<Target> {
  shared ??= open();
  return shared;
}

async function open(): Promise<Target> {
  const external = process.env.CONFORMANCE_URL;
  let url: string;
  let stopBroker = async () => undefined as void;
  let warren: Broker | null = null;
  let managementUrl = '';
  let prometheusUrl = '';
  if (external) {
    url = external;
  } else {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'warren-conformance-'));
    const b = await startBroker({ port: 0, host: '127.0.0.1', dataDir, managementPort: 0, prometheusPort: 0, logger: pino({ level: 'silent' }) });
    managementUrl = `http://127.0.0.1:${b.managementPort}`;
    prometheusUrl = `http://127.0.0.1:${b.prometheusPort}`;
    url = `amqp://guest:guest@127.0.0.1:${b.port}/`;
    warren = b.broker;
    stopBroker = async () => {
      await b.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const u = new URL(url);
  if (managementUrl === '') managementUrl = `http://${u.hostname}:15672`;
  if (prometheusUrl === '') prometheusUrl = `http://${u.hostname}:15692`;
  const probe = await amqp.connect(url);
  const props = (probe as unknown as { connection: { serverProperties: Record<string, unknown> } }).connection.serverProperties;
  await probe.close();
  const product = String(props.product);
  const version = String(props.version);
  return {
    url, host: u.hostname, port: Number(u.port || 5672), product, version,
    isRabbit3: product === 'RabbitMQ' && version.startsWith('3.'),
    rabbitBefore: (v) => product === 'RabbitMQ' && compareVersions(version, v) < 0,
    warren,
    managementUrl,
    prometheusUrl,
    stop: stopBroker,
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** A name unique to this run: scenarios never collide with each other or with other users. */
export function unique(prefix: string): string {
  return `conf-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
