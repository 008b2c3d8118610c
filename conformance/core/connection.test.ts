/** Handshake, authentication, tuning, heartbeats and closing, over real TCP. */
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableToObject } from '../../src/codec/field-table.js';
import * as P from '../../src/codec/generated/protocol.js';
import { PROTOCOL_HEADER } from '../../src/net/frame-reader.js';
import { startTarget, type TargetBroker } from '../support/broker.js';
import { target, type Target } from '../support/target.js';
import { amqplainResponse, RawClient } from '../../test/support/raw-client.js';

let broker: TargetBroker;
let t: Target;
beforeAll(async () => {
  broker = await startTarget();
  t = await target();
});
afterAll(async () => { await broker.stop(); });

describe('handshake', () => {
  it('offers RabbitMQ-shaped server properties, PLAIN and AMQPLAIN, and the tune limits', async () => {
    const c = await RawClient.connect(broker.port);
    c.write(PROTOCOL_HEADER);
    const start = await c.nextMethod(P.CONNECTION_START);
    if (start.id !== P.CONNECTION_START) throw new Error();
    expect([start.args.versionMajor, start.args.versionMinor]).toEqual([0, 9]);
    // RabbitMQ lists its registered mechanisms in no fixed order ('AMQPLAIN PLAIN' or 'PLAIN AMQPLAIN' from one boot to the next)
    expect(start.args.mechanisms.toString().split(' ').sort()).toEqual(['AMQPLAIN', 'PLAIN']);
    expect(start.args.locales.toString()).toBe('en_US');
    const props = tableToObject(start.args.serverProperties);
    expect(props.product).toBe(t.product); // 'RabbitMQ' or 'Warren': the one deliberate difference
    expect(props.capabilities).toEqual({
      publisher_confirms: true, exchange_exchange_bindings: true, 'basic.nack': true,
      consumer_cancel_notify: true, 'connection.blocked': true, consumer_priorities: true,
      authentication_failure_close: true, per_consumer_qos: true, direct_reply_to: true,
    });
    expect(Object.keys(props).sort()).toEqual(['capabilities', 'cluster_name', 'copyright', 'information', 'platform', 'product', 'version']);
    c.method(0, P.CONNECTION_START_OK, { clientProperties: [], mechanism: 'PLAIN', response: '\0guest\0guest', locale: 'en_US' });
    const tune = await c.nextMethod(P.CONNECTION_TUNE);
    expect(tune.args).toEqual({ channelMax: 2047, frameMax: 131072, heartbeat: 60 });
    c.close();
  });

  it('authenticates with AMQPLAIN', async () => {
    const c = await RawClient.open(broker.port, { mechanism: 'AMQPLAIN', response: amqplainResponse('guest', 'guest') });
    await c.openChannel(1);
    c.close();
  });

  it('refuses bad credentials with 403 to clients that ask for it (amqplib does)', async () => {
    const err = await amqp.connect(`amqp://guest:wrong@127.0.0.1:${broker.port}`).catch((e: Error) => e);
    expect(String(err)).toContain('ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
  });

  it('just disconnects a client without authentication_failure_close', async () => {
    const c = await RawClient.open(broker.port, { pass: 'wrong', capabilities: {} });
    await c.waitClosed(10_000);
    expect(c.frames.some((f) => f.method?.id === P.CONNECTION_CLOSE)).toBe(false);
  });

  it('refuses an unknown mechanism without a word', async () => {
    const c = await RawClient.open(broker.port, { mechanism: 'FOO' }).catch(() => null);
    if (c) {
      await c.waitClosed(10_000);
      expect(c.frames.some((f) => f.method?.id === P.CONNECTION_CLOSE)).toBe(false);
    }
  });

  it('refuses an unknown vhost with 530 NOT_ALLOWED', async () => {
    const c = await RawClient.open(broker.port, { vhost: 'nope' });
    expect(await c.connectionClose()).toEqual([530, 'NOT_ALLOWED - vhost nope not found', 10, 40]);
    c.close();
  });

  it('refuses frame_max below 4096 and above the offer, attributing it to connection.tune', async () => {
    if (t.rabbitBefore('3.11')) {
      // RabbitMQ 3.10 closes the socket without a word; 3.11+ (and Warren) send connection.close
      const silent = await RawClient.open(broker.port, { frameMax: 1000 }).catch(() => null);
      if (silent) {
        await silent.waitClosed(10_000);
        expect(silent.frames.some((f) => f.method?.id === P.CONNECTION_CLOSE)).toBe(false);
      }
      return;
    }
    const low = await RawClient.open(broker.port, { frameMax: 1000 });
    expect(await low.connectionClose()).toEqual([530, 'NOT_ALLOWED - negotiated frame_max = 1000 is lower than the minimum allowed value (4096)', 10, 30]);
    low.close();
    const high = await RawClient.open(broker.port, { frameMax: 0 });
    expect(await high.connectionClose()).toEqual([530, 'NOT_ALLOWED - negotiated frame_max = 0 is higher than the maximum allowed value (131072)', 10, 30]);
    high.close();
    const ch = await RawClient.open(broker.port, { channelMax: 5000 });
    expect((await ch.connectionClose())[1]).toBe('NOT_ALLOWED - negotiated channel_max = 5000 is higher than the maximum allowed value (2047)');
    ch.close();
  });
});

describe('closing', () => {
  it('client connection.close gets close-ok', async () => {
    const c = await RawClient.open(broker.port);
    c.method(0, P.CONNECTION_CLOSE, { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
    await c.nextMethod(P.CONNECTION_CLOSE_OK);
    c.close(); // the client closes the socket (Warren would close it too, RabbitMQ waits)
  });

});

describe('heartbeats', () => {
  it('sends heartbeats at the negotiated rate and closes a silent peer after two intervals', async () => {
    const c = await RawClient.open(broker.port, { heartbeat: 1 });
    const t0 = Date.now();
    await c.waitClosed(8000);
    const elapsed = Date.now() - t0;
    expect(c.frames.filter((f) => f.type === P.FRAME_HEARTBEAT).length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeGreaterThanOrEqual(1500);
  });

  it('keeps a peer that sends heartbeats', async () => {
    const c = await RawClient.open(broker.port, { heartbeat: 1 });
    const timer = setInterval(() => c.write(Buffer.from([8, 0, 0, 0, 0, 0, 0, 0xce])), 400);
    await new Promise((r) => setTimeout(r, 3000));
    clearInterval(timer);
    expect(c.closed).toBe(false);
    c.close();
  });

  it('amqplib negotiates the heartbeat it asks for', async () => {
    const conn = await broker.connect({ heartbeat: 5 });
    const server = (conn as unknown as { connection: { heartbeat: number } }).connection;
    expect(server.heartbeat).toBe(5);
  });
});

it('amqplib sees the tune values the server offers', async () => {
  const conn = await broker.connect({ heartbeat: 0 });
  const c = (conn as unknown as { connection: { frameMax: number; channelMax: number; heartbeat: number } }).connection;
  expect([c.frameMax, c.channelMax, c.heartbeat]).toEqual([131072, 2047, 0]);
});
