/**
 * The fuzzer: `cases` cases from `seed` against a broker process of its own, `concurrency`
 * connections at a time. After every batch a fresh amqplib client must still get a round trip
 * (declare, publish, get) and the broker's RSS is sampled. Anything odd — a crash, a hang, a
 * 541, a failed round trip — is reported with the seed and case index that replay it
 * (`npm run fuzz -- --seed S --only K`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { memoryOf } from '../support/broker-process.js';
import { repoFile } from '../support/repo-root.js';
import { makeCase, SHARED_EXCHANGES, SHARED_QUEUES } from './fuzz-cases.js';
import { FuzzSocket, runHandshake, runOnConnection, type Outcome } from './fuzz-runner.js';

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** Run only this case index (to replay one). */
  readonly only?: number;
  readonly concurrency?: number;
  readonly batch?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Starts something else than Warren on the port (the fuzzer's own tests use a broker that dies). */
  readonly spawnBroker?: (port: number, logFd: number) => ChildProcess;
}

export interface Odd {
  readonly seed: number;
  readonly index: number;
  readonly outcome: Outcome | 'round-trip-failed';
}

export interface FuzzSummary {
  readonly cases: number;
  readonly seed: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Outcome → count. */
  readonly outcomes: Record<string, number>;
  readonly crashes: number;
  readonly hangs: number;
  readonly internalErrors: number;
  readonly roundTrips: { ok: number; failed: number };
  /** Broker RSS in MB: after start, highest sampled, at the end. */
  readonly rssMb: { start: number; max: number; end: number };
  readonly odd: Odd[];
}

/** The broker's handshake timeout here: short, so that stalled handshakes end quickly. */
const HANDSHAKE_TIMEOUT_MS = 250;
/** The broker's V8 old-space limit (MB). */
const BROKER_HEAP_MB = 192;
/** Channel numbers a connection uses before it is replaced (each case takes two). */
const CHANNELS_PER_CONNECTION = 800;

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const log = o.log ?? (() => undefined);
  const concurrency = o.concurrency ?? 64;
  const batch = o.batch ?? 2000;
  const broker = await startBroker(o.spawnBroker);
  log(`broker pid ${broker.child.pid} on port ${broker.port}, its errors in ${broker.logFile}`);
  const pid = broker.child.pid as number;
  const exited = () => broker.child.exitCode !== null || broker.child.signalCode !== null;
  let crashed = false;
  const outcomes: Record<string, number> = {};
  const odd: Odd[] = [];
  const roundTrips = { ok: 0, failed: 0 };
  const rss = { start: rssOf(pid), max: 0, end: 0 };
  rss.max = rss.start;
  const started = Date.now();
  const indexes = o.only !== undefined ? [o.only] : Array.from({ length: o.cases }, (_, i) => i);
  let done = 0;
  try {
    for (let from = 0; from < indexes.length && !exited(); from += batch) {
      const slice = indexes.slice(from, from + batch);
      await Promise.all(Array.from({ length: Math.min(concurrency, slice.length) }, (_, w) =>
        worker(broker, slice.filter((_, i) => i % concurrency === w), o.seed, (index, outcome) => {
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          if (outcome === 'hang' || outcome === 'crash' || outcome === 'connection-close:541' || outcome === 'channel-close:541') {
            odd.push({ seed: o.seed, index, outcome });
          }
        }, () => exited())));
      done += slice.length;
      if (exited()) break;
      if (await roundTrip(broker.port)) roundTrips.ok++;
      else {
        roundTrips.failed++;
        odd.push({ seed: o.seed, index: slice[slice.length - 1], outcome: 'round-trip-failed' });
      }
      const now = rssOf(pid);
      rss.max = Math.max(rss.max, now);
      rss.end = now;
      const secs = (Date.now() - started) / 1000;
      log(`${done}/${indexes.length} cases, ${Math.round(done / secs)}/s, RSS ${mb(now)} MB, odd ${odd.length}`);
    }
  } finally {
    // a broker that died is seen by its exit, which may arrive a moment after the sockets closed
    await new Promise((r) => setTimeout(r, 200));
    crashed = exited();
    if (!crashed) broker.child.kill('SIGKILL');
  }
  if (crashed) odd.push({ seed: o.seed, index: indexes[Math.min(done, indexes.length - 1)], outcome: 'crash' });
  const seconds = (Date.now() - started) / 1000;
  const count = (pred: (k: string) => boolean) => Object.entries(outcomes).filter(([k]) => pred(k)).reduce((n, [, v]) => n + v, 0);
  return {
    cases: done, seed: o.seed, seconds, perSecond: Math.round(done / seconds), outcomes,
    crashes: crashed ? 1 : 0, hangs: count((k) => k === 'hang'), internalErrors: count((k) => k.endsWith(':541')),
    roundTrips, rssMb: { start: mb(rss.start), max: mb(rss.max), end: mb(rss.end || rss.start) }, odd,
  };
}

interface FuzzBroker {
  readonly child: ChildProcess;
  readonly port: number;
  readonly logFile: string;
}

/**
 * Warren as its own process (a crash is its exit), logging errors to a file (the
 * stack of any internal error is there), with a short handshake timeout so stalled handshakes
 * end quickly.
 */
async function startBroker(spawnOther?: (port: number, logFd: number) => ChildProcess): Promise<FuzzBroker> {
  const port = await freePort();
  const logFile = path.join(tmpdir(), `warren-fuzz-${process.pid}-${port}.log`);
  const out = openSync(logFile, 'w');
  // a small heap: a leak ends in an out-of-memory crash the fuzzer reports, not just a bigger RSS
  const child = spawnOther?.(port, out) ?? spawn(process.execPath, [`--max-old-space-size=${BROKER_HEAP_MB}`, repoFile('dist/cli.js'), '--port', String(port), '--host', '127.0.0.1', '--ephemeral', '--management-port', '-1', '--prometheus-port', '-1',
    '--log-level', 'error', '--handshake-timeout', String(HANDSHAKE_TIMEOUT_MS), '--heartbeat', '0'], { stdio: ['ignore', out, out] });
  closeSync(out);
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the broker exited at start (${child.exitCode}): see ${logFile}`);
    if (await canConnect(port)) return { child, port, logFile };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the broker did not listen within 10 s: see ${logFile}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** One connection at a time, replaced when the broker closes it or its channel numbers run out. */
async function worker(
  broker: FuzzBroker, indexes: number[], seed: number, record: (index: number, outcome: Outcome) => void, exited: () => boolean,
): Promise<void> {
  let conn: FuzzSocket | null = null;
  let channel = 1;
  for (const index of indexes) {
    if (exited()) return;
    try {
      if (conn === null || conn.closed || channel > CHANNELS_PER_CONNECTION * 2) {
        conn?.close();
        conn = await FuzzSocket.open(broker.port);
        channel = 1;
      }
      const k = makeCase(seed, index, channel);
      let outcome: Outcome;
      if (k.kind === 'handshake') {
        outcome = await runHandshake(broker.port, k, HANDSHAKE_TIMEOUT_MS);
      } else {
        outcome = await runOnConnection(conn, k, channel + 1);
        channel += 2;
        if (outcome.startsWith('connection-close') || outcome === 'dropped' || outcome === 'hang') {
          conn.close();
          conn = null;
        }
      }
      record(index, exited() ? 'crash' : outcome);
    } catch {
      record(index, exited() ? 'crash' : 'dropped'); // the broker refused a connection: seen at the round trip
      conn?.close();
      conn = null;
    }
  }
  conn?.close();
}

/**
 * A fresh amqplib client: declare, publish, get. It also deletes the named queues and exchanges
 * the cases share, so that what they published does not pile up: RSS then shows leaks only.
 */
async function roundTrip(port: number): Promise<boolean> {
  let c: amqp.ChannelModel | null = null;
  try {
    c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}/?heartbeat=0`);
    c.on('error', () => undefined);
    const ch = await c.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    ch.sendToQueue(queue, Buffer.from('still here'));
    let ok = false;
    for (let i = 0; i < 100 && !ok; i++) {
      const m = await ch.get(queue, { noAck: true });
      if (m) ok = m.content.toString() === 'still here';
      else await new Promise((r) => setTimeout(r, 10));
    }
    // each on a channel of its own: one may still be another connection's exclusive queue (405)
    for (const name of [...SHARED_QUEUES, ...SHARED_EXCHANGES]) {
      const cleaner = await c.createChannel();
      cleaner.on('error', () => undefined);
      const remove = name.startsWith('fz-q') ? cleaner.deleteQueue(name) : cleaner.deleteExchange(name);
      await remove.then(() => cleaner.close(), () => undefined);
    }
    return ok;
  } catch {
    return false;
  } finally {
    await c?.close().catch(() => undefined);
  }
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** The broker's RSS, 0 once it is gone. */
function rssOf(pid: number): number {
  try {
    return memoryOf(pid).rss;
  } catch {
    return 0;
  }
}
