/**
 * `message_stats` as the management API shows them for queues, channels, exchanges and the
 * overview (KEDA scales on a queue's `message_stats.publish_details.rate`; the dashboard charts
 * the overview's): the counts, and rates per second over the last sampling interval (RabbitMQ
 * samples every 5 s). One timer for the broker while the API runs; the publish, deliver and ack
 * paths only increment counters (queue.ts, channel-stats.ts, exchange.ts).
 */
import type { Exchange } from '../broker/exchange.js';
import type { Queue } from '../broker/queue.js';
import type { VirtualHost } from '../broker/vhost.js';
import type { Channel } from '../session/channel.js';
import { ChannelStats, type SessionTotals } from '../session/channel-stats.js';
import type { Connection } from '../session/connection.js';

const SAMPLE_MS = 5000;

/** Where the counts come from (the ManagementContext). */
export interface RateSources {
  readonly vhosts: ReadonlyMap<string, VirtualHost>;
  readonly connections: ReadonlySet<Connection>;
  readonly sessionTotals: SessionTotals;
}

type Stats = Record<string, number | { rate: number }>;

/** Field names and counts of each kind of object, in RabbitMQ's names. */
const QUEUE_FIELDS = ['publish', 'deliver_get', 'ack'] as const;
const queueCounts = (q: Queue): number[] => [q.publishCount, q.deliverGetCount, q.ackCount];

const CHANNEL_FIELDS = [
  'publish', 'confirm', 'return_unroutable', 'drop_unroutable', 'deliver', 'deliver_no_ack', 'get', 'get_no_ack',
  'get_empty', 'deliver_get', 'redeliver', 'ack',
] as const;
const channelCounts = (s: ChannelStats): number[] => [
  s.publish, s.confirm, s.returnUnroutable, s.dropUnroutable, s.deliver, s.deliverNoAck, s.get, s.getNoAck,
  s.getEmpty, s.deliver + s.deliverNoAck + s.get + s.getNoAck, s.redeliver, s.ack,
];

const EXCHANGE_FIELDS = ['publish_in', 'publish_out'] as const;
const exchangeCounts = (x: Exchange): number[] => [x.publishIn, x.publishOut];

interface Sample { counts: number[]; at: number }

/** The previous sample and the rates it gave, per object. */
class RateTable<K extends object> {
  private readonly last = new WeakMap<K, Sample>();
  private readonly rates = new WeakMap<K, number[]>();

  note(key: K, counts: number[], at: number): void {
    const prev = this.last.get(key);
    if (prev !== undefined && at > prev.at) {
      const dt = (at - prev.at) / 1000;
      this.rates.set(key, counts.map((c, i) => (c - prev.counts[i]) / dt));
    }
    this.last.set(key, { counts, at });
  }

  /** `{ field: count, field_details: { rate } }`, or undefined while every count is 0 (RabbitMQ leaves message_stats out). */
  stats(key: K, fields: readonly string[], counts: number[]): Stats | undefined {
    if (counts.every((c) => c === 0)) return undefined;
    const rates = this.rates.get(key);
    const out: Stats = {};
    fields.forEach((f, i) => {
      out[f] = counts[i];
      out[`${f}_details`] = { rate: Math.round((rates?.[i] ?? 0) * 10) / 10 };
    });
    return out;
  }
}

export class MessageRates {
  private readonly queues = new RateTable<Queue>();
  private readonly channels = new RateTable<Channel>();
  private readonly exchanges = new RateTable<Exchange>();
  private readonly overviewKey = {};
  private readonly node = new RateTable<object>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sources: RateSources) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes every object's counts and works out its rates since the previous sample. */
  sample(now = Date.now()): void {
    for (const v of this.sources.vhosts.values()) {
      for (const q of v.queues.values()) this.queues.note(q, queueCounts(q), now);
      for (const x of v.exchanges.values()) this.exchanges.note(x, exchangeCounts(x), now);
    }
    for (const c of this.sources.connections) for (const ch of c.channelList()) this.channels.note(ch, channelCounts(ch.stats), now);
    this.node.note(this.overviewKey, channelCounts(this.nodeTotals()), now);
  }

  /** A queue's message_stats, or undefined for a queue with no traffic yet. */
  of(q: Queue): Stats | undefined {
    return this.queues.stats(q, QUEUE_FIELDS, queueCounts(q));
  }

  channel(ch: Channel): Stats | undefined {
    return this.channels.stats(ch, CHANNEL_FIELDS, channelCounts(ch.stats));
  }

  /** An exchange's publish_in / publish_out (RabbitMQ leaves a zero publish_out out). */
  exchange(x: Exchange): Stats | undefined {
    const stats = this.exchanges.stats(x, EXCHANGE_FIELDS, exchangeCounts(x));
    if (stats !== undefined && x.publishOut === 0) {
      delete stats.publish_out;
      delete stats.publish_out_details;
    }
    return stats;
  }

  /** The node's message_stats: every channel's counts, closed ones included. */
  overview(): Stats | undefined {
    return this.node.stats(this.overviewKey, CHANNEL_FIELDS, channelCounts(this.nodeTotals()));
  }

  private nodeTotals(): ChannelStats {
    return nodeTotals(this.sources);
  }
}

/** The node's message counts: closed channels' counts plus the open ones' (also the Prometheus global counters). */
export function nodeTotals(sources: Pick<RateSources, 'connections' | 'sessionTotals'>): ChannelStats {
  const sum = new ChannelStats();
  sum.add(sources.sessionTotals.closedChannels);
  for (const c of sources.connections) for (const ch of c.channelList()) sum.add(ch.stats);
  return sum;
}
