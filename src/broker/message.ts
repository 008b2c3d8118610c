/**
 * A published message as the broker holds it — a domain value, not a method: exchange, routing
 * key (and CC/BCC keys), the content header and body exactly as received. One Message is
 * shared by every queue it was routed to (fan-out keeps one copy); per-queue state (position,
 * redelivered) lives in QueuedMessage.
 */
import type { ContentHeader } from '../codec/content-header.js';

export class Message {
  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    /**
     * Holds, from routingStart to routingEnd, the exchange and routing key as the two short
     * strings basic.publish carried: basic.deliver copies them as they are, and the record on
     * disk keeps them. For a published message this is the basic.publish frame's payload itself
     * (no view object per message); for one the broker builds, exactly those bytes.
     */
    readonly routingFrame: Buffer,
    readonly header: ContentHeader,
    readonly body: Buffer,
    /** More routing keys from the CC and BCC headers (sender-selected distribution). */
    readonly extraKeys: readonly string[] = NO_EXTRA_KEYS,
    readonly routingStart = 0,
    readonly routingEnd = routingFrame.length,
  ) {}

  /** The routing bytes alone (a view). */
  get routing(): Buffer {
    return this.routingFrame.subarray(this.routingStart, this.routingEnd);
  }

  get bodySize(): number {
    return this.body.length;
  }

  get persistent(): boolean {
    return this.header.persistent;
  }
}

const NO_EXTRA_KEYS: readonly string[] = Object.freeze([]);

/** A message's place in one queue. */
export class QueuedMessage {
  /** Set when the message has been delivered before (a requeue or a recovered delivery). */
  redelivered = false;
  /** Times it was rejected or nacked back into the queue (quorum queues' x-delivery-count). */
  deliveryCount = 0;
  /** Times it came back for any reason (also its channel closing): quorum's x-acquired-count. */
  acquiredCount = 0;
  /** A content header to deliver instead of the message's (e.g. with x-delivery-count). */
  header: Buffer | null = null;

  constructor(
    readonly message: Message,
    /** Arrival order in the queue: requeued messages go back in this order. */
    readonly seq: number,
    /** Where the message store holds it for this queue; -1 when it is not on disk. */
    public position = -1,
    /** When it expires (ms since the epoch); Infinity = never. */
    readonly expiresAt = Infinity,
  ) {}
}
