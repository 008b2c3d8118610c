/**
 * An exchange: its declaration and its bindings (a RoutingTable of the exchange's type). A
 * binding's destination is a queue or, for exchange-to-exchange bindings, another exchange.
 */
import { AmqpError } from '../codec/amqp-error.js';
import { tableGet, type FieldTable } from '../codec/field-table.js';
import { INTERNAL_ERROR, PRECONDITION_FAILED } from '../codec/generated/protocol.js';
import { consistentHashArgumentsProblem, consistentHashWeightProblem } from './exchange/consistent-hash-routing.js';
import { validateHeadersBindingArgs } from './exchange/headers-routing.js';
import { createRoutingTable, type ExchangeType, type RoutingTable } from './exchange/routing-table.js';
import { effectiveDefinition, type Policy } from './policies.js';
import type { Queue } from './queue.js';
import { exchangeDedup, type ExchangeDedup } from './deduplication.js';
import type { DelayedExchange } from './delayed-exchange.js';

export const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers', 'x-consistent-hash', 'x-random', 'x-message-deduplication'];

/**
 * The type's check of a new exchange's arguments (rabbit_exchange_type:validate/1), as
 * RabbitMQ makes it when the exchange is created (not when an existing one is redeclared).
 * Throws the AmqpError a client gets; the management API turns it into a 400.
 */
export function validateExchangeArguments(type: ExchangeType, args: FieldTable): void {
  if (type !== 'x-consistent-hash') return;
  const problem = consistentHashArgumentsProblem(args);
  if (problem !== null) throw new AmqpError(problem.code === 541 ? INTERNAL_ERROR : PRECONDITION_FAILED, problem.text);
}

/**
 * The source type's check of a new binding (validate_binding/2): x-match for headers, the
 * weight for consistent-hash. Throws 406 PRECONDITION_FAILED with RabbitMQ's text.
 */
export function validateBinding(source: Exchange, routingKey: string, args: FieldTable): void {
  const problem = source.routingType === 'headers' ? validateHeadersBindingArgs(args)
    : source.routingType === 'x-consistent-hash' ? consistentHashWeightProblem(routingKey)
      : null;
  if (problem !== null) throw new AmqpError(PRECONDITION_FAILED, problem);
}

/** A destination's name as the consistent-hash exchange seeds its choice with it: the same in every process. */
function destinationIdentity(d: Destination): string {
  return isExchange(d) ? `exchange:${d.name}` : `queue:${d.name}`;
}

/** The delayed-message plugin's type: routes as its x-delayed-type does (delayed-exchange.ts). */
export const DELAYED_TYPE = 'x-delayed-message';

/** A type an exchange can be declared with: a routing type, or the delayed type over one. */
export type DeclaredType = ExchangeType | typeof DELAYED_TYPE;

export interface ExchangeOptions {
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments: FieldTable;
}

export type Destination = Queue | Exchange;

export class Exchange {
  readonly routing: RoutingTable<Destination>;
  /** Bindings where this exchange is the destination (exchange-to-exchange), to undo on delete. */
  readonly boundFrom = new Set<Exchange>();
  /** Where unroutable messages go: the alternate-exchange argument, else its policy's (applyPolicy). */
  alternate: string | undefined;
  /** The user policy and operator policy that apply to it (null: none). */
  policy: Policy | null = null;
  operatorPolicy: Policy | null = null;
  deleted = false;
  /** Messages published to this exchange, and deliveries it made to queues (management message_stats). */
  publishIn = 0;
  publishOut = 0;
  /** Deduplication (the plugin's exchange type, or LavinMQ's argument on any type); null for the others. */
  readonly dedup: ExchangeDedup | null;
  /** Its held messages, for an x-delayed-message exchange (set by the vhost); null otherwise. */
  delayed: DelayedExchange | null = null;

  constructor(
    readonly name: string,
    readonly type: DeclaredType,
    readonly options: ExchangeOptions,
    /** How its bindings match: its type, or an x-delayed-message exchange's x-delayed-type. */
    readonly routingType: ExchangeType = type as ExchangeType,
  ) {
    // first: a declaration the type refuses (406) creates nothing
    this.dedup = exchangeDedup(routingType, options.arguments);
    this.routing = createRoutingTable<Destination>(routingType, options.arguments, destinationIdentity);
    this.alternate = this.argAlternate;
  }

  private get argAlternate(): string | undefined {
    const ae = tableGet(this.options.arguments, 'alternate-exchange');
    return ae?.type === 'S' ? ae.value.toString('utf8') : undefined;
  }

  /** The policies that apply now: the argument wins over the policy's alternate-exchange (rabbit_policy:get_arg). */
  applyPolicy(policy: Policy | null, operatorPolicy: Policy | null): void {
    this.policy = policy;
    this.operatorPolicy = operatorPolicy;
    const definition = effectiveDefinition(policy, operatorPolicy);
    const fromPolicy = definition['alternate-exchange'];
    this.alternate = this.argAlternate ?? (typeof fromPolicy === 'string' ? fromPolicy : undefined);
    this.dedup?.applyPolicy(definition);
  }

  get durable(): boolean {
    return this.options.durable;
  }

  get autoDelete(): boolean {
    return this.options.autoDelete;
  }

  get internal(): boolean {
    return this.options.internal;
  }

  /** The default exchange (''), whose bindings are implicit: every queue by its name. */
  get isDefault(): boolean {
    return this.name === '';
  }
}

export function isExchange(d: Destination): d is Exchange {
  return d instanceof Exchange;
}
