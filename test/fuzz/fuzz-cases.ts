/**
 * The fuzzer's cases, each made from (seed, index) alone so that any one can be replayed:
 *  - `mutation`: a frame real clients sent RabbitMQ (protocol/fixtures: amqplib, pika, Bunny),
 *    or a frame of any method with random arguments, damaged one to three times — bits
 *    flipped, bytes changed, inserted, removed, the frame cut short or padded, its size, type,
 *    channel or end octet changed;
 *  - `sequence`: well-formed methods in random orders on one channel — declares with odd
 *    arguments, bindings, publishes with odd properties and wrongly sized bodies, consumes,
 *    acks of tags never given, transactions and confirms mixed, content where none belongs;
 *  - `handshake`: a new socket that goes wrong before connection.open-ok — a bad protocol
 *    header, a malformed or refused login, tune-ok out of range, an unknown vhost, a stall.
 */
import { readFileSync } from 'node:fs';
import { ContentHeader } from '../../src/codec/content-header.js';
import type { FieldTable, TableEntry } from '../../src/codec/field-table.js';
import * as P from '../../src/codec/generated/protocol.js';
import { PROTOCOL_HEADER } from '../../src/net/frame-reader.js';
import { randomTable, randomValue } from '../support/field-values.js';
import { frame } from '../support/frames.js';
import { encode, randomArgs } from '../support/methods.js';
import { Random } from '../support/random.js';
import { repoFile } from '../support/repo-root.js';

export type CaseKind = 'mutation' | 'sequence' | 'handshake';

export interface RunningCase {
  readonly kind: 'mutation' | 'sequence';
  /** Bytes to send on an open connection, on `channel` (and whatever the damage chose). */
  readonly bytes: Buffer;
}

export interface HandshakeCase {
  readonly kind: 'handshake';
  /** Sent step by step on a new socket; `stall` stops after the steps. */
  readonly steps: HandshakeStep[];
}

export type HandshakeStep =
  | { readonly send: 'header'; readonly bytes: Buffer }
  | { readonly send: 'start-ok'; readonly mechanism: string; readonly response: Buffer; readonly clientProperties: FieldTable }
  | { readonly send: 'tune-ok'; readonly channelMax: number; readonly frameMax: number; readonly heartbeat: number }
  | { readonly send: 'open'; readonly vhost: string }
  | { readonly send: 'raw'; readonly bytes: Buffer };

export type FuzzCase = RunningCase | HandshakeCase;

/** The PRNG of case `index` under `seed`: independent of every other case. */
export function caseRandom(seed: number, index: number): Random {
  return new Random((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

export function makeCase(seed: number, index: number, channel: number): FuzzCase {
  const r = caseRandom(seed, index);
  const roll = r.next();
  if (roll < 0.4) return { kind: 'mutation', bytes: mutation(r, channel) };
  if (roll < 0.85) return { kind: 'sequence', bytes: sequence(r, channel) };
  return { kind: 'handshake', steps: handshake(r) };
}

// ---- mutations of real frames ----

interface RawFrame { type: number; channel: number; payload: string }
const GOLDEN: Buffer[] = (() => {
  const out: Buffer[] = [];
  for (const client of ['amqplib', 'pika', 'bunny']) {
    const fixture = JSON.parse(readFileSync(repoFile(`protocol/fixtures/${client}.json`), 'utf8')) as {
      frames: Record<string, RawFrame | RawFrame[]>;
    };
    for (const [name, f] of Object.entries(fixture.frames)) {
      if (name === 'connection.start-ok') continue; // a channel-0 frame of the handshake, fuzzed there
      for (const one of Array.isArray(f) ? f : [f]) out.push(frame(one.type, 0, Buffer.from(one.payload, 'hex')));
    }
  }
  return out;
})();

function mutation(r: Random, channel: number): Buffer {
  // a real client's frame, or any method with random arguments (server-only methods included)
  const info = r.pick(P.METHODS);
  let b = r.next() < 0.6 ? Buffer.from(r.pick(GOLDEN)) : frame(P.FRAME_METHOD, 0, encode(info.id, randomArgs(info, r)));
  b.writeUInt16BE(channel, 1);
  // a channel.open first, most of the time, so that the damage reaches the channel's handling
  const open = r.next() < 0.8 ? frame(P.FRAME_METHOD, channel, encode(P.CHANNEL_OPEN, {})) : Buffer.alloc(0);
  const damages = r.range(1, 3);
  for (let i = 0; i < damages; i++) b = damage(r, b);
  return Buffer.concat([open, b]);
}

function damage(r: Random, b: Buffer): Buffer {
  const at = b.length === 0 ? 0 : r.int(b.length);
  switch (r.int(10)) {
    case 0: { // flip a bit
      const c = Buffer.from(b);
      if (c.length > 0) c[at] ^= 1 << r.int(8);
      return c;
    }
    case 1: { // a random byte
      const c = Buffer.from(b);
      if (c.length > 0) c[at] = r.int(256);
      return c;
    }
    case 2: return Buffer.concat([b.subarray(0, at), r.bytes(r.range(1, 8)), b.subarray(at)]); // insert
    case 3: return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + r.range(1, 8)))]); // delete
    case 4: return b.subarray(0, at); // cut short
    case 5: { // the frame size field: off by a little, or huge
      const c = Buffer.from(b);
      if (c.length >= 7) c.writeUInt32BE(r.bool() ? Math.max(0, c.readUInt32BE(3) + r.range(-4, 4)) : r.range(0, 0xffff_ffff), 3);
      return c;
    }
    case 6: { // the frame type
      const c = Buffer.from(b);
      if (c.length > 0) c[0] = r.pick([0, 1, 2, 3, 4, 8, 9, 65, 206, 255]);
      return c;
    }
    case 7: { // the end octet
      const c = Buffer.from(b);
      if (c.length > 0) c[c.length - 1] = r.int(256);
      return c;
    }
    case 8: { // a string or table length inside the payload (the bytes after class/method ids)
      const c = Buffer.from(b);
      if (c.length > 12) {
        const p = r.range(11, c.length - 2);
        if (r.bool()) c[p] = r.pick([0, 1, 127, 128, 255]);
        else c.writeUInt32BE(r.pick([0, 1, 0x7fff_ffff, 0xffff_ffff, c.length]), Math.min(p, c.length - 4));
      }
      return c;
    }
    default: return Buffer.concat([b, b]); // the same frame twice
  }
}

// ---- method sequences ----

/** Named queues and exchanges the cases share (the runner deletes them after each batch). */
export const SHARED_QUEUES = ['fz-q1', 'fz-q2', 'fz-q3'] as const;
export const SHARED_EXCHANGES = ['fz-x1', 'fz-x2'] as const;
const QUEUES = [...SHARED_QUEUES, '', 'amq.gen-x', 'amq.rabbitmq.reply-to'];
const EXCHANGES = ['', 'amq.direct', 'amq.topic', 'amq.fanout', 'amq.headers', ...SHARED_EXCHANGES, 'amq.nope'];
const TYPES = ['direct', 'topic', 'fanout', 'headers', 'x-nope', ''];
const QUEUE_ARGUMENTS = [
  'x-message-ttl', 'x-expires', 'x-max-length', 'x-max-length-bytes', 'x-overflow', 'x-dead-letter-exchange',
  'x-dead-letter-routing-key', 'x-max-priority', 'x-queue-type', 'x-single-active-consumer', 'x-delivery-limit',
  'x-consumer-timeout', 'x-queue-mode', 'x-whatever',
];

function args(r: Random, names: readonly string[]): FieldTable {
  const n = r.int(3);
  const out: TableEntry[] = [];
  for (let i = 0; i < n; i++) {
    const name = r.pick(names);
    const value = r.next() < 0.5 ? randomValue(r, 1, r.pick(['I', 'l', 'S', 't', 'b', 'd', 'F'] as const))
      : { type: 'S' as const, value: Buffer.from(r.pick(['classic', 'quorum', 'stream', 'reject-publish', 'drop-head', 'lazy', 'fz-x1', ''])) };
    out.push({ name, value });
  }
  return out;
}

function sequence(r: Random, channel: number): Buffer {
  const frames: Buffer[] = [];
  const method = (id: number, a: Record<string, unknown>) => frames.push(frame(P.FRAME_METHOD, channel, encode(id, a)));
  if (r.next() < 0.95) method(P.CHANNEL_OPEN, {});
  let deliveryTag = 1;
  const steps = r.range(2, 8);
  for (let i = 0; i < steps; i++) {
    const noWait = r.next() < 0.2;
    switch (r.int(16)) {
      case 0: { // a server-named queue is exclusive (dies with the connection), as clients declare them
        const queue = r.pick(QUEUES);
        method(P.QUEUE_DECLARE, {
        queue, passive: r.next() < 0.2, durable: r.next() < 0.3, exclusive: queue === '' || r.next() < 0.5,
        autoDelete: r.next() < 0.5, noWait, arguments: args(r, QUEUE_ARGUMENTS),
        });
        break;
      }
      case 1: method(P.EXCHANGE_DECLARE, {
        exchange: r.pick(EXCHANGES), type: r.pick(TYPES), passive: r.next() < 0.2, durable: r.next() < 0.2,
        autoDelete: r.next() < 0.5, internal: r.next() < 0.2, noWait, arguments: args(r, ['alternate-exchange', 'x-foo']),
      }); break;
      case 2: method(P.QUEUE_BIND, {
        queue: r.pick(QUEUES), exchange: r.pick(EXCHANGES), routingKey: r.shortString(20), noWait,
        arguments: r.next() < 0.5 ? [] : randomTable(r, 1, 3),
      }); break;
      case 3: case 4: case 5: { // publish, with content that may not add up
        method(P.BASIC_PUBLISH, { exchange: r.pick(EXCHANGES), routingKey: r.pick([...QUEUES, r.shortString(20)]), mandatory: r.bool(), immediate: r.next() < 0.1 });
        const size = r.pick([0, 1, 10, 500, 5000, 200_000]);
        const declared = r.next() < 0.8 ? size : r.range(0, 300_000);
        const props: Record<string, unknown> = {};
        if (r.bool()) props.headers = r.next() < 0.3 ? [{ name: 'CC', value: randomValue(r, 1) }] : randomTable(r, 2, 4);
        if (r.next() < 0.3) props.expiration = r.pick(['0', '100', '-1', 'abc', '99999999999999999999']);
        if (r.next() < 0.3) props.deliveryMode = r.int(4);
        if (r.next() < 0.2) props.priority = r.int(256);
        if (r.next() < 0.2) props.userId = r.pick(['guest', 'mallory']);
        if (r.next() < 0.1) props.replyTo = 'amq.rabbitmq.reply-to';
        if (r.next() < 0.9) frames.push(frame(P.FRAME_HEADER, channel, ContentHeader.build(r.next() < 0.95 ? P.CLASS_BASIC : r.int(100), declared, props as never).raw));
        for (let sent = 0; sent < Math.min(size, 140_000);) {
          const n = Math.min(131_064, size - sent, r.next() < 0.5 ? 4096 : 131_064);
          frames.push(frame(P.FRAME_BODY, r.next() < 0.97 ? channel : r.int(4), Buffer.alloc(n, 0x61)));
          sent += n;
        }
        break;
      }
      case 6: method(P.BASIC_CONSUME, {
        queue: r.pick(QUEUES), consumerTag: r.pick(['', 'fz-tag', r.shortString(10)]), noLocal: false, noAck: r.bool(),
        exclusive: r.next() < 0.2, noWait, arguments: args(r, ['x-priority', 'x-stream-offset', 'x-cancel-on-ha-failover']),
      }); break;
      case 7: method(r.pick([P.BASIC_ACK, P.BASIC_NACK, P.BASIC_REJECT]), {
        deliveryTag: r.pick([0, deliveryTag++, r.range(0, 0xffff_ffff)]), multiple: r.bool(), requeue: r.bool(),
      }); break;
      case 8: method(P.BASIC_QOS, { prefetchSize: r.pick([0, 0, 1]), prefetchCount: r.int(5), global: r.bool() }); break;
      case 9: method(r.pick([P.TX_SELECT, P.TX_COMMIT, P.TX_ROLLBACK, P.CONFIRM_SELECT]), { nowait: noWait }); break;
      case 10: method(P.BASIC_GET, { queue: r.pick(QUEUES), noAck: r.bool() }); break;
      case 11: method(r.pick([P.QUEUE_PURGE, P.QUEUE_DELETE]), { queue: r.pick(QUEUES), ifUnused: r.bool(), ifEmpty: r.bool(), noWait }); break;
      case 12: method(r.pick([P.EXCHANGE_DELETE, P.EXCHANGE_BIND, P.EXCHANGE_UNBIND, P.QUEUE_UNBIND]), {
        exchange: r.pick(EXCHANGES), destination: r.pick(EXCHANGES), source: r.pick(EXCHANGES), queue: r.pick(QUEUES),
        routingKey: r.shortString(10), ifUnused: r.bool(), noWait, arguments: [],
      }); break;
      case 13: method(r.pick([P.BASIC_RECOVER, P.BASIC_RECOVER_ASYNC, P.CHANNEL_FLOW, P.BASIC_CANCEL]), {
        requeue: r.bool(), active: r.bool(), consumerTag: 'fz-tag', nowait: noWait,
      }); break;
      case 14: { // any method at all, with random arguments (channel.close, connection methods on a channel, server-only ones)
        const info = r.pick(P.METHODS);
        method(info.id, randomArgs(info, r));
        break;
      }
      default: // content out of place
        frames.push(frame(r.bool() ? P.FRAME_HEADER : P.FRAME_BODY, channel, r.bytes(r.int(30))));
    }
  }
  return Buffer.concat(frames);
}

// ---- the handshake ----

function handshake(r: Random): HandshakeStep[] {
  const steps: HandshakeStep[] = [];
  const header = r.next() < 0.8 ? PROTOCOL_HEADER : r.pick([
    Buffer.from('AMQP\x00\x00\x09\x00'), Buffer.from('AMQP\x01\x01\x00\x09'), Buffer.from('HTTP/1.1'), Buffer.from('AMQP'), r.bytes(r.range(1, 12)),
  ]);
  steps.push({ send: 'header', bytes: header });
  if (r.next() < 0.1) return steps; // stall after the header
  const mechanism = r.next() < 0.8 ? r.pick(['PLAIN', 'AMQPLAIN']) : r.pick(['EXTERNAL', 'CRAM-MD5', '', 'plain']);
  const response = r.next() < 0.6 ? Buffer.from(`\0guest\0${r.next() < 0.8 ? 'guest' : 'wrong'}`) : r.bytes(r.int(40));
  const capabilities = r.bool() ? [{ name: 'authentication_failure_close', value: { type: 't' as const, value: true } }] : [];
  steps.push({ send: 'start-ok', mechanism, response, clientProperties: [{ name: 'capabilities', value: { type: 'F', value: capabilities } }] });
  if (r.next() < 0.1) return steps;
  if (r.next() < 0.15) {
    steps.push({ send: 'raw', bytes: mutation(r, 0) });
    return steps;
  }
  steps.push({
    send: 'tune-ok', channelMax: r.pick([0, 1, 2047, 65535]), frameMax: r.pick([0, 4095, 4096, 131072, 131073, 0xffff_ffff]),
    heartbeat: r.pick([0, 0, 1, 600]),
  });
  if (r.next() < 0.1) return steps;
  steps.push({ send: 'open', vhost: r.next() < 0.8 ? '/' : r.shortString(20) });
  if (r.next() < 0.3) steps.push({ send: 'raw', bytes: r.next() < 0.5 ? mutation(r, r.range(0, 3)) : sequence(r, 1) });
  return steps;
}
