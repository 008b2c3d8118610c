/**
 * An output arena: encoders append to one large Buffer ("slab") and `take()` hands out the bytes
 * written since the last take as a view. A region that was handed out is never written again —
 * when the slab is full a new one is allocated and only the untaken tail is carried over — so the
 * socket may keep a view for as long as it likes without a copy.
 */
const DEFAULT_SLAB_SIZE = 64 * 1024;

export class ByteWriter {
  buf: Buffer;
  /** Next byte to write. */
  pos = 0;
  /** First byte not yet handed out by take(). */
  private start = 0;

  constructor(private readonly slabSize = DEFAULT_SLAB_SIZE) {
    this.buf = Buffer.allocUnsafe(slabSize);
  }

  /** Bytes written and not yet taken. */
  get pending(): number {
    return this.pos - this.start;
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.newSlab(n);
  }

  /** The bytes written since the last take, without taking them (a view valid until they are). */
  untaken(): Buffer {
    return this.buf.subarray(this.start, this.pos);
  }

  /** The bytes written since the last take, as a view that stays valid forever. */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  /**
   * A position in the untaken region, relative to its start so that it survives a move to a new
   * slab. Valid until the next take().
   */
  mark(): number {
    return this.pos - this.start;
  }

  /** Bytes written since `mark`. */
  since(mark: number): number {
    return this.pos - this.start - mark;
  }

  /** Forgets everything written after `mark` (used to undo a frame whose encoding failed). */
  rewind(mark: number): void {
    this.pos = this.start + mark;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }

  i8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
  }

  i16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  /**
   * An unsigned 64-bit value given as a JS number. AMQP's longlong fields (delivery tags, body
   * sizes, timestamps) never exceed 2^53 in practice; larger values are written modulo 2^64 of
   * their nearest double.
   */
  u64(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 0x1_0000_0000);
    this.buf.writeUInt32BE(hi >>> 0, this.pos);
    this.buf.writeUInt32BE(v >>> 0, this.pos + 4);
    this.pos += 8;
  }

  i64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.pos);
    this.pos += 8;
  }

  u64n(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.pos);
    this.pos += 8;
  }

  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatBE(v, this.pos);
    this.pos += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A short string: one length octet then at most 255 bytes of UTF-8. */
  shortstr(s: string): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: only long strings need measuring first.
    const max = s.length * 3;
    if (max > 255 && Buffer.byteLength(s) > 255) {
      throw new RangeError(`shortstr longer than 255 bytes: ${s.slice(0, 40)}…`);
    }
    this.ensure(1 + max);
    const n = this.buf.write(s, this.pos + 1, 'utf8');
    this.buf[this.pos] = n;
    this.pos += 1 + n;
  }

  /** A short string given as raw bytes (kept exact, whatever their encoding). */
  shortBytes(b: Uint8Array): void {
    if (b.length > 255) throw new RangeError(`shortstr longer than 255 bytes (${b.length})`);
    this.ensure(1 + b.length);
    this.buf[this.pos] = b.length;
    this.buf.set(b, this.pos + 1);
    this.pos += 1 + b.length;
  }

  /** A long string: a 32-bit length then the bytes (a string is written as UTF-8). */
  longstr(v: Uint8Array | string): void {
    if (typeof v === 'string') {
      const n = Buffer.byteLength(v);
      this.ensure(4 + n);
      this.buf.writeUInt32BE(n, this.pos);
      this.buf.write(v, this.pos + 4, n, 'utf8');
      this.pos += 4 + n;
    } else {
      this.ensure(4 + v.length);
      this.buf.writeUInt32BE(v.length, this.pos);
      this.buf.set(v, this.pos + 4);
      this.pos += 4 + v.length;
    }
  }

  /** Reserves 4 bytes for a length written later with patchU32; returns their mark. */
  reserveU32(): number {
    this.ensure(4);
    const at = this.mark();
    this.pos += 4;
    return at;
  }

  patchU32(mark: number, v: number): void {
    this.buf.writeUInt32BE(v >>> 0, this.start + mark);
  }

  private newSlab(n: number): void {
    const carried = this.pos - this.start;
    const size = Math.max(this.slabSize, (carried + n) * 2);
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = carried;
  }
}
