/**
 * RabbitMQ's way of naming things in reply texts ("queue 'q' in vhost '/'") and of making
 * server-generated names (amq.gen-…, amq.ctag-…): "amq.gen-" followed by 16 random bytes in
 * URL-safe base64 without padding, 22 characters.
 */
import { randomBytes } from 'node:crypto';

export type ResourceKind = 'queue' | 'exchange';

/** rabbit_misc:rs/1: `queue 'q' in vhost '/'`. */
export function rs(kind: ResourceKind, name: string, vhost: string): string {
  return `${kind} '${name}' in vhost '${vhost}'`;
}

export function generatedName(prefix: 'amq.gen' | 'amq.ctag'): string {
  return `${prefix}-${randomBytes(16).toString('base64url')}`;
}

/** RabbitMQ removes CR and LF from names it declares or deletes (strip_cr_lf). */
export function stripCrLf(name: string): string {
  return name.includes('\r') || name.includes('\n') ? name.replace(/[\r\n]/g, '') : name;
}
