/**
 * One connection's rights: its user in its vhost, asked before every operation on a queue or
 * an exchange (rabbit_channel's check_*_permitted). A refusal is 403 ACCESS_REFUSED with
 * RabbitMQ 4's text, "<permission> access to queue 'q' in vhost 'v' refused for user 'u'"
 * (3.x had no permission word in front; conformance/REFERENCE.md).
 *
 * Permissions are looked up on every check, so a change made while the connection is open
 * applies to its next operation. The one exception is publishing, the hot path: the last
 * exchange found writable is remembered until anything in the access control changes.
 */
import { AmqpError } from '../codec/amqp-error.js';
import { ACCESS_REFUSED } from '../codec/generated/protocol.js';
import { limitOf, type AccessControl, type Permission } from './access-control.js';
import { expandTopicPattern } from './permission-pattern.js';

export type ResourceKind = 'queue' | 'exchange';

export class ResourceAccess {
  private writableExchange: string | null = null;
  private writableGeneration = -1;

  constructor(private readonly control: AccessControl, readonly user: string, readonly vhost: string) {}

  check(kind: ResourceKind, name: string, permission: Permission): void {
    // RabbitMQ checks the default exchange under the name amq.default
    const resource = kind === 'exchange' && name === '' ? 'amq.default' : name;
    const p = this.control.permissionsOf(this.user, this.vhost);
    if (p !== undefined && p[permission].matches(resource)) return;
    throw new AmqpError(ACCESS_REFUSED,
      `${permission} access to ${kind} '${resource}' in vhost '${this.vhost}' refused for user '${this.user}'`);
  }

  /** basic.publish: write on the exchange, remembered while nothing changes. */
  checkPublish(exchange: string): void {
    if (exchange === this.writableExchange && this.writableGeneration === this.control.generation) return;
    this.check('exchange', exchange, 'write');
    this.writableExchange = exchange;
    this.writableGeneration = this.control.generation;
  }

  /**
   * A passive declare: RabbitMQ 4.3 asks for any of read, write or configure (none before
   * 4.2.6), reporting a refusal as configure's, as a regular declare would.
   */
  checkAny(kind: ResourceKind, name: string): void {
    const p = this.control.permissionsOf(this.user, this.vhost);
    if (p !== undefined && (p.read.matches(name) || p.write.matches(name))) return;
    this.check(kind, name, 'configure');
  }

  /** The vhost's max-queues limit in force, or null. */
  queueLimit(): number | null {
    return limitOf(this.control.vhost(this.vhost)?.limits['max-queues']);
  }

  /** True when the user has topic permissions in this vhost (else every topic check passes). */
  get hasTopicPermissions(): boolean {
    return this.control.topicPermissionsOf(this.user, this.vhost) !== undefined;
  }

  /**
   * A routing key (publish: write) or binding key (queue.bind: read) on a topic exchange.
   * Without a topic permission for the exchange, anything goes, as in RabbitMQ.
   */
  checkTopic(exchange: string, routingKey: string, permission: 'write' | 'read'): void {
    const t = this.control.topicPermissionsOf(this.user, this.vhost)?.get(exchange);
    if (t === undefined) return;
    const source = t[permission];
    let allowed = false;
    try {
      allowed = new RegExp(source === '' ? '^$' : expandTopicPattern(source, this.user, this.vhost)).test(routingKey);
    } catch {
      allowed = false; // RabbitMQ denies on a pattern it cannot run
    }
    if (allowed) return;
    throw new AmqpError(ACCESS_REFUSED,
      `${permission} access to topic '${routingKey}' in exchange '${exchange}' in vhost '${this.vhost}' refused for user '${this.user}'`);
  }
}
