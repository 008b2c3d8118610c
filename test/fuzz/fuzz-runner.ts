/**
 * Runs fuzz cases against a live broker over TCP and classifies what each one got back:
 *
 *   connection-close:<code>   the broker closed the connection with that reply code
 *   channel-close:<code>      it closed a channel (and the connection carried on)
 *   dropped                   it closed the socket without a frame (as RabbitMQ does to a bad
 *                             handshake)
 *   accepted                  nothing went wrong, and the connection still answers
 *   hang                      no answer at all, even after the fuzzer completes any frame left
 *                             unfinished (it sends frame_max zero bytes) — a bug
 *   crash                     the broker process exited — a bug
 *
 * 541 INTERNAL_ERROR is a bug too (bad input must never make Warren throw): counted as "odd",
 * like hangs and crashes, and printed with the seed and index that replay it.
 *
 * On an open connection a case is followed by a marker, channel.open on an unused channel: its
 * open-ok says the broker has handled everything before it. A handshake case opens its own
 * socket and waits for the broker to answer or drop it (the broker runs with a short handshake
 * timeout, so a stalled handshake ends too).
 */
import * as P from '../../src/codec/generated/protocol.js';
import type { Method } from '../../src/codec/generated/method-types.js';
import { frame } from '../support/frames.js';
import { encode } from '../support/methods.js';
import { RawClient } from '../support/raw-client.js';
import type { HandshakeCase, RunningCase } from './fuzz-cases.js';

export type Outcome = `connection-close:${number}` | `channel-close:${number}` | 'dropped' | 'accepted' | 'hang' | 'crash';

/**
 * ms to wait for the marker's answer before completing a frame the case may have left
 * unfinished (most answers take well under a millisecond), and then for any answer at all.
 */
const FIRST_WAIT_MS = 250;
export const ANSWER_TIMEOUT_MS = 3000;
const FRAME_MAX = 131072;

/**
 * The test suite's raw client (test/support/raw-client.ts) as the fuzzer drives it: it answers
 * the broker's channel.close and connection.close as a client must, and waits with a deadline
 * that reports instead of throwing.
 */
export class FuzzSocket {
  private constructor(readonly raw: RawClient) {
    raw.onMethod = (channel, m) => {
      if (m.id === P.CHANNEL_CLOSE) raw.method(channel, P.CHANNEL_CLOSE_OK, {});
      if (m.id === P.CONNECTION_CLOSE) raw.method(0, P.CONNECTION_CLOSE_OK, {});
    };
  }

  static async connect(port: number): Promise<FuzzSocket> {
    return new FuzzSocket(await RawClient.connect(port));
  }

  /** Connects and completes the handshake as guest on vhost /. */
  static async open(port: number): Promise<FuzzSocket> {
    const raw = await RawClient.open(port, { frameMax: FRAME_MAX, channelMax: 2047, heartbeat: 0 });
    if (!raw.opened) {
      raw.close();
      throw new Error('the broker refused the fuzzer\'s own handshake');
    }
    raw.frames.length = 0;
    return new FuzzSocket(raw);
  }

  get closed(): boolean {
    return this.raw.closed;
  }

  /** Methods received, in order, with their channel. */
  get methods(): { channel: number; method: Method }[] {
    return this.raw.frames.flatMap((f) => (f.method ? [{ channel: f.channel, method: f.method }] : []));
  }

  send(b: Buffer): void {
    if (!this.raw.closed) this.raw.write(b);
  }

  method(channel: number, id: number, args: Record<string, unknown>): void {
    this.send(frame(P.FRAME_METHOD, channel, encode(id, args)));
  }

  find(id: number, channel?: number): Method | undefined {
    return this.methods.find((m) => m.method.id === id && (channel === undefined || m.channel === channel))?.method;
  }

  /** True once cond holds, false when `ms` pass first (however much else arrives meanwhile). */
  async until(cond: () => boolean, ms = ANSWER_TIMEOUT_MS): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0 || this.raw.closed) return cond();
      await this.raw.until(cond, left).catch(() => undefined);
    }
    return true;
  }

  close(): void {
    this.raw.close();
  }
}

/** The outcome of a case on an open connection; `marker` is a channel number the case does not use. */
export async function runOnConnection(c: FuzzSocket, k: RunningCase, marker: number): Promise<Outcome> {
  c.raw.frames.length = 0; // the previous case is settled
  const before = 0;
  c.send(k.bytes);
  c.method(marker, P.CHANNEL_OPEN, {});
  const answered = () => c.closed || c.methods.slice(before).some((m) =>
    m.method.id === P.CONNECTION_CLOSE || (m.method.id === P.CHANNEL_OPEN_OK && m.channel === marker)
    || (m.channel === marker && m.method.id === P.CHANNEL_CLOSE));
  if (!(await c.until(answered, FIRST_WAIT_MS))) {
    // a frame the case left unfinished swallowed the marker: complete it (the broker then
    // answers the garbage, as RabbitMQ would), and ask again
    c.send(Buffer.alloc(FRAME_MAX + 8));
    if (!(await c.until(answered))) return 'hang';
  }
  return classify(c, before);
}

/** The outcome of a handshake case on a new socket. */
export async function runHandshake(port: number, k: HandshakeCase, handshakeTimeoutMs: number): Promise<Outcome> {
  const c = await FuzzSocket.connect(port);
  try {
    for (const step of k.steps) {
      switch (step.send) {
        case 'header': c.send(step.bytes); break;
        case 'start-ok': c.method(0, P.CONNECTION_START_OK, { clientProperties: step.clientProperties, mechanism: step.mechanism, response: step.response, locale: 'en_US' }); break;
        case 'tune-ok': c.method(0, P.CONNECTION_TUNE_OK, { channelMax: step.channelMax, frameMax: step.frameMax, heartbeat: step.heartbeat }); break;
        case 'open': c.method(0, P.CONNECTION_OPEN, { virtualHost: step.vhost }); break;
        case 'raw': c.send(step.bytes);
      }
    }
    const opened = () => c.find(P.CONNECTION_OPEN_OK) !== undefined;
    // the broker must answer or drop the socket within its handshake timeout (plus the silent-close delay)
    const ended = await c.until(() => c.closed || c.find(P.CONNECTION_CLOSE) !== undefined || opened(), handshakeTimeoutMs + 3000 + ANSWER_TIMEOUT_MS);
    if (!ended) return 'hang';
    if (opened() && !c.closed && c.find(P.CONNECTION_CLOSE) === undefined) {
      // open: whatever came after must get an answer too
      const before = 0;
      c.method(2047, P.CHANNEL_OPEN, {});
      const answered = () => c.closed || c.methods.some((m) => m.method.id === P.CONNECTION_CLOSE || (m.method.id === P.CHANNEL_OPEN_OK && m.channel === 2047)
        || (m.channel === 2047 && m.method.id === P.CHANNEL_CLOSE));
      if (!(await c.until(answered, FIRST_WAIT_MS))) {
        c.send(Buffer.alloc(FRAME_MAX + 8));
        if (!(await c.until(answered))) return 'hang';
      }
      return classify(c, before);
    }
    return classify(c, 0);
  } finally {
    c.close();
  }
}

function classify(c: FuzzSocket, from: number): Outcome {
  const seen = c.methods.slice(from);
  const connClose = seen.find((m) => m.method.id === P.CONNECTION_CLOSE);
  if (connClose?.method.id === P.CONNECTION_CLOSE) return `connection-close:${connClose.method.args.replyCode}`;
  const chClose = seen.find((m) => m.method.id === P.CHANNEL_CLOSE);
  if (chClose?.method.id === P.CHANNEL_CLOSE) return `channel-close:${chClose.method.args.replyCode}`;
  if (c.closed) return 'dropped';
  return 'accepted';
}
