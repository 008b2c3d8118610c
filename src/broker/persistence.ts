/**
 * What a virtual host asks of storage: where a new queue keeps its messages, what to record
 * when durable topology changes, and whether a published message is written to disk.
 * DurablePersistence (durable-persistence.ts) implements it on the data directory;
 * MemoryPersistence keeps everything in memory (the --ephemeral broker, and unit tests).
 */
import type { Policy, PolicyKind } from './policies.js';
import type { FieldTable } from '../codec/field-table.js';
import type { Exchange, Destination } from './exchange.js';
import type { Message } from './message.js';
import type { Queue, QueueOptions } from './queue.js';
import { MemoryQueueStorage, type QueueStorage } from './queue-storage.js';
import { PriorityQueueStorage } from './priority-storage.js';
import type { DelayedExchange, HeldStorage } from './delayed-exchange.js';
import { MemoryStreamLog } from './stream/stream-log.js';

export interface Persistence {
  /** Storage for a queue being declared (durable queues get one backed by the message store). */
  queueStorage(name: string, options: QueueOptions): QueueStorage;
  exchangeAdded(x: Exchange): void;
  exchangeRemoved(x: Exchange): void;
  queueAdded(q: Queue): void;
  queueRemoved(q: Queue): void;
  bindingAdded(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void;
  bindingRemoved(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void;
  /** Policies are kept with the topology (as RabbitMQ keeps them in its database). */
  policySet(kind: PolicyKind, p: Policy): void;
  policyCleared(kind: PolicyKind, name: string): void;
  /**
   * Writes a message routed to `queues` if it is persistent and some of them are durable;
   * returns its position (given to those queues) or -1 when it is not written.
   */
  persist(message: Message, queues: readonly Queue[]): number;
  /** Calls back once every message persisted so far is on disk (immediately if none is pending). */
  whenDurable(cb: () => void): void;
  /** Everything persisted up to this position is on disk. */
  readonly durablePosition: number;
  /**
   * Where a delayed-message exchange writes the persistent messages it holds, under a store id
   * of its own (`id` when recovering it, else a new one); null to hold them in memory.
   */
  heldStorage(x: Exchange, id: number): HeldStorage | null;
  /** A delayed exchange with held storage is created (its records are its) or deleted. */
  delayedAdded(d: DelayedExchange): void;
  delayedRemoved(d: DelayedExchange): void;
}

/** A queue's storage: one level, or one per priority for an x-max-priority queue. */
export function storageFor(options: QueueOptions, level: () => QueueStorage): QueueStorage {
  const max = options.config?.maxPriority ?? 0;
  if (max === 0) return level();
  return new PriorityQueueStorage(Array.from({ length: max + 1 }, level));
}

export class MemoryPersistence implements Persistence {
  readonly durablePosition = Number.MAX_SAFE_INTEGER;
  queueStorage(_name: string, options: QueueOptions): QueueStorage {
    if (options.config?.type === 'stream') return new MemoryStreamLog();
    return storageFor(options, () => new MemoryQueueStorage());
  }
  exchangeAdded(): void {}
  exchangeRemoved(): void {}
  queueAdded(): void {}
  queueRemoved(): void {}
  bindingAdded(): void {}
  bindingRemoved(): void {}
  policySet(): void {}
  policyCleared(): void {}
  persist(_message: Message, _queues: readonly Queue[]): number {
    return -1;
  }
  whenDurable(cb: () => void): void {
    queueMicrotask(cb);
  }
  heldStorage(): HeldStorage | null {
    return null;
  }
  delayedAdded(): void {}
  delayedRemoved(): void {}
}
