/**
 * The command assembler alone: frames of one channel in (payloads built with Warren's codec),
 * whole commands out — a method, or a content method with its header and body — and
 * RabbitMQ's connection errors (codes, texts, class/method ids) for frames out of order.
 */
import { describe, expect, it } from 'vitest';
import { AmqpError } from '../../src/codec/amqp-error.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import * as P from '../../src/codec/generated/protocol.js';
import { CommandAssembler } from '../../src/session/command-assembler.js';
import { encode } from '../support/methods.js';

const MAX = 100_000;

const publish = (routingKey = 'q') => encode(P.BASIC_PUBLISH, { exchange: 'x', routingKey, mandatory: false, immediate: false });
const header = (bodySize: number, classId = P.CLASS_BASIC) => ContentHeader.build(classId, bodySize, { contentType: 'text/plain' }).raw;
const qos = () => encode(P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 5, global: false });

/** The AmqpError a frame throws, as [code, text, classId, methodId]. */
function thrown(f: () => unknown): [number, string, number, number] {
  try {
    f();
  } catch (e) {
    if (!(e instanceof AmqpError)) throw e;
    return [e.replyCode, e.replyText, e.classId, e.methodId];
  }
  throw new Error('no error thrown');
}

/** An assembler that has taken a basic.publish and waits for its header. */
function afterPublish(max = MAX): CommandAssembler {
  const a = new CommandAssembler(max);
  expect(a.frame(P.FRAME_METHOD, publish())).toBe(false);
  return a;
}

describe('CommandAssembler', () => {
  it('a method without content is a command at once', () => {
    const a = new CommandAssembler(MAX);
    const payload = qos();
    expect(a.idle).toBe(true);
    expect(a.frame(P.FRAME_METHOD, payload)).toBe(true);
    expect(a.method).toEqual({ id: P.BASIC_QOS, args: { prefetchSize: 0, prefetchCount: 5, global: false } });
    expect(a.methodPayload).toBe(payload);
    expect(a.header).toBeNull();
    expect(a.body).toHaveLength(0);
    expect(a.idle).toBe(true);
  });

  it('a publish whose body is one frame keeps that frame as the body (a view, no copy)', () => {
    const a = afterPublish();
    expect(a.idle).toBe(false);
    expect(a.frame(P.FRAME_HEADER, header(5))).toBe(false);
    const chunk = Buffer.alloc(9); // not from Buffer's shared pool: its memory is the chunk's own
    chunk.write('..hello..');
    const bodyFrame = chunk.subarray(2, 7);
    expect(a.frame(P.FRAME_BODY, bodyFrame)).toBe(true);
    expect(a.method?.id).toBe(P.BASIC_PUBLISH);
    expect(a.method?.args).toMatchObject({ exchange: 'x', routingKey: 'q', mandatory: false, immediate: false });
    expect(a.header?.bodySize).toBe(5);
    expect(a.body).toBe(bodyFrame);
    expect(a.body.buffer).toBe(chunk.buffer);
    expect(a.body.byteOffset).toBe(2);
    expect(a.body.toString()).toBe('hello');
    expect(a.idle).toBe(true);
  });

  it('a body in many frames is copied once into a buffer of its final size', () => {
    const size = 10_000; // above Buffer's pool threshold: the allocation is the body's own
    const body = Buffer.alloc(size, 'abcdefghij');
    const a = afterPublish();
    a.frame(P.FRAME_HEADER, header(size));
    expect(a.frame(P.FRAME_BODY, body.subarray(0, 4000))).toBe(false);
    const assembled = a.body;
    expect(assembled).toHaveLength(size);
    expect(a.frame(P.FRAME_BODY, body.subarray(4000, 8000))).toBe(false);
    expect(a.frame(P.FRAME_BODY, body.subarray(8000))).toBe(true);
    expect(a.body).toBe(assembled); // the same buffer from the first body frame to the last
    expect(a.body.buffer.byteLength).toBe(size);
    expect(a.body.buffer).not.toBe(body.buffer);
    expect(a.body.equals(body)).toBe(true);
  });

  it('an empty body ends the command at its header', () => {
    const a = afterPublish();
    expect(a.frame(P.FRAME_HEADER, header(0))).toBe(true);
    expect(a.body).toHaveLength(0);
    expect(a.idle).toBe(true);
  });

  it('the next publish starts afresh', () => {
    const a = afterPublish();
    a.frame(P.FRAME_HEADER, header(3));
    a.frame(P.FRAME_BODY, Buffer.from('one'));
    expect(a.frame(P.FRAME_METHOD, publish('r2'))).toBe(false);
    expect(a.header).toBeNull();
    expect(a.body).toHaveLength(0);
    a.frame(P.FRAME_HEADER, header(3));
    expect(a.frame(P.FRAME_BODY, Buffer.from('two'))).toBe(true);
    expect(a.method?.args).toMatchObject({ routingKey: 'r2' });
    expect(a.body.toString()).toBe('two');
  });

  it('a body frame beyond the size in the header is 501 FRAME_ERROR', () => {
    const a = afterPublish();
    a.frame(P.FRAME_HEADER, header(4));
    a.frame(P.FRAME_BODY, Buffer.from('abc'));
    expect(thrown(() => a.frame(P.FRAME_BODY, Buffer.from('de'))))
      .toEqual([501, 'FRAME_ERROR - content body frame exceeds remaining content size', 60, 40]);
    const single = afterPublish();
    single.frame(P.FRAME_HEADER, header(2));
    expect(thrown(() => single.frame(P.FRAME_BODY, Buffer.from('abc'))))
      .toEqual([501, 'FRAME_ERROR - content body frame exceeds remaining content size', 60, 40]);
  });

  it('a method where the content header belongs is 505, naming the publish', () => {
    expect(thrown(() => afterPublish().frame(P.FRAME_METHOD, qos())))
      .toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead', 60, 40]);
  });

  it('a body frame where the content header belongs is 505, naming the publish', () => {
    expect(thrown(() => afterPublish().frame(P.FRAME_BODY, Buffer.from('early'))))
      .toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead', 60, 40]);
  });

  it('a header frame too short for a class id and weight is taken for no header at all (505)', () => {
    expect(thrown(() => afterPublish().frame(P.FRAME_HEADER, Buffer.from([0, 60]))))
      .toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead', 60, 40]);
  });

  it('a method where a body frame belongs is 505, naming the publish', () => {
    const a = afterPublish();
    a.frame(P.FRAME_HEADER, header(10));
    a.frame(P.FRAME_BODY, Buffer.from('part'));
    expect(thrown(() => a.frame(P.FRAME_METHOD, qos())))
      .toEqual([505, 'UNEXPECTED_FRAME - expected content body, got non content body frame instead', 60, 40]);
  });

  it('a header or body frame with no method before it is 505 with no method ids', () => {
    expect(thrown(() => new CommandAssembler(MAX).frame(P.FRAME_HEADER, header(1))))
      .toEqual([505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead', 0, 0]);
    expect(thrown(() => new CommandAssembler(MAX).frame(P.FRAME_BODY, Buffer.from('x'))))
      .toEqual([505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead', 0, 0]);
  });

  it('a content header of another class is 505, naming both classes', () => {
    expect(thrown(() => afterPublish().frame(P.FRAME_HEADER, header(1, P.CLASS_QUEUE))))
      .toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got one for class 50 instead', 60, 40]);
  });

  it('a message over the maximum size is refused at its header with 406, before any body', () => {
    const a = afterPublish(1000);
    expect(thrown(() => a.frame(P.FRAME_HEADER, header(1001))))
      .toEqual([406, 'PRECONDITION_FAILED - message size 1001 is larger than configured max size 1000', 60, 40]);
    const atLimit = afterPublish(1000);
    expect(atLimit.frame(P.FRAME_HEADER, header(1000))).toBe(false);
  });

  it('a method that cannot be decoded is its decode error', () => {
    const [code, text, classId, methodId] = thrown(() => new CommandAssembler(MAX).frame(P.FRAME_METHOD, Buffer.from([0, 50, 0, 10, 0, 0, 200])));
    expect([code, classId, methodId]).toEqual([501, 50, 10]);
    expect(text).toMatch(/^FRAME_ERROR - cannot decode /);
  });

  it('reset() forgets a half-assembled command: a method may come next', () => {
    const a = afterPublish();
    a.frame(P.FRAME_HEADER, header(10));
    a.frame(P.FRAME_BODY, Buffer.from('part'));
    a.reset();
    expect(a.idle).toBe(true);
    expect(a.method).toBeNull();
    expect(a.header).toBeNull();
    expect(a.body).toHaveLength(0);
    expect(a.frame(P.FRAME_METHOD, qos())).toBe(true);
    expect(a.method?.id).toBe(P.BASIC_QOS);
  });
});
