import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { decodeMethod } from '../../src/codec/method-codec.js';
import { BASIC_DELIVER, CHANNEL_OPEN_OK, CLASS_BASIC, CONNECTION_CLOSE } from '../../src/codec/generated/protocol.js';
import { FlushScheduler } from '../../src/net/flush-scheduler.js';
import { FrameWriter } from '../../src/net/frame-writer.js';
import { encodeRouting, encodeShortstr } from '../../src/codec/fast-paths.js';
import { collectingReader, frame } from '../support/frames.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function capture() {
  const writes: Buffer[][] = [];
  const writer = new FrameWriter({ write: (chunks) => writes.push(chunks) }, new FlushScheduler());
  const bytes = () => Buffer.concat(writes.flat());
  return { writer, writes, bytes };
}

describe('frame writer', () => {
  it('writes method frames with the right size and end byte', async () => {
    const { writer, bytes } = capture();
    writer.method(3, CHANNEL_OPEN_OK, { reserved1: '' });
    await nextTurn();
    expect(bytes()).toEqual(frame(1, 3, [0, 20, 0, 11, 0, 0, 0, 0]));
  });

  it('flushes once per event-loop turn, as one batch', async () => {
    const { writer, writes } = capture();
    for (let i = 0; i < 100; i++) writer.heartbeat();
    writer.method(0, CONNECTION_CLOSE, { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
    expect(writes).toHaveLength(0);
    await nextTurn();
    expect(writes).toHaveLength(1);
    writer.heartbeat();
    await nextTurn();
    expect(writes).toHaveLength(2);
  });

  it('splits bodies at frame_max − 8 and reassembles through the reader', async () => {
    const { writer, bytes } = capture();
    writer.frameMax = 4096;
    const body = Buffer.alloc(10000);
    for (let i = 0; i < body.length; i++) body[i] = i & 0xff;
    const header = ContentHeader.build(CLASS_BASIC, body.length, { deliveryMode: 2 });
    const routing = encodeRouting("ex", "rk");
    writer.deliver(1, encodeShortstr("ctag"), 7, true, routing, 0, routing.length, header.raw, body);
    await nextTurn();
    const { reader, events } = collectingReader({ protocolHeader: false, frameMax: 4096 });
    reader.push(bytes());
    const frames = events.map((e) => (e.kind === 'frame' ? e : null));
    expect(frames.map((f) => [f?.type, f?.payload.length])).toEqual([[1, expect.any(Number)], [2, header.raw.length], [3, 4088], [3, 4088], [3, 1824]]);
    const deliver = decodeMethod(frames[0]!.payload);
    expect(deliver).toEqual({ id: BASIC_DELIVER, args: { consumerTag: 'ctag', deliveryTag: 7, redelivered: true, exchange: 'ex', routingKey: 'rk' } });
    expect(Buffer.concat(frames.slice(2).map((f) => f!.payload))).toEqual(body);
  });

  it('passes large bodies by reference and copies small ones', async () => {
    const { writer, writes } = capture();
    writer.frameMax = 131072;
    const big = Buffer.alloc(50000, 1);
    const small = Buffer.alloc(10, 2);
    const header = ContentHeader.build(CLASS_BASIC, big.length, {}).raw;
    writer.content(1, header, big);
    writer.content(1, header, small);
    await nextTurn();
    const sameMemory = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;
    expect(writes[0].some((c) => sameMemory(c, big))).toBe(true);
    expect(writes[0].some((c) => sameMemory(c, small))).toBe(false);
  });

  it('an empty body sends no body frame', async () => {
    const { writer, bytes } = capture();
    const header = ContentHeader.build(CLASS_BASIC, 0, {}).raw;
    writer.content(1, header, Buffer.alloc(0));
    await nextTurn();
    expect(bytes()).toEqual(frame(2, 1, header));
  });

  it('writes nothing for a method whose argument cannot be encoded, and carries on', async () => {
    const { writer, bytes } = capture();
    writer.heartbeat();
    expect(() => writer.method(0, CONNECTION_CLOSE, { replyCode: 200, replyText: 'x'.repeat(300), classId: 0, methodId: 0 })).toThrow(RangeError);
    writer.heartbeat();
    await nextTurn();
    expect(bytes()).toEqual(Buffer.concat([frame(8, 0, []), frame(8, 0, [])]));
  });

  it('writes nothing after close()', async () => {
    const { writer, writes } = capture();
    writer.heartbeat();
    writer.close();
    writer.heartbeat();
    await nextTurn();
    expect(writes).toHaveLength(0);
  });
});
