/**
 * A durable queue's ready list as parallel ring buffers: Float64Arrays of keys (store
 * positions) and expiry times, a Uint32Array of body sizes and a Uint8Array of flags. 21 bytes a
 * message and no per-message object, so a queue of a million messages on disk costs megabytes,
 * not hundreds.
 */

export const REDELIVERED = 1;

export class PackedRing {
  private positions = new Float64Array(64);
  private sizes = new Uint32Array(64);
  private flags = new Uint8Array(64);
  private expiries = new Float64Array(64);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(position: number, size: number, flags: number, expiresAt: number): void {
    if (this.count === this.positions.length) this.grow();
    const i = (this.head + this.count) & (this.positions.length - 1);
    this.positions[i] = position;
    this.sizes[i] = size;
    this.flags[i] = flags;
    this.expiries[i] = expiresAt;
    this.count++;
  }

  /** Index of the head slot (valid until the next shift/push). */
  get headSlot(): number {
    return this.head;
  }

  position(slot: number): number {
    return this.positions[slot];
  }

  size(slot: number): number {
    return this.sizes[slot];
  }

  flag(slot: number): number {
    return this.flags[slot];
  }

  expiresAt(slot: number): number {
    return this.expiries[slot];
  }

  setPosition(slot: number, position: number): void {
    this.positions[slot] = position;
  }

  /** Drops the head entry (and gives memory back once a big ring is three-quarters empty). */
  shift(): void {
    this.head = (this.head + 1) & (this.positions.length - 1);
    this.count--;
    if (this.count === this.positions.length >> 2 && this.positions.length > 1024) this.resize(this.positions.length >> 1);
  }

  /** Slot of the i-th entry from the head. */
  slot(i: number): number {
    return (this.head + i) & (this.positions.length - 1);
  }

  clear(): void {
    this.positions = new Float64Array(64);
    this.sizes = new Uint32Array(64);
    this.flags = new Uint8Array(64);
    this.expiries = new Float64Array(64);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    this.resize(this.positions.length * 2);
  }

  private resize(cap: number): void {
    const positions = new Float64Array(cap);
    const sizes = new Uint32Array(cap);
    const flags = new Uint8Array(cap);
    const expiries = new Float64Array(cap);
    for (let i = 0; i < this.count; i++) {
      const s = this.slot(i);
      positions[i] = this.positions[s];
      sizes[i] = this.sizes[s];
      flags[i] = this.flags[s];
      expiries[i] = this.expiries[s];
    }
    this.positions = positions;
    this.sizes = sizes;
    this.flags = flags;
    this.expiries = expiries;
    this.head = 0;
  }
}
