/**
 * Large messages (the 128 MiB limit of RabbitMQ 3.x) must not stay in memory once written: a
 * record above LARGE_RECORD gets a buffer of its own instead of growing the shared write arena,
 * and the read cache hands such a record out without keeping it as a block.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LARGE_RECORD, MessageStore } from '../../src/store/message-store.js';
import { READ_BLOCK } from '../../src/store/read-cache.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { append, durable, tempDir } from './store-helpers.js';

const log = pino({ level: 'silent' });
const SEGMENT = 1 << 20;

/** A body whose every byte depends on its place and a seed, so a misplaced byte shows. */
function pattern(size: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (Math.imul(i, 2654435761) >>> 24) ^ seed ^ i;
  return b;
}

/** Node's fs, with writes held back (while `hold` is set) so that a batch stays in flight. */
function holdingFs(): { io: StoreFs; hold: (on: boolean) => void; held: () => number } {
  let queue: (() => void)[] | null = null;
  const io: StoreFs = {
    ...nodeFs,
    write: (fd, buf, off, len, pos, cb) => {
      const go = () => nodeFs.write(fd, buf, off, len, pos, cb);
      if (queue) queue.push(go);
      else go();
    },
  };
  return {
    io,
    hold: (on) => {
      if (on) queue ??= [];
      else {
        const q = queue ?? [];
        queue = null;
        for (const go of q) go();
      }
    },
    held: () => queue?.length ?? 0,
  };
}

describe('large records', () => {
  it('a batch of many records just under LARGE_RECORD does not leave its grown arena behind', async () => {
    const dir = tempDir();
    const s = new MessageStore({ dir, log, segmentSize: 64 * SEGMENT });
    s.start();
    const body = pattern(LARGE_RECORD - 1000, 3);
    const positions = Array.from({ length: 12 }, () => append(s, body, [1])); // one batch
    expect(s.arenaBytes).toBeGreaterThan(8 * LARGE_RECORD); // it had to grow to hold the batch
    await durable(s);
    append(s, 'small', [1]);
    await durable(s);
    expect(s.arenaBytes).toBeLessThanOrEqual(LARGE_RECORD);
    for (const p of positions) expect(s.read(p).body.equals(body)).toBe(true);
    await s.close();
  });


  it('round-trip: from the unwritten batch, while being written, from disk, after a restart', async () => {
    const dir = tempDir();
    const { io, hold, held } = holdingFs();
    const s = new MessageStore({ dir, log, segmentSize: SEGMENT, fs: io });
    s.start();
    const big = pattern(3 * 1024 * 1024 + 3, 1);
    const before = append(s, 'before', [1]);
    const p = append(s, big, [1]);
    const after = append(s, 'after', [1]);
    expect(s.arenaBytes).toBeLessThan(LARGE_RECORD); // the big one did not go through the arena…
    expect(s.read(p).body).toBe(big); // …nor was it copied anywhere: unwritten, it is the message's own
    expect(s.read(after).body.toString()).toBe('after');
    hold(true);
    const written = durable(s);
    await new Promise((r) => setImmediate(r));
    expect(held()).toBeGreaterThan(0); // the batch is being written
    expect(s.read(p).body).toBe(big);
    expect(s.read(before).body.toString()).toBe('before');
    hold(false);
    expect(await written).toBeNull();
    expect(s.read(p).body.equals(big)).toBe(true); // from disk
    expect(s.read(after).body.toString()).toBe('after');
    await s.close();

    const r = new MessageStore({ dir, log, segmentSize: SEGMENT });
    const refs: number[] = [];
    recoverMessageStore(r, () => true, (_q, position) => refs.push(position), log);
    expect(refs).toEqual([before, p, after]);
    expect(r.read(p).body.equals(big)).toBe(true);
    expect(r.read(after).body.toString()).toBe('after');
    // appending goes on after it
    const more = append(r, pattern(LARGE_RECORD + 10, 2), [1]);
    await durable(r);
    expect(r.read(more).body.equals(pattern(LARGE_RECORD + 10, 2))).toBe(true);
    await r.close();
  });

  it('neither the write arena nor the read cache keeps large buffers', async () => {
    const dir = tempDir();
    const s = new MessageStore({ dir, log, segmentSize: 8 * SEGMENT });
    s.start();
    const positions: number[] = [];
    const bodies: Buffer[] = [];
    for (let i = 0; i < 6; i++) {
      // both above LARGE_RECORD and between a read block and LARGE_RECORD (arena, not cache)
      const body = pattern(i % 2 === 0 ? 5 * 1024 * 1024 : READ_BLOCK + 1000 * i, i);
      bodies.push(body);
      positions.push(append(s, body, [1]));
      positions.push(append(s, `small ${i}`, [1]));
    }
    await durable(s);
    expect(s.arenaBytes).toBeLessThanOrEqual(4 * LARGE_RECORD);
    for (let i = 0; i < 6; i++) {
      expect(s.read(positions[2 * i]).body.equals(bodies[i])).toBe(true);
      expect(s.read(positions[2 * i + 1]).body.toString()).toBe(`small ${i}`);
    }
    expect(s.cachedBytes).toBeGreaterThan(0); // small records are still cached
    expect(s.cachedBytes).toBeLessThanOrEqual(16 * READ_BLOCK);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 6; i += 2) expect(s.read(positions[2 * i]).body.length).toBe(bodies[i].length);
    }
    expect(s.cachedBytes).toBeLessThanOrEqual(16 * READ_BLOCK);
    await s.close();
  });
});
