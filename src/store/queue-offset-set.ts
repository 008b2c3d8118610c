/**
 * A set of (queue id, offset-in-segment) pairs: which records of one segment a queue has
 * acknowledged, or been delivered. Recovery and compaction ask it once per (record, queue).
 *
 * The pair is not folded into one number: `queueId * 2^32 + offset` passes 2^53 once queue ids
 * pass 2^21 (ids are never reused, so churning durable queues get there), and then distinct
 * pairs round to the same double — an ack of one record would count for its neighbour. Here
 * each queue has its own Set of offsets; offsets of a segment are small integers, which V8
 * keeps unboxed, so a lookup costs one Map probe (usually skipped: records of a segment mostly
 * belong to the same few queues, and the last queue's set is remembered) and one Set probe.
 */
export class QueueOffsetSet {
  private readonly byQueue = new Map<number, Set<number>>();
  private lastQueue = -1;
  private last: Set<number> | undefined = undefined;

  add(queueId: number, offset: number): void {
    let set = this.offsetsOf(queueId);
    if (set === undefined) {
      this.byQueue.set(queueId, (set = new Set()));
      this.last = set;
    }
    set.add(offset);
  }

  has(queueId: number, offset: number): boolean {
    if (this.byQueue.size === 0) return false;
    const set = this.offsetsOf(queueId);
    return set !== undefined && set.has(offset);
  }

  private offsetsOf(queueId: number): Set<number> | undefined {
    if (queueId !== this.lastQueue) {
      this.lastQueue = queueId;
      this.last = this.byQueue.get(queueId);
    }
    return this.last;
  }
}
