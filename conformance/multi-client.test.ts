/**
 * One scenario (clients/scenario.md) through real client libraries from Debian's packages —
 * pika, py-amqp, kombu, Bunny, amqp091-go, AnyEvent::RabbitMQ (Perl) and the amqp-tools CLI —
 * against the target broker.
 * .ci/run installs the packages; a missing one fails its scenario rather than skipping it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, connect, tidy } from './support/client.js';
import { target, unique, type Target } from './support/target.js';

const run = promisify(execFile);
const clients = new URL('./clients/', import.meta.url).pathname;
let t: Target;
beforeAll(async () => { t = await target(); });
afterAll(tidy);

async function scenario(command: string, args: string[], passed: string): Promise<void> {
  const queue = cleanup('queue', unique('multi'));
  const { stdout } = await run(command, [...args, t.host, String(t.port), queue], { timeout: 60_000 });
  expect(stdout).toContain(passed);
}

/** Builds the Go scenario once per source version (GOPATH mode: Debian's packaged module, offline). */
async function goScenario(): Promise<string> {
  const source = path.join(clients, 'go', 'main.go');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = path.join(tmpdir(), `warren-go-scenario-${hash}`);
  const binary = path.join(dir, 'go_scenario');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    await run('go', ['build', '-o', binary, source], {
      timeout: 120_000,
      env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(dir, 'cache'), GOFLAGS: '' },
    });
  }
  return binary;
}

describe('real clients', () => {
  it('pika (python3-pika)', () => scenario('/usr/bin/python3', [path.join(clients, 'pika_scenario.py')], 'pika scenario passed'));
  it('py-amqp (python3-amqp)', () => scenario('/usr/bin/python3', [path.join(clients, 'py_amqp_scenario.py')], 'py-amqp scenario passed'));
  it('kombu (python3-kombu)', () => scenario('/usr/bin/python3', [path.join(clients, 'kombu_scenario.py')], 'kombu scenario passed'));
  it('Bunny (ruby-bunny)', () => scenario('ruby', [path.join(clients, 'bunny_scenario.rb')], 'bunny scenario passed'));
  it('AnyEvent::RabbitMQ on Net::AMQP (libanyevent-rabbitmq-perl)',
    () => scenario('perl', [path.join(clients, 'anyevent_scenario.pl')], 'anyevent scenario passed'));
  it('amqp091-go (golang-github-rabbitmq-amqp091-go-dev)', async () => {
    await scenario(await goScenario(), [], 'amqp091-go scenario passed');
  }, 150_000);

  it('amqp-tools CLI (rabbitmq-c): and what it published, seen through amqplib', async () => {
    const queue = cleanup('queue', unique('multi-cli'));
    const { stdout } = await run('bash', [path.join(clients, 'amqp_tools.sh'), t.host, String(t.port), queue], { timeout: 60_000 });
    expect(stdout).toContain('amqp-tools scenario passed');
    const conn: amqp.ChannelModel = await connect();
    const ch = await conn.createChannel();
    const m = await ch.get(queue, { noAck: true });
    expect(m && [m.content.toString(), m.properties.contentType, m.properties.deliveryMode, m.properties.headers])
      .toEqual(['three', 'application/json', 2, { 'x-str': 's' }]);
  });
});
