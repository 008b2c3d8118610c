/** disk_free_limit as RabbitMQ reads it, and the monitor's alarm and check interval (fake statfs, fake timers). */
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DiskMonitor, MAX_CHECK_INTERVAL_MS, MIN_CHECK_INTERVAL_MS, checkInterval, parseDiskFreeLimit, type FreeSpace,
} from '../../src/store/disk-monitor.js';

const silent = pino({ level: 'silent' });

describe('parseDiskFreeLimit', () => {
  it.each([
    [50000000, 50_000_000], ['50000000', 50_000_000], ['0', 0], [0, 0],
    // RabbitMQ 4.x (3.13+): a bare k/M/G/P and kB/MB/GB/TB are powers of 1000
    ['50MB', 50_000_000], ['50mb', 50_000_000], ['50Mb', 50_000_000], ['3M', 3_000_000], ['3m', 3_000_000],
    ['1GB', 1_000_000_000], ['1G', 1_000_000_000], ['1kB', 1000], ['1k', 1000], ['2TB', 2e12], ['1P', 1e15],
    // Ki, MiB, GIB, gib… are powers of 1024
    ['1KiB', 1024], ['1Ki', 1024], ['1kib', 1024], ['512Mi', 512 * 1024 ** 2], ['2GiB', 2 * 1024 ** 3],
    ['2GIB', 2 * 1024 ** 3], ['2gib', 2 * 1024 ** 3], ['1TiB', 1024 ** 4],
    [{ absolute: '50MB' }, 50_000_000], [{ absolute: 1234 }, 1234],
  ])('%j is %d bytes', (value, bytes) => {
    expect(parseDiskFreeLimit(value)).toBe(bytes);
  });

  it('mem_relative is a multiple of the RAM, rounded to bytes as RabbitMQ does', () => {
    expect(parseDiskFreeLimit('mem_relative:1.5', 1000)).toBe(1500);
    expect(parseDiskFreeLimit({ mem_relative: 1.5 }, 1001)).toBe(1502);
    expect(parseDiskFreeLimit('mem_relative:2', 1000)).toBe(2000);
    expect(parseDiskFreeLimit('mem_relative:.5', 1000)).toBe(500);
  });

  it.each([
    'fifty', '50 MB', '-1', '1.5GB', '50MiBs', '3T', '3t', '3mB', '3mi', '3Mib', 'mem_relative:', 'mem_relative:x',
    'mem_relative:-1', '', -1, 1.5, Number.NaN, { mem_relative: -1 }, { mem_relative: Number.POSITIVE_INFINITY }, '9999999999P',
  ])('refuses %j', (value) => {
    expect(() => parseDiskFreeLimit(value as never)).toThrow(/disk free limit/);
  });
});

describe('checkInterval (rabbit_disk_monitor:interval/1)', () => {
  it('is twice the time a 250 MB/s writer needs to use up the headroom, within 100 ms … 10 s', () => {
    expect(checkInterval(50_000_000 + 250_000_000, 50_000_000, false)).toBe(2000);
    expect(checkInterval(50_000_000 + 1_000_000, 50_000_000, false)).toBe(MIN_CHECK_INTERVAL_MS);
    expect(checkInterval(50_000_000_000, 50_000_000, false)).toBe(MAX_CHECK_INTERVAL_MS);
  });

  it('is 10 s while the alarm holds, and after a failed reading', () => {
    expect(checkInterval(49_999_999, 50_000_000, true)).toBe(MAX_CHECK_INTERVAL_MS);
    expect(checkInterval(null, 50_000_000, false)).toBe(MAX_CHECK_INTERVAL_MS);
  });
});

describe('DiskMonitor', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A statfs that answers synchronously with whatever the test set last, and counts readings. */
  function fakeDisk(free: number) {
    const disk = { free, err: null as Error | null, throws: false, readings: 0 };
    const freeSpace: FreeSpace = (_dir, cb) => {
      disk.readings++;
      if (disk.throws) throw new Error('statfs blew up');
      cb(disk.err, disk.free);
    };
    return { disk, freeSpace };
  }

  it('raises the alarm below the limit and clears it above, once per change', () => {
    vi.useFakeTimers();
    const { disk, freeSpace } = fakeDisk(200);
    const changes: [boolean, number][] = [];
    const m = new DiskMonitor('/x', 100, (low, free) => changes.push([low, free]), silent, freeSpace);
    m.start();
    expect(changes).toEqual([]);
    disk.free = 50;
    m.check();
    m.check();
    expect(changes).toEqual([[true, 50]]);
    disk.free = 100; // at the limit is enough: RabbitMQ alarms only below it
    m.check();
    expect(changes).toEqual([[true, 50], [false, 100]]);
    m.stop();
  });

  it('reads on its own timer: often near the limit, every 10 s under it; stop() ends it', () => {
    vi.useFakeTimers();
    const limit = 50_000_000;
    const { disk, freeSpace } = fakeDisk(limit + 12_500_000); // 12.5 MB of headroom: 100 ms
    const changes: boolean[] = [];
    const m = new DiskMonitor('/x', limit, (low) => changes.push(low), silent, freeSpace);
    m.start();
    expect(disk.readings).toBe(1);
    vi.advanceTimersByTime(99);
    expect(disk.readings).toBe(1);
    disk.free = limit - 1;
    vi.advanceTimersByTime(1);
    expect(disk.readings).toBe(2);
    expect(changes).toEqual([true]);
    // under the alarm: the next reading is 10 s later, and clears it
    disk.free = limit + 1_000_000_000;
    vi.advanceTimersByTime(MAX_CHECK_INTERVAL_MS - 1);
    expect(changes).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(changes).toEqual([true, false]);
    m.stop();
    vi.advanceTimersByTime(10 * MAX_CHECK_INTERVAL_MS);
    expect(disk.readings).toBe(3);
  });

  it('a failed or throwing reading changes nothing, is logged once per run of failures, and is retried', () => {
    vi.useFakeTimers();
    const { disk, freeSpace } = fakeDisk(50);
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg as string) });
    const changes: boolean[] = [];
    const m = new DiskMonitor('/x', 100, (low) => changes.push(low), log, freeSpace);
    m.start();
    expect(changes).toEqual([true]);
    warnings.length = 0;
    disk.err = new Error('EIO');
    vi.advanceTimersByTime(MAX_CHECK_INTERVAL_MS);
    disk.err = null;
    disk.throws = true;
    vi.advanceTimersByTime(MAX_CHECK_INTERVAL_MS);
    expect(disk.readings).toBe(3);
    expect(changes).toEqual([true]);
    expect(warnings).toEqual(['cannot read free disk space; will retry (the disk alarm stays as it was)']);
    disk.throws = false;
    disk.free = 500;
    vi.advanceTimersByTime(MAX_CHECK_INTERVAL_MS);
    expect(changes).toEqual([true, false]);
    m.stop();
  });

  it('an exception from the alarm callback is logged, and the monitor carries on', () => {
    vi.useFakeTimers();
    const { disk, freeSpace } = fakeDisk(50);
    let calls = 0;
    const m = new DiskMonitor('/x', 100, () => {
      calls++;
      throw new Error('bug');
    }, silent, freeSpace);
    m.start();
    disk.free = 500;
    vi.advanceTimersByTime(MAX_CHECK_INTERVAL_MS);
    expect(calls).toBe(2);
    m.stop();
  });
});
