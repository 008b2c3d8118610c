/** disk_free_limit as rabbitmq.conf spells it, and the monitor's alarm and check interval. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DiskMonitor, parseDiskFreeLimit, type FreeSpace } from '../../src/store/disk-monitor.js';

describe('parseDiskFreeLimit', () => {
  it.each([
    [50000000, 50_000_000], ['50000000', 50_000_000], ['50MB', 50_000_000], ['50mb', 50_000_000], ['1GB', 1_000_000_000],
    ['2GiB', 2 * 1024 ** 3], ['512Mi', 512 * 1024 ** 2], ['1kB', 1000], ['1KiB', 1024], ['3M', 3_000_000], ['0', 0],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseDiskFreeLimit(text)).toBe(bytes);
  });

  it('mem_relative:N is N times the RAM', () => {
    expect(parseDiskFreeLimit('mem_relative:1.5', 1000)).toBe(1500);
  });

  it.each(['fifty', '50 MB', '-1', '1.5GB', 'mem_relative:'])('refuses %j', (text) => {
    expect(() => parseDiskFreeLimit(text)).toThrow(/disk free limit/);
  });
});

describe('DiskMonitor', () => {
  it('raises the alarm below the limit and clears it above, once per change; a failed reading changes nothing', async () => {
    let reading: { err: Error | null; free: number } = { err: null, free: 200 };
    const freeSpace: FreeSpace = (_dir, cb) => cb(reading.err, reading.free);
    const changes: boolean[] = [];
    const m = new DiskMonitor('/x', 100, (low) => changes.push(low), pino({ level: 'silent' }), freeSpace);
    m.start();
    expect(changes).toEqual([]);
    reading = { err: null, free: 50 };
    m.check();
    m.check();
    expect(changes).toEqual([true]);
    reading = { err: new Error('EIO'), free: 0 };
    m.check();
    expect(changes).toEqual([true]);
    reading = { err: null, free: 150 };
    m.check();
    expect(changes).toEqual([true, false]);
    m.stop();
  });
});
