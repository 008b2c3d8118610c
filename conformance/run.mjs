#!/usr/bin/env node
// npm run conformance [-- --url amqp://guest:guest@127.0.0.1:5672/]
// Without --url the scenarios run against a Warren started in-process; with it, against that
// broker (a RabbitMQ from Debian: apt-get install -y rabbitmq-server; rabbitmq-server -detached).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
const i = args.indexOf('--url');
if (i >= 0) {
  env.CONFORMANCE_URL = args[i + 1];
  args.splice(i, 2);
}
// file filters given: run just those; otherwise every scenario under conformance/
const filters = args.some((a) => !a.startsWith('-')) ? [] : ['conformance'];
const r = spawnSync('npx', ['vitest', 'run', ...filters, ...args], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
