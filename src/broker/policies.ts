/**
 * Policies and operator policies of a vhost, as rabbit_policy defines them: a policy is a
 * pattern (a regular expression matched against queue and exchange names), what it applies to,
 * a priority and a definition. Exactly one policy applies to a queue or exchange — the matching
 * one with the highest priority — and separately one operator policy; their definitions are
 * merged key by key (merge rules of rabbit_policies: the lower number for limits, the operator's
 * value for overflow and queue-version). Validation texts are RabbitMQ 4's.
 */
import { erlangJsonTerm } from './erlang-format.js';

export type PolicyKind = 'policy' | 'operator';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type PolicyDefinition = Readonly<Record<string, JsonValue>>;

export interface Policy {
  readonly vhost: string;
  readonly name: string;
  readonly pattern: string;
  readonly applyTo: string;
  readonly definition: PolicyDefinition;
  readonly priority: number;
}

/** A policy as RabbitMQ's API and definitions export show it. */
export function policyJson(p: Policy) {
  return { vhost: p.vhost, name: p.name, pattern: p.pattern, 'apply-to': p.applyTo, definition: p.definition, priority: p.priority };
}

/** A policy refused: RabbitMQ's text (the HTTP API answers 400 with it). */
export class PolicyError extends Error {}

/** What a policy is matched against. */
export interface PolicyTarget {
  readonly kind: 'queue' | 'exchange';
  readonly name: string;
  /** For queues: classic, quorum or stream (apply-to classic_queues … matches on it). */
  readonly queueType?: string;
}

type Validator = (v: JsonValue) => string | null;

const isInt = (v: JsonValue): v is number => typeof v === 'number' && Number.isInteger(v);
const intAtLeast = (min: number, what: string): Validator => (v) => (isInt(v) && v >= min ? null : `${erlangJsonTerm(v)} is not a valid ${what}`);
const oneOf = (values: readonly (string | number)[], what: string): Validator => (v) => (
  (typeof v === 'string' || typeof v === 'number') && values.includes(v) ? null : `${erlangJsonTerm(v)} is not a valid ${what}`);
const binary = (what: string): Validator => (v) => (typeof v === 'string' ? null : `${erlangJsonTerm(v)} is not a valid ${what}`);

/** RabbitMQ's stream max-age: a number and one of Y M D h m s ("7D", "1h"). */
const MAX_AGE = /^[0-9]+[YMDhms]$/;
const MAX_STREAM_SEGMENT_SIZE = 3_000_000_000;

/**
 * Every key a user policy may set (RabbitMQ 4.3's validators). The classic mirroring keys and
 * queue-master-locator of RabbitMQ 3.x are accepted too, with no effect: definitions exported
 * from a 3.x cluster carry them (RabbitMQ 4 refuses them; conformance/REFERENCE.md). Federation's
 * keys are accepted as its plugin accepts them.
 */
const POLICY_KEYS: Readonly<Record<string, Validator>> = {
  'alternate-exchange': binary('alternate exchange name'),
  'consumer-timeout': intAtLeast(0, 'consumer timeout'),
  'consumer-disconnected-timeout': intAtLeast(0, 'consumer disconnected timeout'),
  'dead-letter-exchange': binary('dead letter exchange name'),
  'dead-letter-routing-key': binary('dead letter routing key'),
  'dead-letter-strategy': oneOf(['at-most-once', 'at-least-once'], 'dead letter strategy'),
  'message-ttl': intAtLeast(0, 'message TTL'),
  expires: intAtLeast(1, 'queue expiry'),
  'max-length': intAtLeast(0, 'maximum length'),
  'max-length-bytes': intAtLeast(0, 'maximum length in bytes'),
  'max-in-memory-length': intAtLeast(0, 'maximum memory in bytes'),
  'max-in-memory-bytes': intAtLeast(0, 'maximum memory in bytes'),
  'queue-mode': oneOf(['default', 'lazy'], 'queue-mode value'),
  'queue-version': oneOf([1, 2], 'queue-version value'),
  overflow: oneOf(['drop-head', 'reject-publish', 'reject-publish-dlx'], 'overflow value'),
  'delivery-limit': (v) => (isInt(v) ? null : `${erlangJsonTerm(v)} is not a valid delivery limit`),
  'max-age': (v) => (typeof v === 'string' && MAX_AGE.test(v) ? null : `${erlangJsonTerm(v)} is not a valid max age`),
  'queue-leader-locator': oneOf(['client-local', 'balanced', 'random', 'least-leaders'], 'queue leader locator value'),
  'initial-cluster-size': intAtLeast(0, 'cluster size'),
  'stream-max-segment-size-bytes': (v) => (isInt(v) && v >= 0 && v <= MAX_STREAM_SEGMENT_SIZE ? null : `${erlangJsonTerm(v)} is not a valid segment size`),
  'stream-filter-size-bytes': (v) => (isInt(v) && v >= 16 && v <= 255 ? null : `${erlangJsonTerm(v)} is not a valid filter size. Valid range is 16-255`),
  // RabbitMQ 3.x classic mirroring (no effect on one node)
  'ha-mode': oneOf(['all', 'exactly', 'nodes'], 'ha-mode value'),
  'ha-params': () => null,
  'ha-sync-mode': oneOf(['manual', 'automatic'], 'ha-sync-mode value'),
  'ha-sync-batch-size': (v) => (isInt(v) && v > 0 ? null : `ha-sync-batch-size should be a positive integer, actually was ${erlangJsonTerm(v)}`),
  'ha-promote-on-shutdown': oneOf(['always', 'when-synced'], 'ha-promote-on-shutdown value'),
  'ha-promote-on-failure': oneOf(['always', 'when-synced'], 'ha-promote-on-failure value'),
  'queue-master-locator': oneOf(['min-masters', 'client-local', 'random'], 'queue-master-locator value'),
  'federation-upstream': binary('federation upstream'),
  'federation-upstream-set': binary('federation upstream set'),
  'federation-upstream-pattern': binary('federation upstream pattern'),
  // the rabbitmq-message-deduplication plugin's keys, with its texts (deduplication.ts)
  'x-message-deduplication': (v) => (typeof v === 'boolean' ? null : `"x-message-deduplication" must be a boolean, got ${erlangJsonTerm(v)}`),
  'x-cache-size': (v) => (isInt(v) && v > 0 ? null : `"x-cache-size" must be an integer greater than 0, got ${erlangJsonTerm(v)}`),
  'x-cache-ttl': (v) => (isInt(v) && v > 0 ? null : `"x-cache-ttl" must be an integer greater than 0, got ${erlangJsonTerm(v)}`),
  'x-cache-persistence': (v) => (v === 'disk' || v === 'memory' ? null : `"x-cache-persistence" must be either "disk" or "memory", got ${erlangJsonTerm(v)}`),
};

/** The keys an operator policy may set (RabbitMQ 4). */
const OPERATOR_KEYS: ReadonlySet<string> = new Set([
  'expires', 'message-ttl', 'max-length', 'max-length-bytes', 'max-in-memory-length', 'max-in-memory-bytes', 'delivery-limit',
  'queue-version', 'overflow',
]);

const APPLY_TO = ['all', 'queues', 'exchanges', 'classic_queues', 'quorum_queues', 'streams'];

/**
 * A policy as the HTTP API and definitions files give it (`pattern`, `definition`, `priority`,
 * `apply-to`), checked as RabbitMQ checks it: missing keys first, then every field's problems,
 * sorted, after "Validation failed".
 */
export function parsePolicy(kind: PolicyKind, vhost: string, name: string, body: Record<string, unknown>): Policy {
  const missing = ['pattern', 'definition'].filter((k) => body[k] === undefined);
  if (missing.length > 0) throw new PolicyError(`[${missing.map((k) => `{key_missing,${k}}`).join(',')}]`);
  const problems: string[] = [];
  const priority = body.priority ?? 0;
  if (typeof priority !== 'number') problems.push(`priority should be a number, actually was ${erlangJsonTerm(priority as JsonValue)}`);
  const pattern = body.pattern;
  if (typeof pattern !== 'string') problems.push(`pattern should be a binary but was ${erlangJsonTerm(pattern as JsonValue)}`);
  else {
    try {
      new RegExp(pattern);
    } catch (err) {
      problems.push(`pattern should be regular expression but is invalid: ${(err as Error).message}`);
    }
  }
  const applyTo = body['apply-to'] ?? 'all';
  if (typeof applyTo !== 'string' || !APPLY_TO.includes(applyTo)) {
    problems.push(`apply-to '${typeof applyTo === 'string' ? applyTo : erlangJsonTerm(applyTo as JsonValue)}' unrecognised; should be one of: `
      + "'queues', 'classic_queues',  'quorum_queues', 'streams', 'exchanges', or 'all'");
  }
  const definition = asDictionary(body.definition);
  const definitionProblem = checkDefinition(kind, definition);
  if (definitionProblem !== null) problems.push(definitionProblem);
  if (problems.length > 0) throw new PolicyError(`Validation failed\n\n${problems.sort().join('\n')}\n`);
  return {
    vhost, name, pattern: pattern as string, applyTo: applyTo as string, definition: definition as PolicyDefinition, priority: priority as number,
  };
}

/**
 * rabbitmqctl export_definitions (3.10) writes an operator policy's definition as a list of
 * [key, value] pairs, and RabbitMQ imports it so: read as the dictionary it is.
 */
function asDictionary(v: unknown): unknown {
  if (!Array.isArray(v) || v.length === 0) return v;
  const pairs = v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string');
  return pairs ? Object.fromEntries(v as [string, JsonValue][]) : v;
}

function checkDefinition(kind: PolicyKind, definition: unknown): string | null {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return `definition must be a dictionary: ${erlangJsonTerm(definition as JsonValue)}`;
  }
  const entries = Object.entries(definition as Record<string, JsonValue>);
  if (entries.length === 0) return 'no policy provided';
  const unknown: [string, JsonValue][] = [];
  for (const [key, value] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const validate = kind === 'operator' ? (OPERATOR_KEYS.has(key) ? POLICY_KEYS[key] : undefined) : POLICY_KEYS[key];
    if (validate === undefined) {
      unknown.push([key, value]);
      continue;
    }
    const problem = validate(value);
    if (problem !== null) return problem;
  }
  if (unknown.length > 0) {
    return `[${unknown.map(([k, v]) => `{${erlangJsonTerm(k)},${erlangJsonTerm(v)}}`).join(',')}] are not recognised policy settings`;
  }
  return null;
}

/** Whether `p` applies to `t` (apply-to, then the pattern). */
function applies(p: Policy, regex: RegExp, t: PolicyTarget): boolean {
  if (t.kind === 'exchange') {
    if (p.applyTo !== 'all' && p.applyTo !== 'exchanges') return false;
  } else if (p.applyTo !== 'all' && p.applyTo !== 'queues') {
    const typeName = t.queueType === 'quorum' ? 'quorum_queues' : t.queueType === 'stream' ? 'streams' : 'classic_queues';
    if (p.applyTo !== typeName) return false;
  }
  return regex.test(t.name);
}

/** The policies of one vhost, both kinds. */
export class PolicySet {
  private readonly byKind = { policy: new Map<string, { p: Policy; regex: RegExp }>(), operator: new Map<string, { p: Policy; regex: RegExp }>() };

  get size(): number {
    return this.byKind.policy.size + this.byKind.operator.size;
  }

  /** Adds or replaces a policy (already validated). */
  set(kind: PolicyKind, p: Policy): void {
    this.byKind[kind].set(p.name, { p, regex: new RegExp(p.pattern) });
  }

  /** Removes a policy; false when there was none by that name. */
  clear(kind: PolicyKind, name: string): boolean {
    return this.byKind[kind].delete(name);
  }

  get(kind: PolicyKind, name: string): Policy | undefined {
    return this.byKind[kind].get(name)?.p;
  }

  /** The policies of a kind, highest priority first (as RabbitMQ lists them). */
  list(kind: PolicyKind): Policy[] {
    return [...this.byKind[kind].values()].map((e) => e.p).sort((a, b) => b.priority - a.priority);
  }

  /** The policy of a kind that applies to `t`: the matching one with the highest priority (the first defined on a tie). */
  match(kind: PolicyKind, t: PolicyTarget): Policy | null {
    let best: Policy | null = null;
    for (const { p, regex } of this.byKind[kind].values()) {
      if ((best === null || p.priority > best.priority) && applies(p, regex, t)) best = p;
    }
    return best;
  }
}

/**
 * The definition in force for an object with this policy and operator policy
 * (rabbit_policy:merge_operator_definitions): keys of either, merged where both have one.
 */
export function effectiveDefinition(policy: Policy | null, operator: Policy | null): PolicyDefinition {
  if (operator === null) return policy?.definition ?? {};
  if (policy === null) return operator.definition;
  const out: Record<string, JsonValue> = { ...policy.definition };
  for (const [key, opValue] of Object.entries(operator.definition)) {
    const value = out[key];
    out[key] = value === undefined ? opValue : mergeValue(key, value, opValue);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** rabbit_policies:merge_policy_value: limits take the lower value; overflow and queue-version the operator's. */
function mergeValue(key: string, value: JsonValue, opValue: JsonValue): JsonValue {
  if (key === 'delivery-limit' && typeof value === 'number' && typeof opValue === 'number') {
    // a negative limit is "unlimited": then the more conservative (higher) value
    return value < 0 || opValue < 0 ? Math.max(value, opValue) : Math.min(value, opValue);
  }
  if (typeof value === 'number' && typeof opValue === 'number') return Math.min(value, opValue);
  return opValue;
}
