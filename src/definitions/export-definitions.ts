/**
 * The broker's definitions in the shape RabbitMQ's management API exports them (GET
 * /api/definitions, and per vhost without the `vhost` keys), so that RabbitMQ imports them:
 * users with their hashes, vhosts, permissions, topic permissions, vhost limits as parameters,
 * queues (exclusive ones left out), exchanges (the standard ones left out) and bindings (the
 * default exchange's implicit ones left out).
 */
import type { AccessControl } from '../access/access-control.js';
import { isExchange } from '../broker/exchange.js';
import { policyJson } from '../broker/policies.js';
import type { VirtualHost } from '../broker/vhost.js';
import { tableJson } from './json-table.js';

export interface DefinitionsSource {
  readonly access: AccessControl;
  readonly vhosts: ReadonlyMap<string, VirtualHost>;
  readonly version: string;
}

/**
 * The RabbitMQ release whose behaviour Warren follows where versions differ: the version its
 * exports and the management API's overview report, so that tools gating features on it see a
 * current broker (product_name / product_version say Warren).
 */
export const RABBITMQ_COMPATIBLE_VERSION = '4.3.5';

export function exportDefinitions(src: DefinitionsSource, onlyVhost?: string): Record<string, unknown> {
  const vhosts = [...src.vhosts.values()].filter((v) => onlyVhost === undefined || v.name === onlyVhost);
  const withVhost = <T extends object>(vhost: string, o: T) => (onlyVhost === undefined ? { ...o, vhost } : o);
  const queues = vhosts.flatMap((v) => [...v.queues.values()].filter((q) => !q.exclusive).map((q) => withVhost(v.name, {
    name: q.name, durable: q.durable, auto_delete: q.autoDelete, arguments: tableJson(q.options.arguments),
  })));
  const exchanges = vhosts.flatMap((v) => [...v.exchanges.values()].filter((x) => !x.isDefault && !x.name.startsWith('amq.')).map((x) => withVhost(v.name, {
    name: x.name, type: x.type, durable: x.durable, auto_delete: x.autoDelete, internal: x.internal, arguments: tableJson(x.options.arguments),
  })));
  const bindings = vhosts.flatMap((v) => [...v.exchanges.values()].filter((x) => !x.isDefault).flatMap((x) => [...x.routing.bindings()].map((b) => withVhost(v.name, {
    source: x.name, destination: b.destination.name, destination_type: isExchange(b.destination) ? 'exchange' : 'queue',
    routing_key: b.routingKey, arguments: tableJson(b.args),
  }))));
  // parameters and policies keep their vhost key even in a vhost's own export, as RabbitMQ's
  const limits = vhosts.flatMap((v) => {
    const l = src.access.vhost(v.name)?.limits ?? {};
    return Object.keys(l).length === 0 ? [] : [{ value: { ...l }, vhost: v.name, component: 'vhost-limits', name: 'limits' }];
  });
  // operator policies are runtime parameters in RabbitMQ's exports; user policies have their own list
  const operatorPolicies = vhosts.flatMap((v) => v.policies.list('operator').map((p) => ({
    value: { pattern: p.pattern, definition: p.definition, priority: p.priority, 'apply-to': p.applyTo }, vhost: v.name, component: 'operator_policy', name: p.name,
  })));
  const policies = vhosts.flatMap((v) => v.policies.list('policy').map(policyJson));
  const topology = { parameters: [...limits, ...operatorPolicies], policies, queues, exchanges, bindings };
  if (onlyVhost !== undefined) return { rabbit_version: RABBITMQ_COMPATIBLE_VERSION, ...topology };
  const access = src.access;
  return {
    rabbit_version: RABBITMQ_COMPATIBLE_VERSION,
    rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
    product_name: 'Warren',
    product_version: src.version,
    users: [...access.allUsers()].map((u) => ({
      name: u.name, password_hash: u.passwordHash, hashing_algorithm: u.hashingAlgorithm, tags: [...u.tags], limits: { ...u.limits },
    })),
    vhosts: [...access.allVhosts()].map((v) => ({
      name: v.name, description: v.description, tags: [...v.tags], metadata: { description: v.description, tags: [...v.tags] },
    })),
    permissions: [...access.allPermissions()].map((p) => ({
      user: p.user, vhost: p.vhost, configure: p.permissions.configure.source, write: p.permissions.write.source, read: p.permissions.read.source,
    })),
    topic_permissions: [...access.allTopicPermissions()].map((t) => ({
      user: t.user, vhost: t.vhost, exchange: t.permission.exchange, write: t.permission.write, read: t.permission.read,
    })),
    global_parameters: [],
    ...topology,
  };
}
