import { describe, expect, it } from 'vitest';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { BadProtocolHeader, FrameReader, PROTOCOL_HEADER } from '../../src/net/frame-reader.js';
import { collectingReader, frame, type Event } from '../support/frames.js';
import { Random } from '../support/random.js';

function stream(r: Random, n: number): Buffer {
  const parts: Buffer[] = [PROTOCOL_HEADER];
  for (let i = 0; i < n; i++) {
    const type = r.pick([1, 2, 3, 8]);
    parts.push(frame(type, type === 8 ? 0 : r.int(4), type === 8 ? [] : r.bytes(r.int(300))));
  }
  return Buffer.concat(parts);
}

function readAll(chunks: Buffer[], frameMax = 131072): Event[] {
  const { reader, events } = collectingReader({ frameMax });
  for (const c of chunks) reader.push(c);
  return events;
}

describe('frame reader', () => {
  it('gives the same frames for a stream split at every byte offset, and byte by byte', () => {
    const bytes = stream(new Random(1), 12);
    const whole = readAll([bytes]);
    expect(whole.filter((e) => e.kind === 'frame')).toHaveLength(12);
    expect(whole[0]).toEqual({ kind: 'header' });
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(readAll([...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it('reads many frames from one chunk and from random chunkings', () => {
    const r = new Random(2);
    const bytes = stream(r, 2000);
    const whole = readAll([bytes]);
    expect(whole).toHaveLength(2001);
    for (let trial = 0; trial < 20; trial++) {
      const chunks = [];
      for (let off = 0; off < bytes.length;) {
        const n = 1 + r.int(r.pick([10, 500, 70000]));
        chunks.push(bytes.subarray(off, off + n));
        off += n;
      }
      expect(readAll(chunks)).toEqual(whole);
    }
  });

  it('hands out views of the chunk for whole frames and keeps them valid', () => {
    const f = frame(3, 1, Buffer.from('hello'));
    const payloads: Buffer[] = [];
    const reader = new FrameReader({
      protocolHeader() {}, failure() {},
      frame: (_t, _c, p) => payloads.push(p),
    }, { protocolHeader: false });
    const chunk = Buffer.concat([f, f.subarray(0, 9)]);
    reader.push(chunk);
    reader.push(f.subarray(9));
    expect(payloads[0].buffer).toBe(chunk.buffer); // no copy
    chunk.fill(0);
    expect(payloads[1].toString()).toBe('hello'); // the split one was assembled in its own buffer
  });

  it('accepts AMQP 0-9-1 and 0-9 headers and refuses others with what it received', () => {
    expect(readAll([Buffer.from('AMQP\x01\x01\x00\x09', 'latin1')])).toEqual([{ kind: 'header' }]);
    for (const h of ['AMQP\x00\x00\x09\x02', 'AMQP\x01\x01\x08\x00', 'GET / HTTP/1.1\r\n']) {
      const events = readAll([Buffer.from(h, 'latin1')]);
      expect(events).toHaveLength(1);
      const f = (events[0] as { failure: BadProtocolHeader }).failure;
      expect(f).toBeInstanceOf(BadProtocolHeader);
      expect(f.received.toString('latin1')).toBe(h.slice(0, 8));
    }
  });

  it('waits for all 8 header bytes', () => {
    const { reader, events } = collectingReader();
    reader.push(Buffer.from('AMQP'));
    expect(events).toEqual([]);
    reader.push(Buffer.from([0, 0, 9, 1]));
    expect(events).toEqual([{ kind: 'header' }]);
  });

  describe('malformed input yields one failure value and nothing after it', () => {
    const failureOf = (events: Event[]) => {
      expect(events.filter((e) => e.kind === 'failure')).toHaveLength(1);
      const last = events[events.length - 1] as { kind: 'failure'; failure: DecodeFailure };
      expect(last.kind).toBe('failure');
      return last.failure;
    };

    it('bad frame-end byte', () => {
      const bad = frame(1, 1, [0, 60, 0, 10, 0, 0, 0, 0, 0, 1, 0]);
      bad[bad.length - 1] = 0;
      const f = failureOf(readAll([PROTOCOL_HEADER, bad, frame(8, 0, [])]));
      expect(f.replyCode).toBe(501);
      expect(f.replyText).toBe('FRAME_ERROR - type 1, all octets = <<0,60,0,10,0,0,0,0,0,1,0>>: {invalid_frame_end_marker,0}');
    });

    it('oversize frame, refused on its header before any payload is buffered', () => {
      const head = Buffer.from([1, 0, 1, 0, 3, 0x0d, 0x40]); // size 200000
      const { reader, events } = collectingReader({ frameMax: 131072 });
      reader.push(PROTOCOL_HEADER);
      reader.push(head);
      const f = failureOf(events);
      expect(f.replyText).toBe('FRAME_ERROR - type 1, all octets = <<>>: {frame_too_large,200000,131064}');
      reader.push(Buffer.alloc(300000)); // ignored
      expect(events).toHaveLength(2);
    });

    it('allows RabbitMQ\'s 8-byte fudge over frame_max', () => {
      expect(readAll([PROTOCOL_HEADER, frame(3, 1, Buffer.alloc(4096))], 4096).at(-1)?.kind).toBe('frame');
      expect(readAll([PROTOCOL_HEADER, frame(3, 1, Buffer.alloc(4097))], 4096).at(-1)?.kind).toBe('failure');
    });

    it('uses 4096 as the limit before tuning', () => {
      const { reader, events } = collectingReader();
      reader.push(Buffer.concat([PROTOCOL_HEADER, frame(1, 0, Buffer.alloc(5000))]));
      expect(failureOf(events).detail).toBe('type 1, all octets = <<>>: {frame_too_large,5000,4088}');
    });

    it('unknown frame type', () => {
      const f = failureOf(readAll([PROTOCOL_HEADER, frame(9, 1, [1, 2, 3])]));
      expect(f.replyText).toBe('FRAME_ERROR - type 9, all octets = <<1,2,3>>: unknown_frame');
    });

    it('heartbeat with a payload', () => {
      const f = failureOf(readAll([PROTOCOL_HEADER, frame(8, 0, Buffer.from('hi'))]));
      expect(f.replyText).toBe('FRAME_ERROR - type 8, all octets = <<"hi">>: unknown_frame');
    });

    it('long payloads are quoted by their first 16 octets', () => {
      const bad = frame(3, 1, Buffer.alloc(40, 1));
      bad[bad.length - 1] = 7;
      const f = failureOf(readAll([PROTOCOL_HEADER, bad]));
      expect(f.detail).toBe(`type 3, first 16 octets = <<${Array(16).fill(1).join(',')}>>: {invalid_frame_end_marker,7}`);
    });

    it('a frame cut off by a disconnect just leaves nothing emitted', () => {
      const f = frame(1, 1, [0, 60, 0, 10]);
      expect(readAll([PROTOCOL_HEADER, f.subarray(0, 5)])).toEqual([{ kind: 'header' }]);
    });

    it('random garbage never throws', () => {
      const r = new Random(5);
      for (let i = 0; i < 500; i++) {
        const { reader } = collectingReader({ frameMax: r.pick([0, 4096, 131072]) });
        expect(() => {
          reader.push(PROTOCOL_HEADER);
          for (let j = 0; j < 5; j++) reader.push(r.bytes(r.int(200)));
        }).not.toThrow();
      }
    });
  });

  it('stop() ignores the rest', () => {
    const { reader, events } = collectingReader({ protocolHeader: false });
    reader.push(frame(8, 0, []));
    reader.stop();
    reader.push(frame(8, 0, []));
    expect(events).toHaveLength(1);
  });
});
