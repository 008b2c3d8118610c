/**
 * The negotiation alone, over a real loopback socket: a server that runs only Negotiation (and
 * the Connection it builds) against a fake broker, and Warren's raw test client. What was
 * negotiated, RabbitMQ's answers to a handshake that goes wrong, and the hand-over to the
 * running connection within the chunk that carried connection.open.
 */
import net from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AmqpError } from '../../src/codec/amqp-error.js';
import { tableFromObject, tableToObject } from '../../src/codec/field-table.js';
import * as P from '../../src/codec/generated/protocol.js';
import { VirtualHost } from '../../src/broker/vhost.js';
import { PROTOCOL_HEADER } from '../../src/net/frame-reader.js';
import type { BrokerContext, ConnectionLimits } from '../../src/session/broker-context.js';
import type { Connection } from '../../src/session/connection.js';
import { Negotiation } from '../../src/session/negotiation.js';
import { serverProperties } from '../../src/session/server-properties.js';
import type { ResourceAccess } from '../../src/access/resource-access.js';
import { fullAccess } from '../support/access.js';
import { SessionTotals } from '../../src/session/channel-stats.js';
import { frame } from '../support/frames.js';
import { encode } from '../support/methods.js';
import { amqplainResponse, RawClient } from '../support/raw-client.js';

class FakeBroker implements BrokerContext {
  readonly limits: ConnectionLimits = {
    frameMax: 131072, channelMax: 2047, heartbeat: 60, maxMessageSize: 1 << 20, consumerTimeout: 0, handshakeTimeoutMs: 10_000,
  };
  readonly log = pino({ level: 'silent' });
  readonly serverProperties = serverProperties('0.0.0-test', 'test');
  readonly sessionTotals = new SessionTotals();
  readonly root = new VirtualHost('/');
  readonly opened: Connection[] = [];
  readonly closed: Connection[] = [];
  private readonly users = new Map([['guest', 'guest'], ['alice', 's3cret']]);

  authenticate(username: string, password: string | null): boolean {
    return this.users.has(username) && (password === null || this.users.get(username) === password);
  }

  loginRestriction(): string | null {
    return null;
  }

  openVhost(name: string, username: string): { vhost: VirtualHost; access: ResourceAccess } {
    this.checkVhostAccess(name);
    return { vhost: this.root, access: fullAccess(username, name) };
  }

  checkVhostAccess(name: string): void {
    if (name !== '/') throw new AmqpError(P.NOT_ALLOWED, `vhost ${name} not found`);
  }

  checkChannelLimit(): void {}

  connectionOpened(c: Connection): void {
    this.opened.push(c);
  }

  connectionClosed(c: Connection): void {
    this.closed.push(c);
  }
}

interface TestServer {
  port: number;
  broker: FakeBroker;
  negotiations: Negotiation[];
  /** Sizes of the chunks the server read, in order, per accepted socket. */
  chunks: number[][];
  sockets: net.Socket[];
}

const servers: net.Server[] = [];
const clients: RawClient[] = [];

async function startServer(): Promise<TestServer> {
  const t: TestServer = { port: 0, broker: new FakeBroker(), negotiations: [], chunks: [], sockets: [] };
  const server = net.createServer((socket) => {
    const sizes: number[] = [];
    t.chunks.push(sizes);
    t.sockets.push(socket);
    socket.on('data', (d: Buffer) => sizes.push(d.length)); // before the negotiation's listener: sees every chunk
    t.negotiations.push(new Negotiation(socket, t.broker));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.port = (server.address() as net.AddressInfo).port;
  return t;
}

async function connect(t: TestServer, o: Parameters<typeof RawClient.open>[1] = {}): Promise<RawClient> {
  const c = await RawClient.open(t.port, o);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

describe('the negotiated value', () => {
  it('PLAIN: user, vhost, the tune-ok limits, client properties and capabilities, frozen', async () => {
    const t = await startServer();
    const capabilities = { consumer_cancel_notify: true, 'connection.blocked': true, authentication_failure_close: false };
    await connect(t, { capabilities, frameMax: 8192, channelMax: 10, heartbeat: 30 });
    expect(t.broker.opened).toHaveLength(1);
    const n = t.broker.opened[0].negotiated;
    expect(n).toEqual({
      user: 'guest',
      vhost: t.broker.root,
      access: expect.objectContaining({ user: 'guest', vhost: '/' }),
      frameMax: 8192,
      channelMax: 10,
      heartbeat: 30,
      clientProperties: tableFromObject({ product: 'raw-test', capabilities }),
      capabilities: { consumerCancelNotify: true, connectionBlocked: true, authenticationFailureClose: false },
    });
    expect(Object.isFrozen(n)).toBe(true);
    expect(Object.isFrozen(n.capabilities)).toBe(true);
    expect(t.negotiations[0].state).toBe('opened');
    const conn = t.broker.opened[0];
    expect([conn.id, conn.user, conn.vhost, conn.state]).toEqual([t.negotiations[0].id, 'guest', t.broker.root, 'running']);
  });

  it('AMQPLAIN: the user of its LOGIN/PASSWORD table', async () => {
    const t = await startServer();
    const c = await connect(t, { mechanism: 'AMQPLAIN', response: amqplainResponse('alice', 's3cret'), capabilities: {} });
    await c.openChannel(1);
    const n = t.broker.opened[0].negotiated;
    expect([n.user, n.vhost.name, n.frameMax, n.channelMax, n.heartbeat]).toEqual(['alice', '/', 131072, 2047, 0]);
    expect(n.capabilities).toEqual({ consumerCancelNotify: false, connectionBlocked: false, authenticationFailureClose: false });
    expect(tableToObject(n.clientProperties)).toEqual({ product: 'raw-test', capabilities: {} });
  });
});

describe('a handshake that goes wrong', () => {
  it('tune-ok outside the offered limits is 530 NOT_ALLOWED, attributed to connection.tune', async () => {
    const t = await startServer();
    const low = await connect(t, { frameMax: 1000 });
    expect(await low.connectionClose()).toEqual([530, 'NOT_ALLOWED - negotiated frame_max = 1000 is lower than the minimum allowed value (4096)', 10, 30]);
    const high = await connect(t, { frameMax: 131073 });
    expect(await high.connectionClose()).toEqual([530, 'NOT_ALLOWED - negotiated frame_max = 131073 is higher than the maximum allowed value (131072)', 10, 30]);
    const unlimited = await connect(t, { channelMax: 0 });
    expect(await unlimited.connectionClose()).toEqual([530, 'NOT_ALLOWED - negotiated channel_max = 0 (no limit) is higher than the maximum allowed value (2047)', 10, 30]);
    // the client's close-ok ends it
    unlimited.method(0, P.CONNECTION_CLOSE_OK, {});
    await unlimited.waitClosed();
    expect(t.broker.opened).toEqual([]);
  });

  it('an unknown vhost is 530 NOT_ALLOWED naming it', async () => {
    const t = await startServer();
    const c = await connect(t, { vhost: 'nope' });
    expect(await c.connectionClose()).toEqual([530, 'NOT_ALLOWED - vhost nope not found', 10, 40]);
    expect(t.negotiations[0].state).toBe('closing');
    expect(t.broker.opened).toEqual([]);
  });

  it('bad credentials: 403 ACCESS_REFUSED to a client with authentication_failure_close', async () => {
    const t = await startServer();
    const c = await connect(t, { pass: 'wrong', capabilities: { authentication_failure_close: true } });
    expect(await c.connectionClose()).toEqual([403, 'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.', 0, 0]);
    c.method(0, P.CONNECTION_CLOSE_OK, {});
    await c.waitClosed();
    expect(t.broker.opened).toEqual([]);
  });

  it('bad credentials without the capability: no frame, the socket dropped after the silent-close delay', async () => {
    const t = await startServer();
    const started = Date.now();
    const c = await connect(t, { user: 'alice', pass: 'wrong', capabilities: {} });
    await c.waitClosed(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(c.frames).toEqual([]); // after connection.start (which open() consumed) nothing came
    expect(t.broker.opened).toEqual([]);
  });

  it('a protocol header it does not speak is answered with AMQP 0-9-1\'s', async () => {
    const t = await startServer();
    const c = await RawClient.connect(t.port);
    clients.push(c);
    c.write(Buffer.from('AMQP\x00\x00\x09\x02', 'latin1'));
    await c.waitClosed();
    expect(c.header).toEqual(PROTOCOL_HEADER);
    expect(c.frames).toEqual([]);
  });

  it('a channel frame before open-ok is 505', async () => {
    const t = await startServer();
    const c = await RawClient.connect(t.port);
    clients.push(c);
    c.write(PROTOCOL_HEADER);
    await c.nextMethod(P.CONNECTION_START);
    c.method(0, P.CONNECTION_START_OK, { clientProperties: [], mechanism: 'PLAIN', response: '\0guest\0guest', locale: 'en_US' });
    await c.nextMethod(P.CONNECTION_TUNE);
    c.method(0, P.CONNECTION_TUNE_OK, { channelMax: 2047, frameMax: 131072, heartbeat: 0 });
    c.method(1, P.CHANNEL_OPEN, {});
    expect(await c.connectionClose()).toEqual([505, 'UNEXPECTED_FRAME - type 1, all octets = <<0,20,0,10,0>>', 0, 0]);
  });

  it('heartbeat frames during the handshake are ignored', async () => {
    const t = await startServer();
    const c = await RawClient.connect(t.port);
    clients.push(c);
    const heartbeat = frame(P.FRAME_HEARTBEAT, 0, []);
    c.write(PROTOCOL_HEADER);
    await c.nextMethod(P.CONNECTION_START);
    c.write(heartbeat);
    c.method(0, P.CONNECTION_START_OK, { clientProperties: [], mechanism: 'PLAIN', response: '\0guest\0guest', locale: 'en_US' });
    await c.nextMethod(P.CONNECTION_TUNE);
    c.write(heartbeat);
    c.method(0, P.CONNECTION_TUNE_OK, { channelMax: 2047, frameMax: 131072, heartbeat: 0 });
    c.write(heartbeat);
    c.method(0, P.CONNECTION_OPEN, { virtualHost: '/' });
    await c.nextMethod(P.CONNECTION_OPEN_OK);
    expect(t.broker.opened).toHaveLength(1);
  });

  it('a client that vanishes mid-handshake leaves nothing behind', async () => {
    const t = await startServer();
    const c = await RawClient.connect(t.port);
    c.write(PROTOCOL_HEADER);
    await c.nextMethod(P.CONNECTION_START);
    c.method(0, P.CONNECTION_START_OK, { clientProperties: [], mechanism: 'PLAIN', response: '\0guest\0guest', locale: 'en_US' });
    await c.nextMethod(P.CONNECTION_TUNE);
    c.close();
    await until(() => t.negotiations[0].state === 'closed');
    expect([t.broker.opened, t.broker.closed]).toEqual([[], []]);
  });
});

describe('the hand-over to the running connection', () => {
  it('frames that follow connection.open in the same chunk reach the running connection, in order', async () => {
    const t = await startServer();
    const c = await RawClient.connect(t.port);
    clients.push(c);
    c.write(PROTOCOL_HEADER);
    await c.nextMethod(P.CONNECTION_START);
    c.method(0, P.CONNECTION_START_OK, { clientProperties: [], mechanism: 'PLAIN', response: '\0guest\0guest', locale: 'en_US' });
    await c.nextMethod(P.CONNECTION_TUNE);
    const method = (channel: number, id: number, args: Record<string, unknown>) => frame(P.FRAME_METHOD, channel, encode(id, args));
    const pipelined = Buffer.concat([
      method(0, P.CONNECTION_TUNE_OK, { channelMax: 2047, frameMax: 131072, heartbeat: 0 }),
      method(0, P.CONNECTION_OPEN, { virtualHost: '/' }),
      method(1, P.CHANNEL_OPEN, {}),
      method(1, P.BASIC_QOS, { prefetchSize: 0, prefetchCount: 7, global: false }),
      method(2, P.CHANNEL_OPEN, {}),
      method(0, P.CONNECTION_CLOSE, { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 }),
    ]);
    c.write(pipelined);
    await c.waitClosed();
    // the server read that buffer as one chunk, so the hand-over happened inside it
    expect(t.chunks[0].at(-1)).toBe(pipelined.length);
    expect(c.frames.map((f) => [f.channel, f.method?.id])).toEqual([
      [0, P.CONNECTION_OPEN_OK],
      [1, P.CHANNEL_OPEN_OK],
      [1, P.BASIC_QOS_OK],
      [2, P.CHANNEL_OPEN_OK],
      [0, P.CONNECTION_CLOSE_OK],
    ]);
    expect(t.broker.opened).toHaveLength(1);
    await until(() => t.broker.closed.length > 0);
    expect(t.broker.closed[0]).toBe(t.broker.opened[0]);
    expect(t.broker.opened[0].state).toBe('closed');
  });

  it('shutdown: forceClose drops a client still negotiating, and closes a running one with 320', async () => {
    const t = await startServer();
    const negotiating = await RawClient.connect(t.port);
    clients.push(negotiating);
    negotiating.write(PROTOCOL_HEADER);
    await negotiating.nextMethod(P.CONNECTION_START);
    const running = await connect(t);
    t.negotiations[0].forceClose('shutdown');
    t.negotiations[1].forceClose('shutdown');
    await negotiating.waitClosed();
    expect(negotiating.frames).toEqual([]);
    expect(await running.connectionClose()).toEqual([320, 'CONNECTION_FORCED - shutdown', 0, 0]);
  });
});
