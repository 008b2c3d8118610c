/**
 * RabbitMQ's disk alarm (rabbit_disk_monitor): the free space of the data directory's
 * filesystem is checked on a timer, and below `disk_free_limit` publishers are blocked before
 * any write can fail.
 *
 * The check interval is RabbitMQ's: while free space is above the limit, twice the time a
 * 250 MB/s writer would need to use up the headroom, kept between 100 ms and 10 s — so a fast
 * publisher cannot run through the margin between two checks, and a disk far from full is read
 * every 10 s. While the alarm holds (and after a failed reading) it is 10 s: publishers stay
 * blocked up to 10 s after space is freed, as with RabbitMQ.
 *
 * One timer for the broker (unref'd); a failed reading changes nothing, is logged (once per run
 * of failures) and retried, never thrown.
 */
import { statfs } from 'node:fs';
import os from 'node:os';
import type { Logger } from 'pino';

/** RabbitMQ's default disk_free_limit (3.10 and 4.x alike): 50 MB. */
export const DEFAULT_DISK_FREE_LIMIT = 50_000_000;
export const MIN_CHECK_INTERVAL_MS = 100;
export const MAX_CHECK_INTERVAL_MS = 10_000;
/** Bytes per ms a fast disk fills at (RabbitMQ's FAST_RATE: 250 MB/s). */
const FAST_RATE = 250_000;

/**
 * A disk_free_limit: bytes; a size as rabbitmq.conf's `disk_free_limit.absolute` writes it
 * ('50MB', '2GiB'); a multiple of RAM as `disk_free_limit.relative` ({ mem_relative: 1.5 }, or
 * the string 'mem_relative:1.5' where only a string fits: a flag, a variable, the config file).
 */
export type DiskFreeLimit = number | string | { mem_relative: number } | { absolute: number | string };

/** Free bytes on the filesystem holding `dir` (tests inject a fake). */
export type FreeSpace = (dir: string, cb: (err: Error | null, free: number) => void) => void;

/** statfs's blocks available to an unprivileged user: what `df` shows, as RabbitMQ reads it. */
export const statfsFreeSpace: FreeSpace = (dir, cb) => {
  statfs(dir, (err, s) => (err ? cb(err, 0) : cb(null, s.bavail * s.bsize)));
};

const KILO = 1000;
const KIBI = 1024;
/**
 * The units RabbitMQ 4.x accepts after the number (rabbit_resource_monitor_misc), exactly:
 * since 3.13 a bare k/M/G/P and kB/MB/… are powers of 1000, Ki/MiB/… of 1024. (3.10 read a bare
 * k/M/G as powers of 1024; Warren follows 4.x.) RabbitMQ's own table lacks a multiplier for
 * 'KiB' and has a typo for PiB; here they are 1024 and 1024^5.
 */
const UNITS: ReadonlyMap<string, number> = new Map([
  ...['k', 'K', 'kB', 'KB', 'kb', 'Kb'].map((u) => [u, KILO] as const),
  ...['m', 'M', 'MB', 'mb', 'Mb'].map((u) => [u, KILO ** 2] as const),
  ...['g', 'G', 'GB', 'gb', 'Gb'].map((u) => [u, KILO ** 3] as const),
  ...['TB', 'tb', 'Tb'].map((u) => [u, KILO ** 4] as const),
  ...['p', 'P', 'PB', 'pb', 'Pb'].map((u) => [u, KILO ** 5] as const),
  ...['Ki', 'ki', 'kiB', 'KiB', 'kib', 'KIB'].map((u) => [u, KIBI] as const),
  ...['Mi', 'MiB', 'mib', 'MIB'].map((u) => [u, KIBI ** 2] as const),
  ...['Gi', 'GiB', 'gib', 'GIB'].map((u) => [u, KIBI ** 3] as const),
  ...['Ti', 'TiB', 'tib', 'TIB'].map((u) => [u, KIBI ** 4] as const),
  ...['Pi', 'PiB', 'pib', 'PIB'].map((u) => [u, KIBI ** 5] as const),
]);

/** The limit in bytes; a RangeError saying what is wrong for anything RabbitMQ would refuse. */
export function parseDiskFreeLimit(value: DiskFreeLimit, totalMemory = os.totalmem()): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`disk free limit must be a byte count ≥ 0, got ${value}`);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    if ('mem_relative' in value) return relative(value.mem_relative, totalMemory);
    if ('absolute' in value) return parseDiskFreeLimit(value.absolute, totalMemory);
  }
  if (typeof value !== 'string') throw new RangeError(`disk free limit: expected bytes, a size or { mem_relative: n }, got ${JSON.stringify(value)}`);
  const text = value.trim();
  const rel = /^mem_relative:(.*)$/.exec(text);
  if (rel !== null) {
    if (!/^([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(rel[1])) throw new RangeError(`disk free limit '${value}': mem_relative needs a number, e.g. mem_relative:1.5`);
    return relative(Number(rel[1]), totalMemory);
  }
  const m = /^([0-9]+)([A-Za-z]*)$/.exec(text);
  const multiplier = m === null ? undefined : m[2] === '' ? 1 : UNITS.get(m[2]);
  if (m === null || multiplier === undefined) {
    throw new RangeError(`disk free limit '${value}': expected bytes, a size such as 50MB or 2GiB, or mem_relative:1.5`);
  }
  const bytes = Number(m[1]) * multiplier;
  if (!Number.isSafeInteger(bytes)) throw new RangeError(`disk free limit '${value}' is too large`);
  return bytes;
}

/** RabbitMQ rounds a relative limit to whole bytes. */
function relative(factor: unknown, totalMemory: number): number {
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0) {
    throw new RangeError(`disk free limit: mem_relative must be a number ≥ 0, got ${String(factor)}`);
  }
  return Math.round(factor * totalMemory);
}

/** When to read free space next, as rabbit_disk_monitor:interval/1 decides. */
export function checkInterval(free: number | null, limit: number, alarmed: boolean): number {
  if (alarmed || free === null) return MAX_CHECK_INTERVAL_MS;
  const ideal = (2 * (free - limit)) / FAST_RATE;
  return Math.trunc(Math.max(MIN_CHECK_INTERVAL_MS, Math.min(MAX_CHECK_INTERVAL_MS, ideal)));
}

export class DiskMonitor {
  private timer: NodeJS.Timeout | null = null;
  private alarmed = false;
  private stopped = false;
  private readingFailed = false;
  /** The last reading, for stats (null before the first, or after a failed one). */
  free: number | null = null;

  constructor(
    private readonly dir: string,
    readonly limit: number,
    /** Called with true when free space drops below the limit, false when it is back. */
    private readonly onAlarm: (low: boolean, free: number) => void,
    private readonly log: Logger,
    private readonly freeSpace: FreeSpace = statfsFreeSpace,
  ) {}

  start(): void {
    this.log.info({ limit: this.limit, dir: this.dir }, 'disk free limit set');
    this.check();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Reads free space now, and schedules the next reading. */
  check(): void {
    if (this.stopped) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.freeSpace(this.dir, (err, free) => this.update(err, free));
    } catch (e) {
      this.update(e as Error, 0);
    }
  }

  private update(err: Error | null, free: number): void {
    if (this.stopped) return;
    try {
      if (err !== null) {
        if (!this.readingFailed) this.log.warn({ err, dir: this.dir }, 'cannot read free disk space; will retry (the disk alarm stays as it was)');
        this.readingFailed = true;
        this.free = null;
      } else {
        if (this.readingFailed) this.log.info({ free, dir: this.dir }, 'free disk space readable again');
        this.readingFailed = false;
        this.free = free;
        const low = free < this.limit;
        if (low !== this.alarmed) {
          this.alarmed = low;
          if (low) this.log.warn({ free, limit: this.limit, dir: this.dir }, 'free disk space is insufficient: publishers blocked');
          else this.log.info({ free, limit: this.limit, dir: this.dir }, 'free disk space is sufficient again: publishers unblocked');
          this.onAlarm(low, free);
        }
      }
    } catch (e) {
      this.log.error({ err: e }, 'internal error handling the free disk space reading');
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), checkInterval(this.free, this.limit, this.alarmed));
    this.timer.unref();
  }
}
