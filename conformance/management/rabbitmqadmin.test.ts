/**
 * rabbitmqadmin (Debian's rabbitmq-server package installs it as /usr/bin/rabbitmqadmin) against
 * the target's management API: it declares, lists, publishes, gets, purges, deletes, exports
 * and imports, printing the same columns from RabbitMQ 3.10 and from Warren.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { target, unique, type Target } from '../support/target.js';

let t: Target;
let dir: string;

beforeAll(async () => {
  t = await target();
  dir = mkdtempSync(path.join(tmpdir(), 'rabbitmqadmin-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs rabbitmqadmin (asynchronously: an in-process broker must keep serving). */
function admin(...args: string[]): Promise<string> {
  const u = new URL(t.managementUrl);
  const amqp = new URL(t.url);
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/rabbitmqadmin', ['-H', u.hostname, '-P', u.port, '-u', decodeURIComponent(amqp.username), '-p', decodeURIComponent(amqp.password), ...args],
      { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** The rows of a table rabbitmqadmin printed (-f tsv: a header line, then tab-separated rows). */
const rows = (out: string) => out.trim().split('\n').map((l) => l.split('\t'));

describe('rabbitmqadmin', () => {
  it('declares, lists, publishes, gets, purges and deletes', async () => {
    const x = unique('ra-x');
    const q = unique('ra-q');
    expect(await admin('declare', 'exchange', `name=${x}`, 'type=topic')).toBe('exchange declared\n');
    expect(await admin('declare', 'queue', `name=${q}`, 'durable=false', 'arguments={"x-max-length":1000}')).toBe('queue declared\n');
    expect(await admin('declare', 'binding', `source=${x}`, `destination=${q}`, 'routing_key=order.*')).toBe('binding declared\n');
    expect(await admin('publish', `exchange=${x}`, 'routing_key=order.new', 'payload=hello')).toBe('Message published\n');
    expect(await admin('publish', 'exchange=amq.default', `routing_key=${q}`, 'payload=direct')).toBe('Message published\n');
    expect(rows(await admin('-f', 'tsv', 'list', 'exchanges', 'name', 'type'))).toContainEqual([x, 'topic']);
    expect(rows(await admin('-f', 'tsv', 'list', 'bindings', 'source', 'destination', 'routing_key'))).toEqual(expect.arrayContaining([
      ['source', 'destination', 'routing_key'], ['', q, q], [x, q, 'order.*'],
    ]));
    const got = rows(await admin('-f', 'tsv', 'get', `queue=${q}`, 'ackmode=ack_requeue_true', 'count=2'));
    expect(got[0]).toEqual(['routing_key', 'exchange', 'message_count', 'payload', 'payload_bytes', 'payload_encoding', 'properties', 'redelivered']);
    expect(got.slice(1).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['order.new', x, '1', 'hello'], [q, '', '0', 'direct']]);
    expect(await admin('purge', 'queue', `name=${q}`)).toBe('queue purged\n');
    expect(await admin('delete', 'queue', `name=${q}`)).toBe('queue deleted\n');
    expect(await admin('delete', 'exchange', `name=${x}`)).toBe('exchange deleted\n');
    expect(rows(await admin('-f', 'tsv', 'list', 'queues', 'name')).flat()).not.toContain(q);
  });

  it('manages vhosts, users and permissions', async () => {
    const v = unique('ra-vhost');
    const u = unique('ra-user');
    expect(await admin('declare', 'vhost', `name=${v}`)).toBe('vhost declared\n');
    expect(await admin('declare', 'user', `name=${u}`, 'password=pw', 'tags=management')).toBe('user declared\n');
    expect(await admin('declare', 'permission', `vhost=${v}`, `user=${u}`, 'configure=.*', 'write=.*', 'read=.*')).toBe('permission declared\n');
    expect(rows(await admin('-f', 'tsv', 'list', 'users', 'name', 'tags'))).toContainEqual([u, 'management']);
    expect(rows(await admin('-f', 'tsv', 'list', 'permissions', 'vhost', 'user', 'configure'))).toContainEqual([v, u, '.*']);
    expect(rows(await admin('-f', 'tsv', 'list', 'vhosts', 'name')).flat()).toContain(v);
    expect(await admin('delete', 'user', `name=${u}`)).toBe('user deleted\n');
    expect(await admin('delete', 'vhost', `name=${v}`)).toBe('vhost deleted\n');
  });

  it('declares, lists and deletes policies and operator policies', async () => {
    const p = unique('ra-pol');
    try {
      expect(await admin('declare', 'policy', `name=${p}`, `pattern=^${p}`, 'definition={"max-length":5,"message-ttl":60000}', 'priority=2',
        'apply-to=queues')).toBe('policy declared\n');
      expect(await admin('declare', 'operator_policy', `name=${p}-op`, `pattern=^${p}`, 'definition={"max-length":3}', 'apply-to=queues'))
        .toBe('operator_policy declared\n');
      expect(rows(await admin('-f', 'tsv', 'list', 'policies', 'name', 'pattern', 'apply-to', 'priority'))).toContainEqual([p, `^${p}`, 'queues', '2']);
      expect(rows(await admin('-f', 'tsv', 'list', 'operator_policies', 'name', 'pattern'))).toContainEqual([`${p}-op`, `^${p}`]);
      expect(await admin('declare', 'queue', `name=${p}-q`, 'durable=false')).toBe('queue declared\n');
      // RabbitMQ shows the queue's policies once its statistics are refreshed (up to 5 s); its tsv
      // output fails on a queue without a policy (null), so JSON here
      let listed: unknown[] = [];
      const applied = { name: `${p}-q`, policy: p, operator_policy: `${p}-op` };
      for (let i = 0; i < 60 && !listed.some((r) => JSON.stringify(r) === JSON.stringify(applied)); i++) {
        listed = JSON.parse(await admin('-f', 'raw_json', 'list', 'queues', 'name', 'policy', 'operator_policy')) as unknown[];
        if (!listed.some((r) => JSON.stringify(r) === JSON.stringify(applied))) await new Promise((r) => setTimeout(r, 200));
      }
      expect(listed).toContainEqual(applied);
      expect(await admin('delete', 'queue', `name=${p}-q`)).toBe('queue deleted\n');
      expect(await admin('delete', 'operator_policy', `name=${p}-op`)).toBe('operator_policy deleted\n');
      expect(await admin('delete', 'policy', `name=${p}`)).toBe('policy deleted\n');
    } finally {
      // left behind only when an assertion above failed
      await admin('delete', 'queue', `name=${p}-q`).catch(() => undefined);
      await admin('delete', 'operator_policy', `name=${p}-op`).catch(() => undefined);
      await admin('delete', 'policy', `name=${p}`).catch(() => undefined);
    }
    expect(rows(await admin('-f', 'tsv', 'list', 'policies', 'name')).flat()).not.toContain(p);
  });

  it('exports and imports definitions', async () => {
    const q = unique('ra-defs');
    await admin('declare', 'queue', `name=${q}`, 'durable=true');
    const file = path.join(dir, 'defs.json');
    expect(await admin('export', file)).toMatch(/^Exported definitions for /);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported.queues).toContainEqual(expect.objectContaining({ name: q, vhost: '/', durable: true }));
    await admin('delete', 'queue', `name=${q}`);
    expect(await admin('import', file)).toMatch(/^Uploaded definitions from /);
    expect(rows(await admin('-f', 'tsv', 'list', 'queues', 'name')).flat()).toContain(q);
    await admin('delete', 'queue', `name=${q}`);
  });

  it('shows the overview columns scripts read', async () => {
    const r = rows(await admin('-f', 'tsv', 'show', 'overview'));
    expect(r[0]).toEqual(['rabbitmq_version', 'cluster_name', 'queue_totals.messages', 'object_totals.queues']);
    expect(r[1][0]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
