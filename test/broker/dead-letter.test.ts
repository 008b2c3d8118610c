/** The dead-lettered message as RabbitMQ 4 writes it (rabbit_dead_letter, mc:record_death), and cycles. */
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeRouting } from '../../src/codec/fast-paths.js';
import { tableFromObject, tableGet, type FieldTable, type FieldValue } from '../../src/codec/field-table.js';
import type { BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { deadLettered, isDeadLetterCycle } from '../../src/broker/dead-letter.js';
import { Message } from '../../src/broker/message.js';

const NOW = 1_700_000_000_000;
const msg = (props: BasicProperties, exchange = 'orders', routingKey = 'created') =>
  new Message(exchange, routingKey, encodeRouting(exchange, routingKey), ContentHeader.build(60, 4, props), Buffer.from('body'));
const text = (v: FieldValue | undefined) => (v?.type === 'S' ? v.value.toString() : v?.value);
const deaths = (m: Message) => {
  const xd = tableGet(m.header.headers as FieldTable, 'x-death');
  return xd?.type === 'A' ? xd.value.map((d) => (d.type === 'F' ? d.value : [])) : [];
};

describe('deadLettered', () => {
  it('records the death as RabbitMQ 4: x-death entry, first and last death headers, expiration moved', () => {
    const m = msg({ expiration: '5000', headers: tableFromObject({ CC: ['audit'], keep: 'me' }), messageId: 'm-1' });
    const d = deadLettered(m, 'expired', 'src', 'dlx', ['created', 'audit'], NOW);
    expect([d.exchange, d.routingKey, d.extraKeys, d.body.toString()]).toEqual(['dlx', 'created', ['audit'], 'body']);
    expect(d.routing.equals(encodeRouting('dlx', 'created'))).toBe(true);
    expect(d.header.expiration).toBeUndefined();
    expect(d.header.get('messageId')).toBe('m-1');
    const [entry] = deaths(d);
    expect(entry.map((e) => [e.name, e.value.type === 'A' ? e.value.value.map(text) : text(e.value)])).toEqual([
      ['original-expiration', '5000'], ['count', 1n], ['reason', 'expired'], ['queue', 'src'],
      ['time', BigInt(NOW / 1000)], ['exchange', 'orders'], ['routing-keys', ['created', 'audit']],
    ]);
    expect(entry.map((e) => e.value.type).join('')).toBe('SlSSTSA'); // count a long, time a timestamp
    const h = d.header.headers as FieldTable;
    expect(['keep', 'x-first-death-reason', 'x-first-death-queue', 'x-first-death-exchange', 'x-last-death-reason']
      .map((k) => text(tableGet(h, k)))).toEqual(['me', 'expired', 'src', 'orders', 'expired']);
  });

  it('the same queue and reason again counts up and moves to the front; first death stays, last changes', () => {
    const once = deadLettered(msg({}), 'rejected', 'a', 'dlx', ['k'], NOW);
    const twice = deadLettered(once, 'expired', 'b', 'dlx', ['k'], NOW + 1000);
    const thrice = deadLettered(twice, 'rejected', 'a', 'dlx', ['k'], NOW + 2000);
    expect(deaths(thrice).map((d) => [text(tableGet(d, 'queue')), text(tableGet(d, 'reason')), tableGet(d, 'count')?.value]))
      .toEqual([['a', 'rejected', 2n], ['b', 'expired', 1n]]);
    const h = thrice.header.headers as FieldTable;
    expect([text(tableGet(h, 'x-first-death-queue')), text(tableGet(h, 'x-last-death-queue'))]).toEqual(['a', 'a']);
  });

  it('keeps every other header byte: a message-id that is not UTF-8 survives', () => {
    const raw = Buffer.from(ContentHeader.build(60, 4, { messageId: 'zz', headers: tableFromObject({ a: 1 }) }).raw);
    raw[raw.indexOf('zz')] = 0xff;
    const m = new Message('', 'q', encodeRouting('', 'q'), ContentHeader.fromPayload(raw) as ContentHeader, Buffer.from('body'));
    const d = deadLettered(m, 'rejected', 'q', 'dlx', ['q'], NOW);
    expect(d.header.raw.includes(Buffer.from([2, 0xff, 0x7a]))).toBe(true);
  });
});

describe('isDeadLetterCycle', () => {
  it('a cycle is one with no rejection since the target queue last saw the message', () => {
    const expiredInA = deadLettered(msg({}), 'expired', 'a', 'dlx', ['k'], NOW);
    expect(isDeadLetterCycle(expiredInA, 'a')).toBe(true);
    expect(isDeadLetterCycle(expiredInA, 'b')).toBe(false);
    const rejectedInB = deadLettered(expiredInA, 'rejected', 'b', 'dlx', ['k'], NOW);
    expect(isDeadLetterCycle(rejectedInB, 'a')).toBe(false);
  });
});
