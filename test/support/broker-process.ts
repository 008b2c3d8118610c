/**
 * Warren as its own process (the built dist/cli.js), for tests that look at the process itself:
 * its exit code, its log lines, its memory. `npm test` builds dist first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoFile } from './repo-root.js';

const CLI = repoFile('dist/cli.js');

export interface BrokerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** stdout lines (JSON log lines) and stderr chunks so far. */
  readonly lines: string[];
}

const started: ChildProcess[] = [];

/** SIGKILLs every process started so far (for afterEach). */
export function killBrokerProcesses(): void {
  for (const c of started.splice(0)) c.kill('SIGKILL');
}

/** Starts the CLI and resolves with the port from its startup line (rejects if it exits first). */
export function startBrokerProcess(args: string[], env: Record<string, string> = {}): Promise<BrokerProcess> {
  // the management API off unless a test asks for it: test brokers run side by side
  const management = args.includes('--management-port') || 'WARREN_MANAGEMENT_PORT' in env ? [] : ['--management-port', '-1'];
  // the metrics endpoint likewise (its CLI default 15692 is RabbitMQ's, which runs beside the tests)
  const prometheus = args.includes('--prometheus-port') || 'WARREN_PROMETHEUS_PORT' in env ? [] : ['--prometheus-port', '-1'];
  const child = spawn(process.execPath, [CLI, ...management, ...prometheus, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
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

/** The process's resident memory now and at its peak (VmRSS, VmHWM), in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
