/**
 * RabbitMQ's definitions file (`rabbitmqctl export_definitions`, `GET /api/definitions`) read
 * into typed values, by the rules RabbitMQ 3.10's import (rabbit_definitions,
 * rabbit_auth_backend_internal:put_user, rabbit_vhost:put_vhost) applies, checked against a
 * running RabbitMQ 3.10.8 with `rabbitmqctl import_definitions`:
 *
 * - What RabbitMQ refuses is refused here, with a message naming the file and the entry: a
 *   queue or exchange without `durable`, a user with neither `tags` nor `administrator`, both
 *   `password` and `password_hash`, a hash that is not base64, an unknown limit, an unknown
 *   `destination_type`. (A few of these RabbitMQ "accepts" by storing a broken object — a
 *   vhost, exchange or queue named `undefined` that cannot be deleted — refused here too.)
 * - What RabbitMQ accepts is accepted, with a warning where it skips the entry or stores a value
 *   that means nothing: entries that are not objects, queues and exchanges named `amq.*`, a
 *   binding without a source or destination, an unknown hashing algorithm (the user exists but
 *   cannot log in with a password).
 * - Every shape 3.x writes is read unchanged: user tags as an array or "a,b" (older exports),
 *   vhost description and tags at the top or under `metadata`, vhost limits as `vhost-limits`
 *   parameters, the `limits` lists rabbitmqctl writes on vhosts (ignored, as RabbitMQ does).
 *   Unknown top-level keys (`explicit_permissions`, `operator_policies`…) are ignored as RabbitMQ
 *   ignores them.
 *
 * Policies and parameters other than vhost limits are kept as they are, for the policy engine.
 */
import { DEFAULT_HASHING_ALGORITHM, isHashingAlgorithm } from '../access/password-hash.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface UserDefinition {
  readonly name: string;
  /** Base64 of salt ‖ hash; '' for a user without a password (certificate logins only). */
  readonly passwordHash: string;
  /**
   * One of rabbit_password_hashing_sha256 / _sha512 / _md5, or any other name RabbitMQ took
   * as it is (such a user cannot log in with a password).
   */
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
  /** `metadata.default_queue_type`: classic, quorum or stream. */
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
  /** The file's `rabbit_version` and `rabbitmq_version` (RabbitMQ writes both, the same). */
  readonly rabbitVersion?: string;
  readonly rabbitmqVersion?: string;
  readonly productName?: string;
  readonly productVersion?: string;
  readonly users: UserDefinition[];
  readonly vhosts: VhostDefinition[];
  readonly permissions: PermissionDefinition[];
  readonly topicPermissions: TopicPermissionDefinition[];
  /** vhost → its limits (the `vhost-limits` parameters, which are not in `parameters`). */
  readonly vhostLimits: Map<string, Record<string, number>>;
  readonly queues: QueueDefinition[];
  readonly exchanges: ExchangeDefinition[];
  readonly bindings: BindingDefinition[];
  /** Kept as written (with their vhost), checked when applied (broker/policies.ts parsePolicy). */
  readonly policies: JsonObject[];
  /**
   * The runtime parameters other than `vhost-limits`, as written. Operator policies are among
   * them (component `operator_policy`): RabbitMQ exports and imports them there.
   */
  readonly parameters: JsonObject[];
  readonly globalParameters: JsonObject[];
  /** Entries RabbitMQ would skip or take with a meaningless value; each names its entry. */
  readonly warnings: string[];
}

export interface ParseOptions {
  /**
   * A vhost's own definitions (`GET /api/definitions/<vhost>`, imported with `POST
   * /api/definitions/<vhost>`): every exchange, queue, binding, policy and parameter belongs to
   * this vhost whatever its `vhost` key says, and users, vhosts and permissions are ignored — as
   * RabbitMQ's per-vhost import reads only those five lists.
   */
  readonly vhost?: string;
}

/** A definitions file Warren (and RabbitMQ) cannot load; the message names the file and entry. */
export class DefinitionsError extends Error {}

const USER_LIMITS = ['max-connections', 'max-channels'];
const VHOST_LIMITS = ['max-connections', 'max-queues'];
const QUEUE_TYPES = ['classic', 'quorum', 'stream'];

export function parseDefinitions(text: string, source: string, options: ParseOptions = {}): Definitions {
  let json: unknown;
  // RabbitMQ reads an empty body as no definitions at all
  if (text === '') json = {};
  else {
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new DefinitionsError(`definitions file ${source}: not JSON (${(err as Error).message})`);
    }
  }
  if (!isObject(json)) throw new DefinitionsError(`definitions file ${source}: expected a JSON object`);
  const warnings: string[] = [];
  const r = new Reader(source, json, warnings, options.vhost);
  const scoped = options.vhost !== undefined;

  const rabbitVersion = r.topString('rabbit_version');
  const rabbitmqVersion = r.topString('rabbitmq_version');
  // an export without hashing_algorithm hashed with MD5 (3.0 to 3.5) or SHA-256 (3.6.0);
  // RabbitMQ reads rabbitmq_version first, and its configured default otherwise
  const version = rabbitmqVersion ?? rabbitVersion ?? '';
  const exportedAlgorithm = /^3\.[0-5]\./.test(version) ? 'rabbit_password_hashing_md5' : DEFAULT_HASHING_ALGORITHM;

  const users = scoped ? [] : r.list('users', (e) => readUser(e, exportedAlgorithm));
  const vhosts = scoped ? [] : r.list('vhosts', readVhost);
  const permissions = scoped ? [] : r.list('permissions', (e) => ({
    user: e.string('user'), vhost: e.vhost(), configure: e.string('configure'), write: e.string('write'), read: e.string('read'),
  }));
  const topicPermissions = scoped ? [] : r.list('topic_permissions', (e) => {
    const p = { user: e.string('user'), vhost: e.vhost(), write: e.string('write'), read: e.string('read') };
    // RabbitMQ stores one without an exchange under no exchange's name, where it checks nothing
    if (!e.has('exchange')) return e.skip('no "exchange": RabbitMQ keeps it under no exchange, where it restricts nothing');
    return { ...p, exchange: e.string('exchange') };
  });

  const vhostLimits = new Map<string, Record<string, number>>();
  const parameters = r.list('parameters', (e) => {
    if (e.optionalString('component') !== 'vhost-limits') return e.raw();
    const vhost = e.vhost();
    // rabbit_vhost_limit knows only this name: another one fails the import
    if (e.optionalString('name') !== 'limits') e.fail('a vhost-limits parameter must be named "limits"');
    vhostLimits.set(vhost, e.limits('value', VHOST_LIMITS));
    return null;
  });

  const queues = r.list('queues', (e) => {
    const q = {
      name: e.name(), vhost: e.vhost(), durable: e.boolean('durable'),
      autoDelete: e.boolean('auto_delete'), arguments: e.arguments(),
    };
    if (q.name.startsWith('amq.')) return e.skip('RabbitMQ does not import a queue whose name begins with "amq."');
    return q;
  }, { objectsOnly: true });
  const exchanges = r.list('exchanges', (e) => {
    const x = {
      name: e.name(), vhost: e.vhost(), type: e.string('type'), durable: e.boolean('durable'),
      autoDelete: e.looseBoolean('auto_delete'), internal: e.looseBoolean('internal'), arguments: e.arguments(),
    };
    if (x.name === '') return e.skip('RabbitMQ does not import the default exchange');
    if (x.name.startsWith('amq.')) return e.skip('RabbitMQ does not import an exchange whose name begins with "amq."');
    return x;
  });
  const bindings = r.list('bindings', (e) => {
    const destinationType = e.string('destination_type');
    if (destinationType !== 'queue' && destinationType !== 'exchange') {
      e.fail(`"destination_type" must be "queue" or "exchange", not "${destinationType}"`);
    }
    // RabbitMQ's binding import returns an error for a missing end that nothing looks at
    for (const key of ['source', 'destination', 'vhost']) {
      if (!e.has(key)) return e.skip(`no "${key}": RabbitMQ skips it`);
    }
    const b = {
      source: e.string('source'), vhost: e.vhost(), destination: e.string('destination'),
      destinationType: destinationType as 'queue' | 'exchange', routingKey: e.routingKey(), arguments: e.arguments(),
    };
    // every queue is bound to the default exchange already; RabbitMQ's import passes over it
    if (b.source === '') return e.skip("the default exchange's bindings are implicit");
    return b;
  });

  const policies = r.list('policies', (e) => {
    // RabbitMQ refuses a policy without a name ("policy in virtual host … has undefined name")
    e.string('name');
    return e.raw();
  });
  const globalParameters = scoped ? [] : r.list('global_parameters', (e) => e.raw());

  return {
    ...(rabbitVersion !== undefined ? { rabbitVersion } : {}),
    ...(rabbitmqVersion !== undefined ? { rabbitmqVersion } : {}),
    ...optional('productName', r.topString('product_name')),
    ...optional('productVersion', r.topString('product_version')),
    users, vhosts, permissions, topicPermissions, vhostLimits, queues, exchanges, bindings,
    policies, parameters, globalParameters, warnings,
  };
}

function readUser(e: Entry, exportedAlgorithm: string): UserDefinition {
  const name = e.string('name');
  // 2.x exports said `administrator` instead of tags; a user with neither is refused
  let tags: string[];
  if (e.has('tags')) tags = e.userTags();
  else if (e.has('administrator')) tags = e.parseBool('administrator') ? ['administrator'] : [];
  else e.fail('"tags" is missing');
  const limits = e.limits('limits', USER_LIMITS);
  const password = e.optionalString('password');
  if (password !== undefined) {
    if (e.has('password_hash')) e.fail('both "password" and "password_hash" are given');
    // hashed with the broker's default algorithm, whatever the entry says
    return { name, passwordHash: '', hashingAlgorithm: DEFAULT_HASHING_ALGORITHM, password, tags, limits };
  }
  const passwordHash = e.base64('password_hash');
  const hashingAlgorithm = e.optionalString('hashing_algorithm') ?? exportedAlgorithm;
  if (!isHashingAlgorithm(hashingAlgorithm)) {
    e.warn(`unknown hashing_algorithm "${hashingAlgorithm}": RabbitMQ keeps the user, who cannot log in with a password`);
  }
  return { name, passwordHash, hashingAlgorithm, tags, limits };
}

function readVhost(e: Entry): VhostDefinition {
  const name = e.name();
  const meta = e.optionalObject('metadata');
  const description = e.optionalString('description') ?? meta?.optionalString('description') ?? '';
  const tags = e.has('tags') ? e.vhostTags('tags') : meta !== undefined && meta.has('tags') ? meta.vhostTags('tags') : [];
  // only under metadata: RabbitMQ ignores a top-level default_queue_type
  const defaultQueueType = meta?.optionalString('default_queue_type');
  if (defaultQueueType !== undefined && !QUEUE_TYPES.includes(defaultQueueType)) {
    meta!.fail(defaultQueueType === '' ? 'default_queue_type must not be an empty string' : `${defaultQueueType} is not a valid queue type`);
  }
  return { name, description, tags, ...(defaultQueueType !== undefined ? { defaultQueueType } : {}) };
}

/** Reads the top-level lists; an entry's errors name the list, the index and the entry. */
class Reader {
  constructor(
    private readonly source: string,
    private readonly json: JsonObject,
    private readonly warnings: string[],
    private readonly vhost: string | undefined,
  ) {}

  topString(key: string): string | undefined {
    const v = this.json[key];
    return typeof v === 'string' ? v : undefined;
  }

  /**
   * Each object of a list read by `read` (null leaves the entry out). RabbitMQ passes over what
   * is not an object — except in `queues`, whose entries it counts against the vhost limits
   * first and fails on.
   */
  list<T>(key: string, read: (e: Entry) => T | null, o: { objectsOnly?: boolean } = {}): T[] {
    const value = this.json[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new DefinitionsError(`definitions file ${this.source}: "${key}" must be a list`);
    const out: T[] = [];
    value.forEach((item, i) => {
      if (!isObject(item)) {
        const where = `definitions file ${this.source}: ${key}[${i}]`;
        if (o.objectsOnly) throw new DefinitionsError(`${where}: expected an object`);
        this.warnings.push(`${where}: not an object; skipped, as RabbitMQ does`);
        return;
      }
      const entry = this.vhost === undefined ? item : { ...item, vhost: this.vhost };
      const where = () => `definitions file ${this.source}: ${key}[${i}]${label(key, entry)}`;
      const v = read(new Entry(entry, where, this.warnings));
      if (v !== null) out.push(v);
    });
    return out;
  }
}

/** How an entry is named in messages: by the fields that say which it is, when they are strings. */
function label(list: string, o: JsonObject): string {
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const inVhost = s('vhost') !== undefined ? ` in vhost "${s('vhost')}"` : '';
  let text: string | undefined;
  if (list === 'permissions' || list === 'topic_permissions') text = s('user') !== undefined ? `user "${s('user')}"${inVhost}` : undefined;
  else if (list === 'bindings') {
    text = s('source') !== undefined && s('destination') !== undefined ? `"${s('source')}" → "${s('destination')}"${inVhost}` : undefined;
  } else if (list === 'parameters') {
    text = s('component') !== undefined ? `${s('component')} "${s('name') ?? ''}"${inVhost}` : undefined;
  } else if (list === 'users' || list === 'vhosts' || list === 'global_parameters') text = s('name') !== undefined ? `"${s('name')}"` : undefined;
  else text = s('name') !== undefined ? `"${s('name')}"${inVhost}` : undefined;
  return text === undefined ? '' : ` (${text})`;
}

class Entry {
  constructor(
    private readonly o: JsonObject,
    private readonly where: () => string,
    private readonly warnings: string[],
  ) {}

  fail(problem: string): never {
    throw new DefinitionsError(`${this.where()}: ${problem}`);
  }

  warn(problem: string): void {
    this.warnings.push(`${this.where()}: ${problem}`);
  }

  /** Leaves the entry out, saying why. */
  skip(why: string): null {
    this.warn(`skipped: ${why}`);
    return null;
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

  /**
   * An entry's name. RabbitMQ "imports" a vhost, exchange or queue without one under the name
   * `undefined` — an object that cannot be deleted afterwards — so it is refused here.
   */
  name(): string {
    return this.string('name');
  }

  /** The entry's vhost: the file must define it or the broker have it (checked when applied, as RabbitMQ). */
  vhost(): string {
    return this.string('vhost');
  }

  /** A flag RabbitMQ's declare insists on (anything but true or false fails its import). */
  boolean(key: string): boolean {
    const v = this.o[key];
    if (typeof v !== 'boolean') this.fail(v === undefined ? `"${key}" is missing` : `"${key}" must be a boolean`);
    return v;
  }

  /**
   * A flag RabbitMQ stores as given (exchanges' auto_delete and internal): missing is false, and
   * any other value is stored and means false, since RabbitMQ tests it against `true`.
   */
  looseBoolean(key: string): boolean {
    const v = this.o[key];
    if (v === undefined || v === null || typeof v === 'boolean') return v === true;
    this.warn(`"${key}" is ${JSON.stringify(v)}, not a boolean: RabbitMQ takes it as false`);
    return false;
  }

  /** rabbit_misc:parse_bool: true, false, "true" or "false". */
  parseBool(key: string): boolean {
    const v = this.o[key];
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    return this.fail(`"${key}" must be true or false`);
  }

  optionalObject(key: string): Entry | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(`"${key}" must be an object`);
    return new Entry(v, () => `${this.where()}.${key}`, this.warnings);
  }

  /** A user's tags: a list of strings, or one comma-separated string (3.8 and older); spaces trimmed. */
  userTags(): string[] {
    const v = this.o.tags;
    if (typeof v === 'string') return splitTags(v);
    if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return (v as string[]).map((t) => t.trim()).filter((t) => t !== '');
    return this.fail('"tags" must be a list of strings or a comma-separated string');
  }

  /** A vhost's tags, as rabbit_vhost:parse_tags reads them ("undefined" and "null" are none). */
  vhostTags(key: string): string[] {
    const v = this.o[key];
    if (v === 'undefined' || v === 'null') return [];
    if (typeof v === 'string') return splitTags(v);
    if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return (v as string[]).map((t) => t.trim()).filter((t) => t !== '');
    return this.fail(`"${key}" must be a list of strings or a comma-separated string`);
  }

  /**
   * Limits as rabbit_parameter_validation checks them: an object of integers (negative: no
   * limit) with only the names `known`. An empty list is taken for none.
   */
  limits(key: string, known: readonly string[]): Record<string, number> {
    const v = this.o[key];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return {};
    if (!isObject(v)) this.fail(`"${key}" must be an object`);
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(v)) {
      if (!known.includes(k)) this.fail(`"${key}": unknown limit "${k}" (known: ${known.join(', ')})`);
      if (typeof n !== 'number' || !Number.isInteger(n)) this.fail(`"${key}.${k}" must be an integer, not ${JSON.stringify(n)}`);
      out[k] = n;
    }
    return out;
  }

  /**
   * A password hash as Erlang's base64:decode takes it: whitespace ignored, padded to a
   * multiple of four. '' (and a missing hash) is a user without a password.
   */
  base64(key: string): string {
    const v = this.optionalString(key);
    if (v === undefined) return '';
    const compact = v.replace(/[ \t\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) this.fail(`"${key}" is not base64`);
    return compact;
  }

  /**
   * A binding's key. RabbitMQ stores whatever is there: a missing one, or a number, is kept as
   * an Erlang term no routing key equals; here the nearest string, with a warning.
   */
  routingKey(): string {
    const v = this.o.routing_key;
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) {
      this.warn('no "routing_key": taken as ""');
      return '';
    }
    if (typeof v === 'number') {
      this.warn(`"routing_key" is the number ${v}: taken as "${v}"`);
      return String(v);
    }
    return this.fail('"routing_key" must be a string');
  }

  /** Queue, exchange and binding arguments: an object; missing and [] (older exports) are none. */
  arguments(): JsonObject {
    const v = this.o.arguments;
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return {};
    if (!isObject(v)) this.fail('"arguments" must be an object');
    return v;
  }
}

function splitTags(s: string): string[] {
  return s.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

function optional<K extends string, V>(key: K, v: V | undefined): { [k in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [k in K]?: V };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Definitions as RabbitMQ 3.10's `GET /api/definitions` writes them — the same keys in the same
 * order, compact JSON — so that RabbitMQ (and Warren) import the result. Vhosts carry their
 * description and tags at the top and under `metadata` with the default queue type, where
 * RabbitMQ's import reads them (3.10's own export writes only their names). Vhost limits become
 * `vhost-limits` parameters again; a user given with a clear-text password keeps it, as no hash
 * exists for it.
 */
export function serializeDefinitions(d: Definitions): string {
  const out: Record<string, unknown> = {
    ...optional('rabbit_version', d.rabbitVersion),
    ...optional('rabbitmq_version', d.rabbitmqVersion),
    ...optional('product_name', d.productName),
    ...optional('product_version', d.productVersion),
    users: d.users.map((u) => (u.password !== undefined
      ? { name: u.name, password: u.password, tags: [...u.tags], limits: { ...u.limits } }
      : { name: u.name, password_hash: u.passwordHash, hashing_algorithm: u.hashingAlgorithm, tags: [...u.tags], limits: { ...u.limits } })),
    vhosts: d.vhosts.map((v) => ({
      name: v.name, description: v.description, tags: [...v.tags],
      metadata: { description: v.description, tags: [...v.tags], ...optional('default_queue_type', v.defaultQueueType) },
    })),
    permissions: d.permissions.map((p) => ({ user: p.user, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read })),
    topic_permissions: d.topicPermissions.map((p) => ({ user: p.user, vhost: p.vhost, exchange: p.exchange, write: p.write, read: p.read })),
    parameters: [
      ...[...d.vhostLimits].map(([vhost, limits]) => ({ value: { ...limits }, vhost, component: 'vhost-limits', name: 'limits' })),
      ...d.parameters,
    ],
    global_parameters: d.globalParameters,
    policies: d.policies,
    queues: d.queues.map((q) => ({ name: q.name, vhost: q.vhost, durable: q.durable, auto_delete: q.autoDelete, arguments: q.arguments })),
    exchanges: d.exchanges.map((x) => ({
      name: x.name, vhost: x.vhost, type: x.type, durable: x.durable, auto_delete: x.autoDelete, internal: x.internal, arguments: x.arguments,
    })),
    bindings: d.bindings.map((b) => ({
      source: b.source, vhost: b.vhost, destination: b.destination, destination_type: b.destinationType,
      routing_key: b.routingKey, arguments: b.arguments,
    })),
  };
  return JSON.stringify(out);
}
