/**
 * A stored message that cannot be read back (EIO, damaged bytes) must not throw out of the
 * queue storage: reads run under queue timers (expiry, dead-lettering) where nothing catches.
 * The message is logged once, skipped without an ack entry, and found again after a restart.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { DurableQueueStorage } from '../../src/store/durable-queue-storage.js';
import { MessageStore, POSITION_SEGMENT } from '../../src/store/message-store.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { makeMessage } from '../support/messages.js';
import { capturingLog, durable, tempDir } from './store-helpers.js';

const silent = pino({ level: 'silent' });
const SEGMENT = 1 << 20;
const offsetOf = (p: number) => p % POSITION_SEGMENT;
const bodyOf = (qm: { message: { body: Buffer } } | undefined) => qm?.message.body.toString();

/** Reopens the store in `dir` with queue 1's messages in a DurableQueueStorage (nothing kept in memory). */
function reopen(dir: string, log: Logger, fs?: StoreFs): { store: MessageStore; storage: DurableQueueStorage } {
  const store = new MessageStore({ dir, log, segmentSize: SEGMENT, fs });
  const storage = new DurableQueueStorage(1, store, undefined, 0);
  recoverMessageStore(store, (id) => id === 1, (_q, position, delivered, size, info) => storage.recovered(position, delivered, size, info), log, fs);
  return { store, storage };
}

async function written(bodies: string[]): Promise<{ dir: string; positions: number[] }> {
  const dir = tempDir();
  const s = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
  s.start();
  const positions = bodies.map((b) => s.append(makeMessage(b), [1]));
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
      const p = s.append(m, [1]);
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
      const p = s.append(m, [1]);
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
});
