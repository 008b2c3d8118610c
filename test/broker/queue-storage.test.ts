import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { Message, type QueuedMessage } from '../../src/broker/message.js';
import { Deque, MemoryQueueStorage } from '../../src/broker/queue-storage.js';
import { Random } from '../support/random.js';

const header = ContentHeader.build(60, 1, {});
const msg = (body: string) => new Message('', 'q', Buffer.alloc(0), header, Buffer.from(body));
const bodies = (qms: (QueuedMessage | undefined)[]) => qms.map((q) => q?.message.body.toString());

describe('Deque', () => {
  it('behaves like an array used as a queue, across growth and wrap-around', () => {
    const d = new Deque<number>();
    const model: number[] = [];
    const r = new Random(1);
    for (let i = 0; i < 20_000; i++) {
      const op = r.int(4);
      if (op < 2) { d.push(i); model.push(i); }
      else if (op === 2) expect(d.shift()).toBe(model.shift());
      else { d.unshift(-i); model.unshift(-i); }
      expect(d.length).toBe(model.length);
    }
    expect([...d]).toEqual(model);
    expect(d.at(3)).toBe(model[3]);
  });
});

describe('MemoryQueueStorage', () => {
  it('reads in arrival order and counts messages and bytes', () => {
    const s = new MemoryQueueStorage();
    for (const b of ['a', 'bb', 'ccc']) s.append(msg(b), -1, Infinity);
    expect([s.readyCount, s.readyBytes]).toEqual([3, 6]);
    expect(bodies([s.read(), s.read()])).toEqual(['a', 'bb']);
    expect([s.readyCount, s.readyBytes]).toEqual([1, 3]);
  });

  it('puts requeued messages back in their original order, ahead of never-delivered ones', () => {
    const s = new MemoryQueueStorage();
    for (const b of ['1', '2', '3', '4', '5']) s.append(msg(b), -1, Infinity);
    const taken = [s.read(), s.read(), s.read(), s.read()] as QueuedMessage[];
    s.append(msg('6'), -1, Infinity);
    s.requeue(taken[3]);
    s.requeue(taken[0]);
    s.requeue(taken[2]);
    const order = [];
    for (let m = s.read(); m; m = s.read()) order.push(m);
    expect(bodies(order)).toEqual(['1', '3', '4', '5', '6']);
    expect(order.slice(0, 3).every((m) => m.redelivered)).toBe(true);
    expect(order[3].redelivered).toBe(false);
  });

  it('always reads the earliest message it holds, whatever the requeue pattern (random)', () => {
    const r = new Random(9);
    const s = new MemoryQueueStorage();
    const held = new Set<number>(); // bodies (= arrival numbers) currently in storage
    let n = 0;
    const add = () => { s.append(msg(String(n)), -1, Infinity); held.add(n++); };
    for (let i = 0; i < 300; i++) add();
    for (let round = 0; round < 200; round++) {
      const taken: QueuedMessage[] = [];
      for (let i = 0; i < 1 + r.int(10); i++) {
        const m = s.read();
        if (!m) break;
        expect(Number(m.message.body.toString())).toBe(Math.min(...held));
        held.delete(Number(m.message.body.toString()));
        taken.push(m);
      }
      for (const m of taken) {
        if (r.bool()) {
          s.requeue(m);
          held.add(Number(m.message.body.toString()));
        }
      }
      if (r.bool()) add();
      expect(s.readyCount).toBe(held.size);
    }
  });

  it('purge drops everything ready', () => {
    const s = new MemoryQueueStorage();
    s.append(msg('x'), -1, Infinity);
    const m = s.read() as QueuedMessage;
    s.append(msg('y'), -1, Infinity);
    s.requeue(m);
    expect(s.purge()).toBe(2);
    expect([s.readyCount, s.readyBytes, s.read()]).toEqual([0, 0, undefined]);
  });
});
