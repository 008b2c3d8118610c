/**
 * The `warren` command as CI pipelines and testcontainers use it: flags and WARREN_* / RABBITMQ_*
 * environment variables, the "Server startup complete" log line, SIGTERM closing clients with
 * CONNECTION_FORCED and exiting 0. Runs the built dist/cli.js (npm test builds first).
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { killBrokerProcesses, startBrokerProcess as startCli } from './support/broker-process.js';

afterEach(killBrokerProcesses);

describe('warren CLI', () => {
  it('is built executable, as `npx warren` and `npx warrenctl` run the bins directly (a fresh clone has no other chmod)', () => {
    for (const bin of ['cli.js', 'ctl/main.js']) {
      const mode = statSync(new URL(`../dist/${bin}`, import.meta.url)).mode;
      expect([bin, mode & 0o111]).toEqual([bin, 0o111]);
    }
  });

  it('starts with flags, serves clients, and stops on SIGTERM with CONNECTION_FORCED and exit 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const { child, port, lines } = await startCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir]);
    const startup = JSON.parse(lines.find((l) => l.includes('Server startup complete')) as string);
    expect(startup.msg).toMatch(/^Server startup complete/);
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
    const closed = new Promise<Error>((resolve) => conn.once('close', resolve)); // amqplib reports 320 on 'close'
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(String(await closed)).toContain("CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");
    expect(await exited).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('takes WARREN_* variables, RABBITMQ_DEFAULT_USER/PASS and a --config file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const config = path.join(dir, 'warren.json');
    await writeFile(config, JSON.stringify({ heartbeat: 7 }));
    const { port } = await startCli(['--config', config], {
      WARREN_PORT: '0', WARREN_HOST: '127.0.0.1', WARREN_DATA_DIR: dir,
      RABBITMQ_DEFAULT_USER: 'alice', RABBITMQ_DEFAULT_PASS: 's3cret',
    });
    const refused = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`).catch((e: Error) => e);
    expect(String(refused)).toContain('ACCESS_REFUSED');
    const conn = await amqp.connect(`amqp://alice:s3cret@127.0.0.1:${port}?heartbeat=30`);
    expect((conn as unknown as { connection: { heartbeat: number } }).connection.heartbeat).toBe(7);
    await conn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an unknown flag', async () => {
    await expect(startCli(['--no-such-flag'])).rejects.toThrow(/exited 1/);
  });

  it('ignores WARREN_* variables that are no option, with one warning line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const { port, lines } = await startCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', dir], {
      WARREN_VERSION: '1.2.3', WARREN_BIN: '/usr/local/bin/warren', WARREN_HELP: 'yes',
    });
    const warnings = lines.filter((l) => l.includes('ignoring environment variables'));
    expect(warnings).toHaveLength(1);
    const w = JSON.parse(warnings[0]) as { level: number; variables: string[] };
    expect(w.level).toBe(40);
    expect(w.variables).toEqual(['WARREN_BIN', 'WARREN_HELP', 'WARREN_VERSION']);
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
    await conn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a flag wins over its variable, which wins over the config file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const config = path.join(dir, 'warren.json');
    await writeFile(config, JSON.stringify({ heartbeat: 7, frameMax: 8192, 'channel-max': 5 }));
    const { port } = await startCli(['--config', config, '--heartbeat', '9', '--port', '0', '--host', '127.0.0.1'], {
      WARREN_HEARTBEAT: '8', WARREN_FRAME_MAX: '16384', WARREN_DATA_DIR: dir,
    });
    const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}?heartbeat=30&frameMax=0&channelMax=0`);
    const c = (conn as unknown as { connection: { heartbeat: number; frameMax: number; channelMax: number } }).connection;
    expect([c.heartbeat, c.frameMax, c.channelMax]).toEqual([9, 16384, 5]);
    await conn.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a variable of an option with a bad value, or an unknown key in the config file, stops the start', async () => {
    await expect(startCli(['--port', '0'], { WARREN_PORT: 'abc' })).rejects.toThrow(/WARREN_PORT: expected a number, got 'abc'/);
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const config = path.join(dir, 'warren.json');
    await writeFile(config, JSON.stringify({ prot: 5673 }));
    await expect(startCli(['--config', config])).rejects.toThrow(/unknown option 'prot'/);
    await rm(dir, { recursive: true, force: true });
  });

  it('WARREN_DEFINITIONS loads a RabbitMQ export at every start; a malformed file stops the start naming the entry', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'warren-cli-'));
    const fixture = new URL('../conformance/fixtures/rabbitmq-3.10-definitions.json', import.meta.url).pathname;
    const env = { WARREN_PORT: '0', WARREN_HOST: '127.0.0.1', WARREN_DATA_DIR: dir, WARREN_DEFINITIONS: fixture };
    for (let start = 0; start < 2; start++) {
      const { child, port } = await startCli([], env);
      const conn = await amqp.connect(`amqp://fx-admin:admin-pw@127.0.0.1:${port}/fixture-orders`);
      const ch = await conn.createChannel();
      expect(await ch.checkQueue('orders.new')).toMatchObject({ messageCount: 0 });
      await conn.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ vhosts: [{ name: 'v' }], queues: [{ name: 'q', vhost: 'v', durable: 'yes' }] }));
    await expect(startCli(['--definitions', bad, '--ephemeral', '--port', '0'])).rejects.toThrow(
      /queues\[0\] \("q" in vhost "v"\): "durable" must be a boolean/);
    await writeFile(bad, JSON.stringify({ queues: [{ name: 'q', vhost: 'nowhere', durable: true, auto_delete: false }] }));
    await expect(startCli(['--definitions', bad, '--ephemeral', '--port', '0'])).rejects.toThrow(
      /queues\[0\] \("q" in vhost "nowhere"\): Please create virtual host "nowhere" prior to importing definitions/);
    await rm(dir, { recursive: true, force: true });
  });
});
