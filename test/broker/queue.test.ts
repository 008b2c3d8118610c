/**
 * The queue alone, with a fake host and fake consumers: what a consumer is handed after a
 * requeue, the counts basic.get reports once expired messages reach the head, a message routed
 * to a queue deleted since, and an error thrown on the queue's own timer.
 */
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { tableFromObject, type FieldTable } from '../../src/codec/field-table.js';
import { Message, type QueuedMessage } from '../../src/broker/message.js';
import { Queue, type QueueConsumer, type QueueHost } from '../../src/broker/queue.js';
import { queueConfig } from '../../src/broker/queue-arguments.js';
import { MemoryQueueStorage } from '../../src/broker/queue-storage.js';
import type { DeathReason } from '../../src/broker/dead-letter.js';

const header = ContentHeader.build(60, 1, { headers: tableFromObject({ trace: 'abc' }), messageId: 'm' });
const msg = (body: string, expiration?: string) => new Message('', 'q', Buffer.alloc(0),
  expiration === undefined ? header : ContentHeader.build(60, 1, { expiration }), Buffer.from(body));

class FakeHost implements QueueHost {
  readonly dead: [string, DeathReason][] = [];
  readonly failures: [unknown, string][] = [];
  throwOnDeadLetter = false;
  deleteQueue(queue: Queue): number {
    return queue.markDeleted();
  }
  deadLetter(_queue: Queue, message: Message, reason: DeathReason): void {
    if (this.throwOnDeadLetter) throw new Error('dead-lettering failed');
    this.dead.push([message.body.toString(), reason]);
  }
  queueFailed(_queue: Queue, err: unknown, during: string): void {
    this.failures.push([err, during]);
  }
}

function makeQueue(args: Record<string, unknown> = {}, host = new FakeHost(), storage = new MemoryQueueStorage()): Queue {
  const table = tableFromObject(args);
  const config = queueConfig(table, "queue 'q' in vhost '/'", { durable: false, exclusive: false, autoDelete: false, serverNamed: false });
  return new Queue('q', '/', { durable: false, exclusive: false, autoDelete: false, arguments: table, owner: null, config }, host, storage);
}

/** A consumer with room for everything, recording what it was handed. */
function recordingConsumer(): QueueConsumer & { got: QueuedMessage[] } {
  const got: QueuedMessage[] = [];
  return {
    tag: 'c', exclusive: false, priority: 0, got,
    canTake: () => true,
    deliver: (qm) => { got.push(qm); },
    queueDeleted: () => undefined,
  };
}

const headersOf = (qm: QueuedMessage) => {
  const h = ContentHeader.fromPayload(qm.header ?? qm.message.header.raw) as ContentHeader;
  return h.headers as FieldTable;
};

describe('Queue', () => {
  it('a classic queue hands a requeued message back with its header untouched', () => {
    const q = makeQueue();
    const c = recordingConsumer();
    q.enqueue(msg('a'));
    q.addConsumer(c);
    q.dispatch();
    q.requeue(c.got[0], true);
    q.requeue(q.get() as QueuedMessage, true);
    const again = q.get() as QueuedMessage;
    expect(again.redelivered).toBe(true);
    expect(again.header).toBeNull();
    expect(headersOf(again)).toEqual(tableFromObject({ trace: 'abc' }));
  });

  it('only with x-delivery-limit does a classic queue count failed deliveries in x-delivery-count', () => {
    const q = makeQueue({ 'x-delivery-limit': 5 });
    q.enqueue(msg('a'));
    q.requeue(q.get() as QueuedMessage, true);
    q.requeue(q.get() as QueuedMessage, false); // a channel closing is no failed delivery
    const again = q.get() as QueuedMessage;
    expect(headersOf(again).map((e) => [e.name, e.value.value])).toEqual([['trace', Buffer.from('abc')], ['x-delivery-count', 1n]]);
  });

  it('basic.get drops the expired messages at the new head before the count is read', async () => {
    const q = makeQueue();
    q.enqueue(msg('lives'));
    q.enqueue(msg('dies', '1'));
    q.enqueue(msg('dies too', '1'));
    q.enqueue(msg('lives too'));
    q.enqueue(msg('dies later', '1'));
    await new Promise((r) => setTimeout(r, 20));
    expect(q.messageCount).toBe(5); // behind a live head, nothing has left yet
    expect(q.get()?.message.body.toString()).toBe('lives');
    expect(q.messageCount).toBe(2);
    expect(q.get()?.message.body.toString()).toBe('lives too');
    expect(q.messageCount).toBe(0);
  });

  it('a message routed to a queue deleted since is let go (a transaction committed late)', () => {
    const acked: number[] = [];
    const storage = new MemoryQueueStorage();
    storage.ack = (qm) => { acked.push(qm.position); };
    const q = makeQueue({}, new FakeHost(), storage);
    q.markDeleted();
    q.enqueue(msg('late'), 1234);
    expect(acked).toEqual([1234]);
    expect(q.messageCount).toBe(0);
  });

  it('an error thrown on its expiry timer is reported to the host, not thrown out of the timer', async () => {
    const host = new FakeHost();
    const q = makeQueue({ 'x-message-ttl': 5, 'x-dead-letter-exchange': 'dlx' }, host);
    host.throwOnDeadLetter = true;
    q.enqueue(msg('a'));
    await new Promise((r) => setTimeout(r, 50));
    expect(host.failures.map(([e, during]) => [(e as Error).message, during])).toEqual([['dead-lettering failed', 'message expiry']]);
    // and it goes on: the next message expires and is dead-lettered normally
    host.throwOnDeadLetter = false;
    q.enqueue(msg('b'));
    await new Promise((r) => setTimeout(r, 50));
    expect(host.dead).toEqual([['b', 'expired']]);
  });
});
