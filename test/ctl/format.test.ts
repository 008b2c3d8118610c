import { describe, expect, it } from 'vitest';
import { cell, renderJsonRows, renderTable, typedTable } from '../../src/ctl/format.js';
import { errorReason } from '../../src/ctl/http-client.js';
import { statusText } from '../../src/ctl/node-verbs.js';

describe('ctl output', () => {
  it('prints cells as rabbitmqctl prints Erlang terms', () => {
    expect(cell('q1')).toBe('q1');
    expect(cell(3)).toBe('3');
    expect(cell(false)).toBe('false');
    expect(cell(null)).toBe('');
    expect(cell({})).toBe('[]');
    expect(cell({ 'x-max-length': 5, 'x-queue-type': 'classic' })).toBe('[{"x-max-length",5},{"x-queue-type","classic"}]');
    expect(cell({ capabilities: { 'basic.nack': true }, list: ['a', 1] })).toBe('[{"capabilities",[{"basic.nack",true}]},{"list",["a",1]}]');
    expect(cell(['administrator', 'monitoring'])).toBe('[administrator, monitoring]');
  });

  it('renders a tab-separated table, the header only above rows', () => {
    const rows = [{ name: 'a', messages: 1 }, { name: 'b', messages: 0 }];
    expect(renderTable(['name', 'messages'], rows, { headers: true })).toBe('name\tmessages\na\t1\nb\t0\n');
    expect(renderTable(['name', 'messages'], rows, { headers: false })).toBe('a\t1\nb\t0\n');
    expect(renderTable(['name'], [], { headers: true })).toBe('');
  });

  it('renders json as rabbitmqctl streams it, tables as typed triples', () => {
    const out = renderJsonRows(['name', 'arguments'], [
      { name: 'a', arguments: { 'x-max-length': 5, 'x-dead-letter-exchange': 'dlx' } },
      { name: 'b', arguments: {} },
    ], new Set(['arguments']));
    expect(out).toBe('[\n{"name":"a","arguments":[["x-max-length","long",5],["x-dead-letter-exchange","longstr","dlx"]]}\n,{"name":"b","arguments":[]}\n]\n');
    expect(JSON.parse(out)).toHaveLength(2);
    expect(renderJsonRows(['name'], [], new Set())).toBe('[\n]\n');
    expect(typedTable({ f: 1.5, b: true, n: null, t: { k: 'v' } })).toEqual([
      ['f', 'double', 1.5], ['b', 'bool', true], ['n', 'void', null], ['t', 'table', [['k', 'longstr', 'v']]],
    ]);
  });

  it("unescapes RabbitMQ's HTML-escaped error reasons", () => {
    expect(errorReason({ error: 'bad_request', reason: '[{&lt;&lt;"x"&gt;&gt;,1}] are not recognised' })).toBe('[{<<"x">>,1}] are not recognised');
  });

  it('lays out status in sections, bold headings only on a terminal', () => {
    const overview = {
      node: 'warren@h', product_name: 'Warren', product_version: '0.1.0', rabbitmq_version: '3.10.8',
      object_totals: { connections: 2, queues: 3 },
      listeners: [{ protocol: 'amqp', ip_address: '127.0.0.1', port: 5672 }, { protocol: 'http', ip_address: '::', port: 15672 }],
    };
    const node = { name: 'warren@h', mem_used: 150_000_000, uptime: 61_500, disk_free_alarm: true };
    const text = statusText(overview, node, 1, 'mb', false);
    expect(text).toContain('Runtime\n\nUptime (seconds): 61\nProduct name: Warren\n');
    expect(text).toContain('Alarms\n\nFree disk space alarm on node warren@h\n');
    expect(text).toContain('Total memory used: 150 mb\n');
    expect(text).toContain('Totals\n\nConnection count: 2\nQueue count: 3\nVirtual host count: 1\n');
    expect(text).toContain('Interface: 127.0.0.1, port: 5672, protocol: amqp, purpose: AMQP 0-9-1\nInterface: [::], port: 15672');
    expect(text).not.toContain('\u001b[1m');
    expect(statusText(overview, node, 1, 'gb', true)).toContain('\u001b[1mRuntime\u001b[0m');
  });
});
