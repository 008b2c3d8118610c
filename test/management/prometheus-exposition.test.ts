/** The exposition text writer: escaping, one TYPE/HELP per family, value formatting. */
import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, Exposition, formatValue } from '../../src/management/prometheus/exposition.js';
import { parseExposition } from '../support/prometheus-text.js';

describe('exposition writer', () => {
  it('writes TYPE then HELP once, then the samples of the family', () => {
    const out = new Exposition();
    out.family('rabbitmq_queues', 'gauge', 'Queues available').sample(3);
    out.family('rabbitmq_global_messages_received_total', 'counter', 'Total number of messages received from publishers')
      .sample(5, { protocol: 'amqp091' });
    expect(out.text()).toBe([
      '# TYPE rabbitmq_queues gauge',
      '# HELP rabbitmq_queues Queues available',
      'rabbitmq_queues 3',
      '# TYPE rabbitmq_global_messages_received_total counter',
      '# HELP rabbitmq_global_messages_received_total Total number of messages received from publishers',
      'rabbitmq_global_messages_received_total{protocol="amqp091"} 5',
      '',
    ].join('\n'));
  });

  it('refuses a family written twice (Prometheus rejects a second TYPE line)', () => {
    const out = new Exposition();
    out.family('x', 'gauge', 'h');
    expect(() => out.family('x', 'gauge', 'h')).toThrow(/written twice/);
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const out = new Exposition();
    out.family('rabbitmq_queue_messages', 'gauge', 'depth').sample(1, { vhost: 'v\\', queue: 'a"b\n' });
    expect(out.text()).toContain('rabbitmq_queue_messages{vhost="v\\\\",queue="a\\"b\\n"} 1\n');
    const back = parseExposition(out.text());
    expect(back.value('rabbitmq_queue_messages', { vhost: 'v\\', queue: 'a"b\n' })).toBe(1);
  });

  it('escapes backslash and line feed in HELP, leaves quotes', () => {
    expect(escapeHelp('say "hi"\\\nthere')).toBe('say "hi"\\\\\\nthere');
  });

  it('formats values as Prometheus reads them', () => {
    expect(formatValue(42)).toBe('42');
    expect(formatValue(0.5)).toBe('0.5');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
  });
});
