import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { Message, QueuedMessage } from '../../src/broker/message.js';
import type { Queue } from '../../src/broker/queue.js';
import { UnackedLedger } from '../../src/session/unacked-ledger.js';
import { Random } from '../support/random.js';

const queue = {} as Queue;
const qm = (n: number) => new QueuedMessage(new Message('', '', Buffer.alloc(0), ContentHeader.build(60, 0, {}), Buffer.alloc(0)), n);

function settled(l: UnackedLedger, tag: number, multiple: boolean): number[] | false {
  const got: number[] = [];
  return l.settle(tag, multiple, (t) => got.push(t)) ? got : false;
}

describe('UnackedLedger (RabbitMQ collect_acks semantics)', () => {
  it('single, multiple, multiple with tag 0, unknown tags', () => {
    const l = new UnackedLedger();
    for (let t = 1; t <= 6; t++) l.add(t, qm(t), queue, null);
    expect(settled(l, 2, false)).toEqual([2]);
    expect(settled(l, 2, false)).toBe(false); // twice
    expect(settled(l, 4, true)).toEqual([1, 3, 4]);
    expect(settled(l, 99, true)).toBe(false); // multiple needs the tag itself outstanding
    expect(l.size).toBe(2);
    expect(settled(l, 0, true)).toEqual([5, 6]);
    expect(settled(l, 0, false)).toBe(false);
    expect(l.size).toBe(0);
  });

  it('agrees with a simple model over random operations, through compaction', () => {
    const r = new Random(4);
    const l = new UnackedLedger();
    let model: number[] = [];
    let next = 1;
    for (let i = 0; i < 30_000; i++) {
      if (r.next() < 0.55) {
        l.add(next, qm(next), queue, null);
        model.push(next++);
        continue;
      }
      const tag = r.bool() && model.length > 0 ? r.pick(model) : r.int(next + 2);
      const multiple = r.next() < 0.3;
      const got = settled(l, tag, multiple);
      if (multiple && tag === 0) {
        expect(got).toEqual(model);
        model = [];
      } else if (!model.includes(tag)) {
        expect(got).toBe(false);
      } else {
        const expected = multiple ? model.filter((t) => t <= tag) : [tag];
        expect(got).toEqual(expected);
        model = model.filter((t) => !expected.includes(t));
      }
      expect(l.size).toBe(model.length);
    }
  });

  it('takeAll and restore keep tag order', () => {
    const l = new UnackedLedger();
    for (let t = 1; t <= 5; t++) l.add(t, qm(t), queue, null);
    const some: { tag: number }[] = [];
    l.settle(2, false, (tag, m, q, c) => some.push({ tag, qm: m, queue: q, consumer: c } as never));
    l.settle(4, false, (tag, m, q, c) => some.push({ tag, qm: m, queue: q, consumer: c } as never));
    l.restore(some as never);
    expect(l.takeAll().map((u) => u.tag)).toEqual([1, 2, 3, 4, 5]);
    expect(l.size).toBe(0);
  });
});
