import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MessageStore, POSITION_SEGMENT } from '../../src/store/message-store.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { StoreQueue, append, compactionQueues, durable, routingBytes, tempDir } from './store-helpers.js';

const log = pino({ level: 'silent' });

function open(dir: string, o: { segmentSize?: number; fs?: StoreFs } = {}): MessageStore {
  return new MessageStore({ dir, log, segmentSize: o.segmentSize ?? 4096, fs: o.fs });
}

interface Ref { queue: number; position: number; delivered: boolean; bodySize: number }

function recover(dir: string, queues: number[] = [1, 2], segmentSize = 4096): { store: MessageStore; refs: Ref[] } {
  const store = open(dir, { segmentSize });
  const refs: Ref[] = [];
  recoverMessageStore(store, (id) => queues.includes(id), (queue, position, delivered, bodySize) => refs.push({ queue, position, delivered, bodySize }), log);
  return { store, refs };
}

const body = (s: MessageStore, p: number) => s.read(p).body.toString();

describe('MessageStore', () => {
  it('appends, group-commits, reads back from memory and from disk, rotating segments', async () => {
    const dir = tempDir();
    const s = open(dir);
    s.start();
    const positions = [];
    for (let i = 0; i < 200; i++) positions.push(append(s, `message ${i} `.repeat(4), [1]));
    expect(body(s, positions[199])).toBe('message 199 '.repeat(4)); // not yet written: from the batch
    expect(await durable(s)).toBeNull();
    expect(s.durablePosition).toBeGreaterThan(positions[199]);
    const segments = readdirSync(dir).filter((f) => f.startsWith('msgs.'));
    expect(segments.length).toBeGreaterThanOrEqual(4); // ~20 KB in 4 KiB segments
    for (let i = 0; i < 200; i += 17) expect(body(s, positions[i])).toBe(`message ${i} `.repeat(4));
    const r = s.read(positions[5]);
    expect(r.routing.equals(routingBytes('', 'q'))).toBe(true); // the exchange and routing key, as two short strings
    expect(r.header.readUInt16BE(0)).toBe(60);
    await s.close();
  });

  it('a message larger than a segment gets a segment of its own', async () => {
    const dir = tempDir();
    const s = open(dir);
    s.start();
    const big = Buffer.alloc(20_000, 7);
    const a = append(s, 'small', [1]);
    const b = append(s, big, [1]);
    const c = append(s, 'after', [1]);
    await durable(s);
    expect(Math.floor(b / POSITION_SEGMENT)).toBeGreaterThan(Math.floor(a / POSITION_SEGMENT));
    expect(s.read(b).body.equals(big)).toBe(true);
    expect(body(s, c)).toBe('after');
    await s.close();
    const { refs } = recover(dir);
    expect(refs.map((x) => x.bodySize)).toEqual([5, 20_000, 5]);
  });

  it('deletes a segment once every queue has acknowledged all of it', async () => {
    const dir = tempDir();
    const s = open(dir);
    s.start();
    const first: number[] = [];
    for (let i = 0; i < 60; i++) first.push(append(s, 'x'.repeat(100), [1, 2]));
    await durable(s);
    const seg1 = path.join(dir, 'msgs.0000000001');
    expect(readdirSync(dir)).toContain('msgs.0000000001');
    for (const p of first.filter((p) => p < 2 * POSITION_SEGMENT)) s.ack(1, p);
    expect(readdirSync(dir)).toContain('msgs.0000000001'); // queue 2 still has them
    for (const p of first.filter((p) => p < 2 * POSITION_SEGMENT)) s.ack(2, p);
    expect(readdirSync(dir)).not.toContain('msgs.0000000001');
    expect(readdirSync(dir)).not.toContain('acks.0000000001');
    void seg1;
    await s.close();
  });

  it('recovers unacknowledged references in order, with delivered marks, skipping deleted queues', async () => {
    const dir = tempDir();
    const s = open(dir);
    s.start();
    const p = [0, 1, 2, 3, 4].map((i) => append(s, `m${i}`, i === 4 ? [1, 2, 3] : [1, 2]));
    s.ack(1, p[0]);
    s.markDelivered(1, p[1]);
    s.ack(2, p[2]);
    await durable(s);
    await s.close();
    const { refs } = recover(dir, [1, 2]); // queue 3 was deleted
    expect(refs.map((r) => [r.queue, p.indexOf(r.position), r.delivered])).toEqual([
      [2, 0, false], [1, 1, true], [2, 1, false], [1, 2, false], [1, 3, false], [2, 3, false], [1, 4, false], [2, 4, false],
    ]);
  });

  describe('recovery from damage', () => {
    async function written(n: number): Promise<{ dir: string; positions: number[] }> {
      const dir = tempDir();
      const s = open(dir, { segmentSize: 1 << 20 });
      s.start();
      const positions = [];
      for (let i = 0; i < n; i++) positions.push(append(s, `body-${i}`, [1]));
      await durable(s);
      await s.close();
      return { dir, positions };
    }
    const bodiesOf = (dir: string) => {
      const { store, refs } = recover(dir, [1], 1 << 20);
      return refs.map((r) => store.read(r.position).body.toString());
    };

    it('cuts a torn tail', async () => {
      const { dir } = await written(10);
      const file = path.join(dir, 'msgs.0000000001');
      truncateSync(file, statSync(file).size - 7);
      expect(bodiesOf(dir)).toEqual([...Array(9).keys()].map((i) => `body-${i}`));
      // and appending after the cut works
      const { store } = recover(dir, [1], 1 << 20);
      const p = append(store, 'new', [1]);
      await durable(store);
      expect(store.read(p).body.toString()).toBe('new');
      await store.close();
      expect(bodiesOf(dir)).toEqual([...[...Array(9).keys()].map((i) => `body-${i}`), 'new']);
    });

    it('skips a record with a flipped byte and keeps the rest', async () => {
      const { dir, positions } = await written(10);
      const file = path.join(dir, 'msgs.0000000001');
      const data = readFileSync(file);
      data[(positions[4] % POSITION_SEGMENT) + 20] ^= 0xff;
      writeFileSync(file, data);
      expect(bodiesOf(dir)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9].map((i) => `body-${i}`));
    });

    it('resynchronises after a damaged length field', async () => {
      const { dir, positions } = await written(10);
      const file = path.join(dir, 'msgs.0000000001');
      const data = readFileSync(file);
      data.writeUInt32BE(0xfffffff0, positions[3] % POSITION_SEGMENT);
      writeFileSync(file, data);
      expect(bodiesOf(dir)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `body-${i}`));
    });

    it('treats a missing ack file as no acks', async () => {
      const dir = tempDir();
      const s = open(dir, { segmentSize: 1 << 20 });
      s.start();
      const p = append(s, 'acked', [1]);
      append(s, 'kept', [1]);
      s.ack(1, p);
      await durable(s);
      await s.close();
      rmSync(path.join(dir, 'acks.0000000001'));
      expect(bodiesOf(dir)).toEqual(['acked', 'kept']);
    });

    it('ignores ack entries past the end of their segment and a torn ack entry', async () => {
      const { dir } = await written(3);
      const entry = Buffer.alloc(8);
      entry.writeUInt32BE(1, 0);
      entry.writeUInt32BE(999_999, 4);
      appendFileSync(path.join(dir, 'acks.0000000001'), Buffer.concat([entry, entry, Buffer.from([0, 0, 1])]));
      expect(bodiesOf(dir)).toEqual(['body-0', 'body-1', 'body-2']);
    });
  });

  it('compacts a sparse segment: live records rewritten in place, queues follow, order kept across a restart', async () => {
    const dir = tempDir();
    const s = open(dir);
    s.start();
    const storage = new StoreQueue(1, s);
    s.compactionQueues = compactionQueues(storage);
    for (let i = 0; i < 120; i++) storage.append(append(s, `m${String(i).padStart(3, '0')}-${'x'.repeat(40)}`, [1]));
    await durable(s);
    const seg1 = path.join(dir, 'msgs.0000000001');
    const before = statSync(seg1).size;
    // take everything in segment 1; keep m003 and m007, acknowledge the rest
    const taken = [];
    for (let m = storage.read(); m && m.position < 2 * POSITION_SEGMENT; m = storage.read()) taken.push(m);
    const rest = taken.pop(); // the first of segment 2: put it back too
    for (const m of taken) {
      const b = m.body.toString();
      if (b.startsWith('m003') || b.startsWith('m007')) storage.requeue(m);
      else storage.ack(m);
    }
    if (rest) storage.requeue(rest);
    await durable(s);
    expect(await s.compactPinned()).toBe(0); // just consumed: not pinned yet
    s.compactAfterMs = 0;
    expect(await s.compactPinned()).toBe(1);
    expect(statSync(seg1).size).toBeLessThan(before / 4);
    const order = [];
    for (let i = 0; i < 3; i++) order.push(storage.read());
    expect(order.map((m) => m?.body.toString().slice(0, 4))).toEqual(['m003', 'm007', rest?.body.toString().slice(0, 4)]);
    for (const m of order) if (m) storage.requeue(m);
    await s.close();
    const { store, refs } = recover(dir, [1]);
    const bodies = refs.map((r) => store.read(r.position).body.toString().slice(0, 4));
    expect(bodies.slice(0, 2)).toEqual(['m003', 'm007']);
    expect(bodies.length).toBe(120 - taken.length + 2);
    expect(refs.slice(0, 2).every((r) => r.delivered)).toBe(true);
  });

  it('never closes a file while a write to it is outstanding (a segment emptied during its ack write)', async () => {
    const dir = tempDir();
    const outstanding = new Map<number, number>();
    const closedWhileWriting: number[] = [];
    let hold: (() => void)[] | null = null;
    const io: StoreFs = {
      ...nodeFs,
      write: (fd, buf, off, len, pos, cb) => {
        outstanding.set(fd, (outstanding.get(fd) ?? 0) + 1);
        const go = () => nodeFs.write(fd, buf, off, len, pos, (err, n) => {
          outstanding.set(fd, (outstanding.get(fd) ?? 1) - 1);
          cb(err, n);
        });
        if (hold) hold.push(go);
        else go();
      },
      closeSync: (fd) => {
        if ((outstanding.get(fd) ?? 0) > 0) closedWhileWriting.push(fd);
        nodeFs.closeSync(fd);
      },
    };
    const s = open(dir, { fs: io });
    s.start();
    const positions: number[] = [];
    for (let i = 0; i < 80; i++) positions.push(append(s, 'y'.repeat(100), [1]));
    expect(await durable(s)).toBeNull();
    const inFirst = positions.filter((p) => p < 2 * POSITION_SEGMENT);
    hold = [];
    for (const p of inFirst.slice(0, -1)) s.ack(1, p); // ack entries for segment 1: the next batch writes them
    await new Promise((r) => setImmediate(r));
    expect(hold.length).toBeGreaterThan(0); // that write is under way
    s.ack(1, inFirst[inFirst.length - 1]); // segment 1 empties meanwhile
    const held = hold;
    hold = null;
    for (const go of held) go();
    expect(await durable(s)).toBeNull();
    expect(closedWhileWriting).toEqual([]);
    expect(readdirSync(dir)).not.toContain('msgs.0000000001'); // deleted once the write was done
    expect(readdirSync(dir)).not.toContain('acks.0000000001');
    await s.close();
  });

  it('on a failing disk: holds the waiters until the retried write succeeds, raises the alarm, and loses nothing', async () => {
    const dir = tempDir();
    let failing = false;
    const io: StoreFs = {
      ...nodeFs,
      write: (fd, buf, off, len, pos, cb) => {
        if (failing) {
          const e = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          setImmediate(() => cb(e, 0));
        } else nodeFs.write(fd, buf, off, len, pos, cb);
      },
    };
    const s = open(dir, { fs: io, segmentSize: 1 << 20 });
    s.start();
    const alarms: (string | null)[] = [];
    s.onAlarm = (err) => alarms.push(err === null ? null : (err as NodeJS.ErrnoException).code ?? 'error');
    append(s, 'before', [1]);
    expect(await durable(s)).toBeNull();
    failing = true;
    const p = append(s, 'during', [1]);
    let answered: null | 'waiting' = 'waiting';
    s.whenDurable(() => { answered = null; });
    await new Promise((r) => setTimeout(r, 50));
    expect(alarms).toEqual(['ENOSPC']);
    expect(answered).toBe('waiting'); // not on disk: no answer, neither yes nor no
    expect(body(s, p)).toBe('during'); // still readable from memory
    failing = false;
    await new Promise((r) => setTimeout(r, 1300)); // the retry
    expect(alarms).toEqual(['ENOSPC', null]);
    expect(answered).toBeNull(); // on disk now
    expect(s.idle).toBe(true);
    await s.close();
    const { store, refs } = recover(dir, [1], 1 << 20);
    expect(refs.map((r) => store.read(r.position).body.toString())).toEqual(['before', 'during']);
  });

  it('a new segment that cannot be created (ENOSPC) neither throws nor leaves files: the head grows, the retry stores it all', async () => {
    const dir = tempDir();
    let failing = false;
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const io: StoreFs = {
      ...nodeFs,
      writeSync: (fd, buf, off, len, pos) => {
        if (failing) throw enospc();
        return nodeFs.writeSync(fd, buf, off, len, pos);
      },
      write: (fd, buf, off, len, pos, cb) => {
        if (failing) setImmediate(() => cb(enospc(), 0));
        else nodeFs.write(fd, buf, off, len, pos, cb);
      },
    };
    const s = open(dir, { fs: io, segmentSize: 8192 });
    s.start();
    const alarms: (string | null)[] = [];
    s.onAlarm = (err) => alarms.push(err === null ? null : (err as NodeJS.ErrnoException).code ?? 'error');
    const big = 'x'.repeat(3000);
    append(s, big, [1]);
    append(s, big, [1]);
    expect(await durable(s)).toBeNull();
    failing = true;
    for (let i = 0; i < 4; i++) append(s, big, [1]); // past the segment size: rotation fails
    let answered: null | 'waiting' = 'waiting';
    s.whenDurable(() => { answered = null; });
    await new Promise((r) => setTimeout(r, 50));
    expect(alarms[0]).toBe('ENOSPC');
    expect(answered).toBe('waiting');
    expect(readdirSync(dir).filter((f) => f.startsWith('msgs.'))).toEqual(['msgs.0000000001']);
    failing = false;
    await new Promise((r) => setTimeout(r, 1300));
    expect(answered).toBeNull();
    await s.close();
    const { store, refs } = recover(dir, [1], 8192);
    expect(refs.map((r) => store.read(r.position).body.length)).toEqual([3000, 3000, 3000, 3000, 3000, 3000]);
  });
});
