/**
 * Acks and delivered marks are matched to records by (queue id, offset). Queue ids are never
 * reused, so on a long-lived broker they grow past 2^21, where `id * 2^32 + offset` is no longer
 * an exact double: records a few dozen bytes apart got the same key, and an ack of one counted
 * for its neighbour (lost at the next start, or dropped by compaction).
 */
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DataStore } from '../../src/store/data-store.js';
import { DefinitionsLog } from '../../src/store/definitions-log.js';
import { MessageStore, POSITION_SEGMENT } from '../../src/store/message-store.js';
import { QueueOffsetSet } from '../../src/store/queue-offset-set.js';
import { MAX_QUEUE_ID } from '../../src/store/record-format.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { StoreQueue, append, compactionQueues, durable, tempDir } from './store-helpers.js';

const log = pino({ level: 'silent' });
const offsetOf = (p: number) => p % POSITION_SEGMENT;
/** The key the store used to build: the test is only meaningful where these collide. */
const oldKey = (queueId: number, position: number) => queueId * POSITION_SEGMENT + offsetOf(position);

function recover(dir: string, queueId: number, segmentSize = 4096) {
  const store = new MessageStore({ dir, log, segmentSize });
  const refs: { position: number; delivered: boolean }[] = [];
  recoverMessageStore(store, (id) => id === queueId, (_q, position, delivered) => refs.push({ position, delivered }), log);
  return { store, refs };
}

describe('ack entries of queues with large ids', () => {
  it.each([2 ** 28, MAX_QUEUE_ID - 1])('recovery keeps apart neighbouring records of queue %d', async (q) => {
    const dir = tempDir();
    const s = new MessageStore({ dir, log, segmentSize: 4096 });
    s.start();
    const p = ['m0', 'm1', 'm2'].map((b) => append(s, b, [q]));
    expect(oldKey(q, p[0])).toBe(oldKey(q, p[1])); // what made the old keys collide
    expect(oldKey(q, p[0])).toBe(oldKey(q, p[2]));
    s.ack(q, p[0]);
    s.markDelivered(q, p[2]);
    await durable(s);
    await s.close();
    const { store, refs } = recover(dir, q);
    expect(refs.map((r) => [store.read(r.position).body.toString(), r.delivered])).toEqual([['m1', false], ['m2', true]]);
    await store.close();
  });

  it('compaction keeps the live neighbour of an acknowledged record (queue 2^28)', async () => {
    const q = 2 ** 28;
    const dir = tempDir();
    const s = new MessageStore({ dir, log, segmentSize: 4096 });
    s.start();
    const storage = new StoreQueue(q, s);
    s.compactionQueues = compactionQueues(storage);
    for (let i = 0; i < 120; i++) storage.append(append(s, `m${String(i).padStart(3, '0')}-${'x'.repeat(16)}`, [q]));
    await durable(s);
    const taken = [];
    for (let m = storage.read(); m && m.position < 2 * POSITION_SEGMENT; m = storage.read()) taken.push(m);
    const next = taken.pop(); // the first of segment 2
    expect(oldKey(q, taken[0].position)).toBe(oldKey(q, taken[1].position)); // m000 (acked) and m001 (kept) collided
    const keep = (body: string) => body.startsWith('m001') || body.startsWith('m030');
    for (const m of taken) {
      if (keep(m.body.toString())) storage.requeue(m);
      else storage.ack(m);
    }
    if (next) storage.requeue(next);
    await durable(s);
    s.compactAfterMs = 0;
    expect(await s.compactPinned()).toBe(1);
    const order = [storage.read(), storage.read(), storage.read()];
    expect(order.map((m) => m?.body.toString().slice(0, 4))).toEqual(['m001', 'm030', next?.body.toString().slice(0, 4)]);
    // the positions the queue now holds are the records' new places
    expect(order.map((m) => s.read(m?.position ?? -1).body.toString().slice(0, 4))).toEqual(['m001', 'm030', next?.body.toString().slice(0, 4)]);
    for (const m of order) if (m) storage.requeue(m);
    await s.close();
    const { store, refs } = recover(dir, q);
    expect(refs.slice(0, 2).map((r) => store.read(r.position).body.toString().slice(0, 4))).toEqual(['m001', 'm030']);
    expect(refs.length).toBe(120 - taken.length + 2);
    await store.close();
  });

  it('a queue id of 2^31 is refused when the queue is declared (its top bit is the delivered flag)', async () => {
    const dir = tempDir();
    const defs = new DefinitionsLog(path.join(dir, 'definitions.log'), log, false);
    defs.append({ op: 'next-queue-id', value: MAX_QUEUE_ID - 1 });
    defs.close();
    const data = new DataStore({ dataDir: dir, log, fsync: false });
    data.loadDefinitions(); // the counter the log left
    expect(data.newQueueId()).toBe(MAX_QUEUE_ID - 1);
    expect(() => data.newQueueId()).toThrow(/queue ids exhausted/);
    await data.close();
  });
});

describe('QueueOffsetSet', () => {
  it('is exact for any queue id and offset below 2^32', () => {
    const set = new QueueOffsetSet();
    set.add(2 ** 31 - 1, 16);
    set.add(2 ** 28, 70);
    set.add(7, 0xffff_ffff);
    expect([set.has(2 ** 31 - 1, 16), set.has(2 ** 31 - 1, 17), set.has(2 ** 31 - 2, 16)]).toEqual([true, false, false]);
    expect([set.has(2 ** 28, 70), set.has(2 ** 28, 16), set.has(7, 0xffff_ffff), set.has(7, 0xffff_fffe)]).toEqual([true, false, true, false]);
    expect(new QueueOffsetSet().has(1, 1)).toBe(false);
  });
});
