/**
 * What real clients never send, over a raw socket: broken frames, frames in the wrong order or
 * on the wrong channel, a frame cut off by a disconnect. Each expected answer is RabbitMQ's
 * (code, text, class and method ids); after each, a fresh connection must still work.
 */
import amqp from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import * as P from '../../src/codec/generated/protocol.js';
import { PROTOCOL_HEADER } from '../../src/net/frame-reader.js';
import { frame } from '../../test/support/frames.js';
import { RawClient } from '../../test/support/raw-client.js';
import { startTarget, type TargetBroker } from '../support/broker.js';
import { cleanup } from '../support/client.js';
import { unique } from '../support/target.js';

let broker: TargetBroker;
beforeAll(async () => { broker = await startTarget(); });
afterAll(async () => { await broker.stop(); });

/** The broker survived: a new connection can open a channel and declare. */
afterEach(async () => {
  const c = await amqp.connect(`${broker.url}?heartbeat=0`);
  const ch = await c.createChannel();
  await ch.checkExchange('amq.direct');
  await c.close();
});

const contentHeader = (bodySize: number) => ContentHeader.build(P.CLASS_BASIC, bodySize, {}).raw;
const publish = (c: RawClient, channel: number, queue: string) =>
  c.method(channel, P.BASIC_PUBLISH, { exchange: '', routingKey: queue, mandatory: false, immediate: false });

describe('the protocol header', () => {
  it('a wrong version is answered with AMQP 0-9-1\'s header, then the socket closes', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(Buffer.from('AMQP\x00\x00\x09\x02', 'latin1'));
    await c.waitClosed();
    expect(c.header).toEqual(PROTOCOL_HEADER);
    expect(c.frames).toEqual([]);
  });

  it('HTTP instead of AMQP gets the same answer', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(Buffer.from('GET / HTTP/1.1\r\n\r\n', 'latin1'));
    await c.waitClosed();
    expect(c.header).toEqual(PROTOCOL_HEADER);
  });
});

describe('broken frames (connection errors)', () => {
  it('a bad frame-end octet is 501 FRAME_ERROR', async () => {
    const c = await RawClient.open(broker.port);
    const f = frame(P.FRAME_HEARTBEAT, 0, []);
    f[f.length - 1] = 0;
    c.write(f);
    expect(await c.connectionClose()).toEqual([501, 'FRAME_ERROR - type 8, all octets = <<>>: {invalid_frame_end_marker,0}', 0, 0]);
  });

  it('a frame over the negotiated frame_max is 501, checked before the payload arrives', async () => {
    const c = await RawClient.open(broker.port, { frameMax: 4096 });
    await c.openChannel(1);
    const f = frame(P.FRAME_BODY, 1, Buffer.alloc(10_000));
    c.write(f.subarray(0, 7)); // only the frame header: the size alone is enough to refuse it
    expect(await c.connectionClose()).toEqual([501, 'FRAME_ERROR - type 3, all octets = <<>>: {frame_too_large,10000,4088}', 0, 0]);
  });

  it('an unknown frame type is 501 unknown_frame', async () => {
    const c = await RawClient.open(broker.port);
    c.write(frame(9, 0, [1, 2, 3]));
    expect(await c.connectionClose()).toEqual([501, 'FRAME_ERROR - type 9, all octets = <<1,2,3>>: unknown_frame', 0, 0]);
  });

  it('a method frame too short to hold its ids is 501 unknown_frame', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.write(frame(P.FRAME_METHOD, 1, [0, 60]));
    expect(await c.connectionClose()).toEqual([501, 'FRAME_ERROR - type 1, all octets = <<0,60>>: unknown_frame', 0, 0]);
  });

  it('a truncated method payload is 501 naming the method\'s class and id', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    // queue.declare with its queue name's length byte saying 200 and nothing after it
    c.write(frame(P.FRAME_METHOD, 1, [0, 50, 0, 10, 0, 0, 200]));
    const [code, text, classId, methodId] = await c.connectionClose();
    expect([code, classId, methodId]).toEqual([501, 50, 10]);
    expect(text).toMatch(/^FRAME_ERROR - cannot decode /);
  });

  it('a heartbeat on a channel other than 0 is 505', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.write(frame(P.FRAME_HEARTBEAT, 1, []));
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - type 8, all octets = <<>>', 0, 0]);
  });

  it('a method on a channel never opened is 504', async () => {
    const c = await RawClient.open(broker.port);
    c.method(7, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    expect(await c.connectionClose()).toEqual([504, "CHANNEL_ERROR - expected 'channel.open'", 60, 10]);
  });

  it('a content header with no method before it is 505', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.write(frame(P.FRAME_HEADER, 1, contentHeader(1)));
    const [code, text] = await c.connectionClose();
    expect([code, text]).toEqual([505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead']);
  });

  it('a body frame before the content header is 505', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    publish(c, 1, unique('nowhere'));
    c.write(frame(P.FRAME_BODY, 1, Buffer.from('early')));
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead', 60, 40]);
  });

  it('a method where the content header belongs is 505, naming the publish', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    publish(c, 1, unique('nowhere'));
    c.method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead', 60, 40]);
  });
});

describe('channel state', () => {
  it('methods on a channel the server is closing are ignored until close-ok', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    const missing = unique('missing');
    c.method(1, P.QUEUE_DECLARE, { queue: missing, passive: true, durable: false, exclusive: false, autoDelete: false, noWait: false });
    expect(await c.channelClose()).toEqual([404, `NOT_FOUND - no queue '${missing}' in vhost '/'`, 50, 10]);
    c.method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    c.method(1, P.CHANNEL_CLOSE_OK, {});
    await c.openChannel(1);
    c.method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    await c.nextMethod(P.BASIC_QOS_OK);
    expect(c.frames.filter((f) => f.method?.id === P.BASIC_QOS_OK)).toHaveLength(0); // the ignored qos had no answer
  });

  it('a method on a channel the client closed is 504', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CHANNEL_CLOSE, { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
    await c.nextMethod(P.CHANNEL_CLOSE_OK);
    c.method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    expect(await c.connectionClose()).toEqual([504, "CHANNEL_ERROR - expected 'channel.open'", 60, 10]);
  });
});

describe('a client that vanishes', () => {
  it('mid-frame: the broker drops the connection and keeps what was complete', async () => {
    const q = cleanup('queue', unique('cut'));
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.QUEUE_DECLARE, { queue: q, passive: false, durable: false, exclusive: false, autoDelete: false, noWait: false });
    await c.nextMethod(P.QUEUE_DECLARE_OK);
    await c.openChannel(2);
    // channel 2 (confirming): a whole message, confirmed, so it is in the queue
    c.method(2, P.CONFIRM_SELECT, { nowait: false });
    await c.nextMethod(P.CONFIRM_SELECT_OK);
    publish(c, 2, q);
    c.write(frame(P.FRAME_HEADER, 2, contentHeader(8)));
    c.write(frame(P.FRAME_BODY, 2, Buffer.from('complete')));
    await c.nextMethod(P.BASIC_ACK);
    // then the next message, its body frame cut off half way by the disconnect
    publish(c, 2, q);
    c.write(frame(P.FRAME_HEADER, 2, contentHeader(8)));
    c.write(frame(P.FRAME_BODY, 2, Buffer.from('cut-off!')).subarray(0, 9));
    await new Promise((r) => setTimeout(r, 50));
    c.socket.destroy();
    const conn = await amqp.connect(`${broker.url}?heartbeat=0`);
    const ch = await conn.createChannel();
    const m = await ch.get(q, { noAck: true });
    expect(m && m.content.toString()).toBe('complete');
    expect(await ch.get(q, { noAck: true })).toBe(false);
    await conn.close();
  });
});
