/**
 * Message counts of one channel, as the management API's channel `message_stats` and
 * rabbitmq_prometheus's global counters name them. The handlers only increment fields (no
 * objects, no timers per message); rates are worked out by whoever samples the counts. When a
 * channel closes its counts are added to the connection-independent totals (SessionTotals), so
 * node-wide figures never go down.
 */
export class ChannelStats {
  /** basic.publish accepted (routed or not). */
  publish = 0;
  /** Publishes on a channel in confirm mode. */
  publishConfirmMode = 0;
  /** Publishes confirmed with basic.ack. */
  confirm = 0;
  /** Unroutable mandatory publishes answered with basic.return. */
  returnUnroutable = 0;
  /** Unroutable publishes without mandatory: dropped. */
  dropUnroutable = 0;
  /** Deliveries to consumers with manual acks. */
  deliver = 0;
  /** Deliveries to no-ack consumers. */
  deliverNoAck = 0;
  /** basic.get answered with a message, manual ack. */
  get = 0;
  /** basic.get answered with a message, no-ack. */
  getNoAck = 0;
  /** basic.get-empty. */
  getEmpty = 0;
  /** Deliveries and gets with the redelivered flag. */
  redeliver = 0;
  /** Deliveries acknowledged by the client. */
  ack = 0;

  /** Adds `other`'s counts to these. */
  add(other: ChannelStats): void {
    for (const k of STAT_KEYS) this[k] += other[k];
  }
}

export type StatKey = { [K in keyof ChannelStats]: ChannelStats[K] extends number ? K : never }[keyof ChannelStats];
export const STAT_KEYS: readonly StatKey[] = Object.keys(new ChannelStats()) as StatKey[];

/**
 * Node-wide counts that outlive connections: what closed channels counted, and the churn of
 * connections and channels (rabbitmq_connections_opened_total and its siblings).
 */
export class SessionTotals {
  readonly closedChannels = new ChannelStats();
  connectionsOpened = 0;
  connectionsClosed = 0;
  channelsOpened = 0;
  channelsClosed = 0;

  /** A channel closed: its counts join the totals. */
  retire(stats: ChannelStats): void {
    this.closedChannels.add(stats);
    this.channelsClosed++;
  }
}
