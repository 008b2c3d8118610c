/**
 * One contract for every QueueStorage: the in-memory one and the durable one over the segment
 * log must behave the same to the queue above them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueuedMessage } from '../../src/broker/message.js';
import { MemoryQueueStorage, type QueueStorage } from '../../src/broker/queue-storage.js';
import { DurableQueueStorage } from '../../src/broker/durable-queue-storage.js';
import { MessageStore } from '../../src/store/message-store.js';
import { appendMessage, makeMessage } from '../support/messages.js';
import { Random } from '../support/random.js';

const dir = mkdtempSync(path.join(tmpdir(), 'warren-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let nextStore = 0;

interface Subject {
  storage: QueueStorage;
  /** Appends a message the way the broker does (writing it to the store first when durable). */
  add(body: string): void;
}

const kinds: [string, () => Subject][] = [
  ['MemoryQueueStorage', () => {
    const storage = new MemoryQueueStorage();
    return { storage, add: (b) => storage.append(makeMessage(b), -1, Infinity) };
  }],
  ['DurableQueueStorage', () => {
    const store = new MessageStore({ dir: path.join(dir, String(nextStore++)), log: pino({ level: 'silent' }), segmentSize: 4096 });
    store.start();
    // a tiny in-memory budget, so most reads come back from the segment files
    const storage = new DurableQueueStorage(7, store, undefined, 300);
    return { storage, add: (b) => { const m = makeMessage(b); storage.append(m, appendMessage(store, m, [7]), Infinity); } };
  }],
];

const body = (qm: QueuedMessage | undefined) => qm?.message.body.toString();

describe.each(kinds)('%s', (_name, make) => {
  it('reads in arrival order and counts messages and body bytes', () => {
    const { storage, add } = make();
    for (const b of ['a', 'bb', 'ccc']) add(b);
    expect([storage.readyCount, storage.readyBytes]).toEqual([3, 6]);
    expect([body(storage.read()), body(storage.read())]).toEqual(['a', 'bb']);
    expect([storage.readyCount, storage.readyBytes]).toEqual([1, 3]);
    expect(body(storage.read())).toBe('ccc');
    expect(storage.read()).toBeUndefined();
  });

  it('requeued messages come back first, in arrival order, marked redelivered', () => {
    const { storage, add } = make();
    for (let i = 1; i <= 5; i++) add(String(i));
    const taken = [1, 2, 3, 4].map(() => storage.read() as QueuedMessage);
    add('6');
    storage.requeue(taken[3]);
    storage.requeue(taken[1]);
    const order = [];
    for (let m = storage.read(); m; m = storage.read()) order.push(m);
    expect(order.map(body)).toEqual(['2', '4', '5', '6']);
    expect(order.map((m) => m.redelivered)).toEqual([true, true, false, false]);
  });

  it('holds many messages through random reads, requeues and acks', () => {
    const { storage, add } = make();
    const r = new Random(21);
    const held = new Set<number>();
    let n = 0;
    for (let round = 0; round < 300; round++) {
      for (let i = r.int(5); i > 0; i--) { add(String(n)); held.add(n++); }
      const taken: QueuedMessage[] = [];
      for (let i = r.int(6); i > 0; i--) {
        const m = storage.read();
        if (!m) break;
        expect(Number(body(m))).toBe(Math.min(...held));
        held.delete(Number(body(m)));
        taken.push(m);
      }
      for (const m of taken) {
        if (r.bool()) { storage.requeue(m); held.add(Number(body(m))); } else storage.ack(m);
      }
      expect(storage.readyCount).toBe(held.size);
    }
  });

  it('discardHead drops what read() would return next, requeued ones first', () => {
    const { storage, add } = make();
    for (const b of ['a', 'bb', 'ccc']) add(b);
    const a = storage.read() as QueuedMessage;
    storage.requeue(a);
    storage.discardHead();
    expect([storage.readyCount, storage.readyBytes]).toEqual([2, 5]);
    storage.discardHead();
    expect(body(storage.read())).toBe('ccc');
    storage.discardHead(); // empty: harmless
    expect([storage.readyCount, storage.readyBytes]).toEqual([0, 0]);
  });

  it('keeps order while a long backlog grows and drains (ring growth and shrinking)', () => {
    const { storage, add } = make();
    for (let i = 0; i < 5000; i++) add(String(i));
    for (let i = 0; i < 3000; i++) storage.discardHead();
    for (let i = 5000; i < 5500; i++) add(String(i));
    const seen: number[] = [];
    for (let m = storage.read(); m; m = storage.read()) seen.push(Number(body(m)));
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => 3000 + i));
  });

  it('purge empties it and returns the count', () => {
    const { storage, add } = make();
    add('x');
    const m = storage.read() as QueuedMessage;
    add('y');
    storage.requeue(m);
    expect(storage.purge()).toBe(2);
    expect([storage.readyCount, storage.readyBytes, storage.read()]).toEqual([0, 0, undefined]);
  });

  it('after destroy, late acks and requeues are harmless', () => {
    const { storage, add } = make();
    add('x');
    const m = storage.read() as QueuedMessage;
    storage.destroy();
    storage.requeue(m);
    storage.ack(m);
    expect(storage.readyCount).toBe(0);
  });
});
