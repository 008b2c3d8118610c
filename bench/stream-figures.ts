/**
 * Stream figures for any broker that speaks streams over AMQP 0-9-1 (Warren, RabbitMQ):
 *   1. publish N messages into a stream with publisher confirms (a window of confirms in flight);
 *   2. read them from `first` with 4 consumers at once (each its own channel, prefetch 1000,
 *      acks every 500 — an ack is the consumer's credit);
 *   3. fill a second stream to BIG messages and read the broker's RSS (with --pid);
 *   4. time to open a consumer at the offset in the middle of that stream: basic.consume to the
 *      first delivery, and which offset it carries.
 *
 *   npm run bench:streams -- --url amqp://guest:guest@127.0.0.1:5672/ --pid $(pgrep -f beam.smp) \
 *     --messages 1000000 --big 10000000 --size 100
 *
 * Both streams are deleted at the end. Figures are printed as one JSON line.
 */
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';

interface Options {
  url: string;
  pid: number | null;
  messages: number;
  big: number;
  size: number;
  consumers: number;
}

function parse(argv: string[]): Options {
  const o: Options = { url: 'amqp://guest:guest@127.0.0.1:5672/', pid: null, messages: 1_000_000, big: 10_000_000, size: 100, consumers: 4 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k}: value missing`);
    if (k === '--url') o.url = v;
    else if (k === '--pid') o.pid = Number(v);
    else if (k === '--messages') o.messages = Number(v);
    else if (k === '--big') o.big = Number(v);
    else if (k === '--size') o.size = Number(v);
    else if (k === '--consumers') o.consumers = Number(v);
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

/** Resident set size of a process in bytes (Linux /proc). */
function rssOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

const STREAM = { durable: true, arguments: { 'x-queue-type': 'stream' } };

/** Publishes `count` messages with confirms, at most `window` unconfirmed; resolves when all are confirmed. */
async function publish(conn: amqp.ChannelModel, queue: string, count: number, size: number, window = 2000): Promise<number> {
  const ch = await conn.createConfirmChannel();
  const body = Buffer.alloc(size, 0x61);
  const started = process.hrtime.bigint();
  let inFlight = 0;
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  const done = () => {
    inFlight--;
    if (wake !== null && inFlight <= window / 2) {
      const w = wake;
      wake = null;
      w();
    }
  };
  for (let i = 0; i < count; i++) {
    if (failed !== null) throw failed;
    if (inFlight >= window) await new Promise<void>((r) => { wake = r; });
    inFlight++;
    ch.sendToQueue(queue, body, { persistent: true }, (err) => {
      if (err !== null && err !== undefined) failed = err instanceof Error ? err : new Error(String(err));
      done();
    });
  }
  await ch.waitForConfirms();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await ch.close();
  return seconds;
}

/** `consumers` consumers from `first`, each until it has seen `count` messages; resolves to the seconds taken. */
async function readAll(conn: amqp.ChannelModel, queue: string, count: number, consumers: number): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: consumers }, async () => {
    const ch = await conn.createChannel();
    await ch.prefetch(1000);
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      ch.on('error', reject);
      void ch.consume(queue, (m) => {
        if (m === null) return reject(new Error('consumer cancelled'));
        seen++;
        if (seen % 500 === 0 || seen === count) ch.ack(m, true);
        if (seen === count) resolve();
      }, { noAck: false, arguments: { 'x-stream-offset': 'first' } }).catch(reject);
    });
    await ch.close();
  }));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Milliseconds from basic.consume at `offset` to the first delivery, and that delivery's offset. */
async function openAt(conn: amqp.ChannelModel, queue: string, offset: number): Promise<{ ms: number; firstOffset: unknown }> {
  const ch = await conn.createChannel();
  await ch.prefetch(100);
  const started = process.hrtime.bigint();
  const firstOffset = await new Promise<unknown>((resolve, reject) => {
    ch.on('error', reject);
    void ch.consume(queue, (m) => {
      if (m !== null) resolve(m.properties.headers?.['x-stream-offset']);
    }, { noAck: false, arguments: { 'x-stream-offset': offset } }).catch(reject);
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await ch.close();
  return { ms, firstOffset };
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const conn = await amqp.connect(o.url);
  const setup = await conn.createChannel();
  const tag = `${process.pid}-${Date.now()}`;
  const small = `stream-figures-${tag}`;
  const big = `stream-figures-big-${tag}`;
  const figures: Record<string, unknown> = { url: o.url.replace(/\/\/[^@]*@/, '//'), messages: o.messages, big: o.big, size: o.size };
  try {
    await setup.assertQueue(small, STREAM);
    const pubSeconds = await publish(conn, small, o.messages, o.size);
    figures.publishConfirmedPerSecond = Math.round(o.messages / pubSeconds);
    const readSeconds = await readAll(conn, small, o.messages, o.consumers);
    figures.read4Seconds = Number(readSeconds.toFixed(2));
    figures.read4DeliveriesPerSecond = Math.round((o.messages * o.consumers) / readSeconds);
    await setup.deleteQueue(small);

    if (o.big > 0) {
      await setup.assertQueue(big, STREAM);
      const bigSeconds = await publish(conn, big, o.big, o.size);
      figures.bigPublishSeconds = Number(bigSeconds.toFixed(1));
      if (o.pid !== null) figures.rssHoldingBigMiB = Math.round(rssOf(o.pid) / 2 ** 20);
      const middle = await openAt(conn, big, Math.floor(o.big / 2));
      figures.openAtMiddleMs = Number(middle.ms.toFixed(1));
      figures.openAtMiddleFirstOffset = middle.firstOffset;
      await setup.deleteQueue(big);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  console.log(JSON.stringify(figures));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
