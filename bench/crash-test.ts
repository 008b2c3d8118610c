/**
 * Crash test: publishers with confirms and consumers with acks run against a broker process
 * that is killed with SIGKILL at random moments and restarted, cycle after cycle. At the end
 * every message the broker confirmed must have reached a consumer at some point (no loss);
 * messages seen more than once (redelivered after a crash) are counted as duplicates.
 *
 *   npm run crash-test -- --cycles 20
 *   npm run crash-test -- --cycles 50 --stream     (the same on a stream: streamCrashTest)
 *
 * The vitest suite runs a short version (test/store/crash.test.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';

export interface CrashTestOptions {
  cycles: number;
  publishers?: number;
  consumers?: number;
  /** Random run time per cycle before the kill, in ms. */
  minRunMs?: number;
  maxRunMs?: number;
  log?: (line: string) => void;
}

export interface CrashTestResult {
  cycles: number;
  confirmed: number;
  consumed: number;
  lost: number;
  duplicates: number;
  lostIds: string[];
}

/** dist/cli.js of the project this file is in (run from bench/ by vitest, from dist-bench/bench/ by npm). */
function projectCli(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'cli.js');
}
const CLI = projectCli();
const QUEUE = 'crash-q';

function startBroker(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'info', '--management-port', '-1', '--prometheus-port', '-1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    let started = false;
    child.stdout?.on('data', (d: Buffer) => {
      if (started) return; // keep the pipe drained
      buf += d.toString();
      const m = /"address":"[^"]*:(\d+)".*Server startup complete/.exec(buf);
      if (m) {
        started = true;
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`broker exited (${code}) before startup`)));
  });
}

/** One life of the broker under test: where it listens, and whether it was killed yet. */
interface Cycle {
  readonly url: string;
  readonly exited: Promise<unknown>;
  alive: boolean;
}

/**
 * The kill -9 cycles: each starts the broker on the data directory, starts `workers` against
 * it, lets them run a random while, kills the broker and waits for them to notice.
 */
async function runCycles(o: CrashTestOptions, dataDir: string, workers: (c: Cycle) => Promise<void>[], progress: () => string): Promise<void> {
  for (let cycle = 1; cycle <= o.cycles; cycle++) {
    const { child, port } = await startBroker(dataDir);
    const c: Cycle = { url: `amqp://guest:guest@127.0.0.1:${port}`, exited: new Promise((r) => child.once('exit', r)), alive: true };
    const running = workers(c).map((w) => w.catch(() => undefined));
    const runMs = (o.minRunMs ?? 300) + Math.random() * ((o.maxRunMs ?? 2000) - (o.minRunMs ?? 300));
    await new Promise((r) => setTimeout(r, runMs));
    child.kill('SIGKILL');
    c.alive = false;
    await c.exited;
    await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, 2000))]);
    (o.log ?? (() => undefined))(`cycle ${cycle}: ran ${Math.round(runMs)} ms, ${progress()}`);
  }
}

/** Publishes batches of 50 with confirms until the broker is killed; what the broker confirmed goes into `confirmed`. */
async function publishUntilKilled(
  c: Cycle, queue: string, declare: (ch: amqp.Channel) => Promise<unknown>, newId: () => string,
  persistent: (i: number) => boolean, confirmed: Set<string>,
): Promise<void> {
  const conn = await amqp.connect(c.url);
  conn.on('error', () => undefined);
  const ch = await conn.createConfirmChannel();
  ch.on('error', () => undefined);
  await declare(ch);
  while (c.alive) {
    const batch: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      const id = newId();
      batch.push(new Promise((resolve) => {
        ch.sendToQueue(queue, Buffer.from(id), { persistent: persistent(i) }, (err) => {
          if (!err) confirmed.add(id);
          resolve();
        });
      }));
    }
    await Promise.race([Promise.all(batch), c.exited]);
  }
}

export async function crashTest(o: CrashTestOptions): Promise<CrashTestResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'warren-crash-'));
  const confirmed = new Set<string>();
  const seen = new Map<string, number>();
  const note = (id: string) => seen.set(id, (seen.get(id) ?? 0) + 1);
  let next = 0;
  const declare = (ch: amqp.Channel) => ch.assertQueue(QUEUE, { durable: true });
  try {
    await runCycles(o, dataDir, (c) => [
      ...Array.from({ length: o.publishers ?? 2 }, () => publishUntilKilled(c, QUEUE, declare, () => `m${next++}`, () => true, confirmed)),
      ...Array.from({ length: o.consumers ?? 2 }, async () => {
        const conn = await amqp.connect(c.url);
        conn.on('error', () => undefined);
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        await declare(ch);
        await ch.prefetch(100);
        await ch.consume(QUEUE, (m) => {
          if (!m) return;
          note(m.content.toString());
          ch.ack(m);
        });
        await c.exited;
      }),
    ], () => `confirmed so far ${confirmed.size}, consumed so far ${seen.size}`);
    // drain what is left
    const { child, port } = await startBroker(dataDir);
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
    const ch = await conn.createChannel();
    await ch.assertQueue(QUEUE, { durable: true });
    for (let m = await ch.get(QUEUE, { noAck: true }); m; m = await ch.get(QUEUE, { noAck: true })) note(m.content.toString());
    await conn.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const lostIds = [...confirmed].filter((id) => !seen.has(id));
  let duplicates = 0;
  for (const n of seen.values()) duplicates += n - 1;
  return { cycles: o.cycles, confirmed: confirmed.size, consumed: seen.size, lost: lostIds.length, duplicates, lostIds: lostIds.slice(0, 20) };
}

export interface StreamCrashResult extends CrashTestResult {
  /** Messages in the stream at the end (offsets 0 … length-1, read back from `first`). */
  length: number;
  /** Offsets whose message differed between two reads, or were skipped or repeated by a reader. */
  inconsistencies: string[];
  /** Readers opened at an offset they chose (the checkpoint, or a random earlier one). */
  resumes: number;
}

const STREAM = 'crash-s';

/**
 * The crash test on a stream: publishers with confirms (persistent and transient messages
 * alike: a stream keeps both), and two readers opened every cycle at offsets they choose — one
 * at its checkpoint (the offset after the last one it acknowledged, as an application that
 * stores its position resumes), one at a random earlier offset, re-reading. Every message a
 * reader sees must be the one every other read found at that offset, and each reader must get
 * consecutive offsets from where it asked. At the end the whole stream is read from `first`:
 * offsets 0 … n-1 with no gap, each holding what was read there before, and every confirmed
 * message among them.
 */
export async function streamCrashTest(o: CrashTestOptions): Promise<StreamCrashResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'warren-crash-'));
  const confirmed = new Set<string>();
  const atOffset = new Map<number, string>();
  const inconsistencies: string[] = [];
  const seenIds = new Set<string>();
  let checkpoint = 0;
  let resumes = 0;
  let next = 0;
  let length = 0;
  /** A reader got `id` at `offset`: it must be what every read found there. */
  const saw = (offset: number, id: string) => {
    const before = atOffset.get(offset);
    if (before === undefined) atOffset.set(offset, id);
    else if (before !== id && inconsistencies.length < 20) inconsistencies.push(`offset ${offset}: ${before} then ${id}`);
    seenIds.add(id);
  };
  const declare = (ch: amqp.Channel) => ch.assertQueue(STREAM, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  /** A reader from `start`, checking it gets consecutive offsets; calls `acked` with each offset it acknowledged. */
  const reader = async (url: string, start: number, acked: (offset: number) => void, until: Promise<unknown>) => {
    const conn = await amqp.connect(url);
    conn.on('error', () => undefined);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await declare(ch);
    await ch.prefetch(200);
    resumes++;
    let expected = start;
    await ch.consume(STREAM, (m) => {
      if (!m) return;
      const offset = Number(m.properties.headers?.['x-stream-offset']);
      if (offset !== expected && inconsistencies.length < 20) inconsistencies.push(`reader from ${start}: offset ${offset} where ${expected} was next`);
      expected = offset + 1;
      saw(offset, m.content.toString());
      ch.ack(m);
      acked(offset);
    }, { arguments: { 'x-stream-offset': start } });
    await until;
  };
  try {
    await runCycles(o, dataDir, (c) => [
      ...Array.from({ length: o.publishers ?? 2 }, () => publishUntilKilled(c, STREAM, declare, () => `m${next++}`, (i) => i % 2 === 0, confirmed)),
      reader(c.url, checkpoint, (offset) => {
        checkpoint = Math.max(checkpoint, offset + 1);
      }, c.exited),
      reader(c.url, Math.floor(Math.random() * (checkpoint + 1)), () => undefined, c.exited),
    ], () => `confirmed so far ${confirmed.size}, checkpoint ${checkpoint}`);
    // the whole stream, from the start, once more
    const { child, port } = await startBroker(dataDir);
    const url = `amqp://guest:guest@127.0.0.1:${port}`;
    const conn = await amqp.connect(url);
    const ch = await conn.createChannel();
    const total = (await declare(ch)).messageCount;
    let read = 0;
    let finished!: () => void;
    const done = new Promise<void>((r) => {
      finished = r;
    });
    if (total === 0) finished();
    const giveUp = setTimeout(finished, 30_000); // a missing offset shows as a short length
    await reader(url, 0, () => {
      if (++read === total) finished();
    }, done);
    clearTimeout(giveUp);
    length = read;
    if (length !== total && inconsistencies.length < 20) inconsistencies.push(`read ${length} of the ${total} messages from first`);
    for (let offset = 0; offset < total; offset++) {
      if (!atOffset.has(offset) && inconsistencies.length < 20) inconsistencies.push(`offset ${offset} never read`);
    }
    await conn.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const lostIds = [...confirmed].filter((id) => !seenIds.has(id));
  return {
    cycles: o.cycles, confirmed: confirmed.size, consumed: seenIds.size, lost: lostIds.length, duplicates: 0,
    lostIds: lostIds.slice(0, 20), length, inconsistencies, resumes,
  };
}

// npm run crash-test -- --cycles N [--stream]
if (process.argv[1] && process.argv[1].endsWith('crash-test.js')) {
  const i = process.argv.indexOf('--cycles');
  const cycles = i > 0 ? Number(process.argv[i + 1]) : 20;
  const stream = process.argv.includes('--stream');
  const run: Promise<CrashTestResult & { inconsistencies?: string[] }> = stream
    ? streamCrashTest({ cycles, log: (l) => console.log(l) })
    : crashTest({ cycles, log: (l) => console.log(l) });
  run.then((r) => {
    console.log(JSON.stringify(r));
    process.exit(r.lost === 0 && (r.inconsistencies?.length ?? 0) === 0 ? 0 : 1);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
