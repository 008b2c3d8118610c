/**
 * Numbers the management API shows that no hot path keeps: messages delivered and not yet
 * acknowledged, per queue, counted from the channels' ledgers when a request asks (a request
 * costs O(unacknowledged deliveries); publishing and acknowledging cost nothing more). Streams
 * have none: what their readers hold is still in the log, counted as ready (as RabbitMQ).
 */
import type { Queue } from '../broker/queue.js';
import type { Connection } from '../session/connection.js';

export function unackedByQueue(connections: Iterable<Connection>): Map<Queue, number> {
  const counts = new Map<Queue, number>();
  for (const c of connections) for (const ch of c.channelList()) ch.ledger.countByQueue(counts);
  // a stream's deliveries never leave its log: RabbitMQ counts them as ready, none unacknowledged
  for (const q of counts.keys()) if (q.config.type === 'stream') counts.delete(q);
  return counts;
}
