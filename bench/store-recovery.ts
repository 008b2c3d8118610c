/**
 * How long the message store takes to recover a big store: the time from reading the segment
 * files to handing every unacknowledged reference to its queue (ack files included).
 *
 *   npx tsc -p bench/tsconfig.json && node dist-bench/bench/store-recovery.js [--records 2000000] [--queues 8] [--first-id 1]
 *
 * Records of 100-byte bodies go round-robin to `queues` queues with ids from `first-id` on;
 * every other (record, queue) pair is acknowledged and every third remaining one marked
 * delivered, so the ack files are as big as the reference count. Recovery runs 5 times (page
 * cache warm); the median is printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { MessageStore } from '../src/store/message-store.js';
import { recoverMessageStore } from '../src/store/segment-recovery.js';

const log = pino({ level: 'silent' });

function arg(name: string, d: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
}

async function build(dir: string, records: number, queues: number, firstId: number): Promise<void> {
  const s = new MessageStore({ dir, log, fsync: false });
  s.start();
  // the store keeps bytes: routing (exchange '' and routing key 'q' as short strings), the
  // content header payload (class 60, body size 100, delivery-mode 2) and the body
  const routing = Buffer.from([0, 1, 0x71]);
  const header = Buffer.from([0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0x10, 0, 2]);
  const body = Buffer.alloc(100, 0x61);
  for (let i = 0; i < records; i++) {
    const id = firstId + (i % queues);
    const p = s.append([id], routing, header, body);
    if (i % 2 === 0) s.ack(id, p);
    else if (i % 3 === 0) s.markDelivered(id, p);
    if (i % 10_000 === 0) await new Promise<void>((r) => s.whenDurable(() => r()));
  }
  await s.close();
}

async function main(): Promise<void> {
  const records = arg('records', 2_000_000);
  const queues = arg('queues', 8);
  const firstId = arg('first-id', 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'warren-recovery-'));
  try {
    await build(dir, records, queues, firstId);
    const ms: number[] = [];
    let refs = 0;
    for (let run = 0; run < 5; run++) {
      const s = new MessageStore({ dir, log, fsync: false });
      const ids = new Set(Array.from({ length: queues }, (_, i) => firstId + i));
      refs = 0;
      const t0 = process.hrtime.bigint();
      recoverMessageStore(s, (id) => ids.has(id), () => { refs++; }, log);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await s.close();
    }
    ms.sort((a, b) => a - b);
    console.log(`node ${process.version}: ${records} records, ${queues} queues from id ${firstId}: `
      + `${refs} references recovered in ${ms[2].toFixed(0)} ms (median of 5; min ${ms[0].toFixed(0)}, max ${ms[4].toFixed(0)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
