/**
 * Numbers the management API shows that no hot path keeps: messages delivered and not yet
 * acknowledged, per queue, counted from the channels' ledgers when a request asks (a request
 * costs O(unacknowledged deliveries); publishing and acknowledging cost nothing more).
 */
import type { Queue } from '../broker/queue.js';
import type { Connection } from '../session/connection.js';

export function unackedByQueue(connections: Iterable<Connection>): Map<Queue, number> {
  const counts = new Map<Queue, number>();
  for (const c of connections) for (const ch of c.channelList()) ch.ledger.countByQueue(counts);
  return counts;
}
