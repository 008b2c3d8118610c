/**
 * The disk alarm. A disk that fails (ENOSPC) while persistent messages are being confirmed: the
 * publishes it covers are not confirmed until the retried write succeeds — never nacked, since
 * the retry stores and delivers them — publishers are told connection.blocked, and when the
 * disk is back they are unblocked, each message is delivered once and nothing stored is lost.
 * Free space below --disk-free-limit blocks publishers before any write fails.
 */
import type amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import * as P from '../../src/codec/generated/protocol.js';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { sleep, startTestBroker } from '../support/broker.js';
import { frame } from '../support/frames.js';
import { RawClient } from '../support/raw-client.js';

describe('disk failure', () => {
  it('holds the confirm until the write succeeds, blocks with connection.blocked, unblocks when writes succeed again', async () => {
    let failing = false;
    const storeFs: StoreFs = {
      ...nodeFs,
      write: (fd, buf, off, len, pos, cb) => {
        if (!failing) return nodeFs.write(fd, buf, off, len, pos, cb);
        setImmediate(() => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0));
      },
    };
    let b = await startTestBroker({ storeFs });
    const c = await RawClient.open(b.port, { capabilities: { 'connection.blocked': true, authentication_failure_close: true } });
    await c.openChannel(1);
    c.method(1, P.QUEUE_DECLARE, { queue: 'disk-q', passive: false, durable: true, exclusive: false, autoDelete: false, noWait: false });
    await c.nextMethod(P.QUEUE_DECLARE_OK);
    c.method(1, P.CONFIRM_SELECT, { nowait: false });
    await c.nextMethod(P.CONFIRM_SELECT_OK);
    const publish = (body: string) => {
      c.method(1, P.BASIC_PUBLISH, { exchange: '', routingKey: 'disk-q', mandatory: false, immediate: false });
      c.write(frame(P.FRAME_HEADER, 1, ContentHeader.build(60, body.length, { deliveryMode: 2 }).raw));
      c.write(frame(P.FRAME_BODY, 1, Buffer.from(body)));
    };
    publish('stored');
    expect((await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK)).id).toBe(P.BASIC_ACK);

    failing = true;
    publish('during failure');
    const blocked = await c.nextMethod(P.CONNECTION_BLOCKED);
    expect(blocked.args).toEqual({ reason: 'low on disk' });
    await sleep(1200); // the store has retried (every second): still failing, still no confirm
    expect(c.frames.some((f) => f.method?.id === P.BASIC_ACK || f.method?.id === P.BASIC_NACK)).toBe(false);

    failing = false;
    expect((await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK))).toEqual({ id: P.BASIC_ACK, args: { deliveryTag: 2, multiple: false } });
    await c.nextMethod(P.CONNECTION_UNBLOCKED);
    publish('after');
    expect((await c.nextMethod(P.BASIC_ACK, P.BASIC_NACK)).args).toEqual({ deliveryTag: 3, multiple: false });
    c.close();
    await sleep(50);

    b = await (async () => { await b.stop({ keepData: true }); return startTestBroker({ dataDir: b.dataDir }); })();
    const conn = await b.connect();
    const ch = await conn.createChannel();
    const bodies: string[] = [];
    for (let m = await ch.get('disk-q', { noAck: true }); m; m = await ch.get('disk-q', { noAck: true })) bodies.push((m as amqp.GetMessage).content.toString());
    // each once: the one confirmed late is there, as confirmed
    expect(bodies).toEqual(['stored', 'during failure', 'after']);
    await b.stop();
  });

  it('free space under --disk-free-limit blocks publishers (connection.blocked) before any write fails', async () => {
    // 10 MB above the limit: checked every 100 ms (the time a 250 MB/s writer needs to use it up)
    let free = 1_010_000_000;
    const b = await startTestBroker({
      diskFreeLimit: '1GB',
      freeSpace: (_dir, cb) => setImmediate(() => cb(null, free)),
    });
    const c = await RawClient.open(b.port, { capabilities: { 'connection.blocked': true, authentication_failure_close: true } });
    free = 900_000_000;
    expect((await c.nextMethod(P.CONNECTION_BLOCKED)).args).toEqual({ reason: 'low on disk' });
    free = 2_000_000_000;
    await c.nextMethod(P.CONNECTION_UNBLOCKED);
    c.close();
    await b.stop();
  });
});
