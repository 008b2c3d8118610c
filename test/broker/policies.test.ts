/** Policies: RabbitMQ's validation texts, which policy applies, merging with operator policies, and policy against argument per key. */
import { describe, expect, it } from 'vitest';
import { effectiveDefinition, parsePolicy, PolicyError, PolicySet, type Policy } from '../../src/broker/policies.js';
import { queueConfig, withPolicy } from '../../src/broker/queue-arguments.js';
import type { FieldTable } from '../../src/codec/field-table.js';

const refusal = (body: Record<string, unknown>, kind: 'policy' | 'operator' = 'policy') => {
  try {
    parsePolicy(kind, '/', 'p', body);
  } catch (err) {
    if (err instanceof PolicyError) return err.message;
    throw err;
  }
  return null;
};
const policy = (name: string, o: Partial<Policy> & { definition: Policy['definition'] }): Policy => ({
  vhost: '/', name, pattern: '.*', applyTo: 'all', priority: 0, ...o,
});
const args = (o: Record<string, number | string>): FieldTable => Object.entries(o).map(([name, v]) => (typeof v === 'number'
  ? { name, value: { type: 'l' as const, value: BigInt(v) } }
  : { name, value: { type: 'S' as const, value: Buffer.from(v) } }));
const config = (a: FieldTable, type: 'classic' | 'quorum' = 'classic') => queueConfig(
  type === 'quorum' ? [...a, { name: 'x-queue-type', value: { type: 'S', value: Buffer.from('quorum') } }] : a, "queue 'q' in vhost '/'",
  { durable: true, exclusive: false, autoDelete: false, serverNamed: false },
);

describe('parsePolicy', () => {
  it('takes a policy as the API gives it, priority 0 and apply-to all by default', () => {
    expect(parsePolicy('policy', '/', 'p', { pattern: '^q', definition: { 'max-length': 5 } })).toEqual({
      vhost: '/', name: 'p', pattern: '^q', applyTo: 'all', definition: { 'max-length': 5 }, priority: 0,
    });
  });

  it('reads a definition written as [key, value] pairs, as rabbitmqctl export_definitions writes an operator policy\'s', () => {
    expect(parsePolicy('operator', '/', 'cap', { pattern: '.*', definition: [['max-length-bytes', 100000000]] }).definition)
      .toEqual({ 'max-length-bytes': 100000000 });
  });

  it('refuses with RabbitMQ 4\'s texts', () => {
    expect(refusal({ definition: {} })).toBe('[{key_missing,pattern}]');
    expect(refusal({ pattern: 'x' })).toBe('[{key_missing,definition}]');
    expect(refusal({ pattern: 'x', definition: {} })).toBe('Validation failed\n\nno policy provided\n');
    expect(refusal({ pattern: 'x', definition: { 'no-such-key': 1 } }))
      .toBe('Validation failed\n\n[{<<"no-such-key">>,1}] are not recognised policy settings\n');
    expect(refusal({ pattern: 'x', definition: { 'max-length': 'x' } })).toBe('Validation failed\n\n<<"x">> is not a valid maximum length\n');
    expect(refusal({ pattern: 'x', definition: { 'max-length': 2.5 } })).toBe('Validation failed\n\n2.5 is not a valid maximum length\n');
    expect(refusal({ pattern: 'x', definition: { expires: 0 } })).toBe('Validation failed\n\n0 is not a valid queue expiry\n');
    expect(refusal({ pattern: 'x', definition: { 'alternate-exchange': { a: 1 } } }))
      .toBe('Validation failed\n\n#{<<"a">> => 1} is not a valid alternate exchange name\n');
    expect(refusal({ pattern: 'x', definition: { 'max-length': 1 }, priority: '5' }))
      .toBe('Validation failed\n\npriority should be a number, actually was <<"5">>\n');
    expect(refusal({ pattern: 7, definition: { 'max-length': 1 } })).toBe('Validation failed\n\npattern should be a binary but was 7\n');
  });

  it('lists every field\'s problem, sorted, as RabbitMQ joins them', () => {
    expect(refusal({ pattern: 'x', definition: { expires: 0 }, priority: 'a', 'apply-to': 'foo' })).toBe('Validation failed\n\n'
      + '0 is not a valid queue expiry\n'
      + "apply-to 'foo' unrecognised; should be one of: 'queues', 'classic_queues',  'quorum_queues', 'streams', 'exchanges', or 'all'\n"
      + 'priority should be a number, actually was <<"a">>\n');
  });

  it('lets an operator policy set only the keys RabbitMQ allows it', () => {
    expect(refusal({ pattern: 'x', definition: { 'max-length': 1, overflow: 'reject-publish' } }, 'operator')).toBeNull();
    expect(refusal({ pattern: 'x', definition: { 'dead-letter-exchange': 'x' } }, 'operator'))
      .toBe('Validation failed\n\n[{<<"dead-letter-exchange">>,<<"x">>}] are not recognised policy settings\n');
  });

  it('accepts RabbitMQ 3.x mirroring keys that 3.x exports carry', () => {
    expect(refusal({ pattern: 'x', definition: { 'ha-mode': 'all', 'ha-sync-mode': 'automatic' } })).toBeNull();
    expect(refusal({ pattern: 'x', definition: { 'ha-mode': 'bogus' } })).toBe('Validation failed\n\n<<"bogus">> is not a valid ha-mode value\n');
  });
});

describe('PolicySet', () => {
  it('applies the matching policy with the highest priority, by apply-to and queue type', () => {
    const set = new PolicySet();
    set.set('policy', policy('low', { pattern: '^orders', definition: { 'max-length': 1 } }));
    set.set('policy', policy('high', { pattern: '^orders\\.', priority: 5, definition: { 'max-length': 2 } }));
    set.set('policy', policy('exchanges', { pattern: '.*', priority: 9, applyTo: 'exchanges', definition: { 'alternate-exchange': 'ae' } }));
    set.set('policy', policy('quorum', { pattern: '.*', priority: 8, applyTo: 'quorum_queues', definition: { 'delivery-limit': 3 } }));
    expect(set.match('policy', { kind: 'queue', name: 'orders.eu', queueType: 'classic' })?.name).toBe('high');
    expect(set.match('policy', { kind: 'queue', name: 'ordersX', queueType: 'classic' })?.name).toBe('low');
    expect(set.match('policy', { kind: 'queue', name: 'orders.eu', queueType: 'quorum' })?.name).toBe('quorum');
    expect(set.match('policy', { kind: 'exchange', name: 'orders.eu' })?.name).toBe('exchanges');
    expect(set.match('policy', { kind: 'queue', name: 'other', queueType: 'classic' })).toBeNull();
    expect(set.match('operator', { kind: 'queue', name: 'orders.eu', queueType: 'classic' })).toBeNull();
    expect(set.list('policy').map((p) => p.name)).toEqual(['exchanges', 'quorum', 'high', 'low']);
    expect(set.clear('policy', 'high')).toBe(true);
    expect(set.clear('policy', 'high')).toBe(false);
  });
});

describe('effectiveDefinition', () => {
  it('merges policy and operator policy key by key: the lower limit, the operator\'s overflow, a negative delivery limit as unlimited', () => {
    const user = policy('p', { definition: { 'max-length': 6, 'dead-letter-exchange': 'dlx', overflow: 'drop-head', 'delivery-limit': -1 } });
    const op = policy('op', { definition: { 'max-length': 10000, 'message-ttl': 500, overflow: 'reject-publish', 'delivery-limit': 5 } });
    expect(effectiveDefinition(user, op)).toEqual({
      'dead-letter-exchange': 'dlx', 'delivery-limit': 5, 'max-length': 6, 'message-ttl': 500, overflow: 'reject-publish',
    });
    expect(effectiveDefinition(null, op)).toEqual(op.definition);
    expect(effectiveDefinition(null, null)).toEqual({});
  });
});

describe('withPolicy', () => {
  it('classic queue: the lower of argument and policy for limits and TTLs; the argument for dead-lettering and overflow', () => {
    const a = args({ 'x-max-length': 1000, 'x-dead-letter-exchange': 'from-arg', 'x-overflow': 'drop-head', 'x-message-ttl': 100 });
    const c = withPolicy(config(a), a, {
      'max-length': 500, 'dead-letter-exchange': 'from-policy', 'dead-letter-routing-key': 'rk', overflow: 'reject-publish', 'message-ttl': 5000, expires: 60000,
    });
    expect(c).toMatchObject({
      maxLength: 500, deadLetterExchange: 'from-arg', deadLetterRoutingKey: 'rk', overflow: 'drop-head', messageTtl: 100, expires: 60000,
    });
    expect(withPolicy(config([]), [], { overflow: 'reject-publish' }).overflow).toBe('reject-publish');
  });

  it('quorum queue: the policy\'s overflow; the delivery limit the lower, the higher when one is negative, 20 when neither says', () => {
    const a = args({ 'x-overflow': 'drop-head', 'x-delivery-limit': 10 });
    expect(withPolicy(config(a, 'quorum'), a, { overflow: 'reject-publish', 'delivery-limit': 3 })).toMatchObject({ overflow: 'reject-publish', deliveryLimit: 3 });
    expect(withPolicy(config(a, 'quorum'), a, { 'delivery-limit': -1 }).deliveryLimit).toBe(10);
    expect(withPolicy(config([], 'quorum'), [], { 'max-length': 1 }).deliveryLimit).toBe(20);
    expect(withPolicy(config([], 'quorum'), [], { 'delivery-limit': -1 }).deliveryLimit).toBeUndefined();
  });
});
