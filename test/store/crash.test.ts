/**
 * A short run of the crash test (bench/crash-test.ts): the broker process is SIGKILLed under
 * load and restarted; every confirmed message must be consumed at some point. The long run
 * (npm run crash-test -- --cycles 20) is in the notes.
 */
import { describe, expect, it } from 'vitest';
import { crashTest, streamCrashTest } from '../../bench/crash-test.js';

describe('crash test', () => {
  it('loses no confirmed message across SIGKILLs', async () => {
    const r = await crashTest({ cycles: 3, minRunMs: 300, maxRunMs: 900 });
    expect(r.confirmed).toBeGreaterThan(100);
    expect(r.lostIds).toEqual([]);
  }, 60_000);
});

describe('crash test on a stream', () => {
  it('loses no confirmed message, and readers resume at the offsets they choose with the same messages there', async () => {
    const r = await streamCrashTest({ cycles: 3, minRunMs: 300, maxRunMs: 900 });
    expect(r.confirmed).toBeGreaterThan(100);
    expect(r.lostIds).toEqual([]);
    expect(r.inconsistencies).toEqual([]);
    expect(r.length).toBeGreaterThanOrEqual(r.confirmed);
    expect(r.resumes).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
