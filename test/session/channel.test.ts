/**
 * One channel alone, over a fake connection whose frame writer is captured: frames in, the
 * handlers, frames out — publishing into a queue, basic.get and its ack (by the fast path),
 * consumers and their prefetch, confirms, and which errors close the channel and which the
 * connection.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AmqpError } from '../../src/codec/amqp-error.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import * as P from '../../src/codec/generated/protocol.js';
import { decodeMethod } from '../../src/codec/method-codec.js';
import type { Method } from '../../src/codec/generated/method-types.js';
import { VirtualHost } from '../../src/broker/vhost.js';
import { FlushScheduler } from '../../src/net/flush-scheduler.js';
import { FrameWriter } from '../../src/net/frame-writer.js';
import { Channel } from '../../src/session/channel.js';
import type { SessionConnection } from '../../src/session/session-connection.js';
import { fullAccess } from '../support/access.js';
import { collectingReader } from '../support/frames.js';
import { encode } from '../support/methods.js';

/** A connection that keeps what the channel writes, and the connection errors it raises. */
class FakeConnection implements SessionConnection {
  readonly id = 1;
  readonly log = pino({ level: 'silent' });
  readonly user = 'guest';
  readonly access = fullAccess('guest', '/');
  readonly capabilities = { consumerCancelNotify: true, connectionBlocked: false, authenticationFailureClose: false };
  readonly canWrite = true;
  readonly maxMessageSize = 1000;
  readonly consumerTimeout = 0;
  readonly failures: AmqpError[] = [];
  closedChannels = 0;
  private readonly out: Buffer[] = [];
  readonly writer = new FrameWriter({ write: (chunks) => { this.out.push(...chunks.map((c) => Buffer.from(c))); } }, new FlushScheduler());

  constructor() {
    this.writer.frameMax = 131072;
  }

  publishing(): void {}
  noteOutput(): void {}
  fail(err: AmqpError): void {
    this.failures.push(err);
  }
  channelClosed(): void {
    this.closedChannels++;
  }

  /** Frames written since the last call: [type, payload, decoded method (for method frames)]. */
  written(): { type: number; payload: Buffer; method?: Method }[] {
    this.writer.flush();
    const { reader, events } = collectingReader({ protocolHeader: false, frameMax: 0 });
    reader.push(Buffer.concat(this.out.splice(0)));
    return events.flatMap((e) => {
      if (e.kind !== 'frame') return [];
      const m = e.type === P.FRAME_METHOD ? decodeMethod(e.payload) : undefined;
      return [{ type: e.type, payload: e.payload, method: m instanceof DecodeFailure ? undefined : m }];
    });
  }
}

function setup() {
  const conn = new FakeConnection();
  const vhost = new VirtualHost('/');
  const ch = new Channel(1, conn, vhost);
  const method = (id: number, args: Record<string, unknown> = {}) => ch.frame(P.FRAME_METHOD, encode(id, args));
  const publish = (routingKey: string, body: string, props = {}) => {
    method(P.BASIC_PUBLISH, { exchange: '', routingKey, mandatory: false, immediate: false });
    ch.frame(P.FRAME_HEADER, ContentHeader.build(P.CLASS_BASIC, body.length, props).raw);
    if (body.length > 0) ch.frame(P.FRAME_BODY, Buffer.from(body));
  };
  const declare = (queue: string) => method(P.QUEUE_DECLARE, { queue, passive: false, durable: false, exclusive: false, autoDelete: false, noWait: true, arguments: [] });
  const ids = () => conn.written().filter((f) => f.method).map((f) => f.method?.id);
  return { conn, vhost, ch, method, publish, declare, ids };
}

describe('Channel', () => {
  it('assembles a publish from its frames into the queue; basic.get hands it out; the ack settles it', () => {
    const { conn, vhost, ch, method, publish, declare } = setup();
    declare('q');
    publish('q', 'hello', { messageId: 'm1' });
    expect(vhost.queue('q').messageCount).toBe(1);
    method(P.BASIC_GET, { queue: 'q', noAck: false });
    const out = conn.written();
    expect(out.map((f) => f.type)).toEqual([P.FRAME_METHOD, P.FRAME_HEADER, P.FRAME_BODY]);
    expect(out[0].method).toEqual({ id: P.BASIC_GET_OK, args: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q', messageCount: 0 } });
    expect(out[2].payload.toString()).toBe('hello');
    expect(ch.ledger.size).toBe(1);
    method(P.BASIC_ACK, { deliveryTag: 1, multiple: false }); // 13 bytes: the fast path
    expect(ch.ledger.size).toBe(0);
  });

  it('a consumer gets no more than its prefetch; each ack lets the next one through', () => {
    const { conn, method, publish, declare, ids } = setup();
    declare('q');
    for (const b of ['1', '2', '3']) publish('q', b);
    method(P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 2, global: false });
    method(P.BASIC_CONSUME, { queue: 'q', consumerTag: 'c', noLocal: false, noAck: false, exclusive: false, noWait: false, arguments: [] });
    expect(ids().filter((id) => id === P.BASIC_DELIVER)).toHaveLength(2);
    method(P.BASIC_ACK, { deliveryTag: 1, multiple: false });
    const next = conn.written().filter((f) => f.method?.id === P.BASIC_DELIVER);
    expect(next.map((f) => (f.method?.args as { deliveryTag: number }).deliveryTag)).toEqual([3]);
  });

  it('in confirm mode a transient publish is acknowledged with its sequence number', async () => {
    const { conn, method, publish, declare } = setup();
    declare('q');
    method(P.CONFIRM_SELECT, { nowait: false });
    publish('q', 'a');
    publish('nowhere', 'b');
    await new Promise((r) => setImmediate(r));
    const acks = conn.written().filter((f) => f.method?.id === P.BASIC_ACK).map((f) => f.method?.args);
    expect(acks).toEqual([{ deliveryTag: 2, multiple: true }]);
  });

  it('a soft error closes the channel, which then ignores all but close and close-ok', () => {
    const { conn, ch, method, declare, ids } = setup();
    method(P.BASIC_ACK, { deliveryTag: 99, multiple: false });
    const close = conn.written().find((f) => f.method?.id === P.CHANNEL_CLOSE)?.method;
    expect(close?.args).toEqual({ replyCode: 406, replyText: 'PRECONDITION_FAILED - unknown delivery tag 99', classId: 60, methodId: 80 });
    expect(ch.state).toBe('closing');
    declare('ignored');
    expect(ids()).toEqual([]);
    method(P.CHANNEL_CLOSE_OK);
    expect(conn.closedChannels).toBe(1);
    expect(conn.failures).toEqual([]);
  });

  it('a hard error goes to the connection', () => {
    const { conn, method, declare } = setup();
    declare('q');
    const consume = { queue: 'q', consumerTag: 'same', noLocal: false, noAck: false, exclusive: false, noWait: false, arguments: [] };
    method(P.BASIC_CONSUME, consume);
    method(P.BASIC_CONSUME, consume);
    expect(conn.failures.map((e) => [e.replyCode, e.replyText, e.classId, e.methodId]))
      .toEqual([[530, "NOT_ALLOWED - attempt to reuse consumer tag 'same'", 60, 20]]);
  });

  it('a body larger than the connection allows is refused at its header (406)', () => {
    const { conn, method, ch } = setup();
    method(P.BASIC_PUBLISH, { exchange: '', routingKey: 'q', mandatory: false, immediate: false });
    ch.frame(P.FRAME_HEADER, ContentHeader.build(P.CLASS_BASIC, 5000, {}).raw);
    const close = conn.written().find((f) => f.method?.id === P.CHANNEL_CLOSE)?.method;
    expect(close?.args).toMatchObject({ replyCode: 406, replyText: 'PRECONDITION_FAILED - message size 5000 is larger than configured max size 1000' });
  });
});
