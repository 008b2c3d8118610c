/**
 * The `warren` command as CI pipelines and testcontainers use it: flags and WARREN_* / RABBITMQ_*
 * environment variables, the "Server startup complete" log line, SIGTERM closing clients with
 * CONNECTION_FORCED and exiting 0. Runs the built dist/cli.js (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(() => { for (const c of children.splice(0)) c.kill('SIGKILL'); });

/** Starts the CLI and resolves with the port from its startup line. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; lines: string[] }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line.includes('Server startup complete')) {
          const address = (JSON.parse(line) as { address: string }).address;
          resolve({ child, port: Number(address.split(':').pop()), lines });
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => lines.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code} before startup: ${lines.join('\n')}`)));
  });
}

describe('warren CLI', () => {
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
});
