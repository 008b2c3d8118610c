/**
 * A stream's offset index: positions packed 4 bytes a message across store segments, where a
 * timestamp or interval reader starts, and which whole segments retention drops.
 */
import { describe, expect, it } from 'vitest';
import { POSITION_SEGMENT } from '../../src/store/message-store.js';
import { CHUNK, StreamIndex } from '../../src/broker/stream/stream-index.js';
import { PositionChunk } from '../../src/broker/stream/stream-log.js';

describe('PositionChunk', () => {
  it('gives back positions across several store segments, and takes a record moved within its segment', () => {
    const c = new PositionChunk();
    const positions = [1, 2, 3].flatMap((seg) => [16, 500, 9000].map((off) => seg * POSITION_SEGMENT + off));
    positions.forEach((p, i) => c.set(i, p));
    expect(positions.map((_, i) => c.get(i))).toEqual(positions);
    c.set(4, 2 * POSITION_SEGMENT + 40); // compaction moved it within segment 2
    expect(c.get(4)).toBe(2 * POSITION_SEGMENT + 40);
    expect(c.get(5)).toBe(positions[5]);
    expect(() => c.set(4, 3 * POSITION_SEGMENT + 40)).toThrow(/another segment/);
  });
});

const index = () => {
  const entries: number[] = [];
  return new StreamIndex<number>(() => ({ get: (i) => entries[i], set: (i, v) => void (entries[i] = v) }));
};

describe('StreamIndex', () => {
  it('starts a reader at the run of 64 offsets before the first one stamped at or after the time asked', () => {
    const x = index();
    for (let o = 0; o < 1000; o++) x.push(o, 1000 + o, 1, 1e9);
    expect(x.offsetAtTime(0)).toBe(0);
    expect(x.offsetAtTime(1500)).toBe(448); // runs begin at 448 (1448) and 512 (1512)
    expect(x.offsetAtTime(1999)).toBe(960);
    expect(x.offsetAtTime(2000)).toBe(1000); // after the last message: only new ones
  });

  it('cuts segments by bytes and drops the oldest whole ones for size or age, never the last', () => {
    const x = index();
    let rolled = 0;
    for (let o = 0; o < 10; o++) if (x.push(o, o < 5 ? 0 : 1e12, 10, 25)) rolled++;
    expect([x.segments, rolled]).toEqual([5, 4]); // three messages of 10 bytes do not fit in 25: 2+2+2+2+2
    expect(x.retainedFrom(60, undefined, 0)).toBe(4); // 100 bytes: the first two segments go
    expect(x.retainedFrom(undefined, 1000, 1e12)).toBe(4); // messages 0-4 are old; segment [4,5] has a new one
    expect(x.retainedFrom(1, undefined, 0)).toBe(8); // the last segment stays whatever the limit
    x.dropBefore(4);
    expect([x.first, x.next, x.count, x.bytes, x.segments]).toEqual([4, 10, 6, 60, 3]);
  });

  it('frees whole chunks behind the first offset and keeps numbering', () => {
    const x = index();
    x.startAt(3 * CHUNK - 2);
    for (let i = 0; i < CHUNK + 10; i++) x.push(i, i, 1, 100);
    x.dropBefore(x.retainedFrom(50, undefined, 0));
    expect(x.first).toBeGreaterThan(3 * CHUNK);
    expect(x.at(x.first)).toBe(x.first - (3 * CHUNK - 2));
    expect(x.at(x.next - 1)).toBe(CHUNK + 9);
  });
});
