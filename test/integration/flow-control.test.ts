/** The memory high watermark: publishers are told connection.blocked and stop being read; consumers keep draining. */
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import * as P from '../../src/codec/generated/protocol.js';
import { sleep, startTestBroker } from '../support/broker.js';
import { frame } from '../support/frames.js';
import { RawClient } from '../support/raw-client.js';

describe('memory high watermark', () => {
  it('blocks publishers, keeps consumers draining, unblocks when memory is back under', async () => {
    const b = await startTestBroker();
    const pub = await RawClient.open(b.port, { capabilities: { 'connection.blocked': true } });
    await pub.openChannel(1);
    pub.method(1, P.QUEUE_DECLARE, { queue: 'wm-q', passive: false, durable: false, exclusive: false, autoDelete: false, noWait: false });
    await pub.nextMethod(P.QUEUE_DECLARE_OK);
    const publish = (body: string) => {
      pub.method(1, P.BASIC_PUBLISH, { exchange: '', routingKey: 'wm-q', mandatory: false, immediate: false });
      pub.write(frame(P.FRAME_HEADER, 1, ContentHeader.build(60, body.length, {}).raw));
      pub.write(frame(P.FRAME_BODY, 1, Buffer.from(body)));
    };
    publish('before');
    const consumer = await b.connect();
    const ch = await consumer.createChannel();
    await sleep(50);
    expect((await ch.checkQueue('wm-q')).messageCount).toBe(1);

    b.broker.setMemoryHighWatermark(1024); // 1 KiB: certainly exceeded
    expect((await pub.nextMethod(P.CONNECTION_BLOCKED)).args).toEqual({ reason: 'low on memory' });
    publish('while blocked 1'); // read (it is how the broker learns it is a publisher) …
    await sleep(50);
    publish('while blocked 2'); // … then the connection is no longer read
    await sleep(100);
    expect((await ch.get('wm-q', { noAck: true }) as { content: Buffer }).content.toString()).toBe('before'); // consumers drain
    const waiting = (await ch.checkQueue('wm-q')).messageCount;
    expect(waiting).toBe(1); // 'while blocked 1' only

    b.broker.setMemoryHighWatermark(0.99);
    await pub.nextMethod(P.CONNECTION_UNBLOCKED);
    await sleep(100);
    expect((await ch.checkQueue('wm-q')).messageCount).toBe(2);
    pub.close();
    await b.stop();
  });
});
