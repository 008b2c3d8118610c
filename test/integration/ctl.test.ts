/**
 * `warrenctl` and `warren ctl` against an in-process Warren: the built dist entries spawned for
 * each verb (npm test builds first), their stdout, stderr and exit codes asserted, and every
 * change checked over AMQP or the API. The shapes are rabbitmqctl 3.10.8's, observed on the
 * RabbitMQ of the development machine.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';
import { repoFile } from '../support/repo-root.js';

let broker: TestBroker;
let url: string;
let dir: string;

beforeAll(async () => {
  broker = await startTestBroker({ managementPort: 0, ephemeral: true });
  url = `http://127.0.0.1:${broker.managementPort}`;
  dir = await mkdtemp(path.join(tmpdir(), 'warren-ctl-'));
});
afterAll(async () => {
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Run { code: number | null; out: string; err: string }

/** Runs `warrenctl <args>` (or `warren ctl <args>` with entry 'cli') with WARREN_CTL_URL set. */
function ctl(args: string[], o: { stdin?: string; entry?: 'ctl' | 'cli'; env?: Record<string, string> } = {}): Promise<Run> {
  const script = o.entry === 'cli' ? [repoFile('dist/cli.js'), 'ctl'] : [repoFile('dist/ctl/main.js')];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...script, ...args], {
      env: { ...process.env, WARREN_CTL_URL: url, ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(o.stdin ?? '');
  });
}

async function api(method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url + p, {
    method,
    headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
}

describe('warren ctl', () => {
  it('await_startup returns at once on a running node, silently', async () => {
    expect(await ctl(['await_startup', '-t', '5'])).toEqual({ code: 0, out: '', err: '' });
  });

  it('adds and deletes vhosts and users with rabbitmqctl banners and exit codes', async () => {
    expect(await ctl(['add_vhost', 'ctl_v'])).toEqual({ code: 0, out: 'Adding vhost "ctl_v" ...\n', err: '' });
    expect((await api('GET', '/api/vhosts/ctl_v')).status).toBe(200);
    expect(await ctl(['add_vhost', '-q', 'ctl_v'])).toEqual({ code: 0, out: '', err: '' });

    const added = await ctl(['add_user', 'ctl_u', 'pw1']);
    expect(added.code).toBe(0);
    expect(added.out.split('\n')[0]).toBe('Adding user "ctl_u" ...');
    expect(await ctl(['add_user', 'ctl_u', 'pw1'])).toEqual({ code: 70, out: 'Adding user "ctl_u" ...\n', err: 'Error:\nUser "ctl_u" already exists\n' });
    expect(await ctl(['change_password', 'ctl_u', 'pw2'])).toEqual({ code: 0, out: 'Changing password for user "ctl_u" ...\n', err: '' });
    expect(await ctl(['set_user_tags', 'ctl_u', 'management', 'policymaker'])).toEqual({
      code: 0, out: 'Setting tags for user "ctl_u" to [management, policymaker] ...\n', err: '',
    });
    expect(await ctl(['set_permissions', '-p', 'ctl_v', 'ctl_u', '.*', '.*', '.*'])).toEqual({
      code: 0, out: 'Setting permissions for user "ctl_u" in vhost "ctl_v" ...\n', err: '',
    });
    // the password set by change_password survived set_user_tags: the user logs in with it
    const c = await broker.connect({ user: 'ctl_u', pass: 'pw2', vhost: 'ctl_v' });
    await c.close();
    expect((await api('GET', '/api/users/ctl_u')).json).toMatchObject({ tags: ['management', 'policymaker'] });

    expect(await ctl(['list_permissions', '-p', 'ctl_v'])).toEqual({
      code: 0, out: 'Listing permissions for vhost "ctl_v" ...\nuser\tconfigure\twrite\tread\nguest\t.*\t.*\t.*\nctl_u\t.*\t.*\t.*\n', err: '',
    });
    const users = await ctl(['list_users', '-s']);
    expect(users.out.split('\n').sort()).toEqual(['', 'ctl_u\t[management, policymaker]', 'guest\t[administrator]']);

    expect(await ctl(['change_password', 'ctl_nouser', 'x'])).toEqual({ code: 67, out: 'Changing password for user "ctl_nouser" ...\n', err: 'Error:\nUser "ctl_nouser" does not exist\n' });
    expect((await ctl(['set_permissions', '-p', 'ctl_nov', 'ctl_u', '.*', '.*', '.*'])).code).toBe(69);
    expect((await ctl(['set_permissions', '-p', 'ctl_v', 'ctl_nouser', '.*', '.*', '.*'])).err).toBe('Error:\nUser ctl_nouser does not exist\n');
    expect(await ctl(['list_permissions', '-p', 'ctl_nov'])).toEqual({
      code: 65, out: 'Listing permissions for vhost "ctl_nov" ...\n', err: "Virtual host 'ctl_nov' does not exist\n",
    });

    expect(await ctl(['delete_user', 'ctl_u'])).toEqual({ code: 0, out: 'Deleting user "ctl_u" ...\n', err: '' });
    expect((await ctl(['delete_user', 'ctl_u'])).code).toBe(67);
    expect(await ctl(['delete_vhost', 'ctl_v'])).toEqual({ code: 0, out: 'Deleting vhost "ctl_v" ...\n', err: '' });
    expect(await ctl(['delete_vhost', 'ctl_v'])).toEqual({ code: 65, out: 'Deleting vhost "ctl_v" ...\n', err: "Virtual host 'ctl_v' does not exist\n" });
  });

  it('lists queues, exchanges, bindings, connections and consumers with their columns', async () => {
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('ctl_q', { durable: true, arguments: { 'x-max-length': 5 } });
    await ch.assertExchange('ctl_x', 'topic', { durable: false });
    await ch.bindQueue('ctl_q', 'ctl_x', 'a.#', { 'x-foo': 'bar' });
    ch.sendToQueue('ctl_q', Buffer.from('1'));
    ch.sendToQueue('ctl_q', Buffer.from('2'));
    const cch = await conn.createChannel();
    await cch.prefetch(7);
    await cch.consume('ctl_q', () => undefined, { consumerTag: 'ctl_tag' });
    await ch.checkQueue('ctl_q'); // the publishes are in

    expect(await ctl(['list_queues'])).toEqual({
      code: 0, out: 'Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname\tmessages\nctl_q\t2\n', err: '',
    });
    expect((await ctl(['list_queues', '-q', 'name,messages', 'consumers', 'durable', 'arguments', 'policy'])).out)
      .toBe('name\tmessages\tconsumers\tdurable\targuments\tpolicy\nctl_q\t2\t1\ttrue\t[{"x-max-length",5}]\t\n');
    expect((await ctl(['list_queues', '-s', 'name', 'messages_ready', 'messages_unacknowledged'])).out).toBe('ctl_q\t0\t2\n');
    expect((await ctl(['list_queues', '--no-table-headers', '-t', '10'])).out).toBe('Timeout: 10.0 seconds ...\nListing queues for vhost / ...\nctl_q\t2\n');
    expect((await ctl(['list_queues', '--formatter', 'json', 'name', 'arguments'])).out)
      .toBe('[\n{"name":"ctl_q","arguments":[["x-max-length","long",5]]}\n]\n');
    expect(await ctl(['list_queues', '-p', 'ctl_nov'])).toEqual({ code: 0, out: 'Timeout: 60.0 seconds ...\nListing queues for vhost ctl_nov ...\n', err: '' });
    const bad = await ctl(['list_queues', 'bogus']);
    expect(bad.code).toBe(64);
    expect(bad.err).toMatch(/^Error \(argument validation\): Info key\(s\) bogus are not supported\nArguments given:\n\tlist_queues bogus\n\nUsage\n\nwarren ctl .* list_queues /);

    const x = await ctl(['list_exchanges', '-q', 'name', 'type', 'durable', 'internal']);
    expect(x.out.split('\n')).toEqual(expect.arrayContaining(['ctl_x\ttopic\tfalse\tfalse', 'amq.direct\tdirect\ttrue\tfalse', '\tdirect\ttrue\tfalse']));
    expect(await ctl(['list_bindings'])).toEqual({
      code: 0, err: '',
      out: 'Listing bindings for vhost /...\nsource_name\tsource_kind\tdestination_name\tdestination_kind\trouting_key\targuments\n'
        + '\texchange\tctl_q\tqueue\tctl_q\t[]\nctl_x\texchange\tctl_q\tqueue\ta.#\t[{"x-foo","bar"}]\n',
    });

    const conns = await ctl(['list_connections', '-q', 'name', 'user', 'vhost', 'state', 'channels', 'protocol']);
    const [header, row] = conns.out.split('\n');
    expect(header).toBe('name\tuser\tvhost\tstate\tchannels\tprotocol');
    expect(row).toMatch(/^127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+\tguest\t\/\trunning\t2\t\{0,9,1\}$/);
    const consumers = await ctl(['list_consumers']);
    expect(consumers.out).toMatch(/^Listing consumers in vhost \/ \.\.\.\nqueue_name\tchannel_pid\tconsumer_tag\tack_required\tprefetch_count\tactive\targuments\nctl_q\t127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ \(2\)\tctl_tag\ttrue\t7\ttrue\t\[\]\n$/);
    await conn.close();
  });

  it('sets and clears policies, purges and deletes queues', async () => {
    const conn = await broker.connect();
    const ch = await conn.createChannel();
    await ch.assertQueue('ctl_pq');
    for (let i = 0; i < 3; i++) ch.sendToQueue('ctl_pq', Buffer.from(String(i)));
    await ch.checkQueue('ctl_pq');

    expect(await ctl(['set_policy', '--priority', '2', '--apply-to', 'queues', 'ctl_cap', '^ctl_p', '{"max-length":10}'])).toEqual({
      code: 0, err: '', out: 'Setting policy "ctl_cap" for pattern "^ctl_p" to "{"max-length":10}" with priority "2" for vhost "/" ...\n',
    });
    expect((await api('GET', '/api/queues/%2F/ctl_pq')).json).toMatchObject({ policy: 'ctl_cap' });
    expect((await ctl(['list_policies', '-q'])).out).toBe('vhost\tname\tpattern\tapply-to\tdefinition\tpriority\n/\tctl_cap\t^ctl_p\tqueues\t{"max-length":10}\t2\n');
    const notJson = await ctl(['set_policy', 'ctl_p2', 'x', 'notjson']);
    expect([notJson.code, notJson.err]).toEqual([69, 'Error:\nJSON decoding error. Reason: badarg\n']);
    const badKey = await ctl(['set_policy', 'ctl_p2', 'x', '{"bogus-key":1}']);
    expect(badKey.code).toBe(69);
    expect(badKey.err).toMatch(/^Error:\nValidation failed\n\n.*bogus-key.* are not recognised policy settings/);
    expect((await ctl(['set_policy', '-p', 'ctl_nov', 'ctl_p2', 'x', '{"max-length":1}'])).code).toBe(65);
    expect((await ctl(['set_policy', '--priority', 'x', 'a', 'b', '{}'])).code).toBe(64);
    expect(await ctl(['clear_policy', 'ctl_cap'])).toEqual({ code: 0, out: 'Clearing policy "ctl_cap" on vhost "/" ...\n', err: '' });
    expect(await ctl(['clear_policy', 'ctl_cap'])).toEqual({ code: 69, out: 'Clearing policy "ctl_cap" on vhost "/" ...\n', err: 'Error:\nParameter does not exist\n' });

    const refused = await ctl(['delete_queue', '--if-empty', 'ctl_pq']);
    expect(refused).toEqual({ code: 64, out: "Deleting queue 'ctl_pq' on vhost '/' if queue is empty ...\n", err: 'Error:\nThe queue is not empty\n' });
    expect(await ctl(['purge_queue', 'ctl_pq'])).toEqual({ code: 0, out: "Purging queue 'ctl_pq' in vhost '/' ...\n", err: '' });
    expect((await ch.checkQueue('ctl_pq')).messageCount).toBe(0);
    expect(await ctl(['purge_queue', 'ctl_noq'])).toEqual({ code: 69, out: "Purging queue 'ctl_noq' in vhost '/' ...\n", err: 'Error:\nnot_found\n' });
    ch.sendToQueue('ctl_pq', Buffer.from('x'));
    await ch.checkQueue('ctl_pq');
    expect(await ctl(['delete_queue', 'ctl_pq'])).toEqual({
      code: 0, out: "Deleting queue 'ctl_pq' on vhost '/' ...\nQueue was successfully deleted with 1 ready messages\n", err: '',
    });
    expect((await api('GET', '/api/queues/%2F/ctl_pq')).status).toBe(404);
    expect((await ctl(['delete_queue', 'ctl_pq'])).err).toBe('Error:\nNo such queue was found\n');
    await conn.close();
  });

  it('closes a connection by the name list_connections shows, with the reason', async () => {
    const conn = await broker.connect();
    const closed = new Promise<Error>((resolve) => conn.once('close', resolve));
    const name = (await ctl(['list_connections', '-s', 'name'])).out.trim();
    expect(name).toMatch(/ -> /);
    expect(await ctl(['close_connection', name, 'maintenance'])).toEqual({ code: 0, out: `Closing connection ${name}, reason: maintenance...\n`, err: '' });
    expect(String(await closed)).toContain('CONNECTION_FORCED - maintenance');
    // already gone: nothing to do, as rabbitmqctl with the pid of a closed connection
    expect((await ctl(['close_connection', name, 'again'])).code).toBe(0);
    expect((await ctl(['close_connection', name])).code).toBe(64);
  });

  it('exports definitions to a file or stdout and imports them from a file or stdin', async () => {
    const file = path.join(dir, 'defs.json');
    await api('PUT', '/api/vhosts/ctl_dv');
    expect(await ctl(['export_definitions', file])).toEqual({ code: 0, out: `Exporting definitions in JSON to a file at "${file}" ...\n`, err: '' });
    const defs = JSON.parse(await readFile(file, 'utf8')) as { vhosts: { name: string }[] };
    expect(defs.vhosts.map((v) => v.name)).toContain('ctl_dv');
    const stdout = await ctl(['export_definitions', '-']);
    expect(JSON.parse(stdout.out)).toEqual(defs);

    await api('DELETE', '/api/vhosts/ctl_dv');
    expect(await ctl(['import_definitions', file])).toEqual({
      code: 0, err: '',
      out: `Importing definitions in JSON from a file at "${file}" ...\nSuccessfully started definition import. This process is asynchronous and can take some time. Watch target node logs for completion.\n`,
    });
    expect((await api('GET', '/api/vhosts/ctl_dv')).status).toBe(200);
    // "-" reads standard input, silently (rabbitmqctl 4)
    expect(await ctl(['import_definitions', '-'], { stdin: JSON.stringify({ vhosts: [{ name: 'ctl_dv2' }] }) })).toEqual({ code: 0, out: '', err: '' });
    expect((await api('GET', '/api/vhosts/ctl_dv2')).status).toBe(200);

    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{bad');
    const refused = await ctl(['import_definitions', bad]);
    expect(refused.code).toBe(65);
    expect(refused.err).toMatch(/^Error:\nFailed to deserialise input \(format: JSON\)/);
    expect((await ctl(['import_definitions', path.join(dir, 'none.json')])).code).toBe(65);
    expect((await ctl(['export_definitions', path.join(dir, 'no', 'dir.json')])).err).toMatch(/Bad argument: Directory .* does not exist/);
    await api('DELETE', '/api/vhosts/ctl_dv');
    await api('DELETE', '/api/vhosts/ctl_dv2');
  });

  it('prints status in sections, and runs as `warren ctl` too', async () => {
    const s = await ctl(['status']);
    expect(s.code).toBe(0);
    const lines = s.out.split('\n');
    expect(lines[0]).toMatch(/^Status of node \S+ \.\.\.$/);
    expect(lines).toEqual(expect.arrayContaining(['Runtime', 'Product name: Warren', 'Alarms', '(none)', 'Totals', 'Listeners']));
    expect(lines.some((l) => /^Virtual host count: [1-9]\d*$/.test(l))).toBe(true);
    expect(lines).toContain(`Interface: 127.0.0.1, port: ${broker.port}, protocol: amqp, purpose: AMQP 0-9-1`);

    const viaCli = await ctl(['list_vhosts', '-s'], { entry: 'cli' });
    expect(viaCli).toEqual({ code: 0, out: '/\n', err: '' });
  });

  it('reports a node it cannot reach or log in to as rabbitmqctl reports a node down (69)', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const down = await ctl(['-n', 'rabbit@nohost', 'status'], { env: { WARREN_CTL_URL: `http://127.0.0.1:${closedPort}` } });
    expect(down.code).toBe(69);
    expect(down.out).toBe('');
    expect(down.err).toMatch(/^Error: unable to perform an operation on node 'rabbit@nohost'\./);
    expect(down.err).toContain(`attempted to contact: [http://127.0.0.1:${closedPort}]`);
    expect(down.err).toContain('ECONNREFUSED');
    expect((await ctl(['await_startup', '-t', '1', '--url', `http://127.0.0.1:${closedPort}`])).code).toBe(69);
    // no banner for a node that never answered, as rabbitmqctl
    expect(await ctl(['list_queues', '--url', `http://127.0.0.1:${closedPort}`])).toMatchObject({ code: 69, out: '' });

    const denied = await ctl(['list_vhosts', '--password', 'wrong']);
    expect(denied.code).toBe(69);
    expect(denied.err).toContain("authentication failed for user 'guest' (HTTP 401");
    const badUrl = await ctl(['status', '--url', 'localhost:15672']);
    expect(badUrl.code).toBe(65);
    expect(badUrl.err).toMatch(/^Error \(argument validation\): Bad argument: --url localhost:15672 is not an http/);
    const unknown = await ctl(['no_such_verb']);
    expect(unknown.code).toBe(64);
    expect(unknown.err).toContain("Command 'no_such_verb' not found.");
  });
});
