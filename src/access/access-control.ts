/**
 * Who may do what, as RabbitMQ's internal database decides it: users (password hashes, tags,
 * limits), vhost settings (description, tags, limits), and each user's configure / write / read
 * patterns per vhost, plus topic permissions per exchange.
 *
 * Every change goes through apply(), the same path the records on disk are replayed through at
 * start, and is then handed to onRecord (the broker writes it to the definitions log). The
 * broker owns the vhosts themselves (queues, exchanges) and closes connections; this module
 * only knows names and rules.
 */
import type { AccessDefinition } from '../store/definitions-log.js';
import {
  checkPassword, DEFAULT_HASHING_ALGORITHM, hashPassword, isHashingAlgorithm, type HashingAlgorithm,
} from './password-hash.js';
import { expandTopicPattern, PermissionPattern } from './permission-pattern.js';

export type Permission = 'configure' | 'write' | 'read';

/** RabbitMQ's per-user limits (rabbitmqctl set_user_limits); absent or negative = none. */
export interface UserLimits { 'max-connections'?: number; 'max-channels'?: number }
/** RabbitMQ's per-vhost limits (rabbitmqctl set_vhost_limits); absent or negative = none. */
export interface VhostLimits { 'max-connections'?: number; 'max-queues'?: number }

export interface User {
  readonly name: string;
  readonly passwordHash: string;
  readonly hashingAlgorithm: HashingAlgorithm;
  readonly tags: readonly string[];
  readonly limits: UserLimits;
}

export interface VhostSettings {
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly defaultQueueType: string;
  readonly limits: VhostLimits;
}

export interface UserPermissions {
  readonly configure: PermissionPattern;
  readonly write: PermissionPattern;
  readonly read: PermissionPattern;
}

export interface TopicPermissions {
  readonly exchange: string;
  readonly write: string;
  readonly read: string;
}

export interface NewUser {
  /** A clear-text password to hash; null or absent with no hash: a password-less user. */
  password?: string | null;
  /** Or a hash as RabbitMQ stores it (from a definitions file). */
  passwordHash?: string;
  hashingAlgorithm?: string;
  tags?: readonly string[];
  limits?: UserLimits;
}

export interface NewVhost {
  description?: string;
  tags?: readonly string[];
  defaultQueueType?: string;
  limits?: VhostLimits;
}

/** What refused a login: logged by the negotiation, never sent to the client. */
export type LoginResult = { user: User } | { refused: string };

export class AccessControl {
  private readonly users = new Map<string, User>();
  private readonly vhosts = new Map<string, VhostSettings>();
  /** vhost → user → patterns. */
  private readonly permissions = new Map<string, Map<string, UserPermissions>>();
  /** vhost → user → exchange → topic permission. */
  private readonly topicPermissions = new Map<string, Map<string, Map<string, TopicPermissions>>>();
  /** Bumped on every change: connections cache a permitted name until it moves. */
  generation = 0;
  /** Each change, after it is applied (the broker persists it). */
  onRecord: (d: AccessDefinition) => void = () => undefined;

  // ---- changes ----

  putUser(name: string, u: NewUser): void {
    const existing = this.users.get(name);
    const algorithm = u.hashingAlgorithm ?? existing?.hashingAlgorithm ?? DEFAULT_HASHING_ALGORITHM;
    if (!isHashingAlgorithm(algorithm)) throw new Error(`unknown hashing algorithm '${algorithm}'`);
    let passwordHash: string;
    if (u.passwordHash !== undefined) passwordHash = u.passwordHash;
    else if (typeof u.password === 'string') passwordHash = hashPassword(u.password, algorithm);
    else if (u.password === null) passwordHash = '';
    else passwordHash = existing?.passwordHash ?? '';
    this.change({
      op: 'user', name, passwordHash, hashingAlgorithm: algorithm,
      tags: [...(u.tags ?? existing?.tags ?? [])],
      limits: { ...(u.limits ?? existing?.limits ?? {}) } as Record<string, number>,
    });
  }

  deleteUser(name: string): boolean {
    if (!this.users.has(name)) return false;
    this.change({ op: 'delete-user', name });
    return true;
  }

  setUserLimits(name: string, limits: UserLimits): void {
    const u = this.requireUser(name);
    this.change({
      op: 'user', name, passwordHash: u.passwordHash, hashingAlgorithm: u.hashingAlgorithm, tags: [...u.tags],
      limits: { ...u.limits, ...limits } as Record<string, number>,
    });
  }

  /** Removes one limit of a user (RabbitMQ's clear_user_limits). */
  clearUserLimit(name: string, limit: keyof UserLimits): void {
    const u = this.requireUser(name);
    const limits = { ...u.limits } as Record<string, number>;
    delete limits[limit];
    this.change({ op: 'user', name, passwordHash: u.passwordHash, hashingAlgorithm: u.hashingAlgorithm, tags: [...u.tags], limits });
  }

  putVhost(name: string, v: NewVhost = {}): void {
    const existing = this.vhosts.get(name);
    this.change({
      op: 'vhost', name,
      description: v.description ?? existing?.description ?? '',
      tags: [...(v.tags ?? existing?.tags ?? [])],
      defaultQueueType: v.defaultQueueType ?? existing?.defaultQueueType ?? 'classic',
      limits: { ...(v.limits ?? existing?.limits ?? {}) } as Record<string, number>,
    });
  }

  deleteVhost(name: string): boolean {
    if (!this.vhosts.has(name)) return false;
    this.change({ op: 'delete-vhost', name });
    return true;
  }

  setVhostLimits(name: string, limits: VhostLimits): void {
    const v = this.requireVhost(name);
    this.putVhost(name, { limits: { ...v.limits, ...limits } });
  }

  /** Removes one limit of a vhost (RabbitMQ's clear_vhost_limits). */
  clearVhostLimit(name: string, limit: keyof VhostLimits): void {
    const v = this.requireVhost(name);
    const limits = { ...v.limits } as Record<string, number>;
    delete limits[limit];
    this.putVhost(name, { limits });
  }

  setPermissions(user: string, vhost: string, p: { configure: string; write: string; read: string }): void {
    this.requireUser(user);
    this.requireVhost(vhost);
    for (const source of [p.configure, p.write, p.read]) {
      const problem = PermissionPattern.check(source);
      if (problem !== null) throw new Error(problem);
    }
    this.change({ op: 'permission', user, vhost, configure: p.configure, write: p.write, read: p.read });
  }

  clearPermissions(user: string, vhost: string): void {
    if (this.permissions.get(vhost)?.has(user)) this.change({ op: 'clear-permission', user, vhost });
  }

  setTopicPermissions(user: string, vhost: string, p: TopicPermissions): void {
    this.requireUser(user);
    this.requireVhost(vhost);
    for (const source of [p.write, p.read]) {
      const problem = PermissionPattern.check(expandTopicPattern(source, user, vhost));
      if (problem !== null) throw new Error(problem);
    }
    this.change({ op: 'topic-permission', user, vhost, exchange: p.exchange, write: p.write, read: p.read });
  }

  /** Without an exchange: every topic permission of the user in the vhost. */
  clearTopicPermissions(user: string, vhost: string, exchange?: string): void {
    const byExchange = this.topicPermissions.get(vhost)?.get(user);
    if (byExchange === undefined) return;
    for (const x of exchange === undefined ? [...byExchange.keys()] : [exchange]) {
      if (byExchange.has(x)) this.change({ op: 'clear-topic-permission', user, vhost, exchange: x });
    }
  }

  private change(d: AccessDefinition): void {
    this.apply(d);
    this.onRecord(d);
  }

  /** One change, from a caller or from the records on disk. */
  apply(d: AccessDefinition): void {
    this.generation++;
    switch (d.op) {
      case 'user': {
        const algorithm = isHashingAlgorithm(d.hashingAlgorithm) ? d.hashingAlgorithm : DEFAULT_HASHING_ALGORITHM;
        this.users.set(d.name, Object.freeze({
          name: d.name, passwordHash: d.passwordHash, hashingAlgorithm: algorithm,
          tags: Object.freeze([...d.tags]), limits: Object.freeze({ ...d.limits }),
        }));
        break;
      }
      case 'delete-user':
        this.users.delete(d.name);
        for (const byUser of this.permissions.values()) byUser.delete(d.name);
        for (const byUser of this.topicPermissions.values()) byUser.delete(d.name);
        break;
      case 'vhost':
        this.vhosts.set(d.name, Object.freeze({
          name: d.name, description: d.description, tags: Object.freeze([...d.tags]),
          defaultQueueType: d.defaultQueueType, limits: Object.freeze({ ...d.limits }),
        }));
        break;
      case 'delete-vhost':
        this.vhosts.delete(d.name);
        this.permissions.delete(d.name);
        this.topicPermissions.delete(d.name);
        break;
      case 'permission':
        mapOf(this.permissions, d.vhost).set(d.user, Object.freeze({
          configure: new PermissionPattern(d.configure), write: new PermissionPattern(d.write), read: new PermissionPattern(d.read),
        }));
        break;
      case 'clear-permission':
        this.permissions.get(d.vhost)?.delete(d.user);
        break;
      case 'topic-permission':
        mapOf(mapOf(this.topicPermissions, d.vhost), d.user).set(d.exchange, Object.freeze({
          exchange: d.exchange, write: d.write, read: d.read,
        }));
        break;
      case 'clear-topic-permission': {
        const byExchange = this.topicPermissions.get(d.vhost)?.get(d.user);
        byExchange?.delete(d.exchange);
        if (byExchange?.size === 0) this.topicPermissions.get(d.vhost)?.delete(d.user);
      }
    }
  }

  /** Everything as records, in an order that replays (vhosts and users before permissions). */
  records(): AccessDefinition[] {
    const out: AccessDefinition[] = [];
    for (const v of this.vhosts.values()) {
      out.push({ op: 'vhost', name: v.name, description: v.description, tags: [...v.tags], defaultQueueType: v.defaultQueueType, limits: { ...v.limits } as Record<string, number> });
    }
    for (const u of this.users.values()) {
      out.push({ op: 'user', name: u.name, passwordHash: u.passwordHash, hashingAlgorithm: u.hashingAlgorithm, tags: [...u.tags], limits: { ...u.limits } as Record<string, number> });
    }
    for (const [vhost, byUser] of this.permissions) {
      for (const [user, p] of byUser) {
        out.push({ op: 'permission', user, vhost, configure: p.configure.source, write: p.write.source, read: p.read.source });
      }
    }
    for (const [vhost, byUser] of this.topicPermissions) {
      for (const [user, byExchange] of byUser) {
        for (const t of byExchange.values()) out.push({ op: 'topic-permission', user, vhost, exchange: t.exchange, write: t.write, read: t.read });
      }
    }
    return out;
  }

  // ---- questions ----

  user(name: string): User | undefined {
    return this.users.get(name);
  }

  allUsers(): IterableIterator<User> {
    return this.users.values();
  }

  vhost(name: string): VhostSettings | undefined {
    return this.vhosts.get(name);
  }

  allVhosts(): IterableIterator<VhostSettings> {
    return this.vhosts.values();
  }

  /**
   * A login: the user must exist and, unless `password` is null (EXTERNAL: a verified
   * certificate vouches for the name), the password must match its hash. The reason is for
   * the log only; the client hears RabbitMQ's generic refusal.
   */
  login(username: string, password: string | null): LoginResult {
    const user = this.users.get(username);
    if (user === undefined) return { refused: `user '${username}' - invalid credentials` };
    if (password !== null && !checkPassword(user.passwordHash, user.hashingAlgorithm, password)) {
      return { refused: `user '${username}' - invalid credentials` };
    }
    return { user };
  }

  permissionsOf(user: string, vhost: string): UserPermissions | undefined {
    return this.permissions.get(vhost)?.get(user);
  }

  topicPermissionsOf(user: string, vhost: string): ReadonlyMap<string, TopicPermissions> | undefined {
    return this.topicPermissions.get(vhost)?.get(user);
  }

  /** Every (user, vhost, patterns) triple, for listing. */
  *allPermissions(): IterableIterator<{ user: string; vhost: string; permissions: UserPermissions }> {
    for (const [vhost, byUser] of this.permissions) {
      for (const [user, permissions] of byUser) yield { user, vhost, permissions };
    }
  }

  *allTopicPermissions(): IterableIterator<{ user: string; vhost: string; permission: TopicPermissions }> {
    for (const [vhost, byUser] of this.topicPermissions) {
      for (const [user, byExchange] of byUser) for (const permission of byExchange.values()) yield { user, vhost, permission };
    }
  }

  private requireUser(name: string): User {
    const u = this.users.get(name);
    if (u === undefined) throw new Error(`no such user '${name}'`);
    return u;
  }

  private requireVhost(name: string): VhostSettings {
    const v = this.vhosts.get(name);
    if (v === undefined) throw new Error(`no such vhost '${name}'`);
    return v;
  }
}

/** A limit in force: RabbitMQ reads a negative value (and none) as no limit. */
export function limitOf(value: number | undefined): number | null {
  return value === undefined || value < 0 ? null : value;
}

function mapOf<K, V extends Map<unknown, unknown>>(m: Map<K, V>, key: K): V {
  let inner = m.get(key);
  if (inner === undefined) {
    inner = new Map() as V;
    m.set(key, inner);
  }
  return inner;
}
