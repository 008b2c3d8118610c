/**
 * A durable queue's ready list as parallel ring buffers: a Float64Array of store positions, a
 * Uint32Array of body sizes, a Uint8Array of flags and a plain array holding the message itself
 * while it is kept in memory. About 21 bytes a message with no per-message object, so a queue
 * of a million messages on disk costs tens of megabytes, not hundreds.
 */
import type { Message } from '../broker/message.js';

export const REDELIVERED = 1;

export class PackedRing {
  private positions = new Float64Array(64);
  private sizes = new Uint32Array(64);
  private flags = new Uint8Array(64);
  private messages: (Message | undefined)[] = new Array<Message | undefined>(64);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(position: number, size: number, flags: number, message: Message | undefined): void {
    if (this.count === this.positions.length) this.grow();
    const i = (this.head + this.count) & (this.positions.length - 1);
    this.positions[i] = position;
    this.sizes[i] = size;
    this.flags[i] = flags;
    this.messages[i] = message;
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

  message(slot: number): Message | undefined {
    return this.messages[slot];
  }

  setPosition(slot: number, position: number): void {
    this.positions[slot] = position;
  }

  /** Drops the head entry. */
  shift(): void {
    this.messages[this.head] = undefined;
    this.head = (this.head + 1) & (this.positions.length - 1);
    this.count--;
  }

  /** Slot of the i-th entry from the head. */
  slot(i: number): number {
    return (this.head + i) & (this.positions.length - 1);
  }

  clear(): void {
    this.positions = new Float64Array(64);
    this.sizes = new Uint32Array(64);
    this.flags = new Uint8Array(64);
    this.messages = new Array<Message | undefined>(64);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const cap = this.positions.length * 2;
    const positions = new Float64Array(cap);
    const sizes = new Uint32Array(cap);
    const flags = new Uint8Array(cap);
    const messages = new Array<Message | undefined>(cap);
    for (let i = 0; i < this.count; i++) {
      const s = this.slot(i);
      positions[i] = this.positions[s];
      sizes[i] = this.sizes[s];
      flags[i] = this.flags[s];
      messages[i] = this.messages[s];
    }
    this.positions = positions;
    this.sizes = sizes;
    this.flags = flags;
    this.messages = messages;
    this.head = 0;
  }
}
