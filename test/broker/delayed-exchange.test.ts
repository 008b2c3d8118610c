/**
 * The x-delayed-message exchange inside a vhost, on a fake clock: which x-delay values delay,
 * the order of release, the header a released message carries, one timer per exchange, the
 * alternate exchange and the publish outcome at publish time, deletion dropping held messages.
 */
import { describe, expect, it } from 'vitest';
import { AmqpError } from '../../src/codec/amqp-error.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { encodeRouting } from '../../src/codec/fast-paths.js';
import { tableFromObject, tableGet, type FieldTable, type FieldValue } from '../../src/codec/field-table.js';
import { delayedRoutingType, delayOf, DueHeap, type DelayClock } from '../../src/broker/delayed-exchange.js';
import { Message } from '../../src/broker/message.js';
import type { Queue, QueueOptions } from '../../src/broker/queue.js';
import { queueConfig } from '../../src/broker/queue-arguments.js';
import { VirtualHost } from '../../src/broker/vhost.js';
import { Random } from '../support/random.js';

/** A clock the test moves by hand; at most one timer may be pending per exchange. */
class FakeClock implements DelayClock {
  time = 1_000_000;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  scheduled = 0;
  now(): number {
    return this.time;
  }
  schedule(ms: number, fn: () => void): unknown {
    const id = this.next++;
    this.scheduled++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  cancel(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves to `to`, firing every timer due on the way, in order. */
  advance(to: number): void {
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= to && (first === undefined || e[1].at < first[1].at)) first = e;
      if (first === undefined) break;
      this.timers.delete(first[0]);
      this.time = Math.max(this.time, first[1].at);
      first[1].fn();
    }
    this.time = to;
  }
}

function message(routingKey: string, headers: Record<string, unknown> | FieldTable | undefined, body = routingKey): Message {
  const table = headers === undefined ? undefined : Array.isArray(headers) ? headers as FieldTable : tableFromObject(headers as Record<string, unknown>);
  const header = ContentHeader.build(60, body.length, table === undefined ? {} : { headers: table });
  return new Message('dx', routingKey, encodeRouting('dx', routingKey), header, Buffer.from(body));
}

const delay = (v: FieldValue): FieldTable => [{ name: 'x-delay', value: v }];

function queue(vhost: VirtualHost, name: string): Queue {
  const config = queueConfig([], `queue '${name}' in vhost '/'`, { durable: false, exclusive: false, autoDelete: false, serverNamed: false });
  const options: QueueOptions = { durable: false, exclusive: false, autoDelete: false, arguments: [], owner: null, config };
  return vhost.addQueue(name, options);
}

function setup(type = 'direct', extraArgs: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const vhost = new VirtualHost('/');
  vhost.delayClock = clock;
  const x = vhost.addExchange('dx', 'x-delayed-message', {
    durable: false, autoDelete: false, internal: false, arguments: tableFromObject({ 'x-delayed-type': type, ...extraArgs }),
  });
  const q = queue(vhost, 'q');
  vhost.bind(x, q, type === 'fanout' ? '' : 'k', []);
  return { clock, vhost, x, q };
}

const bodies = (q: Queue): string[] => {
  const out: string[] = [];
  for (let m = q.get(); m; m = q.get()) out.push(m.message.body.toString());
  return out;
};

describe('DueHeap', () => {
  it('pops by due time, then by arrival', () => {
    const heap = new DueHeap();
    const rnd = new Random(16);
    const entries: [number, number][] = [];
    for (let i = 0; i < 2000; i++) entries.push([rnd.int(50), i]);
    for (const [due, seq] of entries) heap.push(due, seq, seq * 10);
    const popped: [number, number, number][] = [];
    while (heap.size > 0) {
      popped.push([heap.topDue, heap.topSeq, heap.topPosition]);
      heap.pop();
    }
    const sorted = [...entries].sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([d, s]) => [d, s, s * 10]);
    expect(popped).toEqual(sorted);
    expect(heap.topDue).toBe(Infinity);
  });
});

describe('x-delay values (the plugin get_delay, 4.x)', () => {
  const h = (t: FieldTable | undefined) => ContentHeader.build(60, 0, t === undefined ? {} : { headers: t });
  it.each<[string, FieldValue, number]>([
    ['int', { type: 'I', value: 500 }, 500],
    ['uint', { type: 'i', value: 4294967295 }, 4294967295],
    ['long', { type: 'l', value: 7n }, 7],
    ['long too big', { type: 'l', value: 4294967296n }, 0],
    ['short', { type: 's', value: 3 }, 3],
    ['ushort', { type: 'u', value: 3 }, 3],
    ['ubyte', { type: 'B', value: 3 }, 3],
    ['signed byte (small integers from amqplib; read by the 3.x plugin, not by 4.x)', { type: 'b', value: 3 }, 3],
    ['zero', { type: 'I', value: 0 }, 0],
    ['negative', { type: 'I', value: -5 }, 0],
    ['string', { type: 'S', value: Buffer.from('250') }, 250],
    ['string with sign', { type: 'S', value: Buffer.from('+250') }, 250],
    ['string not a number', { type: 'S', value: Buffer.from('soon') }, 0],
    ['string with a fraction', { type: 'S', value: Buffer.from('2.5') }, 0],
    ['double truncated', { type: 'd', value: 99.9 }, 99],
    ['float below one', { type: 'f', value: 0.5 }, 0],
    ['bool', { type: 't', value: true }, 0],
    ['timestamp', { type: 'T', value: 5n }, 0],
  ])('%s', (_name, value, expected) => {
    expect(delayOf(h(delay(value)))).toBe(expected);
  });
  it('no header, no x-delay', () => {
    expect(delayOf(h(undefined))).toBe(0);
    expect(delayOf(h([{ name: 'other', value: { type: 'I', value: 5 } }]))).toBe(0);
  });
});

describe('x-delayed-type validation (the plugin validate/1)', () => {
  const fails = (args: Record<string, unknown>) => {
    try {
      delayedRoutingType(tableFromObject(args));
    } catch (e) {
      return [(e as AmqpError).replyCode, (e as AmqpError).detail];
    }
    return null;
  };
  it('accepts the routing types', () => {
    for (const t of ['direct', 'fanout', 'topic', 'headers']) expect(delayedRoutingType(tableFromObject({ 'x-delayed-type': t }))).toBe(t);
  });
  it('refuses a missing, non-string, self-referencing or unknown type', () => {
    expect(fails({})).toEqual([406, "Invalid argument, 'x-delayed-type' must be an existing exchange type"]);
    expect(fails({ 'x-delayed-type': 5 })).toEqual([406, "Invalid argument, 'x-delayed-type' must be an existing exchange type"]);
    expect(fails({ 'x-delayed-type': 'x-delayed-message' })).toEqual([406, "Invalid argument, 'x-delayed-message' can't be used for 'x-delayed-type'"]);
    expect(fails({ 'x-delayed-type': 'foo' })).toEqual([406, "unknown exchange type 'foo'"]);
  });
});

describe('a delayed exchange in a vhost', () => {
  it('holds delayed messages and releases them in due order, with x-delay -d as a long', () => {
    const { clock, vhost, x, q } = setup();
    const t0 = clock.time;
    for (const [name, d] of [['c', 300], ['a', 100], ['b', 200], ['a2', 100]] as const) {
      const outcome = vhost.publish(x, message('k', { 'x-delay': d }, name));
      expect(outcome.routed).toBe(0); // a mandatory publisher gets basic.return
    }
    expect(x.delayed?.size).toBe(4);
    expect(bodies(q)).toEqual([]);
    clock.advance(t0 + 99);
    expect(bodies(q)).toEqual([]);
    clock.advance(t0 + 100);
    const first = q.get();
    expect(first?.message.body.toString()).toBe('a');
    expect(tableGet(first?.message.header.headers ?? [], 'x-delay')).toEqual({ type: 'l', value: -100n });
    expect(bodies(q)).toEqual(['a2']);
    clock.advance(t0 + 1000);
    expect(bodies(q)).toEqual(['b', 'c']);
    expect(x.delayed?.size).toBe(0);
    expect(x.publishOut).toBe(4);
  });

  it('keeps one timer, armed for the earliest due time', () => {
    const { clock, vhost, x } = setup();
    for (let i = 0; i < 1000; i++) vhost.publish(x, message('k', { 'x-delay': 5000 + (i % 7) }));
    expect(clock.timers.size).toBe(1);
    expect(clock.scheduled).toBe(1); // later due times never re-arm it
    vhost.publish(x, message('k', { 'x-delay': 10 }));
    expect(clock.timers.size).toBe(1);
    expect([...clock.timers.values()][0].at).toBe(clock.time + 10);
  });

  it('routes at once, header untouched, what does not ask for a delay', () => {
    const { vhost, x, q } = setup();
    const cases: (Record<string, unknown> | FieldTable | undefined)[] = [
      undefined, {}, { 'x-delay': 0 }, { 'x-delay': -10 }, delay({ type: 'l', value: 4294967296n }), { 'x-delay': 'later' },
    ];
    for (const h of cases) {
      const m = message('k', h);
      expect(vhost.publish(x, m).routed).toBe(1);
      const got = q.get();
      expect(got?.message.header.raw.equals(m.header.raw)).toBe(true);
    }
    expect(x.delayed?.size).toBe(0);
  });

  it('routes by its x-delayed-type: fanout, topic and headers', () => {
    for (const type of ['fanout', 'topic', 'headers']) {
      const { clock, vhost, x } = setup(type);
      const other = queue(vhost, 'other');
      if (type === 'topic') vhost.bind(x, other, 'a.*', []);
      if (type === 'headers') vhost.bind(x, other, '', tableFromObject({ 'x-match': 'any', colour: 'red' }));
      if (type === 'fanout') vhost.bind(x, other, '', []);
      vhost.publish(x, message('a.b', { 'x-delay': 50, colour: 'red' }));
      expect(other.messageCount).toBe(0);
      clock.advance(clock.time + 50);
      expect(other.messageCount).toBe(1);
    }
  });

  it('gives the alternate exchange a copy at publish, and routes later anyway', () => {
    const { clock, vhost, x, q } = setup('direct', { 'alternate-exchange': 'ae' });
    const ae = vhost.addExchange('ae', 'fanout', { durable: false, autoDelete: false, internal: false, arguments: [] });
    const aq = queue(vhost, 'aq');
    vhost.bind(ae, aq, '', []);
    const outcome = vhost.publish(x, message('k', { 'x-delay': 10 }, 'm'));
    expect(outcome.routed).toBe(1);
    expect(bodies(aq)).toEqual(['m']);
    clock.advance(clock.time + 10);
    expect(bodies(q)).toEqual(['m']);
    expect(bodies(aq)).toEqual([]);
  });

  it('drops its held messages and its timer when deleted', () => {
    const { clock, vhost, x, q } = setup();
    vhost.publish(x, message('k', { 'x-delay': 10 }));
    vhost.deleteExchange(x, false);
    expect(clock.timers.size).toBe(0);
    expect(x.delayed?.size).toBe(0);
    clock.advance(clock.time + 100);
    expect(q.messageCount).toBe(0);
  });

  it('delays a message dead-lettered into it', () => {
    const { clock, vhost, x, q } = setup();
    const config = queueConfig(tableFromObject({ 'x-dead-letter-exchange': 'dx', 'x-dead-letter-routing-key': 'k' }), "queue 'src' in vhost '/'",
      { durable: false, exclusive: false, autoDelete: false, serverNamed: false });
    const src = vhost.addQueue('src', { durable: false, exclusive: false, autoDelete: false, arguments: [], owner: null, config });
    vhost.publish(vhost.exchange(''), new Message('', 'src', encodeRouting('', 'src'),
      ContentHeader.build(60, 1, { headers: tableFromObject({ 'x-delay': 40 }) }), Buffer.from('d')));
    const m = src.get();
    expect(m).toBeDefined();
    src.reject(m!);
    expect(q.messageCount).toBe(0);
    clock.advance(clock.time + 40);
    expect(bodies(q)).toEqual(['d']);
  });

  it('releases a large backlog in batches, every message once', () => {
    const { clock, vhost, x, q } = setup();
    for (let i = 0; i < 2500; i++) vhost.publish(x, message('k', { 'x-delay': 1 + (i % 3) }, String(i)));
    clock.advance(clock.time + 10);
    expect(q.messageCount).toBe(2500);
    expect(clock.timers.size).toBe(0);
  });
});
