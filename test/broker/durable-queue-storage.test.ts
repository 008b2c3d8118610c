/**
 * A durable queue's storage over a real message store: what it does with a stored message it
 * cannot read back, how it follows its records when compaction moves them, and what it learns
 * of recovered messages (expiry, priority) from their stored content headers.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import type { BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { DurableQueueStorage, RecoveredProperties } from '../../src/broker/durable-queue-storage.js';
import type { QueuedMessage } from '../../src/broker/message.js';
import { PriorityQueueStorage } from '../../src/broker/priority-storage.js';
import { MessageStore, POSITION_SEGMENT } from '../../src/store/message-store.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { appendMessage, makeMessage } from '../support/messages.js';
import { capturingLog, durable, tempDir } from '../store/store-helpers.js';

const silent = pino({ level: 'silent' });
const SEGMENT = 1 << 20;
const offsetOf = (p: number) => p % POSITION_SEGMENT;
const bodyOf = (qm: { message: { body: Buffer } } | undefined) => qm?.message.body.toString();
const head4 = (qm: QueuedMessage | undefined) => qm?.message.body.toString().slice(0, 4);

/** Recovers the store into `storage` (queue `id`'s references), as the broker's recovery does. */
function recoverInto(store: MessageStore, id: number, storage: DurableQueueStorage | PriorityQueueStorage, log: Logger, fs?: StoreFs): void {
  const properties = new RecoveredProperties();
  recoverMessageStore(store, (q) => q === id, (_q, position, delivered, size, record) =>
    storage.recovered(position, delivered, size, properties.set(record)), log, fs);
}

/** Reopens the store in `dir` with queue 1's messages in a DurableQueueStorage (nothing kept in memory). */
function reopen(dir: string, log: Logger, fs?: StoreFs, segmentSize = SEGMENT): { store: MessageStore; storage: DurableQueueStorage } {
  const store = new MessageStore({ dir, log, segmentSize, fs });
  const storage = new DurableQueueStorage(1, store, undefined, 0);
  recoverInto(store, 1, storage, log, fs);
  return { store, storage };
}

async function written(bodies: string[]): Promise<{ dir: string; positions: number[] }> {
  const dir = tempDir();
  const s = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
  s.start();
  const positions = bodies.map((b) => appendMessage(s, makeMessage(b), [1]));
  await durable(s);
  await s.close();
  return { dir, positions };
}

/** Overwrites bytes of segment 1 in place (the store's open descriptor sees them). */
function patch(dir: string, at: number, bytes: Buffer): void {
  const fd = openSync(path.join(dir, 'msgs.0000000001'), 'r+');
  writeSync(fd, bytes, 0, bytes.length, at);
  closeSync(fd);
}

/*
 * A stored message that cannot be read back (EIO, damaged bytes) must not throw out of the
 * queue storage: reads run under queue timers (expiry, dead-lettering) where nothing catches.
 * The message is logged once, skipped without an ack entry, and found again after a restart.
 */
describe('a stored message that cannot be read', () => {
  it('EIO: logged once, skipped without an ack entry, the next one returned; found again after a restart', async () => {
    const { dir, positions } = await written(['m0', 'm1', 'm2', 'm3']);
    const bad = offsetOf(positions[0]);
    const failing: StoreFs = {
      ...nodeFs,
      readSync: (fd, buf, off, len, pos) => {
        if (pos === bad) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
        return nodeFs.readSync(fd, buf, off, len, pos);
      },
    };
    const { log, errors } = capturingLog();
    const { store, storage } = reopen(dir, log, failing);
    expect(storage.readyCount).toBe(4);
    const first = storage.read();
    expect(bodyOf(first)).toBe('m1');
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ queue: 1, position: positions[0], err: { code: 'EIO' } });
    const rest = [storage.read(), storage.read()];
    expect(rest.map(bodyOf)).toEqual(['m2', 'm3']);
    expect(storage.read()).toBeUndefined();
    expect([storage.readyCount, storage.readyBytes]).toEqual([0, 0]);
    expect(errors()).toHaveLength(1); // once
    for (const m of [first, ...rest]) if (m) storage.ack(m);
    await durable(store);
    await store.close();

    // the disk is back: m0 was never acknowledged, nor marked delivered
    const again = reopen(dir, silent);
    expect(again.storage.readyCount).toBe(1);
    const m0 = again.storage.read();
    expect([bodyOf(m0), m0?.redelivered]).toEqual(['m0', false]);
    await again.store.close();
  });

  it('bytes damaged after writing: the CRC check catches them, the record is skipped, nothing throws', async () => {
    const dir = tempDir();
    const { log, errors } = capturingLog();
    const s = new MessageStore({ dir, log, segmentSize: SEGMENT });
    s.start();
    const storage = new DurableQueueStorage(1, s, undefined, 0); // every read goes to the file
    const positions = ['m0', 'm1', 'm2', 'm3'].map((b) => {
      const m = makeMessage(b);
      const p = appendMessage(s, m, [1]);
      storage.append(m, p, Infinity);
      return p;
    });
    await durable(s);
    const data = readFileSync(path.join(dir, 'msgs.0000000001'));
    const end = offsetOf(positions[1]) + 4 + data.readUInt32BE(offsetOf(positions[1]));
    patch(dir, end - 1, Buffer.from([data[end - 1] ^ 0xff])); // the last byte of m1's body
    expect(bodyOf(storage.read())).toBe('m0');
    expect(bodyOf(storage.read())).toBe('m2'); // m1 skipped
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ queue: 1, position: positions[1] });
    expect(String((errors()[0].err as { message: string }).message)).toMatch(/CRC/);
    expect(bodyOf(storage.read())).toBe('m3');
    expect(storage.read()).toBeUndefined();
    await s.close();
  });

  it('a damaged length is not believed (no 4 GiB read), and discardHead over a damaged head does not throw', async () => {
    const dir = tempDir();
    const { log, errors } = capturingLog();
    const s = new MessageStore({ dir, log, segmentSize: SEGMENT });
    s.start();
    const storage = new DurableQueueStorage(1, s, undefined, 0);
    const positions = ['m0', 'm1', 'm2', 'm3', 'm4'].map((b) => {
      const m = makeMessage(b);
      const p = appendMessage(s, m, [1]);
      storage.append(m, p, Infinity);
      return p;
    });
    await durable(s);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(0xffff_fff0);
    patch(dir, offsetOf(positions[1]), length);
    patch(dir, offsetOf(positions[0]) + 30, Buffer.from([0xee, 0xee]));
    expect(() => storage.discardHead()).not.toThrow(); // m0: dropped for good without reading it
    expect(bodyOf(storage.read())).toBe('m2');
    expect(errors().map((e) => e.position)).toEqual([positions[1]]);
    expect(String((errors()[0].err as { message: string }).message)).toMatch(/length/);
    expect([storage.readyCount, bodyOf(storage.read()), bodyOf(storage.read()), storage.read()]).toEqual([2, 'm3', 'm4', undefined]);
    await s.close();
  });

  it('routing bytes that do not decode: logged and skipped like damaged bytes', async () => {
    const dir = tempDir();
    const { log, errors } = capturingLog();
    const s = new MessageStore({ dir, log, segmentSize: SEGMENT });
    s.start();
    const storage = new DurableQueueStorage(1, s, undefined, 0);
    const good = makeMessage('m0');
    storage.append(good, appendMessage(s, good, [1]), Infinity);
    const bad = s.append([1], Buffer.from([5, 0x61]), good.header.raw, Buffer.from('m1')); // a short string running past the end
    storage.append(makeMessage('m1'), bad, Infinity);
    const last = makeMessage('m2', { exchange: 'x', routingKey: 'k' });
    storage.append(last, appendMessage(s, last, [1]), Infinity);
    await durable(s);
    expect(bodyOf(storage.read())).toBe('m0');
    const m2 = storage.read();
    expect([bodyOf(m2), m2?.message.exchange, m2?.message.routingKey]).toEqual(['m2', 'x', 'k']);
    expect(errors().map((e) => e.position)).toEqual([bad]);
    expect(String((errors()[0].err as { message: string }).message)).toMatch(/exchange and routing key/);
    await s.close();
  });
});

describe('compaction moves the records of a durable queue', () => {
  it.each([1, 2 ** 28])('queue %d follows them to their new places; order and delivered marks kept across a restart', async (q) => {
    const dir = tempDir();
    const s = new MessageStore({ dir, log: silent, segmentSize: 4096 });
    s.start();
    const storage = new DurableQueueStorage(q, s, undefined, 0);
    s.compactionQueues = {
      isQueue: (id) => id === q,
      allReady: (_id, positions) => storage.countReady(positions) === positions.size,
      relocate: (_id, moves) => storage.relocate(moves),
    };
    for (let i = 0; i < 120; i++) {
      const m = makeMessage(`m${String(i).padStart(3, '0')}-${'x'.repeat(40)}`);
      storage.append(m, appendMessage(s, m, [q]), Infinity);
    }
    await durable(s);
    const seg1 = path.join(dir, 'msgs.0000000001');
    const before = statSync(seg1).size;
    // take everything in segment 1; keep m003 and m007, acknowledge the rest
    const taken: QueuedMessage[] = [];
    for (let m = storage.read(); m && m.position < 2 * POSITION_SEGMENT; m = storage.read()) taken.push(m);
    const rest = taken.pop(); // the first of segment 2: put it back too
    for (const m of taken) {
      if (['m003', 'm007'].includes(head4(m) as string)) storage.requeue(m);
      else storage.ack(m);
    }
    if (rest) storage.requeue(rest);
    await durable(s);
    expect(await s.compactPinned()).toBe(0); // just consumed: not pinned yet
    s.compactAfterMs = 0;
    expect(await s.compactPinned()).toBe(1);
    expect(statSync(seg1).size).toBeLessThan(before / 4);
    const order = [storage.read(), storage.read(), storage.read()];
    expect(order.map(head4)).toEqual(['m003', 'm007', head4(rest)]);
    // the positions the queue now holds are the records' new places
    expect(order.map((m) => s.read(m?.position ?? -1).body.toString().slice(0, 4))).toEqual(['m003', 'm007', head4(rest)]);
    for (const m of order) if (m) storage.requeue(m);
    await s.close();

    const again = new MessageStore({ dir, log: silent, segmentSize: 4096 });
    const recovered = new DurableQueueStorage(q, again, undefined, 0);
    recoverInto(again, q, recovered, silent);
    expect(recovered.readyCount).toBe(120 - taken.length + 2);
    const first = [recovered.read(), recovered.read()];
    expect(first.map((m) => [head4(m), m?.redelivered])).toEqual([['m003', true], ['m007', true]]);
    await again.close();
  });
});

describe('recovered messages', () => {
  const HOUR = 3_600_000;

  async function storeWith(messages: { body: string; expiration?: string; priority?: number }[], storedAt: number): Promise<string> {
    const dir = tempDir();
    const s = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
    s.start();
    for (const m of messages) {
      const props: BasicProperties = { deliveryMode: 2 };
      if (m.expiration !== undefined) props.expiration = m.expiration;
      if (m.priority !== undefined) props.priority = m.priority;
      appendMessage(s, makeMessage(m.body, { props }), [1], storedAt);
    }
    await durable(s);
    await s.close();
    return dir;
  }

  it('expire counted from when they were stored: the queue TTL, or their own expiration when lower', async () => {
    const storedAt = Date.now() - HOUR;
    const dir = await storeWith([{ body: 'plain' }, { body: 'short', expiration: '60000' }, { body: 'long', expiration: String(10 * HOUR) }], storedAt);
    for (const ttl of [undefined, 2 * HOUR]) {
      const store = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
      const storage = new DurableQueueStorage(1, store, ttl, 0);
      recoverInto(store, 1, storage, silent);
      const expiries: number[] = [];
      for (let m = storage.read(); m; m = storage.read()) expiries.push(m.expiresAt);
      const queueTtl = ttl === undefined ? Infinity : storedAt + ttl;
      expect(expiries).toEqual([queueTtl, storedAt + 60_000, Math.min(queueTtl, storedAt + 10 * HOUR)]);
      await store.close();
    }
  });

  it('go to the level of their priority in a priority queue', async () => {
    const dir = await storeWith([{ body: 'p0' }, { body: 'p2', priority: 2 }, { body: 'p1', priority: 1 }, { body: 'p9', priority: 9 }], Date.now());
    const store = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
    const storage = new PriorityQueueStorage([0, 1, 2].map(() => new DurableQueueStorage(1, store, undefined, 0)));
    recoverInto(store, 1, storage, silent);
    const bodies: (string | undefined)[] = [];
    for (let m = storage.read(); m; m = storage.read()) bodies.push(bodyOf(m));
    expect(bodies).toEqual(['p2', 'p9', 'p1', 'p0']); // above the maximum counts as the maximum
    await store.close();
  });
});
