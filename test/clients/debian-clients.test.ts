/**
 * Real non-Node clients from Debian's packages against Warren (.ci/run installs them). Each
 * scenario script exits 0 only if every step behaved as it does against RabbitMQ.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';

const run = promisify(execFile);
let broker: TestBroker;
beforeAll(async () => { broker = await startTestBroker(); });
afterAll(async () => { await broker.stop(); });

describe('Debian clients', () => {
  it('pika (python3-pika): declare, confirmed publish with properties, get, reject, consume, ack', async () => {
    const script = new URL('./pika_scenario.py', import.meta.url).pathname;
    const { stdout } = await run('/usr/bin/python3', [script, String(broker.port)], { timeout: 30_000 });
    expect(stdout).toContain('pika scenario passed');
  });
});
