/** The queue message_stats the management API shows: counts from the queue, rates between samples. */
import { describe, expect, it } from 'vitest';
import { VirtualHost } from '../../src/broker/vhost.js';
import { MessageRates } from '../../src/management/message-rates.js';
import { SessionTotals } from '../../src/session/channel-stats.js';
import { makeMessage } from '../support/messages.js';

function queueIn(v: VirtualHost) {
  return v.addQueue('q', {
    durable: false, exclusive: false, autoDelete: false, arguments: [], owner: null,
    config: { type: 'classic', overflow: 'drop-head', maxPriority: 0, singleActiveConsumer: false },
  });
}

describe('MessageRates', () => {
  it('leaves message_stats out until a queue has traffic, then counts and rates per second between samples', () => {
    const v = new VirtualHost('/');
    const q = queueIn(v);
    const rates = new MessageRates({ vhosts: new Map([['/', v]]), connections: new Set(), sessionTotals: new SessionTotals() });
    rates.sample(1000);
    expect(rates.of(q)).toBeUndefined();
    for (let i = 0; i < 10; i++) q.enqueue(makeMessage(`m${i}`, { routingKey: 'q', props: {} }));
    for (let i = 0; i < 4; i++) q.ack(q.get()!);
    rates.sample(6000); // 5 s later
    expect(rates.of(q)).toEqual({
      publish: 10, publish_details: { rate: 2 }, deliver_get: 4, deliver_get_details: { rate: 0.8 }, ack: 4, ack_details: { rate: 0.8 },
    });
    rates.sample(11000); // nothing since
    expect(rates.of(q)).toMatchObject({ publish: 10, publish_details: { rate: 0 } });
  });
});
