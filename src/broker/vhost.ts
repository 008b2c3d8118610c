/**
 * A virtual host: its exchanges, queues and the bindings between them, and routing through
 * them. Guard steps throw AmqpError with RabbitMQ's codes and texts; the channel adds which
 * method failed.
 */
import { pino, type Logger } from 'pino';
import type { ContentHeader } from '../codec/content-header.js';
import { EMPTY_TABLE, type FieldTable } from '../codec/field-table.js';
import { ACCESS_REFUSED, NOT_FOUND, PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { AmqpError } from '../codec/amqp-error.js';
import type { ExchangeType } from './exchange/routing-table.js';
import { DELAYED_TYPE, Exchange, isExchange, type DeclaredType, type Destination, type ExchangeOptions } from './exchange.js';
import { DelayedExchange, delayedRoutingType, SYSTEM_CLOCK, type DelayClock } from './delayed-exchange.js';
import { Admission, Queue, type QueueHost, type QueueOptions } from './queue.js';
import { deadLettered, isDeadLetterCycle, type DeathReason } from './dead-letter.js';
import { headerRoutes } from './sender-selected.js';
import type { Message } from './message.js';
import type { QueueStorage } from './queue-storage.js';
import { StreamQueue } from './stream/stream-queue.js';
import type { StreamLog } from './stream/stream-log.js';
import { MemoryPersistence, type Persistence } from './persistence.js';
import { rs } from './resource-names.js';
import { PolicySet, type Policy, type PolicyKind } from './policies.js';

/** The exchanges every vhost has, as RabbitMQ declares them. */
const STANDARD_EXCHANGES: readonly [string, ExchangeType, boolean][] = [
  ['', 'direct', false],
  ['amq.direct', 'direct', false],
  ['amq.fanout', 'fanout', false],
  ['amq.topic', 'topic', false],
  ['amq.headers', 'headers', false],
  ['amq.match', 'headers', false],
  ['amq.rabbitmq.trace', 'topic', true],
];

/** What became of a published message; the session turns it into basic.return, confirms and transactions. */
export interface PublishOutcome {
  /** How many queues it was routed to (0: unroutable, returned to a mandatory publisher). */
  routed: number;
  /** A full queue with x-overflow reject-publish(-dlx) turned it away: the publisher gets basic.nack. */
  refused: boolean;
  /** Where the message store wrote it (confirm once that is on disk), or -1 when it was not written. */
  position: number;
}

export class VirtualHost implements QueueHost {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, Queue>();
  readonly policies = new PolicySet();
  /** Direct reply-to: token → the channel waiting for replies (see session/direct-reply-to.ts). */
  readonly replyTargets = new Map<string, (message: Message) => void>();
  /** Reused by route() for every message. */
  private readonly routed: Queue[] = [];
  private readonly found = new Set<Destination>();
  /** Reused by deliver() for every message. */
  private readonly outcome: PublishOutcome = { routed: 0, refused: false, position: -1 };
  /** The clock of delayed exchanges' timers (tests replace it before declaring one). */
  delayClock: DelayClock = SYSTEM_CLOCK;

  constructor(
    readonly name: string,
    private readonly persistence: Persistence = new MemoryPersistence(),
    /** Where errors the vhost's own timers run into are logged (the broker's logger). */
    private readonly log: Logger = pino({ level: 'silent' }),
    /** Node-wide churn counts (the broker shares one among its vhosts so deleting a vhost takes nothing back). */
    readonly churn: QueueChurn = new QueueChurn(),
  ) {
    for (const [xname, type, internal] of STANDARD_EXCHANGES) {
      this.exchanges.set(xname, new Exchange(xname, type, { durable: true, autoDelete: false, internal, arguments: EMPTY_TABLE }));
    }
  }

  // ---- lookups ----

  exchange(name: string): Exchange {
    const x = this.exchanges.get(name);
    if (!x) throw new AmqpError(NOT_FOUND, `no ${rs('exchange', name, this.name)}`);
    return x;
  }

  queue(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new AmqpError(NOT_FOUND, `no ${rs('queue', name, this.name)}`);
    return q;
  }

  // ---- exchanges ----

  /**
   * Creates an exchange (the caller has checked the name and that it does not exist); an
   * x-delayed-message exchange's arguments are checked here, as the plugin's validate/1 does at
   * declare. `heldId`: the store id a recovered delayed exchange's messages are under.
   */
  addExchange(name: string, type: DeclaredType, options: ExchangeOptions, heldId = -1): Exchange {
    const routingType = type === DELAYED_TYPE ? delayedRoutingType(options.arguments) : type;
    const x = new Exchange(name, type, options, routingType);
    if (type === DELAYED_TYPE) {
      const d = new DelayedExchange(x, this.persistence.heldStorage(x, heldId), (m) => this.releaseDelayed(x, m), this.log, this.delayClock);
      x.delayed = d;
      this.persistence.delayedAdded(d);
    }
    this.exchanges.set(name, x);
    if (this.policies.size > 0) this.applyPolicyTo(x);
    if (x.durable) this.persistence.exchangeAdded(x);
    return x;
  }

  /** exchange.delete: unbinds it everywhere; refuses if-unused when it is a binding source. */
  deleteExchange(x: Exchange, ifUnused: boolean): void {
    if (ifUnused && x.routing.size > 0) {
      throw new AmqpError(PRECONDITION_FAILED, `${rs('exchange', x.name, this.name)} in use`);
    }
    this.removeExchange(x);
  }

  private removeExchange(x: Exchange): void {
    if (x.deleted) return;
    x.deleted = true;
    this.exchanges.delete(x.name);
    if (x.durable) this.persistence.exchangeRemoved(x);
    if (x.delayed !== null) {
      // its held messages go with it
      x.delayed.stop();
      this.persistence.delayedRemoved(x.delayed);
    }
    // bindings where x is the destination
    for (const source of x.boundFrom) {
      source.routing.removeDestination(x);
      this.autoDeleteIfUnbound(source);
    }
    x.boundFrom.clear();
    // bindings where x is the source
    for (const b of [...x.routing.bindings()]) {
      if (isExchange(b.destination)) b.destination.boundFrom.delete(x);
    }
  }

  private autoDeleteIfUnbound(x: Exchange): void {
    if (x.autoDelete && x.routing.size === 0 && !x.deleted) this.removeExchange(x);
  }

  // ---- queues ----

  /** Declares a queue; `storage` is given only when recovering one from disk. */
  addQueue(name: string, options: QueueOptions, storage?: QueueStorage): Queue {
    const store = storage ?? this.persistence.queueStorage(name, options);
    // a stream's storage is its log (the persistence made one for its type)
    const q = options.config?.type === 'stream'
      ? new StreamQueue(name, this.name, options, this, store as StreamLog<unknown>)
      : new Queue(name, this.name, options, this, store);
    this.queues.set(name, q);
    if (storage === undefined) this.churn.queuesCreated++; // a queue recovered from disk was created before
    if (this.policies.size > 0) this.applyPolicyTo(q);
    if (q.durable) this.persistence.queueAdded(q);
    // every queue is bound to the default exchange by its name (implicitly: see route)
    return q;
  }

  /** Deletes a queue with its bindings; returns the number of ready messages it had. */
  deleteQueue(q: Queue): number {
    if (q.deleted) return 0;
    this.queues.delete(q.name);
    this.churn.queuesDeleted++;
    if (q.durable) this.persistence.queueRemoved(q);
    const count = q.markDeleted();
    for (const x of [...this.exchanges.values()]) {
      if (x.routing.hasDestination(q)) {
        x.routing.removeDestination(q);
        this.autoDeleteIfUnbound(x);
      }
    }
    return count;
  }

  /** Deletes the exclusive queues of a connection that closed. */
  deleteExclusiveQueues(connectionId: number): void {
    for (const q of [...this.queues.values()]) {
      if (q.options.owner === connectionId) this.deleteQueue(q);
    }
  }

  // ---- bindings ----

  bind(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void {
    this.checkBindable(source, destination);
    if (!source.routing.bind(destination, routingKey, args)) return;
    if (isExchange(destination)) destination.boundFrom.add(source);
    if (source.durable && destination.durable) this.persistence.bindingAdded(source, destination, routingKey, args);
  }

  unbind(source: Exchange, destination: Destination, routingKey: string, args: FieldTable): void {
    this.checkBindable(source, destination);
    if (!source.routing.unbind(destination, routingKey, args)) return;
    if (isExchange(destination) && !source.routing.hasDestination(destination)) {
      destination.boundFrom.delete(source);
    }
    if (source.durable && destination.durable) this.persistence.bindingRemoved(source, destination, routingKey, args);
    this.autoDeleteIfUnbound(source);
  }

  private checkBindable(source: Exchange, destination: Destination): void {
    if (source.isDefault || (isExchange(destination) && destination.isDefault)) {
      throw new AmqpError(ACCESS_REFUSED, 'operation not permitted on the default exchange');
    }
  }

  // ---- policies ----

  /** Adds or replaces a policy (validated by parsePolicy); every queue and exchange takes what now applies to it. */
  setPolicy(kind: PolicyKind, p: Policy): void {
    this.policies.set(kind, p);
    this.persistence.policySet(kind, p);
    this.applyPolicies();
  }

  /** Removes a policy; false when there was none by that name. */
  clearPolicy(kind: PolicyKind, name: string): boolean {
    if (!this.policies.clear(kind, name)) return false;
    this.persistence.policyCleared(kind, name);
    this.applyPolicies();
    return true;
  }

  private applyPolicies(): void {
    for (const q of [...this.queues.values()]) this.applyPolicyTo(q);
    for (const x of this.exchanges.values()) this.applyPolicyTo(x);
  }

  private applyPolicyTo(d: Destination): void {
    const target = isExchange(d) ? { kind: 'exchange' as const, name: d.name } : { kind: 'queue' as const, name: d.name, queueType: d.config.type };
    const policy = this.policies.match('policy', target);
    const operator = this.policies.match('operator', target);
    if (policy !== d.policy || operator !== d.operatorPolicy) d.applyPolicy(policy, operator);
  }

  queueFailed(queue: Queue, err: unknown, during: string): void {
    this.log.error({ err, vhost: this.name, queue: queue.name, during }, 'internal error in a queue timer; the queue carries on');
  }

  // ---- publishing ----

  /**
   * A message published to `x`: routed (its routing key and CC/BCC keys, exchange-to-exchange
   * bindings, alternate exchanges), then delivered to the queues it reached. The outcome object
   * is reused by the next publish: read it first.
   */
  publish(x: Exchange, message: Message): PublishOutcome {
    if (x.delayed !== null) return this.publishDelayed(x.delayed, x, message);
    return this.deliver(message, this.routeMessage(x, message));
  }

  /**
   * A publish to an x-delayed-message exchange: a held message reaches no queue now (a
   * mandatory publisher gets basic.return, as from the plugin) but its alternate exchange, and
   * its confirm waits until its held copy is on disk as well.
   */
  private publishDelayed(d: DelayedExchange, x: Exchange, message: Message): PublishOutcome {
    d.lastHeld = -1;
    const outcome = this.deliver(message, this.routeMessage(x, message));
    if (d.lastHeld > outcome.position) outcome.position = d.lastHeld;
    return outcome;
  }

  /** A held message's time has come: routed as its exchange's routing type routes (no delay again: x-delay is negative now). */
  private releaseDelayed(x: Exchange, message: Message): void {
    if (x.deleted) return;
    const queues = this.routeNow(x, message);
    x.publishOut += queues.length;
    if (queues.length > 0) this.deliver(message, queues);
  }

  /** The broker stops: delayed exchanges' timers are cancelled, their stored messages kept for the next start. */
  stopDelayed(): void {
    for (const x of this.exchanges.values()) x.delayed?.stop(true);
  }

  /**
   * The queues `message` reaches from `x`, each once. Unless `out` is given, the returned array
   * is reused by the next call: consume it first.
   */
  routeMessage(x: Exchange, message: Message, out?: Queue[]): readonly Queue[] {
    if (x.dedup !== null && x.dedup.isDuplicate(message.header.headers)) return this.routeDuplicate(x, message, out);
    // the plugin's route/3 holds a delayed message at routing: a publish, a transaction's
    // publish, a dead-lettered message all alike; only an alternate exchange gets it now
    if (x.delayed !== null && x.delayed.hold(message)) return this.routeHeld(x, message, out);
    return this.routeNow(x, message, out);
  }

  private routeHeld(x: Exchange, message: Message, out: Queue[] = this.routed): readonly Queue[] {
    out.length = 0;
    if (x.alternate !== undefined) this.routeAlternate(x, message.routingKey, message.header, out, message.routingKey);
    return out;
  }

  private routeNow(x: Exchange, message: Message, out?: Queue[]): readonly Queue[] {
    if (message.extraKeys.length === 0 || x.routing.routesOnce === true) return this.route(x, message.routingKey, message.header, out);
    const all = new Set<Queue>(this.route(x, message.routingKey, message.header, []));
    for (const k of message.extraKeys) for (const q of this.route(x, k, message.header, [], message.routingKey)) all.add(q);
    const result = out ?? this.routed;
    result.length = 0;
    for (const q of all) result.push(q);
    return result;
  }

  /**
   * Hands a routed message to its queues (a transaction's commit calls this with the queues it
   * routed to when published): a full queue with x-overflow reject-publish(-dlx) refuses it and
   * the others still take it; the message is written for the durable queues among them if it is
   * persistent; then each enqueues it.
   */
  deliver(message: Message, queues: readonly Queue[]): PublishOutcome {
    let accepting = queues;
    let refused = false;
    let dropped = 0;
    let vetting = false;
    for (let i = 0; i < queues.length; i++) {
      const q = queues[i];
      if (q.deduplicating || q.refuses(message)) {
        vetting = true;
        break;
      }
    }
    if (vetting) {
      // each queue asked once: a deduplicating queue remembers the key as it answers
      accepting = queues.filter((q) => {
        const verdict = q.admit(message);
        if (verdict === Admission.REFUSED) refused = true;
        else if (verdict === Admission.DROPPED) dropped++;
        return verdict === Admission.ADMITTED;
      });
    }
    const position = accepting.length > 0 ? this.persistence.persist(message, accepting) : -1;
    // a transient message is written for streams only (they keep every message): the durable
    // classic and quorum queues it reached hold it in memory
    const stored = position >= 0 && message.persistent;
    for (let i = 0; i < accepting.length; i++) {
      const q = accepting[i];
      const s = q.storage;
      q.enqueue(message, s.storeId >= 0 && (stored || s.keepsEveryMessage === true) ? position : -1);
    }
    // filled last: an enqueue may dead-letter, which delivers (and reuses this object) itself
    const outcome = this.outcome;
    outcome.routed = queues.length - dropped;
    outcome.refused = refused;
    outcome.position = position;
    return outcome;
  }

  /** Calls back once every message persisted so far is on disk (immediately if none is pending). */
  whenDurable(cb: () => void): void {
    this.persistence.whenDurable(cb);
  }

  /** Whether the message written at `position` is on disk. */
  isDurable(position: number): boolean {
    return position < this.persistence.durablePosition;
  }

  // ---- dead-lettering ----

  /** A message died in `queue`: republished to its dead-letter exchange (dead-letter.ts). */
  deadLetter(queue: Queue, message: Message, reason: DeathReason): void {
    const dlxName = queue.config.deadLetterExchange;
    if (dlxName === undefined) return;
    this.churn.deadLettered[reason]++;
    const dlx = this.exchanges.get(dlxName);
    if (dlx === undefined) return; // RabbitMQ drops it too
    const keys = queue.config.deadLetterRoutingKey !== undefined
      ? [queue.config.deadLetterRoutingKey]
      : [message.routingKey, ...headerRoutes(message.header.has('headers') ? message.header.headers : undefined, 'CC')];
    const dead = deadLettered(message, reason, queue.name, dlx.name, keys, Date.now());
    // routed into its own array: dead-lettering can happen in the middle of delivering a publish
    let targets = this.routeMessage(dlx, dead, []);
    if (reason !== 'rejected') targets = targets.filter((q) => !isDeadLetterCycle(dead, q.name));
    if (targets.length > 0) this.deliver(dead, targets);
  }

  // ---- routing ----

  /**
   * A duplicate at a deduplicating exchange goes nowhere (unroutable: returned to a mandatory
   * publisher, confirmed with basic.ack). The plugin's exchange type reports an empty route, so
   * RabbitMQ still tries the alternate exchange; LavinMQ's argument drops it before routing.
   */
  private routeDuplicate(x: Exchange, message: Message, out?: Queue[]): readonly Queue[] {
    const result = out ?? this.routed;
    result.length = 0;
    if (x.dedup?.pluginType !== true || x.alternate === undefined) return result;
    const all = new Set<Queue>();
    for (const key of [message.routingKey, ...message.extraKeys]) {
      const found: Queue[] = [];
      this.routeAlternate(x, key, message.header, found, message.routingKey);
      for (const q of found) all.add(q);
    }
    for (const q of all) result.push(q);
    return result;
  }

  /**
   * The queues a message published to `x` reaches, each once, following exchange-to-exchange
   * bindings (each exchange at most once, so cycles end) and alternate exchanges. Unless `out`
   * is given, the returned array is reused by the next call: consume it first. `firstKey` is the
   * message's own routing key when `routingKey` is one of its CC/BCC keys: an exchange reached on
   * the way that routes once per message (consistent-hash) hashes it, as RabbitMQ hashes the
   * first of the message's keys, so every key's path picks the same queue.
   */
  route(x: Exchange, routingKey: string, header: ContentHeader, out: Queue[] = this.routed, firstKey = routingKey): readonly Queue[] {
    out.length = 0;
    if (x.isDefault) {
      const q = this.queues.get(routingKey);
      if (q !== undefined) out.push(q);
      return out;
    }
    if (x.routing.size === 0) {
      if (x.alternate !== undefined) this.routeAlternate(x, routingKey, header, out, firstKey);
      return out;
    }
    const found = this.found;
    found.clear();
    x.routing.route(routingKey, x.routingType === 'headers' ? header.headers : undefined, found, header);
    let exchanges: Exchange[] | null = null;
    for (const d of found) {
      if (isExchange(d)) (exchanges ??= []).push(d);
      else out.push(d);
    }
    if (exchanges !== null) this.routeThrough(x, exchanges, routingKey, header, out, firstKey);
    if (out.length === 0 && x.alternate !== undefined) this.routeAlternate(x, routingKey, header, out, firstKey);
    return out;
  }

  /** Unroutable: try the exchange's alternate-exchange, and its own, without going round in circles. */
  private routeAlternate(x: Exchange, routingKey: string, header: ContentHeader, out: Queue[], firstKey: string): void {
    const seen = new Set<Exchange>([x]);
    let next = x.alternate !== undefined ? this.exchanges.get(x.alternate) : undefined;
    while (next !== undefined && !seen.has(next)) {
      seen.add(next);
      if (next.dedup?.pluginType === true && next.dedup.isDuplicate(header.headers)) {
        next = next.alternate !== undefined ? this.exchanges.get(next.alternate) : undefined;
        continue; // the plugin's type routes a duplicate nowhere, wherever it sits
      }
      const found = new Set<Destination>();
      next.routing.route(next.routing.routesOnce === true ? firstKey : routingKey, next.routingType === 'headers' ? header.headers : undefined, found, header);
      const exchanges: Exchange[] = [];
      for (const d of found) {
        if (isExchange(d)) exchanges.push(d);
        else out.push(d);
      }
      if (exchanges.length > 0) this.routeThrough(next, exchanges, routingKey, header, out, firstKey);
      if (out.length > 0) return;
      next = next.alternate !== undefined ? this.exchanges.get(next.alternate) : undefined;
    }
  }

  /** The slow path for exchange-to-exchange bindings: breadth first, each exchange once. */
  private routeThrough(origin: Exchange, pending: Exchange[], routingKey: string, header: ContentHeader, out: Queue[], firstKey: string): void {
    const seen = new Set<Destination>([origin, ...out]);
    let headers: FieldTable | undefined | null = null;
    for (let i = 0; i < pending.length; i++) {
      const x = pending[i];
      if (seen.has(x)) continue;
      seen.add(x);
      // the plugin's type checks every message routed through it (RabbitMQ asks each exchange
      // type on the way); LavinMQ's argument only where the message is published
      if (x.dedup?.pluginType === true && x.dedup.isDuplicate(header.headers)) continue;
      if (x.routingType === 'headers' && headers === null) headers = header.headers;
      const found = new Set<Destination>();
      x.routing.route(x.routing.routesOnce === true ? firstKey : routingKey, x.routingType === 'headers' ? (headers ?? undefined) : undefined, found, header);
      for (const d of found) {
        if (seen.has(d)) continue;
        if (isExchange(d)) {
          pending.push(d);
        } else {
          seen.add(d);
          out.push(d);
        }
      }
    }
  }
}

/**
 * Counts rabbitmq_prometheus reports that no other object keeps: queues created and deleted,
 * messages dead-lettered by reason. Increments on paths that already do far more work.
 */
export class QueueChurn {
  /** Every queue.declare that is not passive, of a new queue or an existing one (RabbitMQ counts both). */
  queuesDeclared = 0;
  queuesCreated = 0;
  queuesDeleted = 0;
  readonly deadLettered: Record<DeathReason, number> = { expired: 0, maxlen: 0, rejected: 0, delivery_limit: 0 };
}
