/**
 * Stream queues in a vhost (no TCP): the log read by offset, readers as cursors with credit,
 * where each start form begins, the x-stream-offset header, exact filtering, retention by
 * whole segments, what a stream refuses — in memory, and stored across restarts.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AmqpError } from '../../src/codec/amqp-error.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { tableFromObject, tableToObject } from '../../src/codec/field-table.js';
import { DurablePersistence } from '../../src/broker/durable-persistence.js';
import { replayDefinitions, topologyRecords } from '../../src/broker/durable-topology.js';
import type { QueuedMessage } from '../../src/broker/message.js';
import type { Queue, QueueConsumer, QueueOptions } from '../../src/broker/queue.js';
import { queueConfig } from '../../src/broker/queue-arguments.js';
import { StreamQueue } from '../../src/broker/stream/stream-queue.js';
import { streamReadOptions } from '../../src/broker/stream/stream-reading.js';
import { VirtualHost } from '../../src/broker/vhost.js';
import { DataStore } from '../../src/store/data-store.js';
import { makeMessage } from '../support/messages.js';
import { tempDir } from '../store/store-helpers.js';

const log = pino({ level: 'silent' });
const RESOURCE = "queue 's' in vhost '/'";

/** A consumer that takes up to `credit` unsettled deliveries (settle() gives one back). */
class Reader implements QueueConsumer {
  readonly exclusive = false;
  readonly priority = 0;
  readonly got: QueuedMessage[] = [];
  private settled = 0;
  constructor(readonly tag: string, public credit: number) {}
  canTake(): boolean {
    return this.got.length - this.settled < this.credit;
  }
  deliver(qm: QueuedMessage): void {
    this.got.push(qm);
  }
  queueDeleted(): void {}
  settle(q: Queue, n = 1): void {
    for (let i = 0; i < n; i++) q.ack(this.got[this.settled++]);
    q.dispatch();
  }
  bodies(): string[] {
    return this.got.map((qm) => qm.message.body.toString());
  }
  offsets(): number[] {
    return this.got.map((qm) => Number(headersOf(qm)['x-stream-offset']));
  }
}

const headersOf = (qm: QueuedMessage) => {
  const h = ContentHeader.fromPayload(qm.header ?? qm.message.header.raw) as ContentHeader;
  return tableToObject(h.headers ?? []);
};

function declareStream(vhost: VirtualHost, name = 's', args: Record<string, unknown> = {}): StreamQueue {
  const table = tableFromObject({ 'x-queue-type': 'stream', ...args });
  const config = queueConfig(table, `queue '${name}' in vhost '/'`, { durable: true, exclusive: false, autoDelete: false, serverNamed: false });
  const options: QueueOptions = { durable: true, exclusive: false, autoDelete: false, arguments: table, owner: null, config };
  return vhost.addQueue(name, options) as StreamQueue;
}

function publish(vhost: VirtualHost, q: string, body: string, props: { deliveryMode?: number; headers?: Record<string, unknown> } = {}): void {
  const headers = props.headers === undefined ? {} : { headers: tableFromObject(props.headers) };
  vhost.publish(vhost.exchange(''), makeMessage(body, { routingKey: q, props: { deliveryMode: props.deliveryMode ?? 1, ...headers } }));
}

function read(q: StreamQueue, args: Record<string, unknown>, credit = 100, now?: number): Reader {
  const r = new Reader(`r${Math.random()}`, credit);
  q.addReader(r, streamReadOptions(tableFromObject(args), RESOURCE, false, credit, 0, now));
  q.dispatch();
  return r;
}

describe('a stream in memory', () => {
  it('gives every reader the messages from its own offset, each with x-stream-offset, in order', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost);
    for (let i = 0; i < 5; i++) publish(vhost, 's', `m${i}`, { headers: { zz: 1, aa: 'x' } });
    const first = read(q, { 'x-stream-offset': 'first' });
    const from3 = read(q, { 'x-stream-offset': 3 });
    const last = read(q, { 'x-stream-offset': 'last' });
    const next = read(q, {});
    expect(first.bodies()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(first.offsets()).toEqual([0, 1, 2, 3, 4]);
    expect(from3.bodies()).toEqual(['m3', 'm4']);
    expect(last.bodies()).toEqual(['m4']);
    expect(next.bodies()).toEqual([]);
    publish(vhost, 's', 'm5');
    expect(next.bodies()).toEqual(['m5']);
    expect(first.bodies()).toHaveLength(6);
    // the headers sorted by name with x-stream-offset among them, as RabbitMQ's set_table_value leaves them
    expect(Object.keys(headersOf(first.got[0]))).toEqual(['aa', 'x-stream-offset', 'zz']);
    // the message itself is shared, never copied per reader
    expect(first.got[3].message).toBe(from3.got[0].message);
    expect(q.messageCount).toBe(6);
  });

  it('counts credit: a reader gets its prefetch, and each settlement lets one more through', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost);
    for (let i = 0; i < 10; i++) publish(vhost, 's', `m${i}`);
    const r = read(q, { 'x-stream-offset': 'first' }, 2);
    expect(r.bodies()).toEqual(['m0', 'm1']);
    r.settle(q);
    expect(r.bodies()).toEqual(['m0', 'm1', 'm2']);
    // requeue and reject settle too (RabbitMQ 3.13+): nothing comes back
    q.requeue(r.got[1], true);
    q.reject(r.got[2]);
    expect(q.messageCount).toBe(10);
  });

  it('clamps an absolute offset to the log, and waits at its end', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost);
    for (let i = 0; i < 3; i++) publish(vhost, 's', `m${i}`);
    const beyond = read(q, { 'x-stream-offset': 50 });
    const negative = read(q, { 'x-stream-offset': -4 });
    expect(beyond.bodies()).toEqual([]);
    expect(negative.bodies()).toEqual(['m0', 'm1', 'm2']);
    publish(vhost, 's', 'm3');
    expect(beyond.bodies()).toEqual(['m3']);
  });

  it('starts a timestamp or interval reader at the messages of that time (a run of up to 64 earlier ones may come too)', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost);
    const t0 = Date.now();
    for (let i = 0; i < 200; i++) q.log.add(makeMessage(`m${i}`), -1, t0 + i * 1000);
    const fromTime = read(q, { 'x-stream-offset': new Date(t0 + 150_000) });
    expect(fromTime.got.length).toBeGreaterThanOrEqual(50);
    expect(fromTime.got.length).toBeLessThanOrEqual(50 + 64);
    expect(fromTime.bodies().at(-1)).toBe('m199');
    // "10s" before t0 + 199 s: the last ten-odd messages
    const interval = read(q, { 'x-stream-offset': '10s' }, 1000, t0 + 199_000);
    expect(interval.bodies()).toContain('m189');
    expect(interval.bodies().at(-1)).toBe('m199');
    expect(interval.got.length).toBeLessThanOrEqual(11 + 64);
    // a time after the last message: only new ones
    expect(read(q, { 'x-stream-offset': '1s' }, 100, t0 + 10_000_000).bodies()).toEqual([]);
  });

  it('filters exactly: only matching x-stream-filter-value, plus unfiltered messages when asked', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost);
    const values = ['a', 'b', undefined, 'c', 'a'];
    values.forEach((v, i) => publish(vhost, 's', `m${i}`, v === undefined ? {} : { headers: { 'x-stream-filter-value': v } }));
    expect(read(q, { 'x-stream-offset': 'first', 'x-stream-filter': 'a' }).bodies()).toEqual(['m0', 'm4']);
    expect(read(q, { 'x-stream-offset': 'first', 'x-stream-filter': ['a', 'c'] }).bodies()).toEqual(['m0', 'm3', 'm4']);
    expect(read(q, { 'x-stream-offset': 'first', 'x-stream-filter': 'b', 'x-stream-match-unfiltered': true }).bodies()).toEqual(['m1', 'm2']);
    // the offsets are the log's: a filtered reader sees gaps
    expect(read(q, { 'x-stream-offset': 'first', 'x-stream-filter': 'a' }).offsets()).toEqual([0, 4]);
  });

  it('drops whole segments past x-max-length-bytes, keeping the last, and readers behind move up', () => {
    const vhost = new VirtualHost('/');
    // 10-byte bodies, segments of 50 bytes (5 messages), at most 120 bytes kept
    const q = declareStream(vhost, 's', { 'x-max-length-bytes': 120, 'x-stream-max-segment-size-bytes': 50 });
    const slow = read(q, { 'x-stream-offset': 'first' }, 1);
    for (let i = 0; i < 40; i++) publish(vhost, 's', `message-${String(i).padStart(2, '0')}`);
    expect(q.log.first % 5).toBe(0);
    expect(q.log.first).toBeGreaterThan(0);
    expect(q.log.readyBytes).toBeLessThanOrEqual(120 + 50);
    expect(q.messageCount).toBe(40 - q.log.first);
    const first = read(q, { 'x-stream-offset': 'first' });
    expect(first.offsets()[0]).toBe(q.log.first);
    expect(first.bodies().at(-1)).toBe('message-39');
    slow.settle(q);
    expect(slow.offsets()).toEqual([0, q.log.first]);
  });

  it('drops segments older than x-max-age when a new segment begins', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost, 's', { 'x-max-age': '1h', 'x-stream-max-segment-size-bytes': 20 });
    const old = Date.now() - 2 * 3_600_000;
    for (let i = 0; i < 6; i++) q.log.add(makeMessage(`old-${i}`), -1, old); // 5 bytes each: 4 per segment
    for (let i = 0; i < 6; i++) publish(vhost, 's', `new-${i}`);
    // segments of four: the first (all old) went when the second began; the second holds new messages too
    expect(q.log.first).toBe(4);
    expect(read(q, { 'x-stream-offset': 'first' }).bodies()).toEqual(['old-4', 'old-5', 'new-0', 'new-1', 'new-2', 'new-3', 'new-4', 'new-5']);
  });

  it('refuses basic.get and purge with 540, as RabbitMQ', () => {
    const vhost = new VirtualHost('/');
    const q = declareStream(vhost);
    expect(() => q.get()).toThrow(new AmqpError(540, `basic.get not supported by stream ${RESOURCE}`));
    expect(() => q.purge()).toThrow(new AmqpError(540, `queue.purge not supported by stream ${RESOURCE}`));
  });
});

describe('consuming from a stream: what basic.consume must say', () => {
  const check = (args: Record<string, unknown>, noAck = false, prefetch = 10, global = 0) =>
    () => streamReadOptions(tableFromObject(args), RESOURCE, noAck, prefetch, global);
  it('needs a per-consumer prefetch (406), manual acks (540), no global qos (540), no x-priority (406)', () => {
    expect(check({}, false, 0)).toThrow(new AmqpError(406, `consumer prefetch count is not set for stream ${RESOURCE}`));
    expect(check({}, true)).toThrow(new AmqpError(540, `automatic acknowledgement not supported by stream ${RESOURCE}`));
    expect(check({}, false, 10, 5)).toThrow(new AmqpError(540, `${RESOURCE} does not support global qos`));
    expect(check({ 'x-priority': 3 })).toThrow(new AmqpError(406, `invalid arg 'x-priority' for ${RESOURCE} of queue type rabbit_stream_queue`));
  });
  it('refuses a string offset that is no start form and no interval', () => {
    expect(check({ 'x-stream-offset': 'foo' })).toThrow(
      new AmqpError(406, `invalid arg 'x-stream-offset' for ${RESOURCE}: {invalid_stream_offset_arg,{longstr,<<"foo">>}}`));
    expect(check({ 'x-stream-offset': '10x' })).toThrow(AmqpError);
    expect(check({ 'x-stream-offset': '10m' })).not.toThrow();
  });
});

/** Opens the data directory and recovers vhost '/', as Broker.recover() does. */
function start(dataDir: string) {
  const store = new DataStore({ dataDir, log, fsync: false, segmentSize: 4096 });
  const persistence = new DurablePersistence(store, '/');
  const vhost = new VirtualHost('/', persistence, log);
  const vhosts = new Map([['/', vhost]]);
  const records = store.loadDefinitions();
  store.replaying(() => replayDefinitions(records, {
    access: () => undefined, vhosts, log,
    storage: (_v, name, id, options) => persistence.durableStorage(name, id, options),
  }));
  persistence.recoverMessages();
  store.topologyRecords = () => topologyRecords(vhosts);
  for (const q of vhost.queues.values()) q.startExpiry();
  return { store, vhost };
}

const durable = (vhost: VirtualHost) => new Promise<void>((resolve) => vhost.whenDurable(resolve));

describe('a stored stream', () => {
  it('delivers a message only once it is on disk, and keeps transient and persistent messages across a restart at their offsets', async () => {
    const dir = tempDir();
    const one = start(dir);
    const q = declareStream(one.vhost);
    const r = read(q, {});
    for (let i = 0; i < 6; i++) publish(one.vhost, 's', `m${i}`, { deliveryMode: i % 2 === 0 ? 1 : 2 });
    expect(r.bodies()).toEqual([]); // not on disk yet
    await durable(one.vhost);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.bodies()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    await one.store.close();

    const two = start(dir);
    const q2 = two.vhost.queue('s') as StreamQueue;
    expect(q2.messageCount).toBe(6);
    const again = read(q2, { 'x-stream-offset': 2 });
    expect(again.bodies()).toEqual(['m2', 'm3', 'm4', 'm5']);
    expect(again.offsets()).toEqual([2, 3, 4, 5]);
    await two.store.close();
  });

  it('numbers the messages after a restart from where retention left the log, and records it in snapshots', async () => {
    const dir = tempDir();
    const one = start(dir);
    const q = declareStream(one.vhost, 's', { 'x-max-length-bytes': 100, 'x-stream-max-segment-size-bytes': 40 });
    for (let i = 0; i < 30; i++) publish(one.vhost, 's', `body-${String(i).padStart(3, '0')}`); // 8 bytes each
    await durable(one.vhost);
    q.log.retain(); // what a restart applies (a running stream looks when a segment begins)
    const first = q.log.first;
    expect(first).toBeGreaterThan(0);
    await one.store.close();

    const two = start(dir);
    const q2 = two.vhost.queue('s') as StreamQueue;
    expect([q2.log.first, q2.log.next]).toEqual([first, 30]);
    const r = read(q2, { 'x-stream-offset': 'first' });
    expect(r.offsets()[0]).toBe(first);
    expect(r.bodies()[0]).toBe(`body-${String(first).padStart(3, '0')}`);
    // a snapshot of the definitions log keeps the start
    two.store.definitions.rewrite(topologyRecords(new Map([['/', two.vhost]])));
    await two.store.close();
    const three = start(dir);
    expect((three.vhost.queue('s') as StreamQueue).log.first).toBe(first);
    await three.store.close();
  });
});
