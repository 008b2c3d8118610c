/**
 * Reading RabbitMQ definitions files: every shape RabbitMQ 3.x writes, RabbitMQ's import rules
 * (what it refuses is refused, naming the entry; what it skips is skipped with a warning), and
 * writing them back in 3.10's shape.
 *
 * The fixtures are real: made on RabbitMQ 3.10.8 with a few objects of each kind (users with
 * sha256 and md5 hashes, a password-less user, user and vhost limits, permissions, topic
 * permissions, a policy, an operator policy, a global parameter, classic, quorum and stream
 * queues, direct, topic, fanout, headers (internal) and x-consistent-hash exchanges, queue,
 * exchange-to-exchange and headers bindings), then exported three ways — `rabbitmqctl
 * export_definitions -`, `GET /api/definitions` and `GET /api/definitions/defsfx-shop` — and
 * kept as written but for other users' objects on that shared broker. Every rule below was
 * checked with `rabbitmqctl import_definitions` on RabbitMQ 3.10.8.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../src/access/password-hash.js';
import { jsonTable } from '../../src/definitions/json-table.js';
import { DefinitionsError, parseDefinitions, serializeDefinitions, type Definitions } from '../../src/definitions/definitions-file.js';

const fixture = (name: string) => {
  const file = new URL(`./fixtures/${name}`, import.meta.url).pathname;
  return { file, text: readFileSync(file, 'utf8') };
};
const CTL = fixture('rabbitmq-3.10-export_definitions.json');
const API = fixture('rabbitmq-3.10-api-definitions.json');
const API_VHOST = fixture('rabbitmq-3.10-api-definitions-vhost.json');
const CONFORMANCE = { file: 'conformance fixture', text: readFileSync(new URL('../../conformance/fixtures/rabbitmq-3.10-definitions.json', import.meta.url), 'utf8') };

const parse = (o: unknown) => parseDefinitions(JSON.stringify(o), '/x/defs.json');
const SHOP = 'defsfx-shop';

describe('a RabbitMQ 3.10.8 export', () => {
  it.each([['rabbitmqctl export_definitions', CTL], ['GET /api/definitions', API]])('from %s is read unchanged', (_, f) => {
    const d = parseDefinitions(f.text, f.file);
    expect(d.rabbitVersion).toBe('3.10.8');
    expect(d.rabbitmqVersion).toBe('3.10.8');
    expect(d.warnings).toEqual([]);

    expect(d.users.map((u) => u.name).sort()).toEqual(['defsfx-admin', 'defsfx-app', 'defsfx-cert', 'defsfx-old', 'guest']);
    const user = (name: string) => d.users.find((u) => u.name === name)!;
    expect(user('defsfx-admin').tags).toEqual(['administrator', 'management']);
    expect(user('defsfx-app')).toMatchObject({ tags: [], limits: { 'max-connections': 10, 'max-channels': 20 } });
    expect(user('defsfx-cert')).toMatchObject({ passwordHash: '', tags: ['monitoring'] });
    expect(user('defsfx-old').hashingAlgorithm).toBe('rabbit_password_hashing_md5');
    // the passwords they were made with
    for (const [name, password] of [['guest', 'guest'], ['defsfx-admin', 'admin-pw'], ['defsfx-app', 'app-pw'], ['defsfx-old', 'w4rren-é✓']]) {
      expect(checkPassword(user(name).passwordHash, user(name).hashingAlgorithm, password), name).toBe(true);
    }

    expect(d.vhosts.map((v) => v.name).sort()).toEqual(['/', 'defsfx-dev', SHOP]);
    expect(d.vhostLimits).toEqual(new Map([[SHOP, { 'max-connections': -1, 'max-queues': 100 }]]));
    expect(d.permissions).toContainEqual({ user: 'defsfx-app', vhost: SHOP, configure: '^app-', write: '^(orders|app-.*)$', read: '^orders\\.' });
    expect(d.topicPermissions).toEqual([{ user: 'defsfx-app', vhost: SHOP, exchange: 'events', write: '^order\\.', read: '.*' }]);

    expect(d.queues.map((q) => q.name).sort()).toEqual(['app-scratch', 'audit', 'orders.dead', 'orders.new']);
    expect(d.queues.find((q) => q.name === 'app-scratch')).toEqual({
      name: 'app-scratch', vhost: SHOP, durable: false, autoDelete: true,
      arguments: { 'x-dead-letter-exchange': 'unrouted', 'x-expires': 600000, 'x-flag': true, 'x-queue-type': 'classic', 'x-ratio': 0.5 },
    });
    expect(d.queues.find((q) => q.name === 'audit')?.arguments).toEqual({ 'x-max-age': '7D', 'x-queue-type': 'stream' });
    expect(d.exchanges.find((x) => x.name === 'events')).toEqual({
      name: 'events', vhost: SHOP, type: 'topic', durable: true, autoDelete: false, internal: false, arguments: { 'alternate-exchange': 'unrouted' },
    });
    expect(d.exchanges.find((x) => x.name === 'spread')).toMatchObject({ type: 'x-consistent-hash', autoDelete: true });
    expect(d.bindings).toHaveLength(5);
    expect(d.bindings).toContainEqual({
      source: 'events', vhost: SHOP, destination: 'orders', destinationType: 'exchange', routingKey: 'order.new', arguments: {},
    });
    expect(d.bindings.find((b) => b.source === 'by-header')?.arguments).toEqual({ kind: 'audit', level: 3, 'x-match': 'any' });

    // kept for the policy engine as written; operator policies are parameters in RabbitMQ's files
    expect(d.policies).toEqual([expect.objectContaining({ name: 'defsfx-ttl', vhost: SHOP, pattern: '^orders\\.', priority: 1 })]);
    expect(d.parameters).toEqual([expect.objectContaining({ component: 'operator_policy', name: 'defsfx-cap', vhost: SHOP })]);
    expect(d.globalParameters).toContainEqual(expect.objectContaining({ name: 'defsfx-note' }));
  });

  it('rabbitmqctl writes what the management API does not: vhost metadata and limits lists, queue types, proplists; no internal exchanges', () => {
    const ctl = parseDefinitions(CTL.text, CTL.file);
    const api = parseDefinitions(API.text, API.file);
    // 3.10's management API exports a vhost's name only
    expect(ctl.vhosts.find((v) => v.name === SHOP)).toEqual({ name: SHOP, description: 'Shop team', tags: ['prod', 'shop'] });
    expect(api.vhosts.find((v) => v.name === SHOP)).toEqual({ name: SHOP, description: '', tags: [] });
    expect(ctl.exchanges.find((x) => x.name === 'by-header')).toBeUndefined();
    expect(api.exchanges.find((x) => x.name === 'by-header')).toMatchObject({ type: 'headers', internal: true });
    expect(ctl.globalParameters).toEqual([{ name: 'defsfx-note', value: [['n', 1], ['owner', 'defs fixture']] }]);
    expect(api.productName).toBe('RabbitMQ');
    expect(ctl.productName).toBeUndefined();
    // the same topology otherwise
    const topology = (d: Definitions) => ({ q: d.queues, b: d.bindings, p: d.permissions, u: d.users.map((u) => u.name) });
    const sorted = <T>(l: T[]) => [...l].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(topology(ctl).q)).toEqual(sorted(topology(api).q));
    expect(sorted(topology(ctl).b)).toEqual(sorted(topology(api).b));
    expect(sorted(topology(ctl).p)).toEqual(sorted(topology(api).p));
  });

  it("a vhost's own export (GET /api/definitions/<vhost>) is read for the vhost it is imported into", () => {
    const d = parseDefinitions(API_VHOST.text, API_VHOST.file, { vhost: 'defsfx-dev' });
    expect(d.queues.map((q) => q.vhost)).toEqual(['defsfx-dev', 'defsfx-dev', 'defsfx-dev', 'defsfx-dev']);
    expect(d.exchanges.map((x) => x.vhost)).toEqual(Array(5).fill('defsfx-dev'));
    expect(d.bindings).toHaveLength(5);
    expect(d.vhostLimits).toEqual(new Map([['defsfx-dev', { 'max-connections': -1, 'max-queues': 100 }]]));
    expect(d.policies[0]).toMatchObject({ name: 'defsfx-ttl', vhost: 'defsfx-dev' });
    // without a vhost, its queues name none
    expect(() => parseDefinitions(API_VHOST.text, API_VHOST.file)).toThrow(/queues\[0\] \("audit"\): "vhost" is missing/);
  });

  it('the conformance fixture reads too', () => {
    const d = parseDefinitions(CONFORMANCE.text, CONFORMANCE.file);
    expect(d.users.map((u) => u.name).sort()).toEqual(['fx-admin', 'fx-consumer', 'fx-producer', 'guest']);
    expect(d.vhostLimits.get('fixture-orders')).toEqual({ 'max-queues': 50 });
    expect(d.warnings).toEqual([]);
  });
});

describe('older and hand-written shapes RabbitMQ accepts', () => {
  it('user tags as "a, b"; `administrator` instead of tags (2.x); hashes without an algorithm: md5 from 3.0 to 3.5, else sha256', () => {
    const users = [
      { name: 'a', password_hash: 'ZMcxKiHK5XjKazgfChWjnPfmHlY=', tags: 'administrator, management' },
      { name: 'b', password_hash: '', administrator: 'true' },
      { name: 'c', password_hash: '', administrator: false },
    ];
    const old = parse({ rabbit_version: '3.5.7', users });
    expect(old.users.map((u) => [u.name, u.tags, u.hashingAlgorithm])).toEqual([
      ['a', ['administrator', 'management'], 'rabbit_password_hashing_md5'],
      ['b', ['administrator'], 'rabbit_password_hashing_md5'],
      ['c', [], 'rabbit_password_hashing_md5'],
    ]);
    expect(checkPassword(old.users[0].passwordHash, old.users[0].hashingAlgorithm, 's3cret')).toBe(true);
    // rabbitmq_version is read first; 3.6.0 and anything not 3.0-3.5 get sha256 (even 2.x, as RabbitMQ)
    for (const v of [{ rabbit_version: '3.6.0' }, { rabbit_version: '2.8.7' }, { rabbit_version: '3.5.7', rabbitmq_version: '3.6.0' }, {}]) {
      expect(parse({ ...v, users }).users[0].hashingAlgorithm, JSON.stringify(v)).toBe('rabbit_password_hashing_sha256');
    }
  });

  it('a clear-text password is hashed with the default algorithm, whatever the entry names; no password at all is a password-less user', () => {
    const d = parse({ users: [
      { name: 'p', password: 's3cret', hashing_algorithm: 'rabbit_password_hashing_md5', tags: [] },
      { name: 'n', tags: ['management'] },
    ] });
    expect(d.users[0]).toEqual({ name: 'p', passwordHash: '', hashingAlgorithm: 'rabbit_password_hashing_sha256', password: 's3cret', tags: [], limits: {} });
    expect(d.users[1]).toEqual({ name: 'n', passwordHash: '', hashingAlgorithm: 'rabbit_password_hashing_sha256', tags: ['management'], limits: {} });
  });

  it('a hash is base64 as Erlang reads it: whitespace ignored', () => {
    const d = parse({ users: [{ name: 'u', password_hash: 'ZMcxKiHK5Xj\nKazgfChWjnP fmHlY=', hashing_algorithm: 'rabbit_password_hashing_md5', tags: '' }] });
    expect(d.users[0].passwordHash).toBe('ZMcxKiHK5XjKazgfChWjnPfmHlY=');
  });

  it('vhost description and tags at the top win over metadata; default_queue_type is read from metadata only', () => {
    const d = parse({ vhosts: [
      { name: 'a', description: 'top', tags: 'x, y', metadata: { description: 'meta', tags: ['m'], default_queue_type: 'quorum' } },
      { name: 'b', metadata: { description: 'meta', tags: ['m'] } },
      { name: 'c', tags: 'undefined', default_queue_type: 'quorum' },
      { name: 'd', limits: [['max-queues', 5]], tracing: false },
    ] });
    expect(d.vhosts).toEqual([
      { name: 'a', description: 'top', tags: ['x', 'y'], defaultQueueType: 'quorum' },
      { name: 'b', description: 'meta', tags: ['m'] },
      { name: 'c', description: '', tags: [] },
      { name: 'd', description: '', tags: [] },
    ]);
    // rabbitmqctl's vhost `limits` lists are not read back by RabbitMQ's import: the parameters are
    expect(d.vhostLimits.size).toBe(0);
  });

  it('an empty body is no definitions; missing lists are empty; unknown top-level keys are ignored', () => {
    expect(parseDefinitions('', 'empty').users).toEqual([]);
    const d = parse({
      explicit_permissions: [{ user: 'nobody', vhost: 'nowhere' }],
      operator_policies: [{ name: 'op' }],
      something_new: 1,
    });
    expect(d).toMatchObject({ users: [], vhosts: [], permissions: [], queues: [], policies: [], parameters: [], warnings: [] });
  });

  it('arguments may be missing, or an empty list as older exports write them', () => {
    const d = parse({ queues: [
      { name: 'a', vhost: '/', durable: true, auto_delete: false },
      { name: 'b', vhost: '/', durable: true, auto_delete: false, arguments: [] },
    ] });
    expect(d.queues.map((q) => q.arguments)).toEqual([{}, {}]);
  });
});

describe('entries RabbitMQ passes over: skipped with a warning that names them', () => {
  it.each<[string, unknown, number, RegExp]>([
    ['an entry that is not an object', { users: ['x'] }, 0, /users\[0\]: not an object; skipped/],
    ['a queue named amq.*', { queues: [{ name: 'amq.q', vhost: '/', durable: true, auto_delete: false }] }, 0, /queues\[0\] \("amq.q" in vhost "\/"\): skipped/],
    ['the default exchange', { exchanges: [{ name: '', vhost: '/', type: 'direct', durable: true }] }, 0, /exchanges\[0\] \("" in vhost "\/"\): skipped: RabbitMQ does not import the default exchange/],
    ['an exchange named amq.*', { exchanges: [{ name: 'amq.direct', vhost: '/', type: 'direct', durable: true }] }, 0, /skipped/],
    ['a binding from the default exchange', { bindings: [{ source: '', vhost: '/', destination: 'q', destination_type: 'queue', routing_key: 'q' }] }, 0, /bindings\[0\] \("" → "q" in vhost "\/"\): skipped/],
    ['a binding without a source', { bindings: [{ vhost: '/', destination: 'q', destination_type: 'queue', routing_key: 'q' }] }, 0, /bindings\[0\]: skipped: no "source"/],
    ['a topic permission without an exchange', { topic_permissions: [{ user: 'u', vhost: '/', write: '.*', read: '.*' }] }, 0, /topic_permissions\[0\] \(user "u" in vhost "\/"\): skipped/],
  ])('%s', (_, defs, kept, warning) => {
    const d = parse(defs);
    expect([...d.users, ...d.queues, ...d.exchanges, ...d.bindings, ...d.topicPermissions]).toHaveLength(kept);
    expect(d.warnings).toEqual([expect.stringMatching(warning)]);
    expect(d.warnings[0]).toMatch(/^definitions file \/x\/defs.json: /);
  });

  it('values RabbitMQ stores as they are are read as they behave, with a warning', () => {
    const d = parse({
      users: [{ name: 'u', password_hash: '', hashing_algorithm: 'rot13', tags: '' }],
      exchanges: [{ name: 'x', vhost: '/', type: 'direct', durable: true, internal: 'yes' }],
      bindings: [
        { source: 'x', vhost: '/', destination: 'q', destination_type: 'queue' },
        { source: 'x', vhost: '/', destination: 'q', destination_type: 'queue', routing_key: 5 },
      ],
    });
    expect(d.users[0].hashingAlgorithm).toBe('rot13');
    // auto_delete missing: false; internal "yes": RabbitMQ compares it with true
    expect(d.exchanges[0]).toMatchObject({ autoDelete: false, internal: false });
    expect(d.bindings.map((b) => b.routingKey)).toEqual(['', '5']);
    expect(d.warnings).toEqual([
      expect.stringMatching(/users\[0\] \("u"\): unknown hashing_algorithm "rot13"/),
      expect.stringMatching(/exchanges\[0\] \("x" in vhost "\/"\): "internal" is "yes", not a boolean/),
      expect.stringMatching(/bindings\[0\] \("x" → "q" in vhost "\/"\): no "routing_key"/),
      expect.stringMatching(/bindings\[1\].*the number 5/),
    ]);
  });
});

describe('files RabbitMQ refuses are refused, naming the file and the entry', () => {
  const Q = { name: 'orders', vhost: 'shop', durable: true, auto_delete: false };
  const X = { name: 'x', vhost: 'shop', type: 'direct', durable: true };
  const U = { name: 'u', password_hash: '', tags: '' };
  const B = { source: 'x', vhost: 'shop', destination: 'q', destination_type: 'queue', routing_key: '' };
  const P = { user: 'u', vhost: 'shop', configure: '.*', write: '.*', read: '.*' };
  const LIMITS = (value: unknown, name = 'limits') => ({ parameters: [{ vhost: 'shop', component: 'vhost-limits', name, value }] });

  it('with the message the brief asks for', () => {
    const queues = [Q, Q, Q, { ...Q, durable: 'yes' }];
    expect(() => parse({ queues })).toThrow(new DefinitionsError(
      'definitions file /x/defs.json: queues[3] ("orders" in vhost "shop"): "durable" must be a boolean'));
  });

  it.each<[string, string | object, RegExp]>([
    ['not JSON', '{', /^definitions file \/x\/defs.json: not JSON/],
    ['not an object', '[]', /: expected a JSON object$/],
    ['a list that is not a list', { queues: {} }, /: "queues" must be a list$/],
    ['a list that is null', { users: null }, /: "users" must be a list$/],
    ['a queue entry that is not an object (RabbitMQ counts queues first)', { queues: [1] }, /queues\[0\]: expected an object$/],
    ['a queue without a name', { queues: [{ ...Q, name: undefined }] }, /queues\[0\]: "name" is missing$/],
    ['a queue without durable', { queues: [{ ...Q, durable: undefined }] }, /queues\[0\] \("orders" in vhost "shop"\): "durable" is missing$/],
    ['a queue with durable "true"', { queues: [{ ...Q, durable: 'true' }] }, /"durable" must be a boolean$/],
    ['a queue without auto_delete', { queues: [{ ...Q, auto_delete: undefined }] }, /"auto_delete" is missing$/],
    ['a queue without a vhost', { queues: [{ ...Q, vhost: undefined }] }, /queues\[0\] \("orders"\): "vhost" is missing$/],
    ['arguments that are not an object', { queues: [{ ...Q, arguments: 'x' }] }, /"arguments" must be an object$/],
    ['an exchange without durable', { exchanges: [{ ...X, durable: undefined }] }, /exchanges\[0\] \("x" in vhost "shop"\): "durable" is missing$/],
    ['an exchange without a type', { exchanges: [{ ...X, type: undefined }] }, /"type" is missing$/],
    ['an exchange without a name', { exchanges: [{ ...X, name: undefined }] }, /exchanges\[0\]: "name" is missing$/],
    ['a vhost without a name', { vhosts: [{ description: 'x' }] }, /vhosts\[0\]: "name" is missing$/],
    ['a vhost with an unknown default queue type', { vhosts: [{ name: 'v', metadata: { default_queue_type: 'lazy' } }] }, /vhosts\[0\] \("v"\).metadata: lazy is not a valid queue type$/],
    ['a user without a name', { users: [{ ...U, name: undefined }] }, /users\[0\]: "name" is missing$/],
    ['a user without tags', { users: [{ ...U, tags: undefined }] }, /users\[0\] \("u"\): "tags" is missing$/],
    ['administrator that is not a boolean', { users: [{ ...U, tags: undefined, administrator: 'yes' }] }, /"administrator" must be true or false$/],
    ['both password and password_hash', { users: [{ ...U, password: 'x' }] }, /users\[0\] \("u"\): both "password" and "password_hash" are given$/],
    ['a hash that is not base64', { users: [{ ...U, password_hash: '!!!' }] }, /"password_hash" is not base64$/],
    ['a hash without its padding', { users: [{ ...U, password_hash: 'YWJ' }] }, /"password_hash" is not base64$/],
    ['an unknown user limit', { users: [{ ...U, limits: { 'max-queues': 1 } }] }, /"limits": unknown limit "max-queues"/],
    ['a user limit that is a string', { users: [{ ...U, limits: { 'max-channels': '10' } }] }, /"limits.max-channels" must be an integer, not "10"$/],
    ['a user limit that is a fraction', { users: [{ ...U, limits: { 'max-channels': 1.5 } }] }, /must be an integer, not 1.5$/],
    ['an unknown vhost limit', LIMITS({ 'max-foo': 1 }), /parameters\[0\] \(vhost-limits "limits" in vhost "shop"\): "value": unknown limit "max-foo"/],
    ['a vhost limit that is a string', LIMITS({ 'max-queues': '5' }), /"value.max-queues" must be an integer, not "5"$/],
    ['vhost limits under another name', LIMITS({ 'max-queues': 5 }, 'other'), /a vhost-limits parameter must be named "limits"$/],
    ['a binding to a destination of another kind', { bindings: [{ ...B, destination_type: 'topic' }] }, /bindings\[0\] \("x" → "q" in vhost "shop"\): "destination_type" must be "queue" or "exchange", not "topic"$/],
    ['a binding without a destination type', { bindings: [{ ...B, destination_type: undefined }] }, /"destination_type" is missing$/],
    ['a permission without configure', { permissions: [{ ...P, configure: undefined }] }, /permissions\[0\] \(user "u" in vhost "shop"\): "configure" is missing$/],
    ['a topic permission without write', { topic_permissions: [{ user: 'u', vhost: 'shop', exchange: 'x', read: '.*' }] }, /topic_permissions\[0\].*"write" is missing$/],
    ['a policy without a name', { policies: [{ vhost: 'shop', pattern: '.*', definition: {} }] }, /policies\[0\]: "name" is missing$/],
  ])('%s', (_, defs, message) => {
    const text = typeof defs === 'string' ? defs : JSON.stringify(defs);
    expect(() => parseDefinitions(text, '/x/defs.json')).toThrow(DefinitionsError);
    expect(() => parseDefinitions(text, '/x/defs.json')).toThrow(message);
  });
});

describe('serializeDefinitions', () => {
  const withoutWarnings = ({ warnings: _, ...d }: Definitions) => d;

  it.each([['rabbitmqctl', CTL], ['API', API], ['conformance', CONFORMANCE]])('round-trips the %s export', (_, f) => {
    const d = parseDefinitions(f.text, f.file);
    const text = serializeDefinitions(d);
    const again = parseDefinitions(text, 'serialized');
    expect(withoutWarnings(again)).toEqual(withoutWarnings(d));
    expect(serializeDefinitions(again)).toBe(text);
  });

  it("writes GET /api/definitions' shape: RabbitMQ 3.10's own export again, key for key, but for vhosts, which keep their settings", () => {
    const original = JSON.parse(API.text) as Record<string, unknown>;
    const written = JSON.parse(serializeDefinitions(parseDefinitions(API.text, API.file))) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(Object.keys(original));
    for (const key of Object.keys(original)) {
      if (key === 'vhosts') continue;
      // the same entries; parameters put vhost limits first
      const sorted = (v: unknown) => (Array.isArray(v) ? v.map((e) => JSON.stringify(e, Object.keys(e as object).sort())).sort() : v);
      expect(sorted(written[key]), key).toEqual(sorted(original[key]));
    }
    for (const key of ['users', 'queues', 'exchanges', 'bindings', 'permissions']) {
      expect(Object.keys((written[key] as object[])[0]), key).toEqual(Object.keys((original[key] as object[])[0]));
    }
    const shop = parse({ vhosts: [{ name: 'v', description: 'd', tags: ['t'], metadata: { default_queue_type: 'quorum' } }] });
    expect(JSON.parse(serializeDefinitions(shop)).vhosts).toEqual([
      { name: 'v', description: 'd', tags: ['t'], metadata: { description: 'd', tags: ['t'], default_queue_type: 'quorum' } },
    ]);
  });

  it('a user given with a clear-text password keeps it, without a hash', () => {
    const d = parse({ users: [{ name: 'p', password: 's3cret', tags: 'management' }] });
    expect(JSON.parse(serializeDefinitions(d)).users).toEqual([{ name: 'p', password: 's3cret', tags: ['management'], limits: {} }]);
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
