/** A small seeded PRNG (mulberry32) so generated test inputs are the same on every run. */
export class Random {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  bool(): boolean {
    return this.next() < 0.5;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  /** A string of up to maxChars characters mixing ASCII, accents, CJK and astral characters. */
  string(maxChars: number): string {
    const n = this.int(maxChars + 1);
    let s = '';
    for (let i = 0; i < n; i++) {
      const kind = this.int(10);
      if (kind < 7) s += String.fromCharCode(this.range(0x20, 0x7e));
      else if (kind === 7) s += String.fromCharCode(this.range(0xa0, 0x17f));
      else if (kind === 8) s += String.fromCharCode(this.range(0x4e00, 0x4fff));
      else s += String.fromCodePoint(this.range(0x1f600, 0x1f64f));
    }
    return s;
  }

  /** A string whose UTF-8 form fits a shortstr (≤ 255 bytes). */
  shortString(maxChars = 60): string {
    let s = this.string(maxChars);
    while (Buffer.byteLength(s) > 255) s = s.slice(0, -1);
    return s;
  }
}
