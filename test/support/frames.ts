/** Helpers to build raw frames and to collect what a FrameReader emits. */
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { BadProtocolHeader, FrameReader, type FrameReaderOptions, type FrameSink } from '../../src/net/frame-reader.js';

export function frame(type: number, channel: number, payload: Buffer | number[]): Buffer {
  const p = Buffer.from(payload);
  const b = Buffer.alloc(8 + p.length);
  b[0] = type;
  b.writeUInt16BE(channel, 1);
  b.writeUInt32BE(p.length, 3);
  p.copy(b, 7);
  b[7 + p.length] = 0xce;
  return b;
}

export type Event =
  | { kind: 'header' }
  | { kind: 'frame'; type: number; channel: number; payload: Buffer }
  | { kind: 'failure'; failure: DecodeFailure | BadProtocolHeader };

export function collectingReader(options?: FrameReaderOptions): { reader: FrameReader; events: Event[] } {
  const events: Event[] = [];
  const sink: FrameSink = {
    protocolHeader: () => events.push({ kind: 'header' }),
    frame: (type, channel, payload) => events.push({ kind: 'frame', type, channel, payload: Buffer.from(payload) }),
    failure: (failure) => events.push({ kind: 'failure', failure }),
  };
  return { reader: new FrameReader(sink, options), events };
}
