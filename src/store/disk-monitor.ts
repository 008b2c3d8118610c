/**
 * RabbitMQ's disk alarm (rabbit_disk_monitor): the free space of the data directory's
 * filesystem is checked on a timer, and below `disk_free_limit` publishers are blocked before
 * any write can fail. As RabbitMQ, the check interval shrinks as free space nears the limit —
 * the time a 250 MB/s writer would take to use up the headroom, between 100 ms and 10 s — so a
 * fast publisher cannot run through the margin between two checks.
 *
 * One timer for the broker (unref'd); a failed check is logged and retried, never thrown.
 */
import { statfs } from 'node:fs';
import os from 'node:os';
import type { Logger } from 'pino';

/** RabbitMQ's default disk_free_limit: 50 MB. */
export const DEFAULT_DISK_FREE_LIMIT = 50_000_000;
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 10_000;
/** Bytes per ms a fast disk writes (RabbitMQ's assumption: 250 MB/s). */
const FAST_RATE = 250_000;

/** Free bytes on the filesystem holding `dir` (tests inject a fake). */
export type FreeSpace = (dir: string, cb: (err: Error | null, free: number) => void) => void;

export const statfsFreeSpace: FreeSpace = (dir, cb) => {
  statfs(dir, (err, s) => (err ? cb(err, 0) : cb(null, s.bavail * s.bsize)));
};

/**
 * A disk_free_limit as rabbitmq.conf writes it: bytes, or a number with an information unit
 * (`50MB`, `1GB` are powers of 1000; `512MiB`, `2Gi` of 1024, as RabbitMQ 3.13+), or
 * `mem_relative:1.5` (a multiple of total RAM, RabbitMQ's disk_free_limit.relative).
 */
export function parseDiskFreeLimit(value: number | string, totalMemory = os.totalmem()): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`disk free limit must be a byte count ≥ 0, got ${value}`);
    return value;
  }
  const text = value.trim();
  const relative = /^mem_relative:([0-9]*\.?[0-9]+)$/.exec(text);
  if (relative) return Math.floor(Number(relative[1]) * totalMemory);
  const m = /^([0-9]+)([kKmMgGtT]i?[bB]?|[kKmMgGtT][iI][bB])?$/.exec(text);
  if (m === null) {
    throw new RangeError(`disk free limit '${value}': expected bytes, a size such as 50MB or 2GiB, or mem_relative:1.5`);
  }
  const unit = m[2] ?? '';
  const power = unit === '' ? 0 : 'kmgt'.indexOf(unit.charAt(0).toLowerCase()) + 1;
  const base = /i/i.test(unit) ? 1024 : 1000;
  return Number(m[1]) * base ** power;
}

export class DiskMonitor {
  private timer: NodeJS.Timeout | null = null;
  private alarmed = false;
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly limit: number,
    /** Called with true when free space drops below the limit, false when it is back. */
    private readonly onAlarm: (low: boolean, free: number) => void,
    private readonly log: Logger,
    private readonly freeSpace: FreeSpace = statfsFreeSpace,
  ) {}

  start(): void {
    this.check();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Checks now and schedules the next check. */
  check(): void {
    if (this.stopped) return;
    this.freeSpace(this.dir, (err, free) => {
      if (this.stopped) return;
      let interval = MAX_INTERVAL_MS;
      try {
        if (err !== null) {
          this.log.warn({ err, dir: this.dir }, 'cannot read free disk space; will retry');
        } else {
          const low = free < this.limit;
          if (low !== this.alarmed) {
            this.alarmed = low;
            if (low) this.log.warn({ free, limit: this.limit, dir: this.dir }, 'free disk space below the limit: blocking publishers');
            else this.log.info({ free, limit: this.limit, dir: this.dir }, 'free disk space back above the limit');
            this.onAlarm(low, free);
          }
          interval = Math.max(MIN_INTERVAL_MS, Math.min(MAX_INTERVAL_MS, Math.floor(Math.abs(free - this.limit) / FAST_RATE)));
        }
      } catch (e) {
        this.log.error({ err: e }, 'internal error checking free disk space');
      }
      this.timer = setTimeout(() => this.check(), interval);
      this.timer.unref();
    });
  }
}
