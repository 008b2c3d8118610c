#!/usr/bin/env node
// The same command lines through rabbitmqctl (against the RabbitMQ on this machine) and through
// `warrenctl` (against a Warren started here), printed one after the other with a verdict on
// their shape: banners, header, tab-separated columns, stderr, exit code.
//
//   npm run build && node conformance/ctl/side-by-side.mjs [--all]
//
// Needs `rabbitmqctl` on PATH and RabbitMQ's management API on 127.0.0.1:15672 (guest/guest).
// Everything it creates on RabbitMQ is named ctl_sbs* and deleted at the end. Each broker gets
// the same fixture over its HTTP API; then each command runs on both (a change made by one
// verb is made on each broker, so later listings agree). RabbitMQ's statistics lag up to 5 s:
// the script waits 6 s before listing. Output is normalised before comparing: ports, pids and
// connection names, row order, the program name in usage lines, and the bold escape codes.
// Known differences (3.10 → 4.x texts Warren follows) are marked "known", not failed.
// Exits 1 if an unexpected difference remains. --all prints the outputs of equal ones too.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { startBroker } = await import(path.join(root, 'dist/broker.js'));
const showAll = process.argv.includes('--all');
const V = 'ctl_sbs';
const RABBIT_API = 'http://127.0.0.1:15672';

const warren = await startBroker({ port: 0, host: '127.0.0.1', managementPort: 0, ephemeral: true, logger: pino({ level: 'silent' }) });
const WARREN_API = `http://127.0.0.1:${warren.managementPort}`;
const auth = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

async function http(base, method, p, body) {
  const res = await fetch(base + p, { method, headers: { authorization: auth, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
}

/** The same vhost, queue with a message, exchange, binding and consumer on a broker. */
async function fixture(api, amqpPort) {
  await http(api, 'PUT', `/api/vhosts/${V}`, {});
  await http(api, 'PUT', `/api/permissions/${V}/guest`, { configure: '.*', write: '.*', read: '.*' });
  await http(api, 'PUT', `/api/queues/${V}/ctl_q`, { durable: true, arguments: { 'x-max-length': 5 } });
  await http(api, 'PUT', `/api/queues/${V}/ctl_q2`, { durable: true });
  await http(api, 'PUT', `/api/exchanges/${V}/ctl_x`, { type: 'topic', durable: false, arguments: { 'alternate-exchange': 'amq.fanout' } });
  await http(api, 'POST', `/api/bindings/${V}/e/ctl_x/q/ctl_q`, { routing_key: 'a.#', arguments: { 'x-foo': 'bar' } });
  await http(api, 'POST', `/api/exchanges/${V}/amq.default/publish`, { properties: {}, routing_key: 'ctl_q', payload: 'hi', payload_encoding: 'string' });
  await http(api, 'POST', `/api/exchanges/${V}/amq.default/publish`, { properties: {}, routing_key: 'ctl_q2', payload: 'hi', payload_encoding: 'string' });
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${amqpPort}/${V}`, { clientProperties: { connection_name: 'ctl_sbs_conn' } });
  conn.on('error', () => undefined);
  const ch = await conn.createChannel();
  await ch.prefetch(7);
  await ch.consume('ctl_q2', () => undefined, { consumerTag: 'ctl_tag', noAck: false });
  return conn;
}

/** Spawned asynchronously: the Warren under test runs in this process and must keep answering. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], [...cmd.slice(1), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
const rabbitmqctl = (args) => run(['rabbitmqctl'], args);
const warrenctl = (args) => run([process.execPath, path.join(root, 'dist/ctl/main.js')], args, { WARREN_CTL_URL: WARREN_API });

function normalise(text) {
  const lines = text
    .replace(/\u001b\[[0-9;]*m/g, '')
    // an Erlang pid (rabbitmqctl) and a connection or channel name (Warren) identify the same thing
    .replace(/<rabbit@[^>]+>|#PID<[^>]+>/g, '<id>')
    .replace(/\d+\.\d+\.\d+\.\d+:\d+ -> \d+\.\d+\.\d+\.\d+:\d+( \(\d+\))?/g, '<id>')
    .replace(/^(rabbitmqctl|warren ctl) \[--node <node>\].*?\[--quiet\] (\S+).*$/gm, '<prog> $2 ...')
    .replace(/rabbitmqctl help/g, '<prog> help')
    .replace(/warren ctl help/g, '<prog> help')
    .replace(/\t\d{4,5}\t/g, '\t<port>\t')
    .replace(/"platform","[^"]*"|"version","[^"]*"/g, '"…"')
    .split('\n');
  // rows in any order: the json formatter's lines without their leading comma, sorted
  if (lines[0] === '[') return lines.map((l) => l.replace(/^,/, '')).sort().join('\n');
  // the table's rows sorted, after the banner and header lines
  const head = lines.findIndex((l) => l.includes('\t'));
  return head < 0 ? lines.join('\n') : [...lines.slice(0, head + 1), ...lines.slice(head + 1).sort()].join('\n');
}

// [args, known difference or undefined]
const COMMANDS = [
  [['await_startup']],
  [['list_queues', '-p', V]],
  [['list_queues', '-p', V, 'name', 'messages', 'consumers', 'durable', 'auto_delete', 'exclusive', 'arguments', 'messages_ready', 'messages_unacknowledged', 'type']],
  [['list_queues', '-p', V, '-s', 'name,messages']],
  [['list_queues', '-p', V, '-q', '--no-table-headers']],
  [['list_queues', '-p', V, '--formatter', 'json', 'name', 'durable', 'arguments']],
  [['list_queues', '-p', 'ctl_sbs_none']],
  [['list_queues', 'bogus,name', 'x'], 'usage text: the program name and 3.10\'s --online/--offline/--local flags'],
  [['list_exchanges', '-p', V, 'name', 'type', 'durable', 'auto_delete', 'internal', 'arguments']],
  [['list_exchanges', '-p', V, '--formatter', 'json', 'name', 'arguments']],
  [['list_bindings', '-p', V]],
  [['list_bindings', '-p', V, '--formatter', 'json']],
  [['list_connections', 'name', 'user', 'vhost', 'state', 'channels', 'protocol', 'client_properties']],
  [['list_connections', '--formatter', 'json', 'user', 'vhost']],
  [['list_consumers', '-p', V]],
  [['add_user', 'ctl_sbs_u', 'pw1']],
  [['add_user', 'ctl_sbs_u', 'pw1']],
  [['change_password', 'ctl_sbs_u', 'pw2']],
  [['change_password', 'ctl_sbs_nouser', 'x']],
  [['set_user_tags', 'ctl_sbs_u', 'management', 'policymaker']],
  [['set_permissions', '-p', V, 'ctl_sbs_u', '^ctl', '.*', '.*']],
  [['set_permissions', '-p', 'ctl_sbs_none', 'ctl_sbs_u', '.*', '.*', '.*']],
  [['set_permissions', '-p', V, 'ctl_sbs_nouser', '.*', '.*', '.*']],
  [['set_permissions', '-p', V, 'ctl_sbs_u', '.*'], 'usage line'],
  [['list_permissions', '-p', V]],
  [['list_permissions', '-p', 'ctl_sbs_none']],
  [['set_policy', '-p', V, '--priority', '3', '--apply-to', 'queues', 'ctl_sbs_p', '^ctl_q$', '{"max-length":10}']],
  [['set_policy', '-p', V, 'ctl_sbs_p2', '^x', 'notjson']],
  [['set_policy', '-p', V, 'ctl_sbs_p2', '^x', '{"bogus-key":1}']],
  [['set_policy', '-p', 'ctl_sbs_none', 'ctl_sbs_p2', '^x', '{"max-length":1}']],
  [['list_policies', '-p', V]],
  [['clear_policy', '-p', V, 'ctl_sbs_p']],
  [['clear_policy', '-p', V, 'ctl_sbs_p']],
  [['delete_queue', '-p', V, '--if-empty', 'ctl_q'], '4.x text "The queue is not empty" (3.10: "Queue is not empty")'],
  [['purge_queue', '-p', V, 'ctl_q']],
  [['purge_queue', '-p', V, 'ctl_sbs_noq']],
  [['delete_queue', '-p', V, 'ctl_sbs_noq'], '4.x text "No such queue was found" (3.10: "Queue not found")'],
  [['delete_queue', '-p', V, 'ctl_q2']],
  [['delete_queue', '-p', V, 'ctl_q2'], '4.x text "No such queue was found" (3.10: "Queue not found")'],
  [['export_definitions'], 'usage line'],
  [['import_definitions', '/nonexistent/ctl_sbs.json'], 'usage line'],
  [['add_vhost', 'ctl_sbs_v2']],
  [['delete_vhost', 'ctl_sbs_v2']],
  [['delete_vhost', 'ctl_sbs_v2']],
  [['delete_user', 'ctl_sbs_u']],
  [['delete_user', 'ctl_sbs_u']],
  [['no_such_verb'], 'the list of commands'],
];

let unexpected = 0;
const conns = [];
try {
  conns.push(await fixture(RABBIT_API, 5672), await fixture(WARREN_API, warren.port));
  await new Promise((r) => setTimeout(r, 6000)); // RabbitMQ's statistics tick
  for (const [args, known] of COMMANDS) {
    const r = await rabbitmqctl(args);
    const w = await warrenctl(args);
    const same = r.code === w.code && normalise(r.out) === normalise(w.out) && normalise(r.err) === normalise(w.err);
    const verdict = same ? 'same' : known ? `known difference: ${known}` : 'DIFFERENT';
    if (!same && !known) unexpected++;
    console.log(`\n$ … ${args.join(' ')}    [exit ${r.code} / ${w.code}: ${verdict}]`);
    if (!same || showAll) {
      for (const [who, x] of [['rabbitmqctl 3.10.8', r], ['warren ctl', w]]) {
        console.log(`  --- ${who}: exit ${x.code}`);
        for (const l of x.out.split('\n').filter((l) => l !== '').slice(0, 12)) console.log(`  out| ${l}`);
        for (const l of x.err.split('\n').filter((l) => l !== '').slice(0, 6)) console.log(`  err| ${l}`);
      }
    }
  }
} finally {
  for (const c of conns) await c.close().catch(() => undefined);
  for (const p of [`/api/vhosts/${V}`, '/api/vhosts/ctl_sbs_v2', '/api/users/ctl_sbs_u']) {
    await fetch(RABBIT_API + p, { method: 'DELETE', headers: { authorization: auth } }).catch(() => undefined);
  }
  await warren.close();
}
console.log(`\n${COMMANDS.length} command lines, ${unexpected} unexpected difference(s)`);
process.exit(unexpected === 0 ? 0 : 1);
