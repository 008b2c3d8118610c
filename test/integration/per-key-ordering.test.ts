/**
 * Per-key ordering with competing consumers (what Kafka's consumer groups give): a
 * consistent-hash exchange in front of single-active-consumer queues. Every key lives in one
 * queue; every worker consumes every queue, and each queue has one active consumer at a time;
 * so a key's messages are handled by one worker at a time, in order, and when a worker dies its
 * queues pass to the workers still there, its unacknowledged messages first.
 *
 * Four workers, each with its own amqplib connection. A worker handles the messages of one
 * queue one after another (a promise chain per queue), acking each when done; prefetch lets it
 * hold a few more. One worker is killed (its socket destroyed) in the middle of a message.
 */
import type amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';

const QUEUES = 8;
const WORKERS = 4;
const KEYS = 40;
const PER_KEY = 50;
const TOTAL = KEYS * PER_KEY;
const X = 'orders';
const VICTIM = 1;
/** The victim dies in the middle of this many-th message it starts. */
const KILL_AT = 60;

interface Work {
  key: string;
  seq: number;
}

/** Everything the workers do, checked as it happens (one process, so plain maps suffice). */
class Observer {
  /** The last sequence number handled, per key. */
  readonly last = new Map<string, number>();
  /** Which worker is in the middle of a key's message right now. */
  readonly busy = new Map<string, number>();
  /** Every rule broken, as text, so that a failure says what happened. */
  readonly violations: string[] = [];
  /** Messages handled for the first time (a redelivery of one already handled is not counted). */
  handled = 0;
  /** Per queue, the workers that handled its messages, in order. */
  readonly handlers = new Map<string, number[]>();
  /** Per queue, the first message a worker other than its first one received: was it redelivered? */
  readonly takeover = new Map<string, boolean>();
  /** The queue whose message the victim was handling when it died. */
  killedIn: string | null = null;

  received(worker: number, queue: string, redelivered: boolean): void {
    const hs = this.handlers.get(queue) ?? [];
    if (hs.length > 0 && !hs.includes(worker) && !this.takeover.has(queue)) this.takeover.set(queue, redelivered);
    if (!hs.includes(worker)) hs.push(worker);
    this.handlers.set(queue, hs);
  }

  start(worker: number, key: string): void {
    const other = this.busy.get(key);
    if (other !== undefined) this.violations.push(`worker ${worker} started ${key} while worker ${other} was handling it`);
    this.busy.set(key, worker);
  }

  finish(worker: number, w: Work, redelivered: boolean): void {
    this.busy.delete(w.key);
    const last = this.last.get(w.key) ?? -1;
    if (w.seq <= last) {
      // at-least-once: an ack lost with the dead connection brings a handled message back
      if (!redelivered) this.violations.push(`${w.key}: ${w.seq} again after ${last}, not redelivered (worker ${worker})`);
      return;
    }
    if (w.seq !== last + 1) this.violations.push(`${w.key}: ${w.seq} after ${last} (worker ${worker})`);
    this.last.set(w.key, w.seq);
    this.handled++;
  }

  /** A worker died: what it was in the middle of is abandoned, as its process would be gone. */
  died(worker: number): void {
    for (const [key, w] of this.busy) if (w === worker) this.busy.delete(key);
  }
}

/** A short pause that varies: handling takes time, so workers and queues interleave. */
const pause = (n: number) => new Promise<void>((r) => setTimeout(r, n % 3));

class Worker {
  dead = false;
  started = 0;
  private readonly chains = new Map<string, Promise<void>>();

  private constructor(readonly id: number, readonly conn: amqp.ChannelModel, private readonly ch: amqp.Channel, private readonly obs: Observer) {}

  static async start(b: TestBroker, id: number, obs: Observer): Promise<Worker> {
    const conn = await b.connect();
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.prefetch(5);
    return new Worker(id, conn, ch, obs);
  }

  async consume(queue: string): Promise<void> {
    await this.ch.consume(queue, (m) => {
      if (m === null || this.dead) return;
      // one message of a queue at a time, in delivery order
      const next = (this.chains.get(queue) ?? Promise.resolve()).then(() => this.handle(queue, m));
      this.chains.set(queue, next);
    });
  }

  private async handle(queue: string, m: amqp.ConsumeMessage): Promise<void> {
    if (this.dead) return;
    const w = JSON.parse(m.content.toString()) as Work;
    this.obs.received(this.id, queue, m.fields.redelivered);
    this.obs.start(this.id, w.key);
    if (this.id === VICTIM && ++this.started === KILL_AT) return this.kill(queue);
    await pause(w.seq);
    if (this.dead) return;
    this.obs.finish(this.id, w, m.fields.redelivered);
    this.ch.ack(m);
  }

  /** The process dies: its socket goes, and nothing it was doing completes. */
  private kill(queue: string): void {
    this.dead = true;
    this.obs.killedIn = queue;
    this.obs.died(this.id);
    (this.conn as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}

let broker: TestBroker | undefined;
afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

describe('per-key ordering: x-consistent-hash in front of single-active-consumer queues', () => {
  it("handles each key in order, by one worker at a time, and moves a dead worker's queues to the others", { timeout: 60_000 }, async () => {
    broker = await startTestBroker();
    const admin = await broker.connect();
    const ch = await admin.createConfirmChannel();
    await ch.assertExchange(X, 'x-consistent-hash', { durable: true });
    const queues = Array.from({ length: QUEUES }, (_, i) => `orders.${i}`);
    for (const q of queues) {
      await ch.assertQueue(q, { durable: true, arguments: { 'x-single-active-consumer': true } });
      await ch.bindQueue(q, X, '1');
    }

    const obs = new Observer();
    const workers: Worker[] = [];
    for (let id = 0; id < WORKERS; id++) workers.push(await Worker.start(broker, id, obs));
    // every worker consumes every queue; the first to subscribe is the active one, so queue i
    // starts with worker i % 4 and passes to worker (i + 1) % 4 if that one dies
    for (let round = 0; round < WORKERS; round++) {
      for (let i = 0; i < QUEUES; i++) await workers[(i + round) % WORKERS].consume(queues[i]);
    }
    const owner = (q: string) => queues.indexOf(q) % WORKERS;

    // keys in turn, each key's sequence numbers in order
    for (let seq = 0; seq < PER_KEY; seq++) {
      for (let k = 0; k < KEYS; k++) {
        const key = `customer-${k}`;
        ch.publish(X, key, Buffer.from(JSON.stringify({ key, seq })), { persistent: true });
      }
      if (seq % 10 === 9) await ch.waitForConfirms();
    }
    await ch.waitForConfirms();

    // wait for the work to be done (not a timing assertion: the counts below say what is missing)
    for (let i = 0; i < 1500 && obs.handled < TOTAL; i++) await new Promise((r) => setTimeout(r, 20));

    expect(obs.violations).toEqual([]);
    expect(obs.handled).toBe(TOTAL);
    for (let k = 0; k < KEYS; k++) expect(obs.last.get(`customer-${k}`)).toBe(PER_KEY - 1);
    expect(workers[VICTIM].dead).toBe(true);

    // each queue was handled by its first consumer only, except the victim's, which passed to the next in line
    for (const q of queues) {
      const o = owner(q);
      expect(obs.handlers.get(q), q).toEqual(o === VICTIM ? [VICTIM, (VICTIM + 1) % WORKERS] : [o]);
    }
    // where the victim died mid-message, the next worker began with that message, redelivered
    expect(obs.killedIn).not.toBeNull();
    expect(owner(obs.killedIn as string)).toBe(VICTIM);
    expect(obs.takeover.get(obs.killedIn as string)).toBe(true);
  });
});
