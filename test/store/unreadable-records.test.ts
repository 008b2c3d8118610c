/**
 * A stored record that cannot be read back (EIO, damaged bytes) is an error thrown by read(),
 * never a message made of bad bytes; the store logs what a queue reports unreadable and writes
 * nothing for it, so that a restart with a healthy disk finds the record again. (What a durable
 * queue does with such a record — skip it, carry on — is in test/broker/durable-queue-storage.)
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { MessageStore, POSITION_SEGMENT } from '../../src/store/message-store.js';
import { READ_BLOCK } from '../../src/store/read-cache.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { append, capturingLog, durable, tempDir } from './store-helpers.js';

const silent = pino({ level: 'silent' });
const SEGMENT = 1 << 20;
const offsetOf = (p: number) => p % POSITION_SEGMENT;
const ACKS = 'acks.0000000001';

/** Reopens the store in `dir`; the references of queue 1 it recovers, in order. */
function reopen(dir: string, log: Logger, fs?: StoreFs): { store: MessageStore; refs: { position: number; delivered: boolean }[] } {
  const store = new MessageStore({ dir, log, segmentSize: SEGMENT, fs });
  const refs: { position: number; delivered: boolean }[] = [];
  recoverMessageStore(store, (id) => id === 1, (_q, position, delivered) => refs.push({ position, delivered }), silent, fs);
  return { store, refs };
}

async function written(bodies: string[]): Promise<{ dir: string; positions: number[] }> {
  const dir = tempDir();
  const s = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
  s.start();
  const positions = bodies.map((b) => append(s, b, [1]));
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

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
};

describe('a stored record that cannot be read', () => {
  it('EIO: read() throws it, the others still read; unreadable() logs it and writes no ack entry; found again after a restart', async () => {
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
    const { store, refs } = reopen(dir, log, failing);
    expect(refs.map((r) => r.position)).toEqual(positions); // recovery reads the file whole, not through readSync
    const err = thrown(() => store.read(positions[0]));
    expect((err as NodeJS.ErrnoException).code).toBe('EIO');
    expect(positions.slice(1).map((p) => store.read(p).body.toString())).toEqual(['m1', 'm2', 'm3']);
    expect(errors()).toEqual([]); // read() throws; logging is for whoever gives up on the record
    const ackBytes = statSync(path.join(dir, ACKS)).size;
    store.unreadable(1, positions[0], err);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ queue: 1, position: positions[0], segment: 1, offset: bad, err: { code: 'EIO' } });
    for (const p of positions.slice(1)) store.ack(1, p);
    await durable(store);
    await store.close();
    expect(statSync(path.join(dir, ACKS)).size).toBe(ackBytes + 3 * 8); // the three acks, nothing for m0

    // the disk is back: m0 was never acknowledged, nor marked delivered
    const again = reopen(dir, silent);
    expect(again.refs.map((r) => [again.store.read(r.position).body.toString(), r.delivered])).toEqual([['m0', false]]);
    await again.store.close();
  });

  it('bytes damaged after writing: the CRC check catches them, read() throws, the neighbours read', async () => {
    const dir = tempDir();
    const s = new MessageStore({ dir, log: silent, segmentSize: SEGMENT });
    s.start();
    const positions = ['m0', 'm1', 'm2', 'm3'].map((b) => append(s, b, [1]));
    await durable(s);
    const data = readFileSync(path.join(dir, 'msgs.0000000001'));
    const end = offsetOf(positions[1]) + 4 + data.readUInt32BE(offsetOf(positions[1]));
    patch(dir, end - 1, Buffer.from([data[end - 1] ^ 0xff])); // the last byte of m1's body
    expect(s.read(positions[0]).body.toString()).toBe('m0');
    expect(() => s.read(positions[1])).toThrow(/CRC/);
    expect(s.read(positions[2]).body.toString()).toBe('m2');
    expect(s.read(positions[3]).body.toString()).toBe('m3');
    expect(() => s.read(positions[1])).toThrow(/CRC/); // every time: never cached as a message
    await s.close();
  });

  it('a damaged length is not believed: no 4 GiB read, an error naming the length', async () => {
    const dir = tempDir();
    let largest = 0;
    const measuring: StoreFs = {
      ...nodeFs,
      readSync: (fd, buf, off, len, pos) => {
        largest = Math.max(largest, len);
        return nodeFs.readSync(fd, buf, off, len, pos);
      },
    };
    const s = new MessageStore({ dir, log: silent, segmentSize: SEGMENT, fs: measuring });
    s.start();
    const positions = ['m0', 'm1', 'm2', 'm3', 'm4'].map((b) => append(s, b, [1]));
    await durable(s);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(0xffff_fff0);
    patch(dir, offsetOf(positions[1]), length);
    expect(() => s.read(positions[1])).toThrow(/length/);
    expect(largest).toBeLessThanOrEqual(READ_BLOCK);
    expect([2, 3, 4].map((i) => s.read(positions[i]).body.toString())).toEqual(['m2', 'm3', 'm4']);
    await s.close();
  });
});
