/**
 * A queue: its messages (through a QueueStorage), its consumers, and who gets which message.
 * Dispatch hands ready messages to the consumers that have room in their prefetch window (a
 * consumer says so through canTake()): the highest consumer priority first, round-robin among
 * equals, only the active one under single-active-consumer. It runs whenever something changes
 * that could let a message move: a publish, an ack, a new consumer, a socket that drained.
 *
 * The queue arguments live here too: message TTL (one timer per queue, on the message at the
 * head — expired messages leave even with no consumer), x-expires (one idle timer), length
 * limits with their overflow behaviour, the delivery limit; each way a message dies goes
 * through the host's dead-lettering.
 */
import type { FieldTable } from '../codec/field-table.js';
import { withDeliveryCounts, type DeathReason } from './dead-letter.js';
import { QueuedMessage, type Message } from './message.js';
import { expiryOf } from './message-expiry.js';
import { DEFAULT_QUEUE_CONFIG, withPolicy, type QueueConfig } from './queue-arguments.js';
import { effectiveDefinition, type Policy } from './policies.js';
import { MemoryQueueStorage, type QueueStorage } from './queue-storage.js';
import { DEFAULT_DEDUP_HEADER, DedupCache, InQueueKeys, messageKey, messageTtl } from './deduplication.js';

/** What a queue needs from a consumer (implemented by the session layer). */
export interface QueueConsumer {
  readonly tag: string;
  readonly exclusive: boolean;
  /** x-priority of basic.consume. */
  readonly priority: number;
  /** Room for one more delivery now (prefetch, channel and connection state). */
  canTake(): boolean;
  /** Takes the message: writes it out and, unless no-ack, records it as unacknowledged. */
  deliver(qm: QueuedMessage, queue: Queue): void;
  /** The queue is gone; the consumer is cancelled by the server. */
  queueDeleted(queue: Queue): void;
}

export interface QueueOptions {
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly arguments: FieldTable;
  /** Id of the connection that owns an exclusive queue. */
  readonly owner: number | null;
  /** The validated arguments (default: none of them). */
  readonly config?: QueueConfig;
}

/** What a queue asks of its vhost. */
export interface QueueHost {
  /** The queue must go (auto-delete, x-expires). */
  deleteQueue(queue: Queue): number;
  /** A message died in `queue`: republish it to the dead-letter exchange, if there is one. */
  deadLetter(queue: Queue, message: Message, reason: DeathReason): void;
  /**
   * Something threw in work the queue did on its own timer (expiry, x-expires): a bug, not bad
   * input. The host logs it; the queue and everyone else carry on.
   */
  queueFailed(queue: Queue, err: unknown, during: string): void;
}

/** What a queue says to a message vhost.deliver offers it (see Queue.admit). */
export const Admission = { ADMITTED: 0, REFUSED: 1, DROPPED: 2 } as const;
export type Admission = (typeof Admission)[keyof typeof Admission];

export class Queue {
  readonly consumers: QueueConsumer[] = [];
  /** What the queue's arguments say. */
  readonly argConfig: QueueConfig;
  /** What the queue runs with: its arguments under its policies (applyPolicy). */
  config: QueueConfig;
  /** The user policy and operator policy that apply to it (null: none). */
  policy: Policy | null = null;
  operatorPolicy: Policy | null = null;
  private nextConsumer = 0;
  private everHadConsumer = false;
  private dispatching = false;
  /** Some consumer has a priority other than 0 (dispatch then looks at priorities). */
  private prioritised = false;
  private expiryTimer: NodeJS.Timeout | null = null;
  private expiryAt = Infinity;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastUsed = Date.now();
  deleted = false;
  /**
   * Deduplication (deduplication.ts), null for every other queue: the keys of the messages in
   * the queue (the plugin's queue level), or a cache of recent keys with the header they come
   * from (LavinMQ's). At most one of the two is set.
   */
  dedupKeys: InQueueKeys | null = null;
  dedupCache: { readonly cache: DedupCache; readonly header: string } | null = null;
  /** One of the two is set: vhost.deliver asks admit() (one test per queue on the publish path). */
  deduplicating = false;

  constructor(
    readonly name: string,
    readonly vhost: string,
    readonly options: QueueOptions,
    protected readonly host: QueueHost,
    readonly storage: QueueStorage = new MemoryQueueStorage(),
  ) {
    this.argConfig = options.config ?? DEFAULT_QUEUE_CONFIG;
    this.config = this.argConfig;
    if (this.config.expires !== undefined) this.armIdleTimer();
    if (this.config.dedup !== undefined) this.configureDedup();
  }

  /**
   * The policies that apply now (at declaration, and whenever a policy changes): the queue runs
   * with its arguments under their merged definition from then on. A shorter x-expires restarts
   * the idle clock's timer; a lower length limit drops from the head at once (drop-head only, as
   * RabbitMQ); messages already queued keep the TTL they arrived with.
   */
  applyPolicy(policy: Policy | null, operatorPolicy: Policy | null): void {
    this.policy = policy;
    this.operatorPolicy = operatorPolicy;
    const before = this.config;
    this.config = policy === null && operatorPolicy === null
      ? this.argConfig
      : withPolicy(this.argConfig, this.options.arguments, effectiveDefinition(policy, operatorPolicy));
    if (this.deleted) return;
    if (this.config.dedup !== before.dedup) this.configureDedup();
    if (this.config.expires !== before.expires) {
      if (this.idleTimer !== null) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      if (this.config.expires !== undefined) this.armIdleTimer();
    }
    if (this.config.overflow === 'drop-head' && (this.config.maxLength !== undefined || this.config.maxLengthBytes !== undefined)) {
      this.dropOverLimit();
    }
  }

  /**
   * Message counts since the queue was declared, for the management API's message_stats (its
   * rates are sampled from these): an increment each, nothing else on these paths.
   */
  publishCount = 0;
  deliverGetCount = 0;
  ackCount = 0;

  get durable(): boolean {
    return this.options.durable;
  }

  get exclusive(): boolean {
    return this.options.exclusive;
  }

  get autoDelete(): boolean {
    return this.options.autoDelete;
  }

  get messageCount(): number {
    return this.storage.readyCount;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  /** The consumer count queue.declare-ok reports. */
  get declaredConsumerCount(): number {
    return this.consumers.length;
  }

  get hasExclusiveConsumer(): boolean {
    return this.consumers.length === 1 && this.consumers[0].exclusive;
  }

  // ---- deduplication ----

  /**
   * Sets up what config.dedup asks for. A queue whose deduplication is turned on (by a policy)
   * does not know the keys of the messages it already has, as the plugin's cache starts empty;
   * a cache whose size or TTL changes starts empty too.
   */
  private configureDedup(): void {
    const d = this.config.dedup;
    if (d?.mode === 'in-queue') {
      this.dedupCache = null;
      this.dedupKeys ??= new InQueueKeys();
    } else if (d?.mode === 'cache') {
      this.dedupKeys = null;
      const c = this.dedupCache;
      if (c === null || c.header !== d.header || c.cache.size !== d.size || c.cache.ttl !== d.ttl) {
        this.dedupCache = { cache: new DedupCache(d.size, d.ttl), header: d.header };
      }
    } else {
      this.dedupKeys = null;
      this.dedupCache = null;
    }
    this.deduplicating = d !== undefined;
  }

  /**
   * Whether this queue takes the message, for a queue with deduplication or a length limit
   * (vhost.deliver asks only those): ADMITTED; REFUSED (the publisher gets basic.nack) when it
   * is full under reject-publish(-dlx), or when its key is that of a message in the queue (the
   * plugin's queue level on RabbitMQ 4: dead-lettered as maxlen, and nacked); DROPPED when its
   * key was seen recently (LavinMQ: dropped quietly, the publish not counted as routed here).
   */
  admit(message: Message): Admission {
    if (this.refuses(message)) {
      this.rejectPublish(message);
      return Admission.REFUSED;
    }
    if (this.dedupKeys !== null) {
      const key = messageKey(message.header.headers, DEFAULT_DEDUP_HEADER);
      if (key !== undefined && this.dedupKeys.has(key)) {
        this.host.deadLetter(this, message, 'maxlen');
        return Admission.REFUSED;
      }
    } else if (this.dedupCache !== null) {
      const headers = message.header.headers;
      const key = messageKey(headers, this.dedupCache.header);
      if (key !== undefined && this.dedupCache.cache.seen(key, messageTtl(headers))) return Admission.DROPPED;
    }
    return Admission.ADMITTED;
  }

  /** A message left the queue for good: its key is free again (the plugin's queue level). */
  private releaseKey(message: Message): void {
    const key = messageKey(message.header.headers, DEFAULT_DEDUP_HEADER);
    if (key !== undefined) this.dedupKeys?.release(key);
  }

  // ---- arriving ----

  /** With x-overflow reject-publish(-dlx), whether a full queue refuses this message. */
  refuses(message: Message): boolean {
    const c = this.config;
    if (c.overflow === 'drop-head') return false;
    return (c.maxLength !== undefined && this.storage.readyCount >= c.maxLength)
      || (c.maxLengthBytes !== undefined && this.storage.readyBytes + message.bodySize > c.maxLengthBytes);
  }

  /** A routed message arrives; `position` is where the message store wrote it (-1: nowhere). */
  enqueue(message: Message, position = -1): void {
    if (this.deleted) {
      // routed before the queue was deleted (a transaction committed later): nothing keeps it
      this.storage.ack(new QueuedMessage(message, 0, position));
      return;
    }
    this.publishCount++;
    const ttl = this.config.messageTtl;
    const now = ttl === undefined && !message.header.has('expiration') ? 0 : Date.now();
    const expiresAt = now === 0 ? Infinity : expiryOf(message.header, ttl, now);
    this.storage.append(message, position, expiresAt);
    if (this.dedupKeys !== null) {
      const key = messageKey(message.header.headers, DEFAULT_DEDUP_HEADER);
      if (key !== undefined) this.dedupKeys.add(key, expiresAt);
    }
    // judged at the time it arrived, so a TTL of 0 still reaches a consumer with room
    if (this.consumers.length > 0) this.dispatch(now);
    if (this.config.maxLength !== undefined || this.config.maxLengthBytes !== undefined) this.dropOverLimit();
    if (expiresAt !== Infinity) this.expireHead();
  }

  /** x-overflow drop-head: the oldest messages go (dead-lettered as maxlen) until it fits. */
  private dropOverLimit(): void {
    const { maxLength, maxLengthBytes } = this.config;
    while ((maxLength !== undefined && this.storage.readyCount > maxLength)
      || (maxLengthBytes !== undefined && this.storage.readyBytes > maxLengthBytes)) {
      if (!this.dieAtHead('maxlen')) break;
    }
  }

  /** A message refused by reject-publish-dlx is still dead-lettered. */
  rejectPublish(message: Message): void {
    if (this.config.overflow === 'reject-publish-dlx') this.host.deadLetter(this, message, 'maxlen');
  }

  // ---- leaving ----

  /**
   * Gives ready messages to consumers with room until either runs out. `now` (when given) is
   * the time expiry is judged at.
   */
  dispatch(now = 0): void {
    if (this.dispatching || this.deleted) return; // a delivery that triggers dispatch again
    this.dispatching = true;
    try {
      const storage = this.storage;
      while (storage.readyCount > 0) {
        const c = this.pickConsumer();
        if (c === null) break;
        const qm = storage.read();
        if (qm === undefined) break; // the rest could not be read back from disk (logged by the store)
        if (qm.expiresAt !== Infinity && qm.expiresAt < (now || Date.now())) {
          this.die(qm, 'expired');
          continue;
        }
        this.annotate(qm);
        this.deliverGetCount++;
        c.deliver(qm, this);
      }
    } finally {
      this.dispatching = false;
    }
    if (this.storage.headExpiresAt() !== Infinity) this.scheduleExpiry();
  }

  /** The consumer to get the next message, or null when none has room. */
  private pickConsumer(): QueueConsumer | null {
    const consumers = this.consumers;
    const n = consumers.length;
    if (n === 0) return null;
    if (this.config.singleActiveConsumer) return consumers[0].canTake() ? consumers[0] : null;
    if (!this.prioritised) {
      for (let tried = 0; tried < n; tried++) {
        if (this.nextConsumer >= n) this.nextConsumer = 0;
        const c = consumers[this.nextConsumer++];
        if (c.canTake()) return c;
      }
      return null;
    }
    // consumers are kept sorted by priority, highest first: the first group with room wins,
    // round-robin inside it
    for (let start = 0; start < n;) {
      const p = consumers[start].priority;
      let end = start;
      while (end < n && consumers[end].priority === p) end++;
      const size = end - start;
      for (let tried = 0; tried < size; tried++) {
        if (this.nextConsumer < start || this.nextConsumer >= end) this.nextConsumer = start;
        const c = consumers[this.nextConsumer++];
        if (c.canTake()) return c;
      }
      start = end;
    }
    return null;
  }

  /**
   * basic.get: the next live message, or undefined. As in RabbitMQ's fetch, messages that have
   * expired at the new head go right after it, so the count basic.get-ok reports leaves them out.
   */
  get(): QueuedMessage | undefined {
    this.touch();
    for (;;) {
      const qm = this.storage.read();
      if (qm === undefined) return qm;
      if (qm.expiresAt === Infinity || qm.expiresAt > Date.now()) {
        this.annotate(qm);
        this.deliverGetCount++;
        if (this.storage.headExpiresAt() !== Infinity) this.expireHead();
        return qm;
      }
      this.die(qm, 'expired');
    }
  }

  /** A delivered message was acknowledged (or taken with no-ack). */
  ack(qm: QueuedMessage): void {
    this.ackCount++;
    this.storage.ack(qm);
    if (this.dedupKeys !== null) this.releaseKey(qm.message);
  }

  /** A delivered message was rejected without requeue. */
  reject(qm: QueuedMessage): void {
    if (this.deleted) this.storage.ack(qm);
    else this.die(qm, 'rejected');
  }

  /**
   * A delivered message comes back: `failed` when the consumer rejected or nacked it, not when
   * its channel closed or it was recovered (RabbitMQ 4 counts only the first kind against the
   * delivery limit). Past its delivery limit it is dead-lettered instead. After the queue is
   * deleted the storage just lets go of it.
   */
  requeue(qm: QueuedMessage, failed: boolean): void {
    if (!this.deleted) {
      qm.acquiredCount++;
      if (failed) qm.deliveryCount++;
      const limit = this.config.deliveryLimit;
      if (limit !== undefined && qm.deliveryCount > limit) {
        this.die(qm, 'delivery_limit');
        return;
      }
      // Warren's classic-queue delivery limit shows its count, but only when the user asked for
      // the limit: a classic queue in RabbitMQ never adds x-delivery-count
      if (this.config.type === 'classic' && limit !== undefined && qm.deliveryCount > 0) {
        qm.header = withDeliveryCounts(qm.message.header, qm.deliveryCount, null);
      }
    }
    this.storage.requeue(qm);
  }

  /** Quorum queues tell each delivery how often it was acquired and failed before (RabbitMQ 4). */
  private annotate(qm: QueuedMessage): void {
    if (this.config.type === 'quorum') {
      qm.header = withDeliveryCounts(qm.message.header, qm.deliveryCount > 0 ? qm.deliveryCount : null, qm.acquiredCount);
    }
  }

  /** The head message leaves for `reason`; false when the queue is empty. */
  private dieAtHead(reason: DeathReason): boolean {
    if (this.storage.readyCount === 0) return false;
    if (this.config.deadLetterExchange === undefined && this.dedupKeys === null) {
      this.storage.discardHead(); // nobody needs its contents
      return true;
    }
    const qm = this.storage.read();
    if (qm === undefined) return false;
    if (reason === 'expired' && qm.expiresAt > Date.now()) {
      // the expired head could not be read back from disk and was skipped: this one is the next,
      // still live; it goes back where it was, as not delivered
      const redelivered = qm.redelivered;
      this.storage.requeue(qm);
      qm.redelivered = redelivered;
      return false;
    }
    this.die(qm, reason);
    return true;
  }

  /** A message leaves for good for `reason`: acknowledged in storage, dead-lettered if configured. */
  private die(qm: QueuedMessage, reason: DeathReason): void {
    this.storage.ack(qm);
    if (this.dedupKeys !== null) this.releaseKey(qm.message);
    if (this.config.deadLetterExchange !== undefined) this.host.deadLetter(this, qm.message, reason);
  }

  // ---- TTL: one timer for the message at the head ----

  /**
   * Its messages were recovered from disk: those already past their TTL go now, and the timer
   * is set for the rest (as RabbitMQ's queue does when it starts).
   */
  startExpiry(): void {
    if (this.storage.headExpiresAt() === Infinity) return;
    try {
      this.expireHead();
    } catch (err) {
      this.host.queueFailed(this, err, 'message expiry');
    }
  }

  /** Expired messages at the head leave now (even with no consumer). */
  private expireHead(): void {
    let now = 0;
    while (this.storage.headExpiresAt() !== Infinity && this.storage.headExpiresAt() <= (now ||= Date.now())) {
      if (!this.dieAtHead('expired')) break;
    }
    this.scheduleExpiry();
  }

  private scheduleExpiry(): void {
    const at = this.deleted ? Infinity : this.storage.headExpiresAt();
    if (at === this.expiryAt && this.expiryTimer !== null) return;
    if (this.expiryTimer !== null && at >= this.expiryAt) return; // fires sooner, reschedules then
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    this.expiryAt = at;
    if (at === Infinity) return;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      this.expiryAt = Infinity;
      try {
        this.expireHead();
      } catch (err) {
        this.host.queueFailed(this, err, 'message expiry');
      }
    }, Math.max(0, at - Date.now()));
    this.expiryTimer.unref();
  }

  // ---- x-expires: one idle timer ----

  /** The queue was used (consumer, get, redeclare): its x-expires clock starts again. */
  touch(): void {
    this.lastUsed = Date.now();
  }

  private armIdleTimer(): void {
    const expires = this.config.expires as number;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.deleted) return;
      try {
        if (this.consumers.length === 0 && Date.now() - this.lastUsed >= expires) this.host.deleteQueue(this);
        else this.armIdleTimer();
      } catch (err) {
        this.host.queueFailed(this, err, 'x-expires');
      }
    }, Math.max(1, this.lastUsed + expires - Date.now()));
    this.idleTimer.unref();
  }

  // ---- consumers ----

  addConsumer(c: QueueConsumer): void {
    if (c.priority !== 0) this.prioritised = true;
    // keep the list sorted by priority, highest first, in arrival order within a priority
    let i = this.consumers.length;
    while (i > 0 && this.consumers[i - 1].priority < c.priority) i--;
    this.consumers.splice(i, 0, c);
    this.everHadConsumer = true;
    this.touch();
  }

  /**
   * Removes a consumer (cancelled, or its channel closed). An auto-delete queue goes when its
   * last consumer does — but only once it has had one, as in RabbitMQ.
   */
  removeConsumer(c: QueueConsumer): void {
    const i = this.consumers.indexOf(c);
    if (i < 0) return;
    this.consumers.splice(i, 1);
    if (this.nextConsumer > i) this.nextConsumer--;
    this.touch();
    if (this.consumers.length === 0 && this.options.autoDelete && this.everHadConsumer && !this.deleted) {
      this.host.deleteQueue(this);
    } else if (this.consumers.length > 0) {
      this.dispatch(); // under single-active-consumer the next one takes over
    }
  }

  /** Drops the ready messages; the plugin's queue level forgets every key (its cache is flushed). */
  purge(): number {
    this.dedupKeys?.clear();
    return this.storage.purge();
  }

  /** Marks the queue deleted and cancels its consumers; returns the ready count it had. */
  markDeleted(): number {
    const count = this.storage.readyCount;
    this.deleted = true;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    const consumers = this.consumers.splice(0);
    for (const c of consumers) c.queueDeleted(this);
    this.storage.destroy();
    return count;
  }
}
