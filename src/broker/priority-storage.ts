/**
 * A priority queue (x-max-priority): one storage per priority level, read from the highest
 * level that has a message. A message's priority property above the maximum counts as the
 * maximum, an absent one as 0 (RabbitMQ's classic priority queues). Requeued messages go back
 * to the front of their own level.
 */
import type { QueuedMessage, Message } from './message.js';
import type { QueueStorage } from './queue-storage.js';
import type { RecoveredProperties, StoredQueue } from './durable-queue-storage.js';

export class PriorityQueueStorage implements QueueStorage, StoredQueue {
  constructor(private readonly levels: (QueueStorage & Partial<StoredQueue>)[]) {}

  get storeId(): number {
    return this.levels[0].storeId;
  }

  private level(priority: number | undefined): QueueStorage & Partial<StoredQueue> {
    const max = this.levels.length - 1;
    return this.levels[Math.min(priority ?? 0, max)];
  }

  append(message: Message, position: number, expiresAt: number): void {
    this.level(message.header.priority).append(message, position, expiresAt);
  }

  read(): QueuedMessage | undefined {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      if (this.levels[i].readyCount === 0) continue;
      // a level whose remaining messages could not be read from disk has none to give
      const qm = this.levels[i].read();
      if (qm !== undefined) return qm;
    }
    return undefined;
  }

  discardHead(): void {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      if (this.levels[i].readyCount > 0) return this.levels[i].discardHead();
    }
  }

  headExpiresAt(): number {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      if (this.levels[i].readyCount > 0) return this.levels[i].headExpiresAt();
    }
    return Infinity;
  }

  requeue(qm: QueuedMessage): void {
    this.level(qm.message.header.priority).requeue(qm);
  }

  ack(qm: QueuedMessage): void {
    this.level(qm.message.header.priority).ack(qm);
  }

  purge(): number {
    let n = 0;
    for (const l of this.levels) n += l.purge();
    return n;
  }

  destroy(): void {
    for (const l of this.levels) l.destroy();
  }

  get readyCount(): number {
    let n = 0;
    for (const l of this.levels) n += l.readyCount;
    return n;
  }

  get readyBytes(): number {
    let n = 0;
    for (const l of this.levels) n += l.readyBytes;
    return n;
  }

  // ---- durable levels ----

  recovered(position: number, delivered: boolean, bodySize: number, record: RecoveredProperties): void {
    this.level(record.priority()).recovered?.(position, delivered, bodySize, record);
  }

  countReady(positions: ReadonlySet<number>): number {
    let n = 0;
    for (const l of this.levels) n += l.countReady?.(positions) ?? 0;
    return n;
  }

  relocate(moves: ReadonlyMap<number, number>): void {
    for (const l of this.levels) l.relocate?.(moves);
  }
}
