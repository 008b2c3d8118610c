/**
 * A definitions file applied to a running broker, in RabbitMQ 3.10's order (rabbit_definitions
 * apply_defs): users, vhosts, permissions, topic permissions, exchanges, vhost limits, queues,
 * bindings — with policies after the exchanges and operator policies with the parameters.
 * Applying the same file again changes nothing (RabbitMQ's load_definitions at every start):
 * users, permissions and policies are set again, vhosts updated, and exchanges, queues and
 * bindings that exist are kept as they are. Other runtime parameters (federation, shovels) and
 * global parameters are reported once in the log, as are the parser's warnings.
 *
 * An entry that cannot be applied — a vhost neither in the file nor on the broker, an
 * exchange type or queue argument a client's declare would be refused — stops the load with
 * an error naming the entry, as RabbitMQ's import fails. A binding is the exception: RabbitMQ
 * skips one whose vhost, source or destination does not exist (rabbitmqctl's own exports leave
 * out internal exchanges but keep their bindings), and so does Warren, with a warning.
 */
import type { Logger } from 'pino';
import type { NewUser, NewVhost, VhostLimits } from '../access/access-control.js';
import { isHashingAlgorithm } from '../access/password-hash.js';
import { declareBinding, declareExchange, declareQueue } from '../broker/topology-admin.js';
import type { VirtualHost } from '../broker/vhost.js';
import { AmqpError } from '../codec/amqp-error.js';
import { parsePolicy } from '../broker/policies.js';
import { DefinitionsError, type Definitions } from './definitions-file.js';
import { jsonTable } from './json-table.js';

/** What applying needs from the broker (implemented by Broker). */
export interface DefinitionsTarget {
  addVhost(name: string, settings: NewVhost): void;
  addUser(name: string, user: NewUser): void;
  setPermissions(user: string, vhost: string, p: { configure: string; write: string; read: string }): void;
  setTopicPermissions(user: string, vhost: string, p: { exchange: string; write: string; read: string }): void;
  setVhostLimits(vhost: string, limits: VhostLimits): void;
  vhost(name: string): VirtualHost | undefined;
}

export interface AppliedCounts {
  users: number; vhosts: number; permissions: number; topicPermissions: number;
  queues: number; exchanges: number; bindings: number;
}

export function applyDefinitions(target: DefinitionsTarget, defs: Definitions, source: string, log: Logger): AppliedCounts {
  for (const w of defs.warnings) log.warn({ file: source }, w);
  const each = <T>(list: string, items: readonly T[], describe: (item: T) => string, apply: (item: T, i: number) => void) => {
    items.forEach((item, i) => {
      try {
        apply(item, i);
      } catch (err) {
        const problem = err instanceof AmqpError ? err.replyText : (err as Error).message;
        throw new DefinitionsError(`definitions file ${source}: ${list}[${i}] (${describe(item)}): ${problem}`);
      }
    });
  };
  const vhostOf = (name: string): VirtualHost => {
    const v = target.vhost(name);
    if (v === undefined) throw new Error(`Please create virtual host "${name}" prior to importing definitions.`);
    return v;
  };

  each('users', defs.users, (u) => `"${u.name}"`, (u) => {
    // RabbitMQ keeps a user whose algorithm it does not know, and no password then matches:
    // the same as a user without a password
    const known = isHashingAlgorithm(u.hashingAlgorithm);
    target.addUser(u.name, {
      ...(u.password !== undefined ? { password: u.password } : { passwordHash: known ? u.passwordHash : '' }),
      ...(known ? { hashingAlgorithm: u.hashingAlgorithm } : {}), tags: u.tags, limits: u.limits,
    });
  });
  each('vhosts', defs.vhosts, (v) => `"${v.name}"`, (v) => {
    target.addVhost(v.name, { description: v.description, tags: v.tags, ...(v.defaultQueueType ? { defaultQueueType: v.defaultQueueType } : {}) });
  });
  each('permissions', defs.permissions, (p) => `user "${p.user}" in vhost "${p.vhost}"`, (p) => {
    vhostOf(p.vhost);
    target.setPermissions(p.user, p.vhost, p);
  });
  each('topic_permissions', defs.topicPermissions, (p) => `user "${p.user}" in vhost "${p.vhost}"`, (p) => {
    vhostOf(p.vhost);
    target.setTopicPermissions(p.user, p.vhost, p);
  });
  each('exchanges', defs.exchanges, (x) => `"${x.name}" in vhost "${x.vhost}"`, (x) => {
    declareExchange(vhostOf(x.vhost), x.name, {
      type: x.type, durable: x.durable, autoDelete: x.autoDelete, internal: x.internal, arguments: jsonTable(x.arguments),
    });
  });
  each('policies', defs.policies, (p) => `"${String(p.name)}" in vhost "${String(p.vhost)}"`, (p) => {
    const vhost = String(p.vhost);
    vhostOf(vhost).setPolicy('policy', parsePolicy('policy', vhost, String(p.name), p));
  });
  each('parameters', [...defs.vhostLimits], ([vhost]) => `vhost-limits of "${vhost}"`, ([vhost, limits]) => {
    vhostOf(vhost);
    target.setVhostLimits(vhost, limits);
  });
  const operatorPolicies = defs.parameters.filter((p) => p.component === 'operator_policy');
  each('parameters', operatorPolicies, (p) => `operator policy "${String(p.name)}" in vhost "${String(p.vhost)}"`, (p) => {
    const vhost = String(p.vhost);
    const value = typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value) ? p.value as Record<string, unknown> : {};
    vhostOf(vhost).setPolicy('operator', parsePolicy('operator', vhost, String(p.name), value));
  });
  each('queues', defs.queues, (q) => `"${q.name}" in vhost "${q.vhost}"`, (q) => {
    declareQueue(vhostOf(q.vhost), q.name, { durable: q.durable, autoDelete: q.autoDelete, arguments: jsonTable(q.arguments) });
  });
  let bindings = 0;
  each('bindings', defs.bindings, (b) => `"${b.source}" → "${b.destination}" in vhost "${b.vhost}"`, (b, i) => {
    const v = target.vhost(b.vhost);
    const missing = v === undefined ? `vhost "${b.vhost}"`
      : !v.exchanges.has(b.source) ? `exchange "${b.source}"`
        : !(b.destinationType === 'queue' ? v.queues : v.exchanges).has(b.destination) ? `${b.destinationType} "${b.destination}"` : undefined;
    if (missing !== undefined) {
      log.warn({ file: source }, `definitions file ${source}: bindings[${i}] ("${b.source}" → "${b.destination}" in vhost "${b.vhost}"): skipped, no ${missing} (as RabbitMQ skips it)`);
      return;
    }
    declareBinding(v!, b.source, b.destinationType, b.destination, b.routingKey, jsonTable(b.arguments));
    bindings++;
  });

  // federation upstreams, shovels and the like: plugins Warren does not have
  const otherParameters = defs.parameters.filter((p) => p.component !== 'operator_policy');
  for (const [kind, list] of [['parameters', otherParameters], ['global_parameters', defs.globalParameters]] as const) {
    if (list.length > 0) log.warn({ file: source, kind, count: list.length }, `definitions: ${kind} are not applied by Warren; ignoring ${list.length}`);
  }
  return {
    users: defs.users.length, vhosts: defs.vhosts.length, permissions: defs.permissions.length,
    topicPermissions: defs.topicPermissions.length, queues: defs.queues.length, exchanges: defs.exchanges.length,
    bindings,
  };
}
