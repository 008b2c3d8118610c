/**
 * Prometheus's own checker on Warren's output: `promtool check metrics` (Debian's prometheus
 * package, installed by .ci/run) reads each endpoint's text, with traffic, open channels and a
 * consumer, and names with quotes, backslashes and a line feed. A missing promtool fails the test
 * rather than skipping it, so that CI cannot pass without the check.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareQueue } from '../../src/broker/topology-admin.js';
import { startTestBroker, type TestBroker } from '../support/broker.js';

const PROMTOOL = process.env.WARREN_PROMTOOL ?? '/usr/bin/promtool';

let broker: TestBroker;
let base: string;

beforeAll(async () => {
  broker = await startTestBroker({ managementPort: -1, prometheusPort: 0, ephemeral: true });
  base = `http://127.0.0.1:${broker.prometheusPort}`;
  const conn = await broker.connect();
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue('prom-lint');
  await ch.assertQueue('odd "quoted" \\ name');
  for (let i = 0; i < 3; i++) ch.sendToQueue('prom-lint', Buffer.from('x'));
  ch.sendToQueue('odd "quoted" \\ name', Buffer.from('y'));
  ch.publish('', 'prom-unroutable', Buffer.from('z'), { mandatory: true });
  await ch.waitForConfirms();
  await ch.consume('prom-lint', () => undefined); // delivered, not acked: unacked counts per channel
  declareQueue(broker.broker.vhosts.get('/')!, 'line\nfeed', { durable: false, autoDelete: false, arguments: [] });
});

afterAll(async () => {
  await broker?.stop();
});

/** Runs promtool check metrics on `text`: its exit code and what it printed. */
function promtool(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('promtool check metrics', () => {
  it('is installed (Debian prometheus, in .ci/run)', () => {
    expect(existsSync(PROMTOOL), `${PROMTOOL} missing: apt-get install prometheus`).toBe(true);
  });

  const paths = [
    '/metrics',
    '/metrics/per-object',
    '/metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count&family=queue_metrics'
      + '&family=channel_metrics&family=channel_exchange_metrics&family=connection_coarse_metrics'
      + '&family=connection_metrics&family=exchange_names&family=vhost_status',
  ];
  for (const path of paths) {
    it(`passes on ${path.split('?')[0]}`, async () => {
      const text = await (await fetch(`${base}${path}`)).text();
      expect(text).toContain('rabbitmq_identity_info{');
      const { code, output } = await promtool(text);
      expect(output).toBe('');
      expect(code).toBe(0);
    });
  }

  it('would catch broken output (the check can fail)', async () => {
    const { code } = await promtool('# TYPE x gauge\nx{queue="a"b"} 1\n');
    expect(code).not.toBe(0);
  });
});
