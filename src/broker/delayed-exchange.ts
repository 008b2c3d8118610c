/**
 * Delayed messages, as the rabbitmq-delayed-message-exchange plugin defines them: an exchange of
 * type `x-delayed-message` routes as its `x-delayed-type` does, except that a message with an
 * `x-delay` header of 0 < d <= 4294967295 ms is held and routed d ms later, with `x-delay` set
 * to -d so that it is not delayed again on its way through other delayed exchanges.
 *
 * One exchange holds its messages in a binary min-heap of (due time, arrival sequence,
 * store position) kept in typed arrays, with one timer armed for the earliest due time: never a
 * timer or an object per message. A persistent message on a durable exchange is written to the
 * vhost's message store under the exchange's own store id (as if it were a queue) and only its
 * position stays in memory, so a million held messages cost ~24 bytes each; the others
 * (transient, or on a transient exchange) are kept as Message objects, since they do not
 * outlive the broker anyway.
 */
import type { Logger } from 'pino';
import { AmqpError } from '../codec/amqp-error.js';
import { ContentHeader } from '../codec/content-header.js';
import { DecodeFailure } from '../codec/decode-failure.js';
import { decodeShortstrPair } from '../codec/fast-paths.js';
import { tableGet, type FieldTable, type FieldValue } from '../codec/field-table.js';
import { PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { withHeaderEntries } from '../codec/header-edit.js';
import type { StoredRecord } from '../store/record-format.js';
import type { RecoveredProperties, StoredQueue } from './durable-queue-storage.js';
import { DELAYED_TYPE, EXCHANGE_TYPES, type Exchange } from './exchange.js';
import type { ExchangeType } from './exchange/routing-table.js';
import { Message } from './message.js';
import { senderSelectedKeys } from './sender-selected.js';

/** Erlang's largest timer (the plugin's ERL_MAX_T): longer delays are not delays at all. */
export const MAX_DELAY = 4294967295;

/**
 * The routing type of an `x-delayed-message` exchange from its arguments, checked as the
 * plugin's validate/1 does (4.x texts and codes; see conformance/REFERENCE.md).
 */
export function delayedRoutingType(args: FieldTable): ExchangeType {
  const t = tableGet(args, 'x-delayed-type');
  // the plugin matches a binary value: a long string (a byte array is a binary too)
  if (t === undefined || (t.type !== 'S' && t.type !== 'x')) {
    throw new AmqpError(PRECONDITION_FAILED, "Invalid argument, 'x-delayed-type' must be an existing exchange type");
  }
  const name = t.value.toString('utf8');
  if (name === DELAYED_TYPE) {
    throw new AmqpError(PRECONDITION_FAILED, "Invalid argument, 'x-delayed-message' can't be used for 'x-delayed-type'");
  }
  if (!(EXCHANGE_TYPES as readonly string[]).includes(name)) {
    throw new AmqpError(PRECONDITION_FAILED, `unknown exchange type '${name}'`);
  }
  return name as ExchangeType;
}

/**
 * The delay a message asks for, in ms, or 0 when it is to be routed at once: no x-delay header,
 * a value out of (0, 4294967295], or of a type the plugin does not read. As the plugin's
 * get_delay: every integer type (not timestamps), strings converted (4.x), floats truncated
 * (4.x). The 4.x plugin leaves out the signed byte 'b' (its list of integer types names ubyte
 * but not byte), so there an x-delay below 128 from amqplib, which encodes small integers as
 * 'b', is not delayed; the 3.x plugin delays it, as its README promises for any integer:
 * Warren does too (REFERENCE.md).
 */
export function delayOf(header: ContentHeader): number {
  if (!header.has('headers')) return 0;
  const headers = header.headers;
  if (headers === undefined) return 0;
  const v = tableGet(headers, 'x-delay');
  if (v === undefined) return 0;
  const d = delayValue(v);
  return d > 0 && d <= MAX_DELAY ? d : 0;
}

function delayValue(v: FieldValue): number {
  switch (v.type) {
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i':
      return v.value;
    case 'l':
      // beyond MAX_DELAY the exact value does not matter: it is not a delay
      return v.value > BigInt(MAX_DELAY) ? Infinity : Number(v.value);
    case 'f': case 'd':
      return Math.trunc(v.value);
    case 'S': case 'x': {
      // binary_to_integer: an optional sign and decimal digits, nothing else. The plugin
      // crashes the publish on anything else; Warren routes it at once (REFERENCE.md).
      const s = v.value.toString('latin1');
      return /^[+-]?[0-9]+$/.test(s) ? Number(s) : 0;
    }
    default:
      return 0;
  }
}

/** The header a held message is routed with: x-delay replaced by -d, a long (as 4.x writes it). */
export function releasedHeader(header: ContentHeader, delay: number): ContentHeader {
  return ContentHeader.edited(withHeaderEntries(header.raw, [{ name: 'x-delay', value: { type: 'l', value: BigInt(-delay) } }]));
}

/** Time and one-shot timers, injected so that tests do not wait on the wall clock. */
export interface DelayClock {
  now(): number;
  /** Calls `fn` once after `ms`; the handle is only given back to cancel(). */
  schedule(ms: number, fn: () => void): unknown;
  cancel(handle: unknown): void;
}

export const SYSTEM_CLOCK: DelayClock = {
  now: () => Date.now(),
  schedule: (ms, fn) => {
    const t = setTimeout(fn, ms);
    t.unref(); // held messages must not keep a stopping process alive
    return t;
  },
  cancel: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's longest delay (2^31-1 ms, ~24.8 days): a later due time is reached in steps. */
const MAX_TIMER = 0x7fffffff;

/**
 * A binary min-heap of (due, seq, position) in three growable Float64Arrays, ordered by due
 * time then by arrival, so that messages due at the same millisecond go out in publish order.
 * A position is a message store position (>= 0), or -1 for a message kept in memory (found
 * by its seq).
 */
export class DueHeap {
  private due = new Float64Array(16);
  private seq = new Float64Array(16);
  private pos = new Float64Array(16);
  size = 0;

  push(due: number, seq: number, position: number): void {
    if (this.size === this.due.length) this.grow();
    let i = this.size++;
    // sift up
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(due, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.due[i] = due;
    this.seq[i] = seq;
    this.pos[i] = position;
  }

  get topDue(): number {
    return this.size === 0 ? Infinity : this.due[0];
  }

  get topSeq(): number {
    return this.seq[0];
  }

  get topPosition(): number {
    return this.pos[0];
  }

  /** Removes the earliest entry (read it with the top getters first). */
  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const due = this.due[last];
    const seq = this.seq[last];
    const position = this.pos[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.less(r, l) ? r : l;
      // the entry moved down from the end settles above a child that is not earlier
      if (!(this.due[c] < due || (this.due[c] === due && this.seq[c] < seq))) break;
      this.move(c, i);
      i = c;
    }
    this.due[i] = due;
    this.seq[i] = seq;
    this.pos[i] = position;
  }

  /** Every stored position, in heap order (not due order). */
  forEachPosition(fn: (position: number, index: number) => void): void {
    for (let i = 0; i < this.size; i++) if (this.pos[i] >= 0) fn(this.pos[i], i);
  }

  setPosition(index: number, position: number): void {
    this.pos[index] = position;
  }

  clear(): void {
    this.size = 0;
    this.due = new Float64Array(16);
    this.seq = new Float64Array(16);
    this.pos = new Float64Array(16);
  }

  /** Bytes its arrays take (for the memory figure in tests). */
  get bytes(): number {
    return this.due.byteLength * 3;
  }

  private before(due: number, seq: number, j: number): boolean {
    return due < this.due[j] || (due === this.due[j] && seq < this.seq[j]);
  }

  private less(i: number, j: number): boolean {
    return this.before(this.due[i], this.seq[i], j);
  }

  private move(from: number, to: number): void {
    this.due[to] = this.due[from];
    this.seq[to] = this.seq[from];
    this.pos[to] = this.pos[from];
  }

  private grow(): void {
    const n = this.due.length * 2;
    for (const k of ['due', 'seq', 'pos'] as const) {
      const a = new Float64Array(n);
      a.set(this[k]);
      this[k] = a;
    }
  }
}

/** What a delayed exchange needs of the message store (MessageStore has it). */
export interface HeldStore {
  append(queueIds: readonly number[], routing: Buffer, header: Buffer, body: Buffer): number;
  read(position: number): StoredRecord;
  ack(queueId: number, position: number): void;
  release(position: number): void;
  unreadable(queueId: number, position: number, err: unknown): void;
}

/** Where a durable delayed exchange writes its persistent messages: a store id of its own. */
export interface HeldStorage {
  readonly id: number;
  readonly store: HeldStore;
}

/** How many held messages one timer turn routes before yielding to the event loop. */
const RELEASE_BATCH = 1000;

export class DelayedExchange implements StoredQueue {
  private readonly heap = new DueHeap();
  /** Messages held in memory, by their seq. */
  private readonly memory = new Map<number, Message>();
  private nextSeq = 0;
  private timer: unknown = null;
  private timerAt = Infinity;
  private stopped = false;
  /** Where the last hold() wrote its message (-1: in memory): the publisher's confirm waits for it. */
  lastHeld = -1;

  constructor(
    readonly exchange: Exchange,
    /** null: everything is held in memory (a transient exchange, or a broker without a data directory). */
    private readonly storage: HeldStorage | null,
    /** Routes a message whose time has come (the vhost's delivery through the routing type). */
    private readonly release: (message: Message) => void,
    private readonly log: Logger,
    private readonly clock: DelayClock = SYSTEM_CLOCK,
  ) {}

  /** The store id its records carry (-1: none). */
  get storeId(): number {
    return this.storage?.id ?? -1;
  }

  /** Messages waiting (the plugin's messages_delayed). */
  get size(): number {
    return this.heap.size;
  }

  /** Bytes the waiting messages take in memory: the heap, and bodies held in memory. */
  get memoryBytes(): number {
    let n = this.heap.bytes;
    for (const m of this.memory.values()) n += m.bodySize + m.header.raw.length;
    return n;
  }

  /**
   * A message published to the exchange: held if it asks for a delay (true), else false and
   * it is to be routed at once.
   */
  hold(message: Message): boolean {
    const delay = delayOf(message.header);
    if (delay === 0) return false;
    const due = this.clock.now() + delay;
    const seq = this.nextSeq++;
    let position = -1;
    if (this.storage !== null && message.persistent) {
      position = this.storage.store.append([this.storage.id], message.routing, message.header.raw, message.body);
    } else if (!this.stopped) {
      this.memory.set(seq, message);
    }
    this.lastHeld = position;
    // the broker is stopping: a stored message waits for the next start, a transient one is lost with the others
    if (this.stopped) return true;
    this.heap.push(due, seq, position);
    this.arm();
    return true;
  }

  /** The exchange is deleted (or the broker stops, `keep`): its held messages are dropped. */
  stop(keep = false): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.cancel(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    if (!keep && this.storage !== null) {
      const { store } = this.storage;
      this.heap.forEachPosition((p) => store.release(p));
    }
    this.heap.clear();
    this.memory.clear();
  }

  // ---- StoredQueue: recovery and compaction of its records ----

  /** A stored message found at start: due `x-delay` ms after it was written. */
  recovered(position: number, _delivered: boolean, _bodySize: number, record: RecoveredProperties): void {
    const header = record.contentHeader();
    const delay = header === null ? 0 : delayOf(header);
    this.heap.push(record.timestamp + delay, this.nextSeq++, position);
    this.arm();
  }

  /** Every record the store still counts for this holder is held, hence movable. */
  countReady(positions: ReadonlySet<number>): number {
    return positions.size;
  }

  relocate(moves: ReadonlyMap<number, number>): void {
    this.heap.forEachPosition((p, i) => {
      const to = moves.get(p);
      if (to !== undefined) this.heap.setPosition(i, to);
    });
  }

  // ---- the timer ----

  /** Arms the one timer for the earliest due time, unless it is armed for that already. */
  private arm(): void {
    const due = this.heap.topDue;
    if (this.stopped || due >= this.timerAt) return;
    if (this.timer !== null) this.clock.cancel(this.timer);
    this.timerAt = due;
    const wait = Math.min(MAX_TIMER, Math.max(0, due - this.clock.now()));
    this.timer = this.clock.schedule(wait, () => this.fire());
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = this.clock.now();
    let n = 0;
    while (this.heap.size > 0 && this.heap.topDue <= now && n < RELEASE_BATCH) {
      const seq = this.heap.topSeq;
      const position = this.heap.topPosition;
      this.heap.pop();
      n++;
      try {
        this.releaseOne(seq, position);
      } catch (err) {
        // a bug, not bad input: log it, and the other messages still go out
        this.log.error({ err, exchange: this.exchange.name }, 'internal error releasing a delayed message');
      }
    }
    // more due now: the next batch after other work had its turn (schedule(0))
    this.arm();
  }

  private releaseOne(seq: number, position: number): void {
    let message: Message | undefined;
    if (position < 0) {
      message = this.memory.get(seq);
      this.memory.delete(seq);
    } else {
      message = this.load(position);
    }
    if (message === undefined) return;
    const delay = delayOf(message.header);
    const released = new Message(message.exchange, message.routingKey, message.routing, releasedHeader(message.header, delay),
      message.body, message.extraKeys);
    this.release(released);
    // after the release wrote its own copy (if it reached durable queues): a crash in between
    // routes it again rather than losing it
    if (position >= 0 && this.storage !== null) this.storage.store.ack(this.storage.id, position);
  }

  /** The held message at `position`, or undefined (logged, kept on disk) when it cannot be read. */
  private load(position: number): Message | undefined {
    const storage = this.storage as HeldStorage;
    try {
      const r = storage.store.read(position);
      const names = decodeShortstrPair(r.routing);
      if (names === null) throw new Error('its exchange and routing key do not decode');
      const header = ContentHeader.fromPayload(r.header);
      if (header instanceof DecodeFailure) throw new Error(`its content header does not decode: ${header.detail}`);
      // CC keys come back from the header (BCC was taken out at publish and is lost, as on a restart)
      const extra = header.has('headers') ? senderSelectedKeys(header.headers) : [];
      return new Message(names[0], names[1], r.routing, header, r.body, extra);
    } catch (err) {
      storage.store.unreadable(storage.id, position, err);
      return undefined;
    }
  }
}
