/** Channel lifecycle and error scope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { startTarget, type TargetBroker } from '../support/broker.js';
import { frame } from '../../test/support/frames.js';
import { RawClient } from '../../test/support/raw-client.js';

let broker: TargetBroker;
beforeAll(async () => { broker = await startTarget(); });
afterAll(async () => { await broker.stop(); });

const passiveDeclare = (queue: string) => ({ queue, passive: true, durable: false, exclusive: false, autoDelete: false, noWait: false });

describe('channels', () => {
  it('a soft error closes only the channel; the number can be reused after close-ok', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    await c.openChannel(2);
    c.method(1, P.QUEUE_DECLARE, passiveDeclare('missing'));
    expect(await c.channelClose()).toEqual([404, "NOT_FOUND - no queue 'missing' in vhost '/'", 50, 10]);
    // while closing, other methods on that channel are ignored
    c.method(1, P.QUEUE_DECLARE, passiveDeclare('missing-too'));
    c.method(1, P.CHANNEL_CLOSE_OK, {});
    // channel 2 is unaffected
    c.method(2, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    await c.nextMethod(P.BASIC_QOS_OK);
    await c.openChannel(1);
    c.method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    await c.nextMethod(P.BASIC_QOS_OK);
    expect(c.frames.filter((f) => f.method?.id === P.CHANNEL_CLOSE)).toHaveLength(0);
    c.close();
  });

  it('client channel.close gets close-ok', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CHANNEL_CLOSE, { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
    await c.nextMethod(P.CHANNEL_CLOSE_OK);
    c.close();
  });

  it('a method on a channel never opened is 504 (connection)', async () => {
    const c = await RawClient.open(broker.port);
    c.method(5, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    expect(await c.connectionClose()).toEqual([504, "CHANNEL_ERROR - expected 'channel.open'", 60, 10]);
    c.close();
  });

  it('a second channel.open is 504', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CHANNEL_OPEN, {});
    expect(await c.connectionClose()).toEqual([504, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10]);
    c.close();
  });

  it('refuses more channels than the channel_max the client negotiated (530)', async () => {
    const c = await RawClient.open(broker.port, { channelMax: 3 });
    for (let i = 1; i <= 3; i++) await c.openChannel(i);
    c.method(4, P.CHANNEL_OPEN, {});
    expect((await c.connectionClose()).slice(0, 2)).toEqual([530, 'NOT_ALLOWED - number of channels opened (3) has reached the negotiated channel_max (3)']);
    c.close();
  });

  it('channel.flow active=true is answered; active=false is NOT_IMPLEMENTED', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CHANNEL_FLOW, { active: true });
    expect((await c.nextMethod(P.CHANNEL_FLOW_OK)).args).toEqual({ active: true });
    c.method(1, P.CHANNEL_FLOW, { active: false });
    expect(await c.connectionClose()).toEqual([540, 'NOT_IMPLEMENTED - active=false', 20, 20]);
    c.close();
  });

  it('a heartbeat on a channel other than 0 is 505', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.write(frame(P.FRAME_HEARTBEAT, 1, []));
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - type 8, all octets = <<>>', 0, 0]);
    c.close();
  });

  it('a content header with no method before it is 505', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.write(frame(P.FRAME_HEADER, 1, [0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - expected method frame, got non method frame instead', 0, 0]);
    c.close();
  });

  it('a method where a content header belongs is 505, naming the publish', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.BASIC_PUBLISH, { exchange: '', routingKey: 'x', mandatory: false, immediate: false });
    c.method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 1, global: false });
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead', 60, 40]);
    c.close();
  });
});
