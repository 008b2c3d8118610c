/**
 * The Persistence of a vhost with a data directory: durable topology changes become records in
 * the definitions log (durable-topology.ts), persistent messages routed to durable queues become
 * records in the vhost's message store, and durable queues keep their messages there
 * (durable-queue-storage.ts). It is also how the message store's recovery and compaction reach
 * those queues, by the ids the records carry.
 */
import type { Policy, PolicyKind } from './policies.js';
import type { FieldTable } from '../codec/field-table.js';
import type { DataStore } from '../store/data-store.js';
import type { MessageStore } from '../store/message-store.js';
import type { CompactionQueues } from '../store/segment-compactor.js';
import type { RecoveryStats } from '../store/segment-recovery.js';
import { DurableQueueStorage, RecoveredProperties, type StoredQueue } from './durable-queue-storage.js';
import { bindingRecord, exchangeRecord, policyRecord, queueRecord, streamStartRecord } from './durable-topology.js';
import { StoredStreamLog } from './stream/stream-log.js';
import type { Destination, Exchange } from './exchange.js';
import type { Message } from './message.js';
import { storageFor, type Persistence } from './persistence.js';
import type { DelayedExchange, HeldStorage } from './delayed-exchange.js';
import type { Queue, QueueOptions } from './queue.js';
import { MemoryQueueStorage, type QueueStorage } from './queue-storage.js';

export class DurablePersistence implements Persistence, CompactionQueues {
  /** Durable queues by the id their records carry. */
  private readonly queues = new Map<number, StoredQueue>();
  private readonly messages: MessageStore;
  /** Streams in the vhost: while there are none, a transient message is never written. */
  private streams = 0;

  constructor(private readonly store: DataStore, private readonly vhost: string) {
    this.messages = store.messagesFor(vhost);
    this.messages.compactionQueues = this;
    this.messages.startCompaction();
  }

  // ---- CompactionQueues ----

  isQueue(id: number): boolean {
    return this.queues.has(id);
  }

  allReady(queueId: number, positions: ReadonlySet<number>): boolean {
    return this.queues.get(queueId)?.countReady(positions) === positions.size;
  }

  relocate(queueId: number, moves: ReadonlyMap<number, number>): void {
    this.queues.get(queueId)?.relocate(moves);
  }

  // ---- Persistence ----

  get durablePosition(): number {
    return this.messages.durablePosition;
  }

  queueStorage(name: string, options: QueueOptions): QueueStorage {
    if (!options.durable) return storageFor(options, () => new MemoryQueueStorage());
    return this.durableStorage(name, this.store.newQueueId(), options);
  }

  /** The storage of a durable queue with this id (new, or recovered at start): a stream's is its log. */
  durableStorage(name: string, id: number, options: QueueOptions): QueueStorage {
    if (options.config?.type === 'stream') {
      return new StoredStreamLog(id, this.messages, (start) => this.store.record(streamStartRecord(this.vhost, name, start)));
    }
    const ttl = options.config?.messageTtl;
    return storageFor(options, () => new DurableQueueStorage(id, this.messages, ttl));
  }

  exchangeAdded(x: Exchange): void {
    this.store.record(exchangeRecord(this.vhost, x));
  }

  exchangeRemoved(x: Exchange): void {
    this.store.record({ op: 'delete-exchange', vhost: this.vhost, name: x.name });
  }

  queueAdded(q: Queue): void {
    // a durable queue's storage is a DurableQueueStorage, a PriorityQueueStorage of them, or a StoredStreamLog
    if (q.storage.storeId >= 0) this.queues.set(q.storage.storeId, q.storage as unknown as StoredQueue);
    if (q.storage.keepsEveryMessage === true) this.streams++;
    this.store.record(queueRecord(this.vhost, q));
  }

  queueRemoved(q: Queue): void {
    if (q.storage.keepsEveryMessage === true) this.streams--;
    this.queues.delete(q.storage.storeId);
    this.store.record({ op: 'delete-queue', vhost: this.vhost, name: q.name });
  }

  bindingAdded(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void {
    this.store.record(bindingRecord('bind', this.vhost, source, destination, routingKey, args));
  }

  bindingRemoved(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void {
    this.store.record(bindingRecord('unbind', this.vhost, source, destination, routingKey, args));
  }

  heldStorage(x: Exchange, id: number): HeldStorage | null {
    // a transient exchange's messages do not outlive the broker: nothing to write
    if (!x.durable) return null;
    return { id: id >= 0 ? id : this.store.newQueueId(), store: this.messages };
  }

  delayedAdded(d: DelayedExchange): void {
    if (d.storeId >= 0) this.queues.set(d.storeId, d);
  }

  delayedRemoved(d: DelayedExchange): void {
    if (d.storeId >= 0) this.queues.delete(d.storeId);
  }

  policySet(kind: PolicyKind, p: Policy): void {
    this.store.record(policyRecord(kind, p));
  }

  policyCleared(kind: PolicyKind, name: string): void {
    this.store.record({ op: 'clear-policy', vhost: this.vhost, kind, name });
  }

  persist(message: Message, queues: readonly Queue[]): number {
    const persistent = message.persistent;
    if (!persistent && this.streams === 0) return -1;
    let ids: number[] | null = null;
    for (let i = 0; i < queues.length; i++) {
      const s = queues[i].storage;
      // streams keep every message, as RabbitMQ's write every message to disk
      if (s.storeId >= 0 && (persistent || s.keepsEveryMessage === true)) (ids ??= []).push(s.storeId);
    }
    return ids === null ? -1 : this.messages.append(ids, message.routing, message.header.raw, message.body);
  }

  whenDurable(cb: () => void): void {
    this.messages.whenDurable(cb);
  }

  /** At start, after the topology: every stored message goes back to its durable queues, in order. */
  recoverMessages(): RecoveryStats {
    const properties = new RecoveredProperties();
    return this.store.recoverMessages(
      this.vhost,
      (id) => this.queues.has(id),
      (id, position, delivered, bodySize, record) =>
        (this.queues.get(id) as StoredQueue).recovered(position, delivered, bodySize, properties.set(record)),
    );
  }
}
