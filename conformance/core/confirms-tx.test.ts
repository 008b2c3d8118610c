/** Publisher confirms and transactions. */
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as P from '../../src/codec/generated/protocol.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { startTarget, type TargetBroker } from '../support/broker.js';
import { cleanup } from '../support/client.js';
import { frame } from '../../test/support/frames.js';
import { RawClient } from '../../test/support/raw-client.js';

let broker: TargetBroker;
let conn: amqp.ChannelModel;
beforeAll(async () => {
  broker = await startTarget();
  conn = await broker.connect();
});
afterAll(async () => { await broker.stop(); });

function publishRaw(c: RawClient, channel: number, exchange: string, routingKey: string, mandatory: boolean): void {
  c.method(channel, P.BASIC_PUBLISH, { exchange, routingKey, mandatory, immediate: false });
  c.write(frame(P.FRAME_HEADER, channel, ContentHeader.build(60, 1, {}).raw));
  c.write(frame(P.FRAME_BODY, channel, Buffer.from('x')));
}

describe('publisher confirms', () => {
  it('acks every publish, covering runs with multiple', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    cleanup('queue', 'confirm-q');
    c.method(1, P.QUEUE_DECLARE, { queue: 'confirm-q', passive: false, durable: false, exclusive: false, autoDelete: false, noWait: false });
    await c.nextMethod(P.QUEUE_DECLARE_OK);
    c.method(1, P.CONFIRM_SELECT, { nowait: false });
    await c.nextMethod(P.CONFIRM_SELECT_OK);
    for (let i = 0; i < 100; i++) publishRaw(c, 1, '', 'confirm-q', false);
    let acked = 0;
    let multiples = 0;
    while (acked < 100) {
      const m = await c.nextMethod(P.BASIC_ACK);
      if (m.id !== P.BASIC_ACK) throw new Error();
      expect(m.args.deliveryTag).toBeGreaterThan(acked);
      if (m.args.multiple) multiples++;
      acked = m.args.deliveryTag;
    }
    expect(acked).toBe(100);
    expect(multiples).toBeGreaterThan(0);
    c.close();
  });

  it('sends basic.return before the ack of an unroutable mandatory message', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CONFIRM_SELECT, { nowait: false });
    await c.nextMethod(P.CONFIRM_SELECT_OK);
    publishRaw(c, 1, 'amq.direct', 'unroutable', true);
    const first = await c.nextMethod(P.BASIC_RETURN, P.BASIC_ACK);
    expect(first.id).toBe(P.BASIC_RETURN);
    const ack = await c.nextMethod(P.BASIC_ACK);
    expect(ack.args).toEqual({ deliveryTag: 1, multiple: false });
    c.close();
  });

  it('works through amqplib\'s confirm channel', async () => {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('confirm-amqplib-q');
    for (let i = 0; i < 50; i++) ch.sendToQueue('confirm-amqplib-q', Buffer.from(String(i)));
    await ch.waitForConfirms();
    expect((await ch.checkQueue('confirm-amqplib-q')).messageCount).toBe(50);
  });

  it('cannot switch between tx and confirm modes (406)', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.CONFIRM_SELECT, { nowait: false });
    await c.nextMethod(P.CONFIRM_SELECT_OK);
    c.method(1, P.TX_SELECT, {});
    expect(await c.channelClose()).toEqual([406, 'PRECONDITION_FAILED - cannot switch from confirm to tx mode', 90, 10]);
    await c.openChannel(2).catch(() => undefined);
    c.method(2, P.TX_SELECT, {});
    await c.nextMethod(P.TX_SELECT_OK);
    c.method(2, P.CONFIRM_SELECT, { nowait: false });
    expect(await c.channelClose()).toEqual([406, 'PRECONDITION_FAILED - cannot switch from tx to confirm mode', 85, 10]);
    c.close();
  });
});

describe('transactions', () => {
  it('publishes and acks take effect on commit, vanish or come back on rollback (amqplib has no tx API)', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    cleanup('queue', 'tx-raw-q');
    c.method(1, P.QUEUE_DECLARE, { queue: 'tx-raw-q', passive: false, durable: false, exclusive: false, autoDelete: false, noWait: false });
    await c.nextMethod(P.QUEUE_DECLARE_OK);
    c.method(1, P.TX_SELECT, {});
    await c.nextMethod(P.TX_SELECT_OK);
    publishRaw(c, 1, '', 'tx-raw-q', false);
    publishRaw(c, 1, '', 'tx-raw-q', false);
    const count = async () => {
      c.method(1, P.QUEUE_DECLARE, { queue: 'tx-raw-q', passive: true, durable: false, exclusive: false, autoDelete: false, noWait: false });
      const ok = await c.nextMethod(P.QUEUE_DECLARE_OK);
      return ok.id === P.QUEUE_DECLARE_OK ? ok.args.messageCount : -1;
    };
    expect(await count()).toBe(0); // not yet committed
    c.method(1, P.TX_ROLLBACK, {});
    await c.nextMethod(P.TX_ROLLBACK_OK);
    expect(await count()).toBe(0);
    publishRaw(c, 1, '', 'tx-raw-q', false);
    c.method(1, P.TX_COMMIT, {});
    await c.nextMethod(P.TX_COMMIT_OK);
    expect(await count()).toBe(1);
    // an ack inside the transaction: rolled back, the message stays unacked; committed, it is gone
    c.method(1, P.BASIC_GET, { queue: 'tx-raw-q', noAck: false });
    const got = await c.nextMethod(P.BASIC_GET_OK);
    if (got.id !== P.BASIC_GET_OK) throw new Error();
    c.method(1, P.BASIC_ACK, { deliveryTag: got.args.deliveryTag, multiple: false });
    c.method(1, P.TX_ROLLBACK, {});
    await c.nextMethod(P.TX_ROLLBACK_OK);
    c.method(1, P.BASIC_ACK, { deliveryTag: got.args.deliveryTag, multiple: false }); // still outstanding
    c.method(1, P.TX_COMMIT, {});
    await c.nextMethod(P.TX_COMMIT_OK);
    expect(await count()).toBe(0);
    c.method(1, P.TX_COMMIT, {});
    await c.nextMethod(P.TX_COMMIT_OK);
    c.close();
  });

  it('tx.commit without tx.select is 406', async () => {
    const c = await RawClient.open(broker.port);
    await c.openChannel(1);
    c.method(1, P.TX_COMMIT, {});
    expect(await c.channelClose()).toEqual([406, 'PRECONDITION_FAILED - channel is not transactional', 90, 20]);
    c.close();
  });
});
