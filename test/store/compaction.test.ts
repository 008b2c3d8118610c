/**
 * Compaction keeps its file I/O off the event loop: the segment and its ack file are read, and
 * the rewrite written and synced, asynchronously; the rewrite is put in place in one synchronous
 * step only if nothing about the segment changed meanwhile, else abandoned for a later round.
 */
import { closeSync, existsSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { MessageStore, POSITION_SEGMENT } from '../../src/store/message-store.js';
import { prepareCompaction } from '../../src/store/segment-compactor.js';
import { recoverMessageStore } from '../../src/store/segment-recovery.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { StoreQueue, append, capturingLog, compactionQueues, durable, tempDir, type Taken } from './store-helpers.js';

const silent = pino({ level: 'silent' });
const SEG1 = 'msgs.0000000001';
const head4 = (m: Taken | undefined) => m?.body.toString().slice(0, 4);
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.compact'));

/** Node's fs, recording which file each descriptor is, with writes to chosen files held back. */
function instrumentedFs() {
  const files = new Map<number, string>();
  const outstanding = new Map<number, number>();
  const syncCalls: string[] = [];
  const closedWhileWriting: string[] = [];
  let holdIf: ((file: string) => boolean) | null = null;
  let held: (() => void)[] = [];
  const io: StoreFs = { ...nodeFs };
  for (const name of ['readSync', 'readFileSync', 'writeSync', 'fdatasyncSync'] as const) {
    const real = nodeFs[name] as (...a: unknown[]) => unknown;
    (io as unknown as Record<string, unknown>)[name] = (...a: unknown[]) => {
      syncCalls.push(name);
      return real(...a);
    };
  }
  io.openSync = (file, flags) => {
    const fd = nodeFs.openSync(file, flags);
    files.set(fd, path.basename(file));
    return fd;
  };
  io.open = (file, flags, cb) => nodeFs.open(file, flags, (err, fd) => {
    if (!err) files.set(fd, path.basename(file));
    cb(err, fd);
  });
  io.closeSync = (fd) => {
    if ((outstanding.get(fd) ?? 0) > 0) closedWhileWriting.push(files.get(fd) ?? String(fd));
    nodeFs.closeSync(fd);
  };
  io.write = (fd, buf, off, len, pos, cb) => {
    outstanding.set(fd, (outstanding.get(fd) ?? 0) + 1);
    const go = () => nodeFs.write(fd, buf, off, len, pos, (err, n) => {
      outstanding.set(fd, (outstanding.get(fd) ?? 1) - 1);
      cb(err, n);
    });
    if (holdIf?.(files.get(fd) ?? '')) held.push(go);
    else go();
  };
  return {
    io, syncCalls, closedWhileWriting,
    hold(which: (file: string) => boolean) {
      holdIf = which;
    },
    heldCount: () => held.length,
    release() {
      holdIf = null;
      const h = held;
      held = [];
      for (const go of h) go();
    },
  };
}

/**
 * 120 messages in 4 KiB segments for queue 1; everything in segment 1 is acknowledged except
 * m003, m007 and its last record, `next` (requeued, so waiting in the queue): segment 1 is
 * sparse and pinned. `after`, the first of segment 2, is back in the queue too.
 */
async function sparse(o: { io?: StoreFs; log?: Logger } = {}) {
  const dir = tempDir();
  const s = new MessageStore({ dir, log: o.log ?? silent, segmentSize: 4096, fs: o.io });
  s.start();
  const storage = new StoreQueue(1, s);
  s.compactionQueues = compactionQueues(storage);
  for (let i = 0; i < 120; i++) storage.append(append(s, `m${String(i).padStart(3, '0')}-${'x'.repeat(40)}`, [1]));
  await durable(s);
  const taken: Taken[] = [];
  let after = storage.read();
  for (; after && after.position < 2 * POSITION_SEGMENT; after = storage.read()) taken.push(after);
  const next = taken.pop() as Taken;
  for (const m of taken) {
    if (['m003', 'm007'].includes(head4(m) as string)) storage.requeue(m);
    else storage.ack(m);
  }
  storage.requeue(next);
  storage.requeue(after as Taken);
  await durable(s);
  s.compactAfterMs = 0;
  return { dir, s, storage, next: head4(next), after: head4(after), records: taken.length };
}

/** Reads the queue's next three messages and puts them back. */
function peek3(storage: StoreQueue): (string | undefined)[] {
  const m = [storage.read(), storage.read(), storage.read()];
  for (const x of m) if (x) storage.requeue(x);
  return m.map(head4);
}

describe('compaction', () => {
  it('reads, writes and syncs off the event loop: no synchronous read, write or sync', async () => {
    const f = instrumentedFs();
    const { dir, s, storage, next } = await sparse({ io: f.io });
    const before = statSync(path.join(dir, SEG1)).size;
    f.syncCalls.length = 0;
    expect(await s.compactPinned()).toBe(1);
    expect(f.syncCalls).toEqual([]);
    expect(statSync(path.join(dir, SEG1)).size).toBeLessThan(before / 4);
    expect(peek3(storage)).toEqual(['m003', 'm007', next]);
    expect(temps(dir)).toEqual([]);
    await s.close();
  });

  /** Starts a round whose rewrite is held back once written; resolves when it is. */
  async function heldRound(f: ReturnType<typeof instrumentedFs>, s: MessageStore): Promise<{ round: Promise<number> }> {
    f.hold((file) => file.endsWith('.compact'));
    const round = s.compactPinned();
    for (let i = 0; i < 100 && f.heldCount() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(f.heldCount()).toBeGreaterThan(0); // the rewrite is being written
    return { round }; // (not the promise itself: an async function would wait for it)
  }

  async function recovered(dir: string): Promise<{ body: string; delivered: boolean }[]> {
    const r = new MessageStore({ dir, log: silent, segmentSize: 4096 });
    const refs: { position: number; delivered: boolean }[] = [];
    recoverMessageStore(r, (id) => id === 1, (_q, position, delivered) => refs.push({ position, delivered }), silent);
    const out = refs.map((x) => ({ body: r.read(x.position).body.toString().slice(0, 4), delivered: x.delivered }));
    await r.close();
    return out;
  }

  it('abandons the rewrite when a live message goes out to a consumer meanwhile (it holds the old position)', async () => {
    const f = instrumentedFs();
    const { dir, s, storage, next, after } = await sparse({ io: f.io });
    const before = statSync(path.join(dir, SEG1)).size;
    const { round } = await heldRound(f, s);
    const m = storage.read() as Taken; // a requeued message: handed out without a store write
    expect(head4(m)).toBe('m003');
    f.release();
    expect(await round).toBe(0);
    expect(statSync(path.join(dir, SEG1)).size).toBe(before);
    expect(temps(dir)).toEqual([]);
    storage.ack(m); // its position is still right
    await durable(s);
    expect(await s.compactPinned()).toBe(1);
    expect(statSync(path.join(dir, SEG1)).size).toBeLessThan(before / 4);
    expect(peek3(storage)).toEqual(['m007', next, after]);
    await s.close();
    expect((await recovered(dir)).slice(0, 2)).toEqual([{ body: 'm007', delivered: true }, { body: next, delivered: true }]);
  });

  it('abandons the rewrite when a record of the segment is acknowledged meanwhile, and compacts it in a later round', async () => {
    const f = instrumentedFs();
    const { dir, s, storage, next, after, records } = await sparse({ io: f.io });
    const before = statSync(path.join(dir, SEG1)).size;
    const { round } = await heldRound(f, s);
    storage.discardHead(); // m003 leaves for good (an ack entry)
    f.release();
    expect(await round).toBe(0);
    expect(statSync(path.join(dir, SEG1)).size).toBe(before);
    expect(temps(dir)).toEqual([]);
    await durable(s);
    expect(await s.compactPinned()).toBe(1);
    expect(peek3(storage)).toEqual(['m007', next, after]);
    await s.close();
    const refs = await recovered(dir);
    expect(refs.slice(0, 2)).toEqual([{ body: 'm007', delivered: true }, { body: next, delivered: true }]);
    expect(refs.length).toBe(120 - records + 1);
  });

  it('abandons the rewrite when a delivered mark for the segment comes meanwhile (the mark is kept)', async () => {
    // written and acknowledged without a queue, then recovered: nothing marked delivered yet
    const dir = tempDir();
    const w = new MessageStore({ dir, log: silent, segmentSize: 4096 });
    w.start();
    const positions = Array.from({ length: 120 }, (_, i) => append(w, `m${String(i).padStart(3, '0')}-${'x'.repeat(40)}`, [1]));
    for (const [i, p] of positions.entries()) if (p < 2 * POSITION_SEGMENT && i !== 3 && i !== 7) w.ack(1, p);
    await durable(w);
    await w.close();
    const f = instrumentedFs();
    const s = new MessageStore({ dir, log: silent, segmentSize: 4096, fs: f.io });
    const storage = new StoreQueue(1, s);
    recoverMessageStore(s, (id) => id === 1, (_q, p, d) => storage.recovered(p, d), silent, f.io);
    s.compactionQueues = compactionQueues(storage);
    s.compactAfterMs = 0;
    const { round } = await heldRound(f, s);
    const m = storage.read() as Taken; // m003 is delivered (a mark for segment 1)…
    expect([head4(m), m.redelivered]).toEqual(['m003', false]);
    storage.requeue(m); // …and comes back: every live record is waiting again
    f.release();
    expect(await round).toBe(0);
    await durable(s);
    expect(await s.compactPinned()).toBe(1);
    await s.close();
    expect((await recovered(dir)).slice(0, 2)).toEqual([{ body: 'm003', delivered: true }, { body: 'm007', delivered: false }]);
  });

  it('abandons the rewrite while a batch is writing ack entries to the segment (never closes a file under a write)', async () => {
    const f = instrumentedFs();
    const { dir, s, storage } = await sparse({ io: f.io });
    const before = statSync(path.join(dir, SEG1)).size;
    // one more record of segment 1 goes: m007 is acknowledged, its entry waits for the next batch
    const out = [storage.read(), storage.read()];
    storage.requeue(out[0] as Taken);
    f.hold((file) => file === 'acks.0000000001');
    storage.ack(out[1] as Taken);
    const round = s.compactPinned(); // its snapshot has the entry; the batch then writes it
    for (let i = 0; i < 100 && f.heldCount() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(f.heldCount()).toBeGreaterThan(0);
    expect(await round).toBe(0); // the rewrite was ready while the batch still wrote: given up
    expect(temps(dir)).toEqual([]);
    f.release();
    await durable(s);
    expect(f.closedWhileWriting).toEqual([]);
    expect(statSync(path.join(dir, SEG1)).size).toBe(before);
    await durable(s);
    expect(await s.compactPinned()).toBe(1);
    expect(storage.read()?.body.toString().slice(0, 4)).toBe('m003');
    expect(temps(dir)).toEqual([]);
    await s.close();
  });

  it('a failing read is logged and leaves the segment as it was (a timer runs it: nothing may throw)', async () => {
    const { log, errors } = capturingLog();
    let failing = false;
    const io: StoreFs = {
      ...nodeFs,
      readFile: (file, cb) => {
        if (failing) setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }), Buffer.alloc(0)));
        else nodeFs.readFile(file, cb);
      },
    };
    const { dir, s, storage, next } = await sparse({ io, log });
    const before = statSync(path.join(dir, SEG1)).size;
    failing = true;
    expect(await s.compactPinned()).toBe(0);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatchObject({ segment: 1, err: { code: 'EIO' } });
    expect(statSync(path.join(dir, SEG1)).size).toBe(before);
    expect(peek3(storage)).toEqual(['m003', 'm007', next]);
    await s.close();
  });

  it('close() during a compaction: it gives up and leaves no temporary file', async () => {
    const f = instrumentedFs();
    const { dir, s } = await sparse({ io: f.io });
    const before = statSync(path.join(dir, SEG1)).size;
    f.hold((file) => file.endsWith('.compact'));
    const round = s.compactPinned();
    for (let i = 0; i < 100 && f.heldCount() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const closed = s.close();
    f.release();
    await closed;
    expect(await round).toBe(0);
    expect(temps(dir)).toEqual([]);
    expect(statSync(path.join(dir, SEG1)).size).toBe(before);
  });

  it('a crash between the two renames: the rewritten segment comes back with every live record, its old acks ignored', async () => {
    const { dir, s, next, after, records } = await sparse();
    const seg = s.segments.get(1);
    const queues = s.compactionQueues;
    if (seg === undefined || queues === null) throw new Error('no segment 1');
    const target = { n: 1, generation: seg.generation, pendingAcks: [], live: seg.live, size: seg.size };
    const r = await prepareCompaction(nodeFs, dir, target, queues, true);
    if (r === null) throw new Error('not compactable');
    renameSync(path.join(dir, `${SEG1}.compact`), path.join(dir, SEG1)); // …and the crash
    closeSync(r.fd);
    closeSync(r.ackFd);
    await s.close();
    const m = new MessageStore({ dir, log: silent, segmentSize: 4096 });
    const refs: { position: number; delivered: boolean }[] = [];
    recoverMessageStore(m, (id) => id === 1, (_q, position, delivered) => refs.push({ position, delivered }), silent);
    expect(temps(dir)).toEqual([]);
    expect(refs.slice(0, 4).map((x) => m.read(x.position).body.toString().slice(0, 4))).toEqual(['m003', 'm007', next, after]);
    expect(refs.slice(0, 3).every((x) => !x.delivered)).toBe(true); // the marks were in the old ack file
    expect(refs.length).toBe(120 - records + 2);
    await m.close();
  });

  it('recovery deletes the temporary files of a compaction a crash interrupted', async () => {
    const { dir, s, next, records } = await sparse();
    await s.close();
    writeFileSync(path.join(dir, `${SEG1}.compact`), Buffer.alloc(100, 1));
    writeFileSync(path.join(dir, 'acks.0000000001.compact'), Buffer.alloc(10, 2));
    const r = new MessageStore({ dir, log: silent, segmentSize: 4096 });
    const refs: number[] = [];
    recoverMessageStore(r, (id) => id === 1, (_q, position) => refs.push(position), silent);
    expect(temps(dir)).toEqual([]);
    expect(existsSync(path.join(dir, SEG1))).toBe(true);
    expect(refs.slice(0, 3).map((p) => r.read(p).body.toString().slice(0, 4))).toEqual(['m003', 'm007', next]);
    expect(refs.length).toBe(120 - records + 2);
    await r.close();
  });
});
