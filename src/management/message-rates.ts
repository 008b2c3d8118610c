/**
 * message_stats as the management API shows them for a queue (KEDA scales on
 * `message_stats.publish_details.rate` and `deliver_get_details.rate`): the queue's counts, and
 * rates per second over the last sampling interval (RabbitMQ samples every 5 s). One timer for
 * the broker while the API runs; the publish and deliver paths only increment the counts.
 */
import type { Queue } from '../broker/queue.js';
import type { VirtualHost } from '../broker/vhost.js';

const SAMPLE_MS = 5000;

interface Sample { publish: number; deliverGet: number; ack: number; at: number }
interface Rates { publish: number; deliverGet: number; ack: number }

export class MessageRates {
  private readonly last = new WeakMap<Queue, Sample>();
  private readonly rates = new WeakMap<Queue, Rates>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly vhosts: ReadonlyMap<string, VirtualHost>) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes every queue's counts and works out its rates since the previous sample. */
  sample(now = Date.now()): void {
    for (const v of this.vhosts.values()) {
      for (const q of v.queues.values()) {
        const prev = this.last.get(q);
        const cur = { publish: q.publishCount, deliverGet: q.deliverGetCount, ack: q.ackCount, at: now };
        if (prev !== undefined && now > prev.at) {
          const dt = (now - prev.at) / 1000;
          this.rates.set(q, {
            publish: (cur.publish - prev.publish) / dt, deliverGet: (cur.deliverGet - prev.deliverGet) / dt, ack: (cur.ack - prev.ack) / dt,
          });
        }
        this.last.set(q, cur);
      }
    }
  }

  /** The queue's message_stats, or undefined for a queue with no traffic yet (RabbitMQ then leaves the field out). */
  of(q: Queue): Record<string, number | { rate: number }> | undefined {
    if (q.publishCount === 0 && q.deliverGetCount === 0 && q.ackCount === 0) return undefined;
    const r = this.rates.get(q) ?? { publish: 0, deliverGet: 0, ack: 0 };
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      publish: q.publishCount, publish_details: { rate: round(r.publish) },
      deliver_get: q.deliverGetCount, deliver_get_details: { rate: round(r.deliverGet) },
      ack: q.ackCount, ack_details: { rate: round(r.ack) },
    };
  }
}
