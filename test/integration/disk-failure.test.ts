/**
 * The disk alarm. A disk that fails (ENOSPC) while persistent messages are being confirmed: the
 * publishes it covers are not confirmed until the retried write succeeds — never nacked, since
 * the retry stores them and their queues deliver them — publishers are told connection.blocked,
 * and when the disk is back they are unblocked, each message is delivered once and nothing
 * stored is lost. A broker stopped while the write still fails loses only the unconfirmed
 * message. Free space below --disk-free-limit blocks publishers before any write fails.
 */
import type amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import * as P from '../../src/codec/generated/protocol.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { sleep, startTestBroker, type TestBroker } from '../support/broker.js';
import { frame } from '../support/frames.js';
import { RawClient } from '../support/raw-client.js';

/** Message-store writes that fail with ENOSPC while `failing`; `failures(n)` waits for the n-th. */
function failingDisk() {
  const disk = { failing: false, count: 0, waiting: [] as { n: number; resolve: () => void }[] };
  const storeFs: StoreFs = {
    ...nodeFs,
    write: (fd, buf, off, len, pos, cb) => {
      if (!disk.failing) return nodeFs.write(fd, buf, off, len, pos, cb);
      disk.count++;
      disk.waiting = disk.waiting.filter((w) => (w.n <= disk.count ? (w.resolve(), false) : true));
      setImmediate(() => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0));
    },
  };
  const failures = (n: number) => new Promise<void>((resolve) => (disk.count >= n ? resolve() : disk.waiting.push({ n, resolve })));
  return { disk, storeFs, failures };
}

async function confirmingPublisher(b: TestBroker, exchange: string, routingKey: string) {
  const c = await RawClient.open(b.port, { capabilities: { 'connection.blocked': true, authentication_failure_close: true } });
  await c.openChannel(1);
  c.method(1, P.CONFIRM_SELECT, { nowait: false });
  await c.nextMethod(P.CONFIRM_SELECT_OK);
  const publish = (body: string) => {
    c.method(1, P.BASIC_PUBLISH, { exchange, routingKey, mandatory: false, immediate: false });
    c.write(frame(P.FRAME_HEADER, 1, ContentHeader.build(60, body.length, { deliveryMode: 2 }).raw));
    c.write(frame(P.FRAME_BODY, 1, Buffer.from(body)));
  };
  /** Confirms received and not yet taken by nextMethod. */
  const confirms = () => c.frames.filter((f) => f.method?.id === P.BASIC_ACK || f.method?.id === P.BASIC_NACK).map((f) => f.method);
  return { c, publish, confirms };
}

async function drain(b: TestBroker, queue: string): Promise<string[]> {
  const conn = await b.connect();
  const ch = await conn.createChannel();
  const bodies: string[] = [];
  for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) bodies.push((m as amqp.GetMessage).content.toString());
  await conn.close();
  return bodies;
}

describe('disk failure', () => {
  it('holds the confirm until the write succeeds (no nack), blocks with connection.blocked, delivers each message once', async () => {
    const { disk, storeFs, failures } = failingDisk();
    let b = await startTestBroker({ storeFs });
    // two durable queues take every message: one is consumed live, the other read after a restart
    const conn = await b.connect();
    const ch = await conn.createChannel();
    for (const q of ['disk-q', 'disk-live']) {
      await ch.assertQueue(q, { durable: true });
      await ch.bindQueue(q, 'amq.fanout', '');
    }
    const delivered: string[] = [];
    await ch.consume('disk-live', (m) => m && delivered.push(m.content.toString()), { noAck: true });

    const { c, publish, confirms } = await confirmingPublisher(b, 'amq.fanout', '');
    publish('stored');
    expect(await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK)).toEqual({ id: P.BASIC_ACK, args: { deliveryTag: 1, multiple: false } });

    disk.failing = true;
    publish('during failure');
    expect((await c.nextMethod(P.CONNECTION_BLOCKED)).args).toEqual({ reason: 'low on disk' });
    await failures(1);
    const afterFirst = disk.count;
    await failures(afterFirst + 1); // the store retried (every second), and failed again: still no confirm
    expect(confirms()).toEqual([]);
    // delivering does not wait for the disk (as RabbitMQ): the consumer has it already, once
    expect(delivered).toEqual(['stored', 'during failure']);

    disk.failing = false;
    expect(await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK)).toEqual({ id: P.BASIC_ACK, args: { deliveryTag: 2, multiple: false } });
    await c.nextMethod(P.CONNECTION_UNBLOCKED);
    publish('after');
    expect((await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK)).args).toEqual({ deliveryTag: 3, multiple: false });
    while (delivered.length < 3) await sleep(5);
    expect(delivered).toEqual(['stored', 'during failure', 'after']);
    expect(confirms()).toEqual([]); // nothing more: one ack per publish, no nack
    c.close();
    await conn.close();

    await b.stop({ keepData: true });
    b = await startTestBroker({ dataDir: b.dataDir });
    // each once, as confirmed; the live queue's deliveries are not repeated
    expect(await drain(b, 'disk-q')).toEqual(['stored', 'during failure', 'after']);
    expect(await drain(b, 'disk-live')).toEqual([]);
    await b.stop();
  });

  it('a broker stopped while the write still fails keeps every confirmed message; the unconfirmed one may go', async () => {
    const { disk, storeFs, failures } = failingDisk();
    let b = await startTestBroker({ storeFs });
    const conn = await b.connect();
    await (await conn.createChannel()).assertQueue('disk-q', { durable: true });
    await conn.close();
    const { c, publish, confirms } = await confirmingPublisher(b, '', 'disk-q');
    publish('confirmed');
    expect(await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK)).toEqual({ id: P.BASIC_ACK, args: { deliveryTag: 1, multiple: false } });
    disk.failing = true;
    publish('never confirmed');
    await failures(2); // failed, and failed again at the retry a second later
    c.close();
    await b.stop({ keepData: true }); // its last attempt to write fails too
    expect(confirms()).toEqual([]); // 'never confirmed' was not, and not nacked either
    b = await startTestBroker({ dataDir: b.dataDir });
    expect(await drain(b, 'disk-q')).toEqual(['confirmed']);
    await b.stop();
  });

  it('free space under --disk-free-limit blocks publishers (connection.blocked) before any write fails', async () => {
    const { disk, storeFs } = failingDisk();
    // 10 MB above the limit: read again 100 ms later (a 250 MB/s writer would use it up in 40 ms)
    let free = 1_010_000_000;
    const b = await startTestBroker({
      storeFs,
      diskFreeLimit: '1GB',
      freeSpace: (_dir, cb) => setImmediate(() => cb(null, free)),
    });
    const c = await RawClient.open(b.port, { capabilities: { 'connection.blocked': true, authentication_failure_close: true } });
    free = 999_999_999;
    expect((await c.nextMethod(P.CONNECTION_BLOCKED)).args).toEqual({ reason: 'low on disk' });
    expect(disk.count).toBe(0);
    c.close();
    await b.stop();
  });

  it('refuses a disk free limit RabbitMQ would not read', async () => {
    await expect(startTestBroker({ diskFreeLimit: '50 MB' })).rejects.toThrow(/disk free limit '50 MB'/);
  });
});
