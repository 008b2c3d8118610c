/**
 * Everything Warren keeps on disk, under the data directory:
 *
 *   definitions.log          durable topology of every vhost (definitions-log.ts)
 *   vhosts/<vhost>/msgs.*    the message store of each vhost (message-store.ts)
 *   vhosts/<vhost>/acks.*
 *
 * DataStore opens it, replays it into the vhosts at start, and gives each vhost a VhostStore:
 * the Persistence that records its durable topology and writes its persistent messages.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { decodeTable, encodeTable, TableFailure, type FieldTable } from '../codec/field-table.js';
import type { Destination, Exchange } from '../broker/exchange.js';
import { isExchange } from '../broker/exchange.js';
import type { ExchangeType } from '../broker/exchange/routing-table.js';
import type { Message } from '../broker/message.js';
import type { Persistence } from '../broker/persistence.js';
import type { Queue, QueueOptions } from '../broker/queue.js';
import { MemoryQueueStorage, type QueueStorage } from '../broker/queue-storage.js';
import { storageFor } from '../broker/persistence.js';
import { DEFAULT_QUEUE_CONFIG, queueConfig, type QueueConfig } from '../broker/queue-arguments.js';
import { rs } from '../broker/resource-names.js';
import type { VirtualHost } from '../broker/vhost.js';
import { DefinitionsLog, type Definition } from './definitions-log.js';
import { DurableQueueStorage, type StoredQueue } from './durable-queue-storage.js';
import { MessageStore } from './message-store.js';
import { MAX_QUEUE_ID } from './record-format.js';
import type { CompactionQueues } from './segment-compactor.js';
import { recoverMessageStore, type RecoveryStats } from './segment-recovery.js';
import { nodeFs, type StoreFs } from './store-fs.js';

export interface DataStoreOptions {
  readonly dataDir: string;
  readonly log: Logger;
  /** false: never fdatasync (unsafe; for throwaway brokers). */
  readonly fsync: boolean;
  readonly segmentSize?: number;
  readonly fs?: StoreFs;
}

/** Standard exchanges exist in every vhost and are never recorded. */
const isStandardExchange = (name: string) => name === '' || name.startsWith('amq.');

export class DataStore {
  readonly definitions: DefinitionsLog;
  private readonly vhostStores = new Map<string, VhostStore>();
  private nextQueueId = 1;
  private replaying = false;
  /** Disk alarm: raised with the error, cleared with null. */
  onAlarm: (err: Error | null) => void = () => undefined;

  constructor(readonly options: DataStoreOptions) {
    const io = options.fs ?? nodeFs;
    io.mkdirSync(options.dataDir, { recursive: true });
    this.definitions = new DefinitionsLog(path.join(options.dataDir, 'definitions.log'), options.log, options.fsync, io);
  }

  /** The Persistence of a vhost (opening its message store). */
  persistenceFor(vhost: string): VhostStore {
    let vs = this.vhostStores.get(vhost);
    if (vs === undefined) {
      const messages = new MessageStore({
        dir: path.join(this.options.dataDir, 'vhosts', encodeURIComponent(vhost)),
        log: this.options.log,
        fsync: this.options.fsync,
        segmentSize: this.options.segmentSize,
        fs: this.options.fs,
      });
      messages.onAlarm = (err) => this.onAlarm(err);
      vs = new VhostStore(this, vhost, messages);
      this.vhostStores.set(vhost, vs);
    }
    return vs;
  }

  /** Replays the definitions into the vhosts, then each vhost's messages into its queues. */
  recover(vhosts: ReadonlyMap<string, VirtualHost>): RecoveryStats {
    const defs = this.definitions.load();
    this.replaying = true;
    try {
      for (const d of defs) this.replay(d, vhosts);
    } finally {
      this.replaying = false;
    }
    const total: RecoveryStats = { segments: 0, records: 0, messages: 0, droppedRecords: 0, truncatedBytes: 0 };
    for (const [name, vhost] of vhosts) {
      const vs = this.persistenceFor(name);
      const stats = vs.recoverMessages(vhost);
      for (const k of Object.keys(total) as (keyof RecoveryStats)[]) total[k] += stats[k];
    }
    if (this.definitions.length > 2 * this.snapshot(vhosts).length + 100) this.definitions.rewrite(this.snapshot(vhosts));
    this.vhostsForSnapshot = vhosts;
    return total;
  }

  private vhostsForSnapshot: ReadonlyMap<string, VirtualHost> = new Map();

  private replay(d: Definition, vhosts: ReadonlyMap<string, VirtualHost>): void {
    if (d.op === 'next-queue-id') {
      this.nextQueueId = Math.max(this.nextQueueId, d.value);
      return;
    }
    const vhost = vhosts.get(d.vhost);
    if (vhost === undefined) return;
    switch (d.op) {
      case 'exchange':
        if (!vhost.exchanges.has(d.name)) {
          vhost.addExchange(d.name, d.type as ExchangeType, { durable: true, autoDelete: d.autoDelete, internal: d.internal, arguments: table(d.args) });
        }
        return;
      case 'delete-exchange': {
        const x = vhost.exchanges.get(d.name);
        if (x) vhost.deleteExchange(x, false);
        return;
      }
      case 'queue': {
        this.nextQueueId = Math.max(this.nextQueueId, d.id + 1);
        const args = table(d.args);
        const options: QueueOptions = {
          durable: true, exclusive: false, autoDelete: d.autoDelete, arguments: args, owner: null,
          config: recoveredConfig(args, d.name, d.vhost, d.autoDelete, this.options.log),
        };
        vhost.addQueue(d.name, options, this.persistenceFor(d.vhost).durableStorage(d.id, options));
        return;
      }
      case 'delete-queue': {
        const q = vhost.queues.get(d.name);
        if (q) vhost.deleteQueue(q);
        return;
      }
      case 'bind':
      case 'unbind': {
        const source = vhost.exchanges.get(d.source);
        const dest = d.kind === 'queue' ? vhost.queues.get(d.destination) : vhost.exchanges.get(d.destination);
        if (!source || !dest) return;
        if (d.op === 'bind') vhost.bind(source, dest, d.key, table(d.args));
        else vhost.unbind(source, dest, d.key, table(d.args));
      }
    }
  }

  /** Records a topology change (not while replaying). */
  record(d: Definition): void {
    if (this.replaying) return;
    this.definitions.append(d);
    if (this.definitions.length > 1000 && this.definitions.length % 1000 === 0) {
      const snap = this.snapshot(this.vhostsForSnapshot);
      if (this.definitions.length > 2 * snap.length) this.definitions.rewrite(snap);
    }
  }

  /**
   * A queue id never used before (the queue's definition record carries it; snapshots keep the
   * counter). Ids must stay below 2^31, the ack entry's delivered flag: past that, declaring a
   * durable queue fails (the declaring connection gets 541 INTERNAL_ERROR and the error is
   * logged) rather than writing ack entries that would read as another queue's delivered marks.
   */
  newQueueId(): number {
    if (this.nextQueueId >= MAX_QUEUE_ID) {
      throw new Error(`durable queue ids exhausted (${MAX_QUEUE_ID} queues were declared over the life of ${this.options.dataDir})`);
    }
    return this.nextQueueId++;
  }

  /** The current durable topology as definitions. */
  snapshot(vhosts: ReadonlyMap<string, VirtualHost>): Definition[] {
    const out: Definition[] = [{ op: 'next-queue-id', value: this.nextQueueId }];
    for (const [name, vhost] of vhosts) {
      for (const x of vhost.exchanges.values()) {
        if (x.durable && !isStandardExchange(x.name)) out.push(exchangeDefinition(name, x));
      }
      for (const q of vhost.queues.values()) if (q.durable) out.push(queueDefinition(name, q));
      for (const x of vhost.exchanges.values()) {
        if (!x.durable || x.isDefault) continue;
        for (const b of x.routing.bindings()) {
          if (b.destination.durable) out.push(bindingDefinition('bind', name, x, b.destination, b.routingKey, b.args));
        }
      }
    }
    return out;
  }

  async close(): Promise<void> {
    for (const vs of this.vhostStores.values()) await vs.messages.close();
    this.definitions.close();
  }
}

/** The Persistence of one vhost. */
export class VhostStore implements Persistence, CompactionQueues {
  private readonly queues = new Map<number, StoredQueue>();

  constructor(private readonly owner: DataStore, private readonly vhost: string, readonly messages: MessageStore) {
    messages.compactionQueues = this;
    messages.startCompaction();
  }

  isQueue(id: number): boolean {
    return this.queues.has(id);
  }

  allReady(queueId: number, positions: ReadonlySet<number>): boolean {
    return this.queues.get(queueId)?.countReady(positions) === positions.size;
  }

  relocate(queueId: number, moves: ReadonlyMap<number, number>): void {
    this.queues.get(queueId)?.relocate(moves);
  }

  get durablePosition(): number {
    return this.messages.durablePosition;
  }

  queueStorage(_name: string, options: QueueOptions): QueueStorage {
    if (!options.durable) return storageFor(options, () => new MemoryQueueStorage());
    return this.durableStorage(this.owner.newQueueId(), options);
  }

  durableStorage(id: number, options: QueueOptions): QueueStorage {
    const ttl = options.config?.messageTtl;
    return storageFor(options, () => new DurableQueueStorage(id, this.messages, ttl));
  }

  exchangeAdded(x: Exchange): void {
    this.owner.record(exchangeDefinition(this.vhost, x));
  }

  exchangeRemoved(x: Exchange): void {
    this.owner.record({ op: 'delete-exchange', vhost: this.vhost, name: x.name });
  }

  queueAdded(q: Queue): void {
    if (q.storage.storeId >= 0) this.queues.set(q.storage.storeId, q.storage as unknown as StoredQueue);
    this.owner.record(queueDefinition(this.vhost, q));
  }

  queueRemoved(q: Queue): void {
    this.queues.delete(q.storage.storeId);
    this.owner.record({ op: 'delete-queue', vhost: this.vhost, name: q.name });
  }

  bindingAdded(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void {
    this.owner.record(bindingDefinition('bind', this.vhost, source, destination, routingKey, args));
  }

  bindingRemoved(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void {
    this.owner.record(bindingDefinition('unbind', this.vhost, source, destination, routingKey, args));
  }

  persist(message: Message, queues: readonly Queue[]): number {
    if (!message.persistent) return -1;
    let ids: number[] | null = null;
    for (let i = 0; i < queues.length; i++) {
      const id = queues[i].storage.storeId;
      if (id >= 0) (ids ??= []).push(id);
    }
    return ids === null ? -1 : this.messages.append(message, ids);
  }

  whenDurable(cb: (err: Error | null) => void): void {
    this.messages.whenDurable(cb);
  }

  recoverMessages(_vhost: VirtualHost): RecoveryStats {
    return recoverMessageStore(
      this.messages,
      (id) => this.queues.has(id),
      (id, position, delivered, bodySize, record) => (this.queues.get(id) as StoredQueue).recovered(position, delivered, bodySize, record),
      this.owner.options.log,
      this.owner.options.fs,
    );
  }
}

/** The config of a recovered queue (its arguments were valid when it was declared). */
function recoveredConfig(args: FieldTable, name: string, vhost: string, autoDelete: boolean, log: Logger): QueueConfig {
  try {
    return queueConfig(args, rs('queue', name, vhost), { durable: true, exclusive: false, autoDelete, serverNamed: false });
  } catch (err) {
    log.warn({ queue: name, err }, 'recovered queue has arguments no longer valid: ignoring them');
    return DEFAULT_QUEUE_CONFIG;
  }
}

function exchangeDefinition(vhost: string, x: Exchange): Definition {
  return { op: 'exchange', vhost, name: x.name, type: x.type, autoDelete: x.autoDelete, internal: x.internal, args: tableText(x.options.arguments) };
}

function queueDefinition(vhost: string, q: Queue): Definition {
  return { op: 'queue', vhost, name: q.name, id: q.storage.storeId, autoDelete: q.autoDelete, args: tableText(q.options.arguments) };
}

function bindingDefinition(op: 'bind' | 'unbind', vhost: string, source: Exchange, destination: Destination, key: string, args: FieldTable): Definition {
  return {
    op, vhost, source: source.name, kind: isExchange(destination) ? 'exchange' : 'queue',
    destination: destination.name, key, args: tableText(args),
  };
}

/** Tables are stored as the base64 of their AMQP encoding: every type survives exactly. */
function tableText(t: FieldTable): string {
  return t.length === 0 ? '' : encodeTable(t).subarray(4).toString('base64');
}

function table(text: string): FieldTable {
  if (text === '') return [];
  const t = decodeTable(Buffer.from(text, 'base64'));
  return t instanceof TableFailure ? [] : t;
}
