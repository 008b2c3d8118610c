/**
 * A channel's deliveries awaiting basic.ack/nack/reject, in delivery-tag order (tags only
 * grow). Kept as parallel arrays with a moving head, so recording a delivery allocates nothing
 * and the usual in-order acks are O(1); an ack for a tag in the middle is a binary search.
 *
 * Settlement follows RabbitMQ's collect_acks: `multiple` takes every outstanding delivery up to
 * and including the tag, and the tag itself must be outstanding (else "unknown delivery tag");
 * tag 0 with `multiple` takes everything.
 */
import type { QueuedMessage } from '../broker/message.js';
import type { Queue } from '../broker/queue.js';
import type { Consumer } from './consumer.js';

export interface Unacked {
  readonly tag: number;
  readonly qm: QueuedMessage;
  readonly queue: Queue;
  /** null for a basic.get delivery. */
  readonly consumer: Consumer | null;
  /** When it was delivered (ms). */
  readonly at: number;
}

/** Receives one settled delivery; `at` is when it was delivered (a rolled-back transaction puts it back with it). */
export type SettleFn = (tag: number, qm: QueuedMessage, queue: Queue, consumer: Consumer | null, at: number) => void;

export class UnackedLedger {
  private tags: number[] = [];
  private qms: (QueuedMessage | null)[] = [];
  private queues: (Queue | null)[] = [];
  private consumers: (Consumer | null)[] = [];
  /** When each was delivered (coarse clock, ms), for the consumer timeout. */
  private times: number[] = [];
  private head = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  /** Adds each outstanding delivery to its queue's count (the management API's unacked messages). */
  countByQueue(into: Map<Queue, number>): void {
    for (let i = this.head; i < this.qms.length; i++) {
      const q = this.queues[i];
      if (this.qms[i] !== null && q !== null) into.set(q, (into.get(q) ?? 0) + 1);
    }
  }

  add(tag: number, qm: QueuedMessage, queue: Queue, consumer: Consumer | null, at = 0): void {
    this.tags.push(tag);
    this.times.push(at);
    this.qms.push(qm);
    this.queues.push(queue);
    this.consumers.push(consumer);
    this.live++;
  }

  /**
   * Removes the deliveries an ack/nack/reject names and passes each to `take`, oldest first
   * (as arguments, not an object: this is the per-message ack path). Returns false (removing
   * nothing) when the tag is not outstanding.
   */
  settle(tag: number, multiple: boolean, take: SettleFn): boolean {
    if (multiple && tag === 0) {
      if (this.live === 0) return true;
      this.takeRange(this.head, this.tags.length, take);
      return true;
    }
    const at = this.indexOf(tag);
    if (at < 0) return false;
    this.takeRange(multiple ? this.head : at, at + 1, take);
    return true;
  }

  /** Removes and returns everything (channel closing, basic.recover). */
  takeAll(): Unacked[] {
    const out: Unacked[] = [];
    this.takeRange(this.head, this.tags.length, (tag, qm, queue, consumer, at) => out.push({ tag, qm, queue, consumer, at }));
    return out;
  }

  /** Puts deliveries back (a rolled-back transaction's acks), keeping tag order. */
  restore(items: readonly Unacked[]): void {
    const all = [...this.snapshot(), ...items].sort((a, b) => a.tag - b.tag);
    this.tags = [];
    this.qms = [];
    this.queues = [];
    this.consumers = [];
    this.times = [];
    this.head = 0;
    this.live = 0;
    for (const u of all) this.add(u.tag, u.qm, u.queue, u.consumer, u.at);
  }

  /** The outstanding deliveries, oldest first (not removed). */
  snapshot(): Unacked[] {
    const out: Unacked[] = [];
    for (let i = this.head; i < this.tags.length; i++) {
      const qm = this.qms[i];
      if (qm !== null) out.push({ tag: this.tags[i], qm, queue: this.queues[i] as Queue, consumer: this.consumers[i], at: this.times[i] });
    }
    return out;
  }

  /** The first outstanding delivery for which `late(at, queue, consumer)` holds, or null. */
  findLate(late: (at: number, queue: Queue, consumer: Consumer | null) => boolean): Unacked | null {
    for (let i = this.head; i < this.tags.length; i++) {
      const qm = this.qms[i];
      if (qm !== null && late(this.times[i], this.queues[i] as Queue, this.consumers[i])) {
        return { tag: this.tags[i], qm, queue: this.queues[i] as Queue, consumer: this.consumers[i], at: this.times[i] };
      }
    }
    return null;
  }

  private takeRange(from: number, to: number, take: SettleFn): void {
    for (let i = from; i < to; i++) {
      const qm = this.qms[i];
      if (qm === null) continue;
      const queue = this.queues[i] as Queue;
      const consumer = this.consumers[i];
      this.qms[i] = null;
      this.queues[i] = null;
      this.consumers[i] = null;
      this.live--;
      take(this.tags[i], qm, queue, consumer, this.times[i]);
    }
    this.advanceHead();
  }

  private indexOf(tag: number): number {
    let lo = this.head;
    let hi = this.tags.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.tags[mid];
      if (t === tag) return this.qms[mid] === null ? -1 : mid;
      if (t < tag) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Skips settled entries at the head; compacts the arrays once the dead prefix is large. */
  private advanceHead(): void {
    while (this.head < this.tags.length && this.qms[this.head] === null) this.head++;
    if (this.head === this.tags.length) {
      this.tags.length = 0;
      this.qms.length = 0;
      this.queues.length = 0;
      this.consumers.length = 0;
      this.times.length = 0;
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.tags.length) {
      this.tags = this.tags.slice(this.head);
      this.qms = this.qms.slice(this.head);
      this.queues = this.queues.slice(this.head);
      this.consumers = this.consumers.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
