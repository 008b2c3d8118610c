/**
 * Warren's max message size setting and output backpressure (frame_max and multi-frame bodies:
 * conformance/core/framing and content).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { closedWith, sleep, startTestBroker, type TestBroker } from '../support/broker.js';
import { RawClient } from '../support/raw-client.js';

let broker: TestBroker;
beforeAll(async () => { broker = await startTestBroker({ maxMessageSize: 200_000 }); });
afterAll(async () => { await broker.stop(); });

describe('limits', () => {
  it('a message over max-message-size is 406 on the channel', async () => {
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('split-q');
    const closed = closedWith(ch);
    ch.sendToQueue('split-q', Buffer.alloc(250_000));
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toContain('PRECONDITION_FAILED - message size 250000 is larger than configured max size 200000');
    // the connection is fine
    const ch2 = await conn.createChannel();
    await ch2.checkQueue('split-q');
  });
});

describe('backpressure', () => {
  it('stops delivering to a consumer whose socket does not drain, and resumes when it does', async () => {
    const publisher = await broker.connect();
    const pch = await publisher.createConfirmChannel();
    await pch.assertQueue('slow-q');
    const consumer = await RawClient.open(broker.port);
    await consumer.openChannel(1);
    consumer.method(1, P.BASIC_CONSUME, { queue: 'slow-q', consumerTag: 'slow', noLocal: false, noAck: true, exclusive: false, noWait: false });
    await consumer.nextMethod(P.BASIC_CONSUME_OK);
    consumer.socket.pause(); // stop reading: the kernel buffers fill, then the broker's socket

    const total = 1000;
    const body = Buffer.alloc(32 * 1024, 7);
    for (let i = 0; i < total; i++) pch.sendToQueue('slow-q', body);
    await pch.waitForConfirms();
    await sleep(200);
    const waiting = (await pch.checkQueue('slow-q')).messageCount;
    expect(waiting).toBeGreaterThan(total / 2); // most are still queued, not buffered for the socket

    consumer.socket.resume();
    const deadline = Date.now() + 20_000;
    let delivered = 0;
    while (delivered < total && Date.now() < deadline) {
      delivered = consumer.frames.filter((f) => f.method?.id === P.BASIC_DELIVER).length;
      await sleep(20);
    }
    expect(delivered).toBe(total);
    expect((await pch.checkQueue('slow-q')).messageCount).toBe(0);
    consumer.close();
  });
});
