/** Reading RabbitMQ definitions files: every shape 3.x writes, and errors that name the entry. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonTable } from '../../src/definitions/json-table.js';
import { parseDefinitions } from '../../src/definitions/definitions-file.js';

const FIXTURE = new URL('../../conformance/fixtures/rabbitmq-3.10-definitions.json', import.meta.url).pathname;
const parse = (o: unknown) => parseDefinitions(JSON.stringify(o), 'defs.json');

describe('parseDefinitions', () => {
  it('reads a RabbitMQ 3.10 export unchanged', () => {
    const d = parseDefinitions(readFileSync(FIXTURE, 'utf8'), FIXTURE);
    expect(d.users.map((u) => u.name).sort()).toEqual(['fx-admin', 'fx-consumer', 'fx-producer', 'guest']);
    expect(d.users.find((u) => u.name === 'fx-consumer')).toMatchObject({ tags: ['monitoring'], hashingAlgorithm: 'rabbit_password_hashing_sha256' });
    expect(d.vhosts.find((v) => v.name === 'fixture-orders')).toMatchObject({ description: 'Orders team', tags: ['prod', 'orders'] });
    expect(d.vhostLimits.get('fixture-orders')).toEqual({ 'max-queues': 50 });
    expect(d.topicPermissions).toEqual([{ user: 'fx-producer', vhost: 'fixture-orders', exchange: 'events', write: '^order\\.', read: '.*' }]);
    expect(d.queues.find((q) => q.name === 'events')).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'quorum' } });
    expect(d.bindings.find((b) => b.destinationType === 'exchange')).toMatchObject({ source: 'events', destination: 'orders', routingKey: 'order.new' });
  });

  it('accepts older shapes: comma-separated tags, top-level vhost description, no hashing algorithm (md5 before 3.6)', () => {
    const d = parse({
      rabbit_version: '3.5.7',
      users: [{ name: 'old', password_hash: 'AAAA', tags: 'administrator,management' }],
      vhosts: [{ name: 'v', description: 'old style', tags: 'a' }],
    });
    expect(d.users[0]).toMatchObject({ tags: ['administrator', 'management'], hashingAlgorithm: 'rabbit_password_hashing_md5' });
    expect(d.vhosts[0]).toMatchObject({ description: 'old style', tags: ['a'] });
    expect(parse({ users: [{ name: 'new', password_hash: '' }] }).users[0]).toMatchObject({ hashingAlgorithm: 'rabbit_password_hashing_sha256', passwordHash: '' });
  });

  it('a missing list is empty; unknown top-level keys are ignored; policies and parameters are kept', () => {
    const d = parse({ something_new: 1, policies: [{ name: 'p', vhost: '/', pattern: '.*', definition: {} }] });
    expect(d.users).toEqual([]);
    expect(d.policies).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{', /definitions file defs.json: not JSON/],
    ['not an object', '[]', /expected a JSON object/],
    ['a list that is not a list', '{"queues": {}}', /"queues" must be a list/],
    ['a queue without a name', '{"queues": [{"vhost": "/"}]}', /queues\[0\]: "name" is missing/],
    ['durable not a boolean', '{"queues": [{"name": "q", "vhost": "/", "durable": 3}]}', /queues\[0\] \("q" in vhost "\/"\): "durable" must be a boolean/],
    ['an unknown hashing algorithm', '{"users": [{"name": "u", "password_hash": "", "hashing_algorithm": "rot13"}]}', /users\[0\] \("u"\): unknown hashing_algorithm 'rot13'/],
    ['a bad destination type', '{"bindings": [{"source": "x", "vhost": "/", "destination": "q", "destination_type": "topic"}]}', /bindings\[0\].*"destination_type" must be "queue" or "exchange"/],
    ['a limit that is not a number', '{"users": [{"name": "u", "limits": {"max-channels": "many"}}]}', /"limits.max-channels" must be an integer/],
  ])('refuses %s, naming the entry', (_, text, message) => {
    expect(() => parseDefinitions(text, 'defs.json')).toThrow(message);
  });
});

describe('arguments', () => {
  it('are typed as RabbitMQ converts JSON: long strings, 64-bit longs, doubles, booleans, arrays, tables', () => {
    expect(jsonTable({ s: 'x', i: 5, d: 1.5, b: true, a: [1], t: { k: null } })).toEqual([
      { name: 's', value: { type: 'S', value: Buffer.from('x') } },
      { name: 'i', value: { type: 'l', value: 5n } },
      { name: 'd', value: { type: 'd', value: 1.5 } },
      { name: 'b', value: { type: 't', value: true } },
      { name: 'a', value: { type: 'A', value: [{ type: 'l', value: 1n }] } },
      { name: 't', value: { type: 'F', value: [{ name: 'k', value: { type: 'V', value: null } }] } },
    ]);
  });
});
