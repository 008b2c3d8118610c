/** tx.select / commit / rollback and confirm.select. */
import {
  CONFIRM_SELECT_OK, PRECONDITION_FAILED, TX_COMMIT_OK, TX_ROLLBACK_OK, TX_SELECT_OK,
} from '../../codec/generated/protocol.js';
import { AmqpError } from '../../codec/amqp-error.js';
import type { Channel } from '../channel.js';
import { PublisherConfirms } from '../publisher-confirms.js';
import { Transaction, type TxSettlement } from '../transaction.js';
import { returnUnroutable } from './basic-methods.js';

export function txSelect(ch: Channel): void {
  if (ch.confirms !== null) throw new AmqpError(PRECONDITION_FAILED, 'cannot switch from confirm to tx mode');
  ch.tx ??= new Transaction();
  ch.send(TX_SELECT_OK, {});
}

export function txCommit(ch: Channel): void {
  const tx = ch.tx;
  if (tx === null) throw new AmqpError(PRECONDITION_FAILED, 'channel is not transactional');
  const { publishes, acks } = tx;
  tx.clear();
  let persisted = false;
  for (const p of publishes) {
    // routed at publish time; a queue deleted since gets nothing (and a mandatory message that
    // now reaches no queue is returned, as RabbitMQ does at commit)
    const queues = p.queues.some((q) => q.deleted) ? p.queues.filter((q) => !q.deleted) : p.queues;
    const outcome = ch.vhost.deliver(p.message, queues);
    if (outcome.routed === 0 && p.mandatory) returnUnroutable(ch, p.message);
    if (outcome.position >= 0) persisted = true;
  }
  for (const a of acks) {
    if (a.how === 'requeue') a.queue.requeue(a.qm, true);
    else if (a.how === 'discard') a.queue.reject(a.qm);
    else a.queue.ack(a.qm);
    if (a.consumer !== null) {
      a.consumer.unacked--;
      ch.consumerUnacked--;
    }
  }
  const queues = new Set(acks.map((a) => a.queue));
  for (const q of queues) q.dispatch();
  // as RabbitMQ: commit-ok once the transaction's persistent messages are on disk
  if (!persisted) ch.send(TX_COMMIT_OK, {});
  // (a failed write is retried with the messages kept in memory: the commit still stands)
  else ch.vhost.whenDurable(() => { if (ch.state === 'open') ch.send(TX_COMMIT_OK, {}); });
}

export function txRollback(ch: Channel): void {
  const tx = ch.tx;
  if (tx === null) throw new AmqpError(PRECONDITION_FAILED, 'channel is not transactional');
  const acks = tx.acks;
  tx.clear();
  ch.ledger.restore(acks);
  ch.send(TX_ROLLBACK_OK, {});
}

/** An ack/nack/reject inside a transaction: taken out of the ledger now, applied at commit. */
export function settleInTransaction(ch: Channel, tag: number, multiple: boolean, how: TxSettlement, methodId: number): void {
  const tx = ch.tx as Transaction;
  const ok = ch.ledger.settle(tag, multiple, (t, qm, queue, consumer, at) => tx.acks.push({ tag: t, qm, queue, consumer, how, at }));
  if (!ok) throw new AmqpError(PRECONDITION_FAILED, `unknown delivery tag ${tag}`, methodId >>> 16, methodId & 0xffff);
}

export function confirmSelect(ch: Channel, noWait: boolean): void {
  if (ch.tx !== null) throw new AmqpError(PRECONDITION_FAILED, 'cannot switch from tx to confirm mode');
  ch.confirms ??= new PublisherConfirms(ch.confirmSink, ch.stats);
  if (!noWait) ch.send(CONFIRM_SELECT_OK, {});
}
