/**
 * Method payloads that do not fit their method: each gives a DecodeFailure value with
 * RabbitMQ's reply code, naming the method and field; nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { decodeMethod } from '../../src/codec/method-codec.js';
import { decodeMethodGenerated } from '../../src/codec/generated/method-decoders.js';
import {
  BASIC_ACK, BASIC_PUBLISH, BASIC_QOS, COMMAND_INVALID, FRAME_ERROR, METHODS, QUEUE_DECLARE, TX_SELECT,
} from '../../src/codec/generated/protocol.js';
import { encode, randomArgs } from '../support/methods.js';
import { Random } from '../support/random.js';

function payload(id: number, ...parts: (number[] | Buffer)[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(id >>> 0);
  return Buffer.concat([head, ...parts.map((p) => Buffer.from(p))]);
}
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };

function failure(p: Buffer): DecodeFailure {
  const out = decodeMethod(p);
  expect(out).toBeInstanceOf(DecodeFailure);
  // the generated decoder must agree on the verdict
  const gen = decodeMethodGenerated(p);
  expect(gen).toBeInstanceOf(DecodeFailure);
  expect((gen as DecodeFailure).replyCode).toBe((out as DecodeFailure).replyCode);
  return out as DecodeFailure;
}

describe('malformed method frames', () => {
  it('truncated arguments name the field that runs out', () => {
    const f = failure(payload(BASIC_PUBLISH, [0, 0, 5, 65]));
    expect(f.replyCode).toBe(FRAME_ERROR);
    expect(f.method).toBe('basic.publish');
    expect(f.field).toBe('exchange');
    expect([f.classId, f.methodId]).toEqual([60, 40]);
    expect(f.replyText).toBe("FRAME_ERROR - cannot decode basic.publish: field 'exchange' runs past the end of the frame");
  });

  it('a lying length field (table longer than the frame)', () => {
    const f = failure(payload(QUEUE_DECLARE, [0, 0, 1, 113, 0], u32(300), [1, 97, 86]));
    expect(f.replyCode).toBe(FRAME_ERROR);
    expect(f.field).toBe('arguments');
  });

  it('a bit field past the payload', () => {
    const f = failure(payload(BASIC_QOS, u32(0), [0, 1]));
    expect(f.replyCode).toBe(FRAME_ERROR);
    expect(f.field).toBe('global');
  });

  it('bytes after the last field', () => {
    const f = failure(payload(BASIC_QOS, u32(0), [0, 1, 0, 9]));
    expect(f.replyCode).toBe(FRAME_ERROR);
    expect(f.detail).toBe('cannot decode basic.qos: 1 unexpected byte after the last field');
  });

  it('bytes after a method that has no fields', () => {
    expect(failure(payload(TX_SELECT, [0])).replyCode).toBe(FRAME_ERROR);
  });

  it('a bad table type tag', () => {
    const f = failure(payload(QUEUE_DECLARE, [0, 0, 1, 113, 0], u32(3), [1, 97, 90]));
    expect(f.replyCode).toBe(FRAME_ERROR);
    expect(f.field).toBe('arguments');
    expect(f.detail).toMatch(/unknown field type 0x5a/);
  });

  it('malformed UTF-8 in a short string (as RabbitMQ checks it)', () => {
    const f = failure(payload(QUEUE_DECLARE, [0, 0, 2, 0xff, 0xfe, 0], u32(0)));
    expect(f.replyText).toBe('FRAME_ERROR - Malformed UTF-8 in shortstr');
    expect(f.field).toBe('queue');
  });

  it('unknown class and method ids', () => {
    for (const id of [0x003c0063, 0x00630001]) {
      const f = failure(payload(id));
      expect(f.replyCode).toBe(COMMAND_INVALID);
      expect([f.classId, f.methodId]).toEqual([id >>> 16, id & 0xffff]);
    }
  });

  it('a method frame too short to hold its ids', () => {
    const f = decodeMethod(Buffer.from([0, 60])) as DecodeFailure;
    expect(f.replyText).toBe('FRAME_ERROR - type 1, all octets = <<0,60>>: unknown_frame');
  });

  it('every truncation of every method is a value, never an exception', () => {
    const r = new Random(3);
    for (const info of METHODS) {
      for (let i = 0; i < 5; i++) {
        const bytes = encode(info.id, randomArgs(info, r));
        for (let cut = 4; cut < bytes.length; cut++) {
          const out = decodeMethod(bytes.subarray(0, cut));
          expect(out).toBeInstanceOf(DecodeFailure);
          expect((out as DecodeFailure).replyCode).toBe(FRAME_ERROR);
        }
      }
    }
  });

  it('basic.ack with the wrong length', () => {
    expect(failure(payload(BASIC_ACK, [0, 0, 0, 0, 0, 0, 0, 1])).field).toBe('multiple');
  });
});
