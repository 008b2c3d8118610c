/**
 * RabbitMQ's definitions file (`rabbitmqctl export_definitions`, `GET /api/definitions`) read
 * into typed values. Every shape RabbitMQ 3.x writes is accepted unchanged — user tags as an
 * array or as "a,b" (before 3.9), vhost description and tags at the top or under `metadata`,
 * vhost limits as `vhost-limits` parameters — and a file RabbitMQ would refuse is refused with a
 * message naming the file and the entry. Policies and parameters other than vhost limits are
 * kept as they are, for the policy engine to come.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface UserDefinition {
  readonly name: string;
  /** '' for a user without a password (certificate logins only). */
  readonly passwordHash: string;
  readonly hashingAlgorithm: string;
  /** Given as clear text instead of a hash (RabbitMQ accepts `password` in an imported file). */
  readonly password?: string;
  readonly tags: string[];
  readonly limits: Record<string, number>;
}

export interface VhostDefinition {
  readonly name: string;
  readonly description: string;
  readonly tags: string[];
  readonly defaultQueueType?: string;
}

export interface PermissionDefinition {
  readonly user: string;
  readonly vhost: string;
  readonly configure: string;
  readonly write: string;
  readonly read: string;
}

export interface TopicPermissionDefinition {
  readonly user: string;
  readonly vhost: string;
  readonly exchange: string;
  readonly write: string;
  readonly read: string;
}

export interface QueueDefinition {
  readonly name: string;
  readonly vhost: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly arguments: JsonObject;
}

export interface ExchangeDefinition {
  readonly name: string;
  readonly vhost: string;
  readonly type: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments: JsonObject;
}

export interface BindingDefinition {
  readonly source: string;
  readonly vhost: string;
  readonly destination: string;
  readonly destinationType: 'queue' | 'exchange';
  readonly routingKey: string;
  readonly arguments: JsonObject;
}

export interface Definitions {
  readonly users: UserDefinition[];
  readonly vhosts: VhostDefinition[];
  readonly permissions: PermissionDefinition[];
  readonly topicPermissions: TopicPermissionDefinition[];
  /** vhost → its limits (`vhost-limits` parameters). */
  readonly vhostLimits: Map<string, Record<string, number>>;
  readonly queues: QueueDefinition[];
  readonly exchanges: ExchangeDefinition[];
  readonly bindings: BindingDefinition[];
  /** Kept for the policy engine: not applied yet. */
  readonly policies: JsonObject[];
  readonly operatorPolicies: JsonObject[];
  readonly parameters: JsonObject[];
  readonly globalParameters: JsonObject[];
}

/** A definitions file Warren (and RabbitMQ) cannot load; the message names the file and entry. */
export class DefinitionsError extends Error {}

const HASHING_ALGORITHMS = ['rabbit_password_hashing_sha256', 'rabbit_password_hashing_sha512', 'rabbit_password_hashing_md5'];

export function parseDefinitions(text: string, source: string): Definitions {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DefinitionsError(`definitions file ${source}: not JSON (${(err as Error).message})`);
  }
  if (!isObject(json)) throw new DefinitionsError(`definitions file ${source}: expected a JSON object`);
  const r = new Reader(source, json);
  // before 3.6.0 RabbitMQ hashed with MD5, and its exports said nothing about it
  const version = typeof json.rabbit_version === 'string' ? json.rabbit_version : typeof json.rabbitmq_version === 'string' ? json.rabbitmq_version : '';
  const defaultAlgorithm = version !== '' && olderThan(version, [3, 6, 0]) ? 'rabbit_password_hashing_md5' : 'rabbit_password_hashing_sha256';

  const users = r.list('users', (e) => {
    const name = e.string('name');
    const passwordHash = e.optionalString('password_hash') ?? '';
    const hashingAlgorithm = e.optionalString('hashing_algorithm') ?? defaultAlgorithm;
    if (!HASHING_ALGORITHMS.includes(hashingAlgorithm)) e.fail(`unknown hashing_algorithm '${hashingAlgorithm}'`);
    const password = e.optionalString('password');
    if (passwordHash !== '' && !/^[A-Za-z0-9+/]*={0,2}$/.test(passwordHash)) e.fail('"password_hash" must be base64');
    return { name, passwordHash, hashingAlgorithm, ...(password !== undefined ? { password } : {}), tags: e.tags('tags'), limits: e.limits('limits') };
  }, (e) => `"${e.name}"`);

  const vhosts = r.list('vhosts', (e) => {
    const name = e.string('name');
    const meta = e.optionalObject('metadata');
    const description = e.optionalString('description') ?? (meta?.optionalString('description') ?? '');
    const tags = e.has('tags') ? e.tags('tags') : meta?.has('tags') ? meta.tags('tags') : [];
    const defaultQueueType = e.optionalString('default_queue_type') ?? meta?.optionalString('default_queue_type');
    return { name, description, tags, ...(defaultQueueType !== undefined ? { defaultQueueType } : {}) };
  }, (e) => `"${e.name}"`);

  const permissions = r.list('permissions', (e) => ({
    user: e.string('user'), vhost: e.vhost(), configure: e.string('configure'), write: e.string('write'), read: e.string('read'),
  }), (p) => `user "${p.user}" in vhost "${p.vhost}"`);
  const topicPermissions = r.list('topic_permissions', (e) => ({
    user: e.string('user'), vhost: e.vhost(), exchange: e.string('exchange'), write: e.string('write'), read: e.string('read'),
  }), (p) => `user "${p.user}" in vhost "${p.vhost}"`);

  const parameters = r.list('parameters', (e) => e.raw(), () => '');
  const vhostLimits = new Map<string, Record<string, number>>();
  r.list('parameters', (e) => {
    if (e.optionalString('component') !== 'vhost-limits') return null;
    const vhost = e.vhost();
    vhostLimits.set(vhost, e.limits('value'));
    return null;
  }, () => '');

  const queues = r.list('queues', (e) => ({
    name: e.string('name'), vhost: e.vhost(), durable: e.boolean('durable', true),
    autoDelete: e.boolean('auto_delete', false), arguments: e.arguments(),
  }), (q) => `"${q.name}" in vhost "${q.vhost}"`);
  const exchanges = r.list('exchanges', (e) => ({
    name: e.string('name'), vhost: e.vhost(), type: e.string('type'), durable: e.boolean('durable', true),
    autoDelete: e.boolean('auto_delete', false), internal: e.boolean('internal', false), arguments: e.arguments(),
  }), (x) => `"${x.name}" in vhost "${x.vhost}"`);
  const bindings = r.list('bindings', (e) => {
    const destinationType = e.string('destination_type');
    if (destinationType !== 'queue' && destinationType !== 'exchange') e.fail(`"destination_type" must be "queue" or "exchange", not "${destinationType}"`);
    return {
      source: e.string('source'), vhost: e.vhost(), destination: e.string('destination'),
      destinationType: destinationType as 'queue' | 'exchange', routingKey: e.optionalString('routing_key') ?? '', arguments: e.arguments(),
    };
  }, (b) => `"${b.source}" → "${b.destination}" in vhost "${b.vhost}"`);

  return {
    users, vhosts, permissions, topicPermissions, vhostLimits, queues, exchanges, bindings,
    policies: r.list('policies', (e) => e.raw(), () => ''),
    operatorPolicies: r.list('operator_policies', (e) => e.raw(), () => ''),
    parameters,
    globalParameters: r.list('global_parameters', (e) => e.raw(), () => ''),
  };
}

/** Reads the top-level lists; an entry's errors name the list, the index and the entry. */
class Reader {
  constructor(private readonly source: string, private readonly json: JsonObject) {}

  list<T>(key: string, read: (e: Entry) => T, describe: (e: { name?: string } & Record<string, unknown>) => string): T[] {
    const value = this.json[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new DefinitionsError(`definitions file ${this.source}: "${key}" must be a list`);
    const out: T[] = [];
    value.forEach((item, i) => {
      const where = () => {
        const label = isObject(item) ? describe(item as Record<string, unknown>) : '';
        return `definitions file ${this.source}: ${key}[${i}]${label !== '' && !label.includes('undefined') ? ` (${label})` : ''}`;
      };
      if (!isObject(item)) throw new DefinitionsError(`${where()}: expected an object`);
      const v = read(new Entry(item, where));
      if (v !== null) out.push(v);
    });
    return out;
  }
}

class Entry {
  constructor(private readonly o: JsonObject, private readonly where: () => string) {}

  fail(problem: string): never {
    throw new DefinitionsError(`${this.where()}: ${problem}`);
  }

  has(key: string): boolean {
    return this.o[key] !== undefined && this.o[key] !== null;
  }

  raw(): JsonObject {
    return this.o;
  }

  string(key: string): string {
    const v = this.o[key];
    if (typeof v !== 'string') this.fail(v === undefined ? `"${key}" is missing` : `"${key}" must be a string`);
    return v;
  }

  optionalString(key: string): string | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(`"${key}" must be a string`);
    return v;
  }

  boolean(key: string, otherwise: boolean): boolean {
    const v = this.o[key];
    if (v === undefined || v === null) return otherwise;
    // RabbitMQ's HTTP API and old exports also write "true" / "false"
    if (v === 'true' || v === 'false') return v === 'true';
    if (typeof v !== 'boolean') this.fail(`"${key}" must be a boolean`);
    return v;
  }

  optionalObject(key: string): Entry | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(`"${key}" must be an object`);
    return new Entry(v, () => `${this.where()}.${key}`);
  }

  /** An array of strings, or a comma-separated string (RabbitMQ before 3.9). */
  tags(key: string): string[] {
    const v = this.o[key];
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return v.split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return v as string[];
    return this.fail(`"${key}" must be a list of strings or a comma-separated string`);
  }

  /** An object of numbers; RabbitMQ's exports write an empty list for none. */
  limits(key: string): Record<string, number> {
    const v = this.o[key];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return {};
    if (!isObject(v)) this.fail(`"${key}" must be an object of numbers`);
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(v)) {
      const value = typeof n === 'string' && n.trim() !== '' ? Number(n) : n;
      if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(`"${key}.${k}" must be an integer`);
      out[k] = value;
    }
    return out;
  }

  arguments(): JsonObject {
    const v = this.o.arguments;
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return {};
    if (!isObject(v)) this.fail('"arguments" must be an object');
    return v;
  }

  /** The entry's vhost: the file must define it or it must exist (checked when applied, as RabbitMQ). */
  vhost(): string {
    return this.string('vhost');
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function olderThan(version: string, than: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < than.length; i++) {
    const p = Number.isNaN(parts[i]) || parts[i] === undefined ? 0 : parts[i];
    if (p !== than[i]) return p < than[i];
  }
  return false;
}
