/**
 * The broker's persistence on a data directory, across restarts: DurablePersistence records
 * durable topology and writes persistent messages; at start the definition records are replayed
 * into the vhosts (replayDefinitions) and each vhost's stored messages go back to their durable
 * queues — the sequence Broker.recover() runs, here without a TCP server.
 */
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { encodeRouting } from '../../src/codec/fast-paths.js';
import { tableFromObject } from '../../src/codec/field-table.js';
import { DurablePersistence } from '../../src/broker/durable-persistence.js';
import { replayDefinitions, topologyRecords } from '../../src/broker/durable-topology.js';
import type { Queue, QueueOptions } from '../../src/broker/queue.js';
import { queueConfig } from '../../src/broker/queue-arguments.js';
import { VirtualHost } from '../../src/broker/vhost.js';
import { DataStore } from '../../src/store/data-store.js';
import { DefinitionsLog } from '../../src/store/definitions-log.js';
import { MAX_QUEUE_ID } from '../../src/store/record-format.js';
import type { RecoveryStats } from '../../src/store/segment-recovery.js';
import { makeMessage } from '../support/messages.js';
import { tempDir } from '../store/store-helpers.js';

const log = pino({ level: 'silent' });

interface Started {
  store: DataStore;
  vhosts: Map<string, VirtualHost>;
  stats: RecoveryStats[];
}

/** Opens the data directory and recovers it into vhosts '/' and 'other', as Broker.recover() does. */
function start(dataDir: string): Started {
  const store = new DataStore({ dataDir, log, fsync: false, segmentSize: 4096 });
  const durable = new Map<string, DurablePersistence>();
  const vhosts = new Map<string, VirtualHost>();
  for (const name of ['/', 'other']) {
    const persistence = new DurablePersistence(store, name);
    durable.set(name, persistence);
    vhosts.set(name, new VirtualHost(name, persistence, log));
  }
  const records = store.loadDefinitions();
  store.replaying(() => replayDefinitions(records, {
    access: () => undefined, vhosts, log,
    storage: (vhost, name, id, options) => (durable.get(vhost) as DurablePersistence).durableStorage(name, id, options),
  }));
  const stats = [...durable.values()].map((d) => d.recoverMessages());
  store.topologyRecords = () => topologyRecords(vhosts);
  store.compactDefinitions();
  return { store, vhosts, stats };
}

function declare(vhost: VirtualHost, name: string, durable: boolean, args: Record<string, unknown> = {}): Queue {
  const table = tableFromObject(args);
  const config = queueConfig(table, `queue '${name}' in vhost '${vhost.name}'`, { durable, exclusive: false, autoDelete: false, serverNamed: false });
  const options: QueueOptions = { durable, exclusive: false, autoDelete: false, arguments: table, owner: null, config };
  return vhost.addQueue(name, options);
}

const whenDurable = (vhost: VirtualHost) => new Promise<null>((resolve) => vhost.whenDurable(() => resolve(null)));

/** Everything the queue holds, in order: body and redelivered flag (taken with basic.get, and acknowledged). */
function drain(q: Queue, routes: string[] = []): [string, boolean][] {
  const out: [string, boolean][] = [];
  for (let m = q.get(); m; m = q.get()) {
    out.push([m.message.body.toString(), m.redelivered]);
    routes.push(`${m.message.exchange}/${m.message.routingKey}/${m.message.routing.toString('hex')}`);
    q.ack(m);
  }
  return out;
}

describe('durable topology and messages across a restart', () => {
  it('comes back: durable exchanges, queues and bindings (not transient ones), persistent messages in order, delivered ones redelivered, acknowledged ones gone', async () => {
    const dir = tempDir();
    const first = start(dir);
    const root = first.vhosts.get('/') as VirtualHost;
    const x = root.addExchange('x', 'direct', { durable: true, autoDelete: false, internal: false, arguments: [] });
    const scratch = root.addExchange('scratch', 'fanout', { durable: false, autoDelete: false, internal: false, arguments: [] });
    const a = declare(root, 'a', true);
    const b = declare(root, 'b', true, { 'x-max-priority': 2 });
    const t = declare(root, 't', false);
    for (const q of [a, b, t]) root.bind(x, q, 'k', []);
    root.bind(scratch, a, '', []);
    const other = first.vhosts.get('other') as VirtualHost;
    const o = declare(other, 'o', true);
    const publish = (vhost: VirtualHost, exchange: string, body: string, props = {}) =>
      vhost.publish(vhost.exchange(exchange), makeMessage(body, { exchange, routingKey: exchange === '' ? 'o' : 'k', props: { deliveryMode: 2, ...props } }));
    for (let i = 0; i < 5; i++) expect(publish(root, 'x', `m${i}`).routed).toBe(3);
    publish(root, 'x', 'transient', { deliveryMode: 1 });
    publish(root, 'x', 'urgent', { priority: 2 });
    publish(other, '', 'in other');
    expect(await whenDurable(root)).toBeNull();
    expect(await whenDurable(other)).toBeNull();
    const m0 = a.get();
    expect(m0?.message.body.toString()).toBe('m0');
    if (m0) a.ack(m0);
    const m1 = a.get(); // delivered, never acknowledged: comes back redelivered
    expect(m1?.message.body.toString()).toBe('m1');
    await first.store.close();

    const second = start(dir);
    const root2 = second.vhosts.get('/') as VirtualHost;
    expect(root2.exchanges.get('x')?.durable).toBe(true);
    expect(root2.exchanges.has('scratch')).toBe(false);
    expect([...root2.queues.keys()].sort()).toEqual(['a', 'b']);
    expect(second.stats.reduce((n, s) => n + s.messages, 0)).toBe(5 + 6 + 1); // a lost m0 (acknowledged); the transient message was never written
    const a2 = root2.queue('a');
    const b2 = root2.queue('b');
    const routes: string[] = [];
    expect(drain(a2, routes)).toEqual([['m1', true], ['m2', false], ['m3', false], ['m4', false], ['urgent', false]]);
    expect(drain(b2, routes)).toEqual([['urgent', false], ['m0', false], ['m1', false], ['m2', false], ['m3', false], ['m4', false]]);
    expect(drain((second.vhosts.get('other') as VirtualHost).queue('o'), routes)).toEqual([['in other', false]]);
    // read back from the store: the exchange and routing key, and the routing bytes as published
    expect(new Set(routes)).toEqual(new Set([`x/k/${encodeRouting('x', 'k').toString('hex')}`, `/o/${encodeRouting('', 'o').toString('hex')}`]));
    expect(routes).toHaveLength(12);
    // the bindings are back
    expect(root2.publish(root2.exchange('x'), makeMessage('after', { exchange: 'x', routingKey: 'k' })).routed).toBe(2);
    const after = a2.get();
    expect([after?.message.body.toString(), after?.message.exchange, after?.message.routingKey]).toEqual(['after', 'x', 'k']);
    if (after) a2.ack(after);
    await second.store.close();

    const third = start(dir); // everything drained and acknowledged
    expect(third.stats.reduce((n, s) => n + s.messages, 0)).toBe(1); // 'after' in b
    await third.store.close();
  });

  it('a deleted queue and its messages stay deleted; its id is not handed out again', async () => {
    const dir = tempDir();
    const first = start(dir);
    const root = first.vhosts.get('/') as VirtualHost;
    const gone = declare(root, 'gone', true);
    root.publish(root.exchange(''), makeMessage('lost', { routingKey: 'gone' }));
    expect(await whenDurable(root)).toBeNull();
    const goneId = gone.storage.storeId;
    root.deleteQueue(gone);
    await first.store.close();

    const second = start(dir);
    const root2 = second.vhosts.get('/') as VirtualHost;
    expect(root2.queues.has('gone')).toBe(false);
    expect(second.stats.reduce((n, s) => n + s.messages, 0)).toBe(0);
    const again = declare(root2, 'gone', true);
    expect(again.storage.storeId).toBeGreaterThan(goneId);
    expect(again.messageCount).toBe(0);
    await second.store.close();
  });

  it('a queue id of 2^31 is refused when the queue is declared (its top bit is the delivered flag)', async () => {
    const dir = tempDir();
    const defs = new DefinitionsLog(path.join(dir, 'definitions.log'), log, false);
    defs.append({ op: 'next-queue-id', value: MAX_QUEUE_ID - 1 });
    defs.close();
    const { store, vhosts } = start(dir);
    const root = vhosts.get('/') as VirtualHost;
    expect(declare(root, 'last', true).storage.storeId).toBe(MAX_QUEUE_ID - 1);
    expect(() => declare(root, 'one too many', true)).toThrow(/queue ids exhausted/);
    expect(declare(root, 'transient', false).storage.storeId).toBe(-1); // needs no id
    await store.close();
  });
});
