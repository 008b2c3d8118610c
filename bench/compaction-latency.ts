/**
 * Does compaction (or reading back from segment files) stall deliveries? A broker runs in this
 * process (main thread); the AMQP clients run in a worker thread, so that the main thread's
 * event loop is the broker's alone and its stalls show in the clients' latencies.
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node dist-bench/bench/compaction-latency.js [--compaction both|on|off]
 *     [--messages 300000] [--size 1024] [--b-every 6] [--rate 3000] [--seconds 30] [--drain-seconds 15]
 *
 * Each run (with compaction, then without) starts from an empty data directory:
 *  1. backlog: `messages` persistent messages with confirms, every `b-every`-th to queue B, the
 *     rest to A; then A is consumed and acknowledged, so the segments hold only B's messages
 *     (about 1/b-every of their records: sparse) and B has no consumer (pinned).
 *  2. steady: `rate` persistent messages a second for `seconds` s, the same mix; a consumer on A
 *     (prefetch 100, acks) measures each delivery's latency (publish → receive, in the worker).
 *     With compaction on, rounds run every second with compactAfterMs = 1 s, so the backlog's
 *     segments and the newly sparse ones are compacted during this phase.
 *  3. drain: the steady flow goes on while a consumer drains B from disk (the read cache's
 *     readSync on the delivery path).
 * Printed per phase: latency p50/p99/p99.9/max, the broker loop's event-loop delay (p99, max),
 * time the broker spent in synchronous store I/O (readSync, readFileSync, writeSync,
 * fdatasyncSync, …), and how many segments were compacted.
 */
import fs, { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import amqp from 'amqplib';
import { pino } from 'pino';
import type { StoreFs } from '../src/store/store-fs.js';

/**
 * The broker as built by `npm run build` (dist/): src/broker.ts reads ../package.json, which is
 * not there for a copy compiled into dist-bench/. Only types come from src.
 */
function projectRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const { startBroker } = await import(path.join(projectRoot(), 'dist', 'broker.js')) as typeof import('../src/broker.js');
const nodeFs = fs as unknown as StoreFs;

interface Options {
  compaction: 'both' | 'on' | 'off';
  messages: number;
  size: number;
  bEvery: number;
  rate: number;
  seconds: number;
  drainSeconds: number;
}

interface Latency { n: number; p50: number; p99: number; p999: number; max: number }
interface PhaseEnd { latency: Latency; drained?: number }

type ToMain = { type: 'phase'; name: 'steady' | 'drain' | 'end'; result?: PhaseEnd };

// ---- the broker side (main thread) ----

/** Time spent in each synchronous file operation of the store, on the broker's event loop. */
class SyncIoMeter {
  ms = new Map<string, number>();
  calls = new Map<string, number>();
  compactions = 0;

  wrap(): StoreFs {
    const io: Record<string, unknown> = { ...nodeFs };
    for (const name of ['readSync', 'readFileSync', 'writeSync', 'fdatasyncSync', 'openSync', 'closeSync', 'renameSync', 'unlinkSync', 'fstatSync', 'ftruncateSync'] as const) {
      const fn = (nodeFs[name] as (...a: unknown[]) => unknown).bind(nodeFs);
      io[name] = (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return fn(...args);
        } finally {
          this.ms.set(name, (this.ms.get(name) ?? 0) + performance.now() - t0);
          this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
          if (name === 'renameSync' && String(args[0]).includes('msgs.') && String(args[0]).endsWith('.compact')) this.compactions++;
        }
      };
    }
    return io as unknown as StoreFs;
  }

  reset(): void {
    this.ms.clear();
    this.calls.clear();
    this.compactions = 0;
  }

  summary(seconds: number): string {
    let total = 0;
    const parts: string[] = [];
    for (const [name, ms] of [...this.ms].sort((a, b) => b[1] - a[1])) {
      total += ms;
      if (ms >= 1) parts.push(`${name} ${ms.toFixed(0)} ms/${this.calls.get(name)}`);
    }
    return `sync store I/O ${(total / seconds).toFixed(1)} ms/s (${parts.join(', ') || 'none'}); segments compacted ${this.compactions}`;
  }
}

async function runOnce(o: Options, compaction: boolean): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'warren-bench-'));
  const meter = new SyncIoMeter();
  const handle = await startBroker({
    port: 0, host: '127.0.0.1', dataDir, logger: pino({ level: 'warn' }), storeFs: meter.wrap(),
    maxMessageSize: 128 * 1024 * 1024,
  });
  const store = handle.broker.dataStore?.messagesFor('/');
  if (store === undefined) throw new Error('no message store');
  store.stopCompaction(); // not while the backlog is built
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const worker = new Worker(new URL(import.meta.url), { workerData: { ...o, port: handle.port } });
  let phaseStart = 0;
  let phaseName = '';
  const report = (result: PhaseEnd | undefined) => {
    const secs = (performance.now() - phaseStart) / 1000;
    const l = result?.latency;
    console.log(`  ${phaseName.padEnd(6)} latency ms p50 ${f(l?.p50)} p99 ${f(l?.p99)} p99.9 ${f(l?.p999)} max ${f(l?.max)} (n=${l?.n})`
      + `; loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} max ${(loop.max / 1e6).toFixed(1)} ms`
      + (result?.drained !== undefined ? `; drained B ${Math.round(result.drained / secs)} msg/s` : ''));
    console.log(`         ${meter.summary(secs)}`);
  };
  await new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: ToMain) => {
      if (phaseName !== '') report(m.result);
      if (m.name === 'end') return resolve();
      phaseName = m.name;
      if (m.name === 'steady' && compaction) {
        store.compactAfterMs = 1000;
        store.startCompaction(1000);
      }
      meter.reset();
      loop.reset();
      loop.enable();
      phaseStart = performance.now();
      worker.postMessage('go');
    });
  });
  await worker.terminate();
  await handle.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const f = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(1));

// ---- the client side (worker thread) ----

async function clients(o: Options & { port: number }): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('not a worker');
  const phase = (name: ToMain['name'], result?: PhaseEnd) => new Promise<void>((resolve) => {
    port.once('message', () => resolve());
    port.postMessage({ type: 'phase', name, result } satisfies ToMain);
  });
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${o.port}`);
  const pub = await conn.createConfirmChannel();
  await pub.assertQueue('A', { durable: true });
  await pub.assertQueue('B', { durable: true });
  const payload = Buffer.alloc(o.size, 0x61);
  const body = () => {
    const b = Buffer.from(payload);
    b.writeBigUInt64BE(process.hrtime.bigint(), 0);
    return b;
  };
  const target = (i: number) => (i % o.bEvery === 0 ? 'B' : 'A');

  // 1. backlog
  let toA = 0;
  for (let i = 0; i < o.messages;) {
    for (const end = Math.min(o.messages, i + 2000); i < end; i++) {
      if (target(i) === 'A') toA++;
      pub.sendToQueue(target(i), payload, { persistent: true });
    }
    await pub.waitForConfirms();
  }
  const cons = await conn.createChannel();
  await cons.prefetch(500);
  let gotA = 0;
  let allA: () => void = () => undefined;
  const consumedA = new Promise<void>((resolve) => { allA = resolve; });
  await cons.consume('A', (m) => {
    if (m === null) return;
    cons.ack(m);
    if (++gotA === toA) allA();
  });
  await consumedA;
  await cons.close();

  // 2. steady flow with a latency-measuring consumer on A
  const latencies: number[] = [];
  const ch = await conn.createChannel();
  await ch.prefetch(100);
  let sentA = 0;
  let receivedA = 0;
  await ch.consume('A', (m) => {
    if (m === null) return;
    latencies.push(Number(process.hrtime.bigint() - m.content.readBigUInt64BE(0)) / 1e6);
    receivedA++;
    ch.ack(m);
  });
  const flow = await conn.createChannel();
  let seq = 0;
  const tickMs = 5;
  let ticker: NodeJS.Timeout | null = null;
  const startFlow = () => {
    let owed = 0;
    ticker = setInterval(() => {
      owed += (o.rate * tickMs) / 1000;
      for (; owed >= 1; owed--) {
        const q = target(seq++);
        if (q === 'A') sentA++;
        flow.sendToQueue(q, body(), { persistent: true });
      }
    }, tickMs);
  };
  const stopFlow = async () => {
    if (ticker !== null) clearInterval(ticker);
    for (let i = 0; i < 200 && receivedA < sentA; i++) await new Promise((r) => setTimeout(r, 10));
  };
  const summary = (): Latency => {
    const s = latencies.splice(0).sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
    return { n: s.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: s[s.length - 1] ?? NaN };
  };

  await phase('steady');
  startFlow();
  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  await stopFlow();
  const steady = summary();

  // 3. drain B from disk while the flow goes on
  await phase('drain', { latency: steady });
  startFlow();
  const drainCh = await conn.createChannel();
  await drainCh.prefetch(200);
  let drained = 0;
  await drainCh.consume('B', (m) => {
    if (m === null) return;
    drained++;
    drainCh.ack(m);
  });
  await new Promise((r) => setTimeout(r, o.drainSeconds * 1000));
  await stopFlow();
  await phase('end', { latency: summary(), drained });
  await conn.close().catch(() => undefined);
}

function options(argv: string[]): Options {
  const get = (name: string, d: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const i = argv.indexOf('--compaction');
  return {
    compaction: (i >= 0 ? argv[i + 1] : 'both') as Options['compaction'],
    messages: get('messages', 300_000),
    size: get('size', 1024),
    bEvery: get('b-every', 6),
    rate: get('rate', 3000),
    seconds: get('seconds', 30),
    drainSeconds: get('drain-seconds', 15),
  };
}

if (!isMainThread) {
  await clients(workerData as Options & { port: number });
} else if (process.argv[1]?.endsWith('compaction-latency.js')) {
  const o = options(process.argv);
  console.log(`node ${process.version}, ${new Date().toISOString()}, ${JSON.stringify(o)}`);
  for (const on of o.compaction === 'both' ? [true, false] : [o.compaction === 'on']) {
    console.log(`compaction ${on ? 'on' : 'off'}:`);
    await runOnce(o, on);
  }
}
