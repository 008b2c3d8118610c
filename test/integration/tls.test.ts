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

/** A CA, a server certificate for 127.0.0.1, client certificates for CN=guest, CN=stranger, and two CNs. */
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
  leaf('twocn', 'guest/CN=other'); // the subject holds two CNs: the name is "guest,other"
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

  it('pika (Debian python3-pika) publishes and gets over amqps, with PLAIN and with EXTERNAL', async () => {
    const b = await tlsBroker({ verify: 'peer' });
    const script = `
import pika, ssl, sys
port, ca, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def round_trip(ctx, credentials):
    params = pika.ConnectionParameters(host='127.0.0.1', port=port, ssl_options=pika.SSLOptions(ctx, 'localhost'),
                                       credentials=credentials)
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
round_trip(ssl.create_default_context(cafile=ca), pika.PlainCredentials('guest', 'guest'))
with_cert = ssl.create_default_context(cafile=ca)
with_cert.load_cert_chain(cert, key)
round_trip(with_cert, pika.credentials.ExternalCredentials())
`;
    // asynchronously: the broker runs in this process
    const r = await run('/usr/bin/python3', ['-c', script, String(b.tlsPort), pem('ca.pem'), pem('guest.pem'), pem('guest.key')]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['pika over tls', 'pika over tls']);
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

  it('EXTERNAL: the certificate\'s CN is the user, who must exist', async () => {
    const b = await tlsBroker({ verify: 'peer' });
    expect(await roundTrip(await amqps(b, { client: 'guest', external: true }))).toBe('over tls');
    // CN=stranger is no user: refused as a wrong password is
    await expect(amqps(b, { client: 'stranger', external: true })).rejects.toThrow(
      'ACCESS_REFUSED - Login was refused using authentication mechanism EXTERNAL');
    // two CNs make one name, "guest,other", as RabbitMQ joins them: not the user guest
    await expect(amqps(b, { client: 'twocn', external: true })).rejects.toThrow(/ACCESS_REFUSED/);
  });

  it('EXTERNAL is offered on every TLS connection: without a certificate the login is refused', async () => {
    // RabbitMQ offers it so that such a client hears why rather than finding no common mechanism
    const peer = await tlsBroker({ verify: 'peer' });
    await expect(amqps(peer, { external: true })).rejects.toThrow(
      'ACCESS_REFUSED - Login was refused using authentication mechanism EXTERNAL');
    // with verify none no certificate is asked for, so none is there
    const none = await tlsBroker({ verify: 'none' });
    await expect(amqps(none, { client: 'guest', external: true })).rejects.toThrow(/ACCESS_REFUSED/);
    // plain TCP: not offered, and amqplib gives up before sending start-ok
    await expect(amqp.connect(`amqp://127.0.0.1:${none.port}`, { credentials: amqp.credentials.external() }))
      .rejects.toThrow(/EXTERNAL not in mechanisms|mechanism/i);
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

  it('plain AMQP or garbage on the TLS port fails that handshake only; the broker carries on', async () => {
    const b = await tlsBroker({ handshakeTimeout: 60_000 }); // not the timeout: the TLS error closes these
    const dropped = (bytes: string) => new Promise<boolean>((resolve) => {
      const s = net.connect(b.tlsPort as number, '127.0.0.1', () => s.write(bytes));
      s.on('error', () => undefined);
      s.resume();
      s.once('close', () => resolve(true));
    });
    expect(await Promise.all([dropped('AMQP\x00\x00\x09\x01'), dropped('\x16\x03\x01\x00\x05hello')])).toEqual([true, true]);
    expect(await roundTrip(await amqps(b))).toBe('over tls');
  });

  it('wrong TLS settings stop the start with a message', async () => {
    await expect(startTestBroker({ ephemeral: true, tlsCert: pem('server.pem') })).rejects.toThrow(/both tlsCert and tlsKey/);
    await expect(startTestBroker({ ephemeral: true, tlsCert: pem('nope.pem'), tlsKey: pem('server.key') })).rejects.toThrow(/cannot read the TLS certificate/);
    // a file that is no PEM, and a key that is not the certificate's: OpenSSL's reason, naming the files
    writeFileSync(pem('junk.pem'), 'not a certificate\n');
    await expect(startTestBroker({ ephemeral: true, tlsCert: pem('junk.pem'), tlsKey: pem('server.key') }))
      .rejects.toThrow(/cannot use the TLS certificate, key and CA files \(.*junk\.pem.*\): .*PEM/);
    await expect(startTestBroker({ ephemeral: true, tlsCert: pem('server.pem'), tlsKey: pem('guest.key') }))
      .rejects.toThrow(/cannot use the TLS certificate, key and CA files .*key values mismatch/);
  });
});

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: 20_000 }, (_err, stdout, stderr) => resolve({ stdout, stderr }));
  });
}
