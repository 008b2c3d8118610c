import { describe, expect, it } from 'vitest';
import { PublisherConfirms } from '../../src/session/publisher-confirms.js';

const tick = () => new Promise((r) => queueMicrotask(() => r(undefined)));

function recorder() {
  const out: string[] = [];
  const stats = { publishConfirmMode: 0, confirm: 0 };
  const pc = new PublisherConfirms({
    ack: (seq, multiple) => out.push(`ack ${seq}${multiple ? ' multiple' : ''}`),
    nack: (seq, multiple) => out.push(`nack ${seq}${multiple ? ' multiple' : ''}`),
  }, stats);
  return { pc, out, stats };
}

describe('PublisherConfirms', () => {
  it('numbers publishes from 1 and covers a run of acks with one multiple ack per turn', async () => {
    const { pc, out } = recorder();
    const seqs = [pc.next(), pc.next(), pc.next()];
    expect(seqs).toEqual([1, 2, 3]);
    for (const s of seqs) pc.ack(s);
    await tick();
    expect(out).toEqual(['ack 3 multiple']);
    pc.ack(pc.next());
    await tick();
    expect(out).toEqual(['ack 3 multiple', 'ack 4']);
  });

  it('emits in sequence order: a later outcome waits for the earlier one', async () => {
    const { pc, out } = recorder();
    const [a, b, c] = [pc.next(), pc.next(), pc.next()];
    pc.ack(c);
    pc.nack(b);
    await tick();
    expect(out).toEqual([]);
    pc.ack(a);
    await tick();
    expect(out).toEqual(['ack 1', 'nack 2', 'ack 3']);
    expect(pc.outstanding).toBe(0);
  });

  it('counts publishes in confirm mode, and confirms only once they are acked (nacks are not confirms)', async () => {
    const { pc, stats } = recorder();
    const [a, b, c] = [pc.next(), pc.next(), pc.next()];
    expect(stats).toEqual({ publishConfirmMode: 3, confirm: 0 });
    pc.ack(a);
    pc.nack(b);
    await tick();
    expect(stats).toEqual({ publishConfirmMode: 3, confirm: 1 });
    pc.ack(c);
    await tick();
    expect(stats).toEqual({ publishConfirmMode: 3, confirm: 2 });
  });
});
