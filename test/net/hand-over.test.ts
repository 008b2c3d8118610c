/**
 * Handing a reader's input and a writer's output to another owner mid-stream, as the server's
 * negotiation does when the running connection takes over at connection.open-ok.
 */
import { describe, expect, it } from 'vitest';
import { FlushScheduler } from '../../src/net/flush-scheduler.js';
import { FrameReader, PROTOCOL_HEADER, type FrameSink } from '../../src/net/frame-reader.js';
import { FrameWriter } from '../../src/net/frame-writer.js';
import { frame } from '../support/frames.js';

describe('FrameReader.setSink', () => {
  it('the frames after the switch, in the same chunk, go to the new sink in order', () => {
    const seen: string[] = [];
    const second: FrameSink = {
      frame: (_type, channel, payload) => seen.push(`second ${channel}:${payload.toString()}`),
      failure: () => seen.push('second failure'),
    };
    const reader: FrameReader = new FrameReader({
      protocolHeader: () => seen.push('header'),
      frame: (_type, channel, payload) => {
        seen.push(`first ${channel}:${payload.toString()}`);
        if (payload.toString() === 'open') reader.setSink(second);
      },
      failure: () => seen.push('first failure'),
    });
    const chunk = Buffer.concat([
      PROTOCOL_HEADER, frame(1, 0, Buffer.from('start')), frame(1, 0, Buffer.from('open')),
      frame(1, 1, Buffer.from('a')), frame(3, 1, Buffer.from('b')),
    ]);
    reader.push(chunk.subarray(0, chunk.length - 3)); // the last frame split across chunks
    reader.push(chunk.subarray(chunk.length - 3));
    reader.push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0xce]));
    expect(seen).toEqual(['header', 'first 0:start', 'first 0:open', 'second 1:a', 'second 1:b', 'second failure']);
  });

  it('a sink without protocolHeader serves a reader that expects none', () => {
    const seen: number[] = [];
    const reader = new FrameReader({ frame: (_t, channel) => seen.push(channel), failure: () => undefined }, { protocolHeader: false });
    reader.push(frame(8, 0, []));
    expect(seen).toEqual([0]);
  });
});

describe('FrameWriter.setOutput', () => {
  it('what is queued and not yet flushed goes to the new output', () => {
    const first: Buffer[][] = [];
    const second: Buffer[][] = [];
    const writer = new FrameWriter({ write: (c) => first.push(c) }, new FlushScheduler());
    writer.heartbeat();
    writer.flush();
    writer.heartbeat();
    writer.setOutput({ write: (c) => second.push(c) });
    writer.heartbeat();
    writer.flush();
    expect(Buffer.concat(first.flat())).toEqual(frame(8, 0, []));
    expect(Buffer.concat(second.flat())).toEqual(Buffer.concat([frame(8, 0, []), frame(8, 0, [])]));
  });
});
