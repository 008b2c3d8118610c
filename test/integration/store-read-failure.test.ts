/**
 * A stored message that cannot be read back (EIO) when a queue's own timer needs it — message
 * expiry dead-letters it, which reads it from disk — is logged and skipped; the process and
 * every client carry on, and once the disk reads again a restart finds the message.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { nodeFs, type StoreFs } from '../../src/store/store-fs.js';
import { sleep, startTestBroker } from '../support/broker.js';

describe('a stored message that cannot be read', () => {
  it('on the expiry timer: logged and skipped, the broker serves on, a restart finds it again', async () => {
    let failing = false;
    const storeFs: StoreFs = {
      ...nodeFs,
      readSync: (fd, buf, off, len, pos) => {
        if (failing) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
        return nodeFs.readSync(fd, buf, off, len, pos);
      },
    };
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as { level: number; msg: string });
        done();
      },
    }));
    const args = { 'x-message-ttl': 300, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'dead' };
    let b = await startTestBroker({ storeFs, logger });
    let conn = await b.connect();
    let ch = await conn.createConfirmChannel();
    await ch.assertQueue('dead', { durable: true });
    await ch.assertQueue('expiring', { durable: true, arguments: args });
    for (let i = 0; i < 3; i++) ch.sendToQueue('expiring', Buffer.from(`m${i}`), { persistent: true });
    await ch.waitForConfirms();
    // a restart: the recovered messages are only on disk, and the disk now fails to read
    await b.stop({ keepData: true });
    failing = true; // (recovery reads whole segments another way; reading one message back fails)
    b = await startTestBroker({ storeFs, logger, dataDir: b.dataDir });
    await sleep(600); // the TTL passes: the queue's timer dead-letters, which reads them back
    const errors = lines.filter((l) => l.level >= 50);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((l) => !/internal error/.test(l.msg))).toBe(true); // handled, not a crash caught late
    conn = await b.connect();
    ch = await conn.createConfirmChannel();
    expect((await ch.checkQueue('dead')).messageCount).toBe(0);
    ch.sendToQueue('dead', Buffer.from('still serving'), { persistent: true });
    await ch.waitForConfirms();
    expect((await ch.get('dead', { noAck: true }) || undefined)?.content.toString()).toBe('still serving');
    // the disk is back: after a restart the messages are there again, expire, and are dead-lettered
    failing = false;
    await b.stop({ keepData: true });
    b = await startTestBroker({ storeFs, logger, dataDir: b.dataDir });
    // recovered messages expire on the queue's own timer, with no client touching the queue
    await sleep(600);
    conn = await b.connect();
    const plain = await conn.createChannel();
    expect((await plain.checkQueue('dead')).messageCount).toBe(3);
    await b.stop();
  });
});
