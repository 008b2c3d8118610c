/**
 * Small helpers shared by the message store tests: temporary directories, durability, logs,
 * records as the store takes them (plain bytes), and a queue of positions for compaction to
 * work with. Store only: the store layer is tested without the broker above it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach } from 'vitest';
import type { MessageStore } from '../../src/store/message-store.js';
import type { CompactionQueues } from '../../src/store/segment-compactor.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A directory removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'warren-store-'));
  dirs.push(d);
  return d;
}

/** Resolves once everything appended so far is on disk (with the error, if it failed). */
export const durable = (s: MessageStore) => new Promise<null>((resolve) => s.whenDurable(() => resolve(null)));

export interface LogLine { level: number; msg: string; [k: string]: unknown }

/** A logger whose lines (warn and above) are kept for the test to look at. */
export function capturingLog(): { log: Logger; lines: LogLine[]; errors: () => LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => { lines.push(JSON.parse(line) as LogLine); } });
  return { log, lines, errors: () => lines.filter((l) => l.level >= 50) };
}

// ---- records as bytes ----

/** An AMQP short string: length octet and bytes. */
export function shortstr(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length]), b]);
}

/** Routing bytes: the exchange and the routing key as two short strings (what basic.publish carried). */
export function routingBytes(exchange: string, routingKey: string): Buffer {
  return Buffer.concat([shortstr(exchange), shortstr(routingKey)]);
}

/**
 * A content header frame payload of class basic (60) for a body of `bodySize` bytes, with
 * delivery-mode 2 as its only property (the bytes ContentHeader.build makes for it).
 */
export function headerBytes(bodySize: number): Buffer {
  const b = Buffer.alloc(15);
  b.writeUInt16BE(60, 0); // class
  b.writeUInt16BE(0, 2); // weight
  b.writeBigUInt64BE(BigInt(bodySize), 4);
  b.writeUInt16BE(0x1000, 12); // property flags: delivery-mode
  b[14] = 2;
  return b;
}

const DEFAULT_ROUTING = routingBytes('', 'q');

/** Appends a record of this body (routing '' / 'q', a persistent message's header) for these queue ids. */
export function append(store: MessageStore, body: string | Buffer, ids: readonly number[], timestamp?: number): number {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return store.append(ids, DEFAULT_ROUTING, headerBytes(b.length), b, timestamp);
}

// ---- a queue of positions ----

/** A stored message as a StoreQueue hands it out. */
export interface Taken {
  position: number;
  readonly body: Buffer;
  readonly redelivered: boolean;
  /** Arrival order: put back, it goes back in this order. */
  readonly seq: number;
}

/**
 * One queue's references into a message store, kept the way a durable queue keeps them: in
 * arrival order; a message put back comes first again, in arrival order, without a store write;
 * one read from the log gets a delivered mark; acknowledging writes an ack entry. Enough of a
 * queue for compaction to ask about (every live record waiting?) and to follow (relocate) —
 * the store's tests use it in place of the broker's durable queue storage.
 */
export class StoreQueue {
  private readonly waiting: { position: number; delivered: boolean }[] = [];
  private readonly requeued: Taken[] = [];
  private nextSeq = 1;

  constructor(readonly id: number, private readonly store: MessageStore) {}

  /** A record just appended for this queue. */
  append(position: number): void {
    this.waiting.push({ position, delivered: false });
  }

  /** A reference recovery found, in log order. */
  recovered(position: number, delivered: boolean): void {
    this.waiting.push({ position, delivered });
  }

  /** The next message: a put-back one first, else the next in the log (marked delivered). */
  read(): Taken | undefined {
    const again = this.requeued.shift();
    if (again !== undefined) return { ...again, redelivered: true };
    const next = this.waiting.shift();
    if (next === undefined) return undefined;
    const taken = { position: next.position, body: this.store.read(next.position).body, redelivered: next.delivered, seq: this.nextSeq++ };
    this.store.markDelivered(this.id, next.position);
    return taken;
  }

  /** Puts a message back (ahead of every message not read yet, in arrival order). */
  requeue(t: Taken): void {
    let i = this.requeued.length;
    while (i > 0 && this.requeued[i - 1].seq > t.seq) i--;
    this.requeued.splice(i, 0, { ...t });
  }

  ack(t: Taken): void {
    this.store.ack(this.id, t.position);
  }

  /** Acknowledges what read() would return next without reading it. */
  discardHead(): void {
    const p = this.requeued.shift()?.position ?? this.waiting.shift()?.position;
    if (p !== undefined) this.store.ack(this.id, p);
  }

  get readyCount(): number {
    return this.waiting.length + this.requeued.length;
  }

  /** How many of these positions are waiting here (not out with a consumer). */
  countReady(positions: ReadonlySet<number>): number {
    let n = 0;
    for (const w of this.waiting) if (positions.has(w.position)) n++;
    for (const t of this.requeued) if (positions.has(t.position)) n++;
    return n;
  }

  /** Compaction moved records: old → new position. */
  relocate(moves: ReadonlyMap<number, number>): void {
    for (const w of this.waiting) w.position = moves.get(w.position) ?? w.position;
    for (const t of this.requeued) t.position = moves.get(t.position) ?? t.position;
  }
}

/** What compaction asks of the queues, answered by these queues. */
export function compactionQueues(...queues: StoreQueue[]): CompactionQueues {
  const byId = new Map(queues.map((q) => [q.id, q]));
  return {
    isQueue: (id) => byId.has(id),
    allReady: (id, positions) => byId.get(id)?.countReady(positions) === positions.size,
    relocate: (id, moves) => byId.get(id)?.relocate(moves),
  };
}
