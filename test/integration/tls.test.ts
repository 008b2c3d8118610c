/**
 * amqps: the TLS listener with certificates made for the test by openssl (none are committed),
 * amqplib and pika over it, client certificates as RabbitMQ's verify_peer /
 * fail_if_no_peer_cert decide, EXTERNAL login by certificate CN, and the handshake timeout.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import amqp from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';

let dir: string;
const pem = (name: string) => path.join(dir, name);
const brokers: TestBroker[] = [];

/** A CA, a server certificate for 127.0.0.1, client certificates for CN=guest and CN=stranger. */
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'warren-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=warren-test-ca', '-keyout', 'ca.key', '-out', 'ca.pem');
  writeFileSync(pem('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const leaf = (name: string, cn: string, ext?: string) => {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      ...(ext ? ['-extfile', ext] : []), '-out', `${name}.pem`);
  };
  leaf('server', 'localhost', 'server.ext');
  leaf('guest', 'guest');
  leaf('stranger', 'stranger');
  // a client certificate from a CA the broker does not trust
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=guest', '-keyout', 'rogue.key', '-out', 'rogue.pem');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

async function tlsBroker(o: { verify?: 'none' | 'peer'; failIfNoPeerCert?: boolean; handshakeTimeout?: number } = {}): Promise<TestBroker> {
  const b = await startTestBroker({
    ephemeral: true, tlsPort: 0, tlsCert: pem('server.pem'), tlsKey: pem('server.key'), tlsCa: pem('ca.pem'),
    tlsVerify: o.verify ?? 'none', tlsFailIfNoPeerCert: o.failIfNoPeerCert ?? false,
    ...(o.handshakeTimeout ? { handshakeTimeout: o.handshakeTimeout } : {}),
  });
  brokers.push(b);
  return b;
}

function amqps(b: TestBroker, o: { user?: string; client?: string; external?: boolean } = {}): Promise<amqp.ChannelModel> {
  const auth = o.external ? '' : `${o.user ?? 'guest'}:guest@`;
  return amqp.connect(`amqps://${auth}127.0.0.1:${b.tlsPort}/?heartbeat=0`, {
    ca: [readFileSync(pem('ca.pem'))],
    ...(o.client ? { cert: readFileSync(pem(`${o.client}.pem`)), key: readFileSync(pem(`${o.client}.key`)) } : {}),
    ...(o.external ? { credentials: amqp.credentials.external() } : {}),
  });
}

async function roundTrip(c: amqp.ChannelModel): Promise<string> {
  const ch = await c.createChannel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  ch.sendToQueue(queue, Buffer.from('over tls'));
  for (let i = 0; i < 50; i++) {
    const m = await ch.get(queue, { noAck: true });
    if (m) {
      await c.close();
      return m.content.toString();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('nothing came back');
}

describe('TLS', () => {
  it('amqplib publishes and gets over amqps (verify none); the plain port keeps working', async () => {
    const b = await tlsBroker();
    expect(b.tlsPort).toBeGreaterThan(0);
    expect(await roundTrip(await amqps(b))).toBe('over tls');
    expect(await roundTrip(await b.connect())).toBe('over tls');
  });

  it('pika (Debian python3-pika) publishes and gets over amqps', async () => {
    const b = await tlsBroker();
    const script = `
import pika, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
params = pika.ConnectionParameters(host='127.0.0.1', port=int(sys.argv[1]), ssl_options=pika.SSLOptions(ctx, 'localhost'),
                                   credentials=pika.PlainCredentials('guest', 'guest'))
conn = pika.BlockingConnection(params)
ch = conn.channel()
q = ch.queue_declare('', exclusive=True).method.queue
ch.basic_publish('', q, b'pika over tls')
for _ in range(50):
    m = ch.basic_get(q, auto_ack=True)
    if m[0]:
        print(m[2].decode()); break
    conn.sleep(0.01)
conn.close()
`;
    // asynchronously: the broker runs in this process
    const r = await run('/usr/bin/python3', ['-c', script, String(b.tlsPort), pem('ca.pem')]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('pika over tls');
  });

  it('verify peer: a valid client certificate or none passes; one from an unknown CA is refused', async () => {
    const b = await tlsBroker({ verify: 'peer' });
    expect(await roundTrip(await amqps(b, { client: 'guest' }))).toBe('over tls');
    expect(await roundTrip(await amqps(b))).toBe('over tls');
    await expect(amqps(b, { client: 'rogue' })).rejects.toThrow();
  });

  it('verify peer with fail-if-no-peer-cert: a client without a certificate is refused', async () => {
    const b = await tlsBroker({ verify: 'peer', failIfNoPeerCert: true });
    await expect(amqps(b)).rejects.toThrow();
    expect(await roundTrip(await amqps(b, { client: 'guest' }))).toBe('over tls');
  });

  it('EXTERNAL: the certificate\'s CN is the user; offered only with a verified certificate', async () => {
    const b = await tlsBroker({ verify: 'peer' });
    const c = await amqps(b, { client: 'guest', external: true });
    expect((c as unknown as { connection: { serverProperties: unknown } }).connection).toBeTruthy();
    expect(await roundTrip(c)).toBe('over tls');
    // CN=stranger is no user: refused as a wrong password is
    await expect(amqps(b, { client: 'stranger', external: true })).rejects.toThrow(/ACCESS[-_]REFUSED|403/);
    // without a certificate EXTERNAL is not offered; amqplib then gives up
    await expect(amqps(b, { external: true })).rejects.toThrow(/EXTERNAL|mechanism/i);
  });

  it('a password-less user logs in by certificate only', async () => {
    const b = await tlsBroker({ verify: 'peer' });
    b.broker.addUser('stranger', { password: null });
    b.broker.setPermissions('stranger', '/', { configure: '.*', write: '.*', read: '.*' });
    expect(await roundTrip(await amqps(b, { client: 'stranger', external: true }))).toBe('over tls');
  });

  it('a client that never finishes the TLS handshake, or stalls in AMQP\'s, is dropped after the handshake timeout', async () => {
    const b = await tlsBroker({ handshakeTimeout: 300 });
    const silentTcp = net.connect(b.tlsPort as number, '127.0.0.1');
    const tcpClosed = new Promise((resolve) => silentTcp.once('close', resolve));
    silentTcp.on('error', () => undefined);
    const stalled = tls.connect({ port: b.tlsPort as number, host: '127.0.0.1', ca: readFileSync(pem('ca.pem')), servername: 'localhost' });
    stalled.on('error', () => undefined);
    stalled.resume(); // read connection.start, so that the end of the stream is seen
    await new Promise((resolve) => stalled.once('secureConnect', resolve));
    stalled.write('AMQP\x00\x00\x09\x01'); // then nothing
    const stalledClosed = new Promise((resolve) => stalled.once('close', resolve));
    const plainSilent = net.connect(b.port, '127.0.0.1');
    plainSilent.on('error', () => undefined);
    const plainClosed = new Promise((resolve) => plainSilent.once('close', resolve));
    await Promise.all([tcpClosed, stalledClosed, plainClosed]);
    expect(await roundTrip(await amqps(b))).toBe('over tls');
  });

  it('wrong TLS settings stop the start with a message', async () => {
    await expect(startTestBroker({ ephemeral: true, tlsCert: pem('server.pem') })).rejects.toThrow(/both tlsCert and tlsKey/);
    await expect(startTestBroker({ ephemeral: true, tlsCert: pem('nope.pem'), tlsKey: pem('server.key') })).rejects.toThrow(/cannot read the TLS certificate/);
  });
});

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: 20_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
  });
}
