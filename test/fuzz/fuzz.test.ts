/**
 * A short fuzz run as part of npm test (the long ones: npm run fuzz -- --cases 1000000), and
 * proof that the fuzzer can fail: it reports a broker that never answers as a hang, one that
 * answers 541 as odd, and one that dies as a crash.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frame } from '../support/frames.js';
import { encode } from '../support/methods.js';
import * as P from '../../src/codec/generated/protocol.js';
import { makeCase } from './fuzz-cases.js';
import { runFuzz } from './fuzz.js';
import { FuzzSocket, runOnConnection } from './fuzz-runner.js';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function server(onSocket: (s: net.Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer(onSocket).listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    servers.push(s);
  });
}

describe('fuzzing Warren', () => {
  it('5,000 cases: no crash, no hang, no internal error, and a fresh client still gets a round trip', async () => {
    const s = await runFuzz({ cases: 5000, seed: 1205, batch: 2500 });
    expect(s.odd).toEqual([]);
    expect({ crashes: s.crashes, hangs: s.hangs, internalErrors: s.internalErrors, failedRoundTrips: s.roundTrips.failed })
      .toEqual({ crashes: 0, hangs: 0, internalErrors: 0, failedRoundTrips: 0 });
    expect(s.roundTrips.ok).toBe(2);
    // the cases reach every layer: frame errors, handshake refusals, channel and connection errors, accepted work
    for (const outcome of ['connection-close:501', 'connection-close:505', 'channel-close:404', 'channel-close:406', 'dropped', 'accepted']) {
      expect(s.outcomes[outcome] ?? 0).toBeGreaterThan(0);
    }
  });

  it('the same seed makes the same cases', () => {
    for (const i of [0, 1, 99, 4321]) expect(makeCase(7, i, 5)).toEqual(makeCase(7, i, 5));
    expect(makeCase(7, 1, 5)).not.toEqual(makeCase(8, 1, 5));
  });
});

describe('the fuzzer can fail', () => {
  it('a server that never answers is a hang', async () => {
    const port = await server(() => undefined);
    const c = await FuzzSocket.connect(port);
    const outcome = await runOnConnection(c, { kind: 'sequence', bytes: frame(P.FRAME_METHOD, 1, encode(P.CHANNEL_OPEN, {})) }, 2);
    c.close();
    expect(outcome).toBe('hang');
  });

  it('a 541 is classified as such (and counted odd by runFuzz)', async () => {
    const port = await server((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.write(frame(P.FRAME_METHOD, 0, encode(P.CONNECTION_CLOSE, { replyCode: 541, replyText: 'INTERNAL_ERROR', classId: 0, methodId: 0 }))));
    });
    const c = await FuzzSocket.connect(port);
    expect(await runOnConnection(c, { kind: 'sequence', bytes: Buffer.from('x') }, 2)).toBe('connection-close:541');
    c.close();
  });

  it('a broker that dies is a crash', async () => {
    const s = await runFuzz({
      cases: 50, seed: 1,
      // listens, then exits at its second connection (the first is the fuzzer checking that it listens)
      spawnBroker: (port, out) => spawn(process.execPath, ['-e',
        `let n = 0; require('net').createServer(() => { if (++n > 1) process.exit(3); }).listen(${port}, '127.0.0.1')`], { stdio: ['ignore', out, out] }),
    });
    expect(s.crashes).toBe(1);
    expect(s.odd.some((o) => o.outcome === 'crash')).toBe(true);
  });
});
