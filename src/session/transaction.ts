/**
 * A channel's open transaction (tx.select): publishes and acknowledgements are held here and
 * take effect at tx.commit, or are dropped (publishes) and restored (acks) at tx.rollback.
 * As in RabbitMQ, a publish is routed when it arrives and delivered at commit, and an ack takes
 * its deliveries out of the unacked ledger at once (an unknown tag fails immediately).
 */
import type { Message, QueuedMessage } from '../broker/message.js';
import type { Queue } from '../broker/queue.js';
import type { Consumer } from './consumer.js';

export interface TxPublish {
  readonly message: Message;
  readonly queues: readonly Queue[];
  readonly mandatory: boolean;
}

export type TxSettlement = 'ack' | 'requeue' | 'discard';

export interface TxAck {
  readonly tag: number;
  readonly qm: QueuedMessage;
  readonly queue: Queue;
  readonly consumer: Consumer | null;
  readonly how: TxSettlement;
  /** When it was delivered (kept if a rollback puts it back). */
  readonly at: number;
}

export class Transaction {
  publishes: TxPublish[] = [];
  acks: TxAck[] = [];

  clear(): void {
    this.publishes = [];
    this.acks = [];
  }
}
