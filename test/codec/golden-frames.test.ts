/**
 * Frames captured from real clients (amqplib, pika, Bunny) talking to a real RabbitMQ 3.10 by
 * protocol/fixtures/capture.mjs: they decode to the values the scenario scripts in
 * protocol/fixtures/clients/ sent, re-encode to the same bytes, and the reader splits each
 * client's whole stream into the same frames at every chunk boundary.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { tableToObject, type FieldTable } from '../../src/codec/field-table.js';
import { writeBasicProperties } from '../../src/codec/generated/basic-properties.js';
import { encodeMethod } from '../../src/codec/generated/method-encoders.js';
import type { Method, MethodInitById } from '../../src/codec/generated/method-types.js';
import { decodeMethod } from '../../src/codec/method-codec.js';
import {
  BASIC_CONSUME, BASIC_PUBLISH, CONNECTION_START_OK, QUEUE_DECLARE,
} from '../../src/codec/generated/protocol.js';
import { collectingReader } from '../support/frames.js';

interface RawFrame { type: number; channel: number; payload: string }
interface Fixture {
  client: string;
  rabbitmq: string;
  frames: Record<'connection.start-ok' | 'queue.declare' | 'basic.publish' | 'content-header' | 'basic.consume', RawFrame> & { body: RawFrame[] };
  stream: string;
}

const CLIENTS = ['amqplib', 'pika', 'bunny'] as const;
const load = (client: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../../protocol/fixtures/${client}.json`, import.meta.url), 'utf8'));

function decode(raw: RawFrame): { method: Method; bytes: Buffer } {
  const bytes = Buffer.from(raw.payload, 'hex');
  const method = decodeMethod(bytes);
  if (method instanceof DecodeFailure) throw new Error(method.replyText);
  return { method, bytes };
}

function reencode(m: Method): Buffer {
  const w = new ByteWriter(64);
  encodeMethod(w, m.id as keyof MethodInitById, m.args as never);
  return Buffer.from(w.take());
}

/** Table values as numbers/strings, whatever integer width each client chose. */
const plain = (t: FieldTable) => JSON.parse(JSON.stringify(tableToObject(t), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));

describe.each(CLIENTS)('golden frames from %s', (client) => {
  const fx = load(client);

  it('was captured against RabbitMQ', () => {
    expect(fx.rabbitmq).toMatch(/^3\./);
  });

  it('connection.start-ok', () => {
    const { method, bytes } = decode(fx.frames['connection.start-ok']);
    expect(method.id).toBe(CONNECTION_START_OK);
    if (method.id !== CONNECTION_START_OK) return;
    expect(method.args.mechanism).toBe('PLAIN');
    expect(method.args.response.toString('latin1')).toBe('\0guest\0guest');
    expect(method.args.locale).toBe(client === 'bunny' ? 'en_GB' : 'en_US'); // Bunny sends en_GB
    const props = plain(method.args.clientProperties);
    expect(props.capabilities).toMatchObject({ publisher_confirms: true, 'basic.nack': true, consumer_cancel_notify: true });
    expect(typeof props.product).toBe('string');
    expect(reencode(method).equals(bytes)).toBe(true);
  });

  it('queue.declare with arguments', () => {
    const { method, bytes } = decode(fx.frames['queue.declare']);
    expect(method.id).toBe(QUEUE_DECLARE);
    if (method.id !== QUEUE_DECLARE) return;
    expect(method.args).toMatchObject({ queue: 'golden-q', passive: false, durable: false, exclusive: false, autoDelete: true, noWait: false });
    expect(plain(method.args.arguments)).toEqual({
      'x-message-ttl': 60000, 'x-max-length': 10, 'x-dead-letter-exchange': 'golden-dlx', 'x-golden-flag': true,
    });
    expect(reencode(method).equals(bytes)).toBe(true);
  });

  it('basic.publish + content header with every property the client supports + body', () => {
    const { method, bytes } = decode(fx.frames['basic.publish']);
    expect(method).toEqual({ id: BASIC_PUBLISH, args: { reserved1: 0, exchange: '', routingKey: 'golden-q', mandatory: false, immediate: false } });
    expect(reencode(method).equals(bytes)).toBe(true);

    const raw = Buffer.from(fx.frames['content-header'].payload, 'hex');
    const header = ContentHeader.fromPayload(raw) as ContentHeader;
    expect(header).toBeInstanceOf(ContentHeader);
    const body = Buffer.concat(fx.frames.body.map((f) => Buffer.from(f.payload, 'hex')));
    expect(body.toString()).toBe(`golden body from ${client}`);
    expect(header.classId).toBe(60);
    expect(header.bodySize).toBe(body.length);
    const { headers, ...rest } = header.properties;
    expect(rest).toEqual({
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode: 2,
      priority: 5,
      correlationId: 'corr-1',
      replyTo: 'reply-q',
      expiration: '60000',
      messageId: 'msg-1',
      timestamp: 1700000000,
      type: 'golden.type',
      userId: 'guest',
      appId: 'golden-app',
      // amqplib has no cluster-id option, so it sends 13 of the 14 properties
      ...(client === 'amqplib' ? {} : { reserved: 'golden-cluster' }),
    });
    expect(plain(headers as FieldTable)).toEqual({ 'x-string': 'héllo', 'x-int': 42, 'x-nested': { a: [1, 'two'] } });
    // re-encoding the decoded properties gives the received bytes
    const w = new ByteWriter(64);
    w.bytes(raw.subarray(0, 12));
    writeBasicProperties(w, header.properties);
    expect(Buffer.from(w.take()).equals(raw)).toBe(true);
  });

  it('basic.consume', () => {
    const { method, bytes } = decode(fx.frames['basic.consume']);
    expect(method.id).toBe(BASIC_CONSUME);
    if (method.id !== BASIC_CONSUME) return;
    expect(method.args).toMatchObject({ queue: 'golden-q', consumerTag: 'golden-ctag', noLocal: false, noAck: false, exclusive: false, noWait: false });
    expect(plain(method.args.arguments)).toEqual({ 'x-priority': 3 });
    expect(reencode(method).equals(bytes)).toBe(true);
  });

  it('the reader gives the same frames for the whole stream split at every byte offset', () => {
    const stream = Buffer.from(fx.stream, 'hex');
    const read = (chunks: Buffer[]) => {
      const { reader, events } = collectingReader({ frameMax: 131072 });
      for (const c of chunks) reader.push(c);
      return events;
    };
    const whole = read([stream]);
    expect(whole.some((e) => e.kind === 'failure')).toBe(false);
    expect(whole.filter((e) => e.kind === 'frame').length).toBeGreaterThanOrEqual(8);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(read([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
    }
  });
});
