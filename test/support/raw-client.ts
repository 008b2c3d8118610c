/**
 * A minimal AMQP client over a raw socket for tests of what real client libraries never send
 * (or hide): it speaks through Warren's own codec, reads frames with FrameReader, and records
 * every method the server sends.
 */
import net from 'node:net';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { encodeTable, tableFromObject } from '../../src/codec/field-table.js';
import { encodeMethod } from '../../src/codec/generated/method-encoders.js';
import type { Method, MethodInitById } from '../../src/codec/generated/method-types.js';
import * as P from '../../src/codec/generated/protocol.js';
import { decodeMethod } from '../../src/codec/method-codec.js';
import { FrameReader, PROTOCOL_HEADER } from '../../src/net/frame-reader.js';
import { frame } from './frames.js';

export interface RawFrame {
  type: number;
  channel: number;
  payload: Buffer;
  method?: Method;
}

export class RawClient {
  readonly frames: RawFrame[] = [];
  /** Bytes received before the first frame (a protocol header the server answered with). */
  header: Buffer | null = null;
  closed = false;
  /** open() got connection.open-ok. */
  opened = false;
  /** Called with each method as it arrives (the fuzzer answers the server's close requests). */
  onMethod: ((channel: number, method: Method) => void) | null = null;
  private waiters: (() => void)[] = [];
  private readonly reader: FrameReader;

  private constructor(readonly socket: net.Socket) {
    this.reader = new FrameReader({
      protocolHeader: () => undefined,
      frame: (type, channel, payload) => {
        const m = type === P.FRAME_METHOD ? decodeMethod(payload) : undefined;
        this.frames.push({ type, channel, payload, method: m instanceof DecodeFailure ? undefined : m });
        if (this.onMethod !== null && m !== undefined && !(m instanceof DecodeFailure)) this.onMethod(channel, m);
        this.wake();
      },
      failure: () => undefined,
    }, { protocolHeader: false, frameMax: 0 });
    let first = true;
    socket.on('data', (d: Buffer) => {
      if (first && d.subarray(0, 4).toString('latin1') === 'AMQP') {
        this.header = d.subarray(0, 8);
        d = d.subarray(8);
      }
      first = false;
      this.reader.push(d);
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /**
   * Connects and completes the handshake (PLAIN guest/guest, vhost /) unless told otherwise;
   * `capabilities` go into client-properties.
   */
  static async open(port: number, o: {
    user?: string; pass?: string; vhost?: string; frameMax?: number; channelMax?: number; heartbeat?: number;
    capabilities?: Record<string, boolean>; mechanism?: string; response?: Buffer;
  } = {}): Promise<RawClient> {
    const c = await RawClient.connect(port);
    c.write(PROTOCOL_HEADER);
    const start = await c.nextMethod(P.CONNECTION_START);
    void start;
    c.method(0, P.CONNECTION_START_OK, {
      clientProperties: tableFromObject({ product: 'raw-test', capabilities: o.capabilities ?? { authentication_failure_close: true, consumer_cancel_notify: true } }),
      mechanism: o.mechanism ?? 'PLAIN',
      response: o.response ?? Buffer.from(`\0${o.user ?? 'guest'}\0${o.pass ?? 'guest'}`),
      locale: 'en_US',
    });
    const tune = await c.peekMethod(P.CONNECTION_TUNE, P.CONNECTION_CLOSE).catch(() => null);
    if (tune === null || tune.id !== P.CONNECTION_TUNE) return c;
    await c.nextMethod(P.CONNECTION_TUNE);
    c.method(0, P.CONNECTION_TUNE_OK, {
      channelMax: o.channelMax ?? tune.args.channelMax,
      frameMax: o.frameMax ?? tune.args.frameMax,
      heartbeat: o.heartbeat ?? 0,
    });
    c.method(0, P.CONNECTION_OPEN, { virtualHost: o.vhost ?? '/' });
    const opened = await c.peekMethod(P.CONNECTION_OPEN_OK, P.CONNECTION_CLOSE).catch(() => null);
    if (opened?.id === P.CONNECTION_OPEN_OK) {
      await c.nextMethod(P.CONNECTION_OPEN_OK);
      c.opened = true;
    }
    return c; // a connection.close stays queued for the test to read
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  method<K extends keyof MethodInitById>(channel: number, id: K, args: MethodInitById[K]): void {
    const w = new ByteWriter(256);
    encodeMethod(w, id, args);
    this.write(frame(P.FRAME_METHOD, channel, Buffer.from(w.take())));
  }

  async openChannel(channel = 1): Promise<void> {
    this.method(channel, P.CHANNEL_OPEN, {});
    await this.nextMethod(P.CHANNEL_OPEN_OK);
  }

  /** Waits for the next method with one of these ids (frames before it are kept but skipped). */
  async nextMethod(...ids: number[]): Promise<Method> {
    for (;;) {
      const i = this.frames.findIndex((f) => f.method && (ids.length === 0 || ids.includes(f.method.id)));
      if (i >= 0) return this.frames.splice(i, 1)[0].method as Method;
      if (this.closed) throw new Error(`connection closed while waiting for method ${ids.map((x) => x.toString(16)).join('/')}`);
      await this.changed(5000);
    }
  }

  /** Like nextMethod, but leaves the method queued. */
  async peekMethod(...ids: number[]): Promise<Method> {
    for (;;) {
      const f = this.frames.find((x) => x.method && ids.includes(x.method.id));
      if (f) return f.method as Method;
      if (this.closed) throw new Error('connection closed');
      await this.changed(5000);
    }
  }

  /** Waits until cond() holds over the frames received so far. */
  async until(cond: () => boolean, ms = 5000): Promise<void> {
    while (!cond()) {
      if (this.closed) throw new Error('connection closed while waiting');
      await this.changed(ms);
    }
  }

  /** Waits until the socket is closed by the server. */
  async waitClosed(ms = 5000): Promise<void> {
    while (!this.closed) await this.changed(ms);
  }

  /** The connection.close the server sent, as [code, text, classId, methodId]. */
  async connectionClose(): Promise<[number, string, number, number]> {
    const m = await this.nextMethod(P.CONNECTION_CLOSE);
    if (m.id !== P.CONNECTION_CLOSE) throw new Error('unreachable');
    return [m.args.replyCode, m.args.replyText, m.args.classId, m.args.methodId];
  }

  async channelClose(): Promise<[number, string, number, number]> {
    const m = await this.nextMethod(P.CHANNEL_CLOSE);
    if (m.id !== P.CHANNEL_CLOSE) throw new Error('unreachable');
    return [m.args.replyCode, m.args.replyText, m.args.classId, m.args.methodId];
  }

  close(): void {
    this.socket.destroy();
  }

  private changed(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for the server')), ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** An AMQPLAIN response: a field table of LOGIN and PASSWORD without its length prefix. */
export function amqplainResponse(login: string, password: string): Buffer {
  return encodeTable(tableFromObject({ LOGIN: login, PASSWORD: password })).subarray(4);
}
