/** amqplib helpers for conformance scenarios: connections that clean up, error expectations. */
import amqp from 'amqplib';
import { expect } from 'vitest';
import { target, unique } from './target.js';

const open = new Set<amqp.ChannelModel>();
const queuesToDelete = new Set<string>();
const exchangesToDelete = new Set<string>();

export async function connect(
  params: Record<string, string | number> = {}, login: { vhost?: string; user?: string; pass?: string } = {},
): Promise<amqp.ChannelModel> {
  const t = await target();
  const u = new URL(t.url);
  if (login.user !== undefined) u.username = encodeURIComponent(login.user);
  if (login.pass !== undefined) u.password = encodeURIComponent(login.pass);
  if (login.vhost !== undefined) u.pathname = `/${encodeURIComponent(login.vhost)}`;
  for (const [k, v] of Object.entries({ heartbeat: 0, ...params })) u.searchParams.set(k, String(v));
  const c = await amqp.connect(u.toString());
  c.on('error', () => undefined);
  open.add(c);
  c.on('close', () => open.delete(c));
  return c;
}

/** A fresh queue name for this run, deleted when the file's scenarios are done. */
export const freshQueue = (prefix: string): string => cleanup('queue', unique(prefix));
/** A fresh exchange name for this run, deleted when the file's scenarios are done. */
export const freshExchange = (prefix: string): string => cleanup('exchange', unique(prefix));

/** Waits (polling basic.get) for a message on q, failing after 5 s. */
export async function getOne(ch: amqp.Channel, q: string, noAck = false): Promise<amqp.GetMessage> {
  const end = Date.now() + 5000;
  for (;;) {
    const m = await ch.get(q, { noAck });
    if (m) return m;
    if (Date.now() > end) throw new Error(`nothing arrived in ${q}`);
    await sleep(20);
  }
}

/** Remembers a queue or exchange to delete when the file's scenarios are done. */
export function cleanup(kind: 'queue' | 'exchange', name: string): string {
  (kind === 'queue' ? queuesToDelete : exchangesToDelete).add(name);
  return name;
}

/** Deletes what the scenarios declared and closes their connections (call in afterAll). */
export async function tidy(): Promise<void> {
  const c = await connect();
  for (const q of queuesToDelete) {
    const ch = await c.createChannel();
    ch.on('error', () => undefined);
    await ch.deleteQueue(q).catch(() => undefined);
  }
  for (const x of exchangesToDelete) {
    const ch = await c.createChannel();
    ch.on('error', () => undefined);
    await ch.deleteExchange(x).catch(() => undefined);
  }
  queuesToDelete.clear();
  exchangesToDelete.clear();
  await Promise.all([...open].map((x) => Promise.race([x.close().catch(() => undefined), new Promise((r) => setTimeout(r, 500))])));
  await (await target()).stop();
}

export interface Closed {
  code: number;
  text: string;
  classId: number;
  methodId: number;
}

/** Runs `op` on a fresh channel and expects the server to close that channel (only). */
export async function expectChannelClose(conn: amqp.ChannelModel, op: (ch: amqp.Channel) => Promise<unknown> | void): Promise<Closed> {
  const ch = await conn.createChannel();
  const closed = new Promise<Closed>((resolve) => {
    ch.once('error', (e: Error & { code: number; classId: number; methodId: number }) => resolve({
      code: e.code, text: closeText(e), classId: e.classId, methodId: e.methodId,
    }));
  });
  await Promise.resolve(op(ch)).catch(() => undefined);
  const result = await closed;
  // the connection is still usable
  const probe = await conn.createChannel();
  await probe.close();
  return result;
}

/** Runs `op` and expects the server to close the whole connection. */
export async function expectConnectionClose(op: (conn: amqp.ChannelModel, ch: amqp.Channel) => Promise<unknown> | void): Promise<Closed> {
  const conn = await connect();
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  const closed = new Promise<Closed>((resolve) => {
    conn.once('close', (e?: Error & { code: number; classId?: number; methodId?: number }) => resolve({
      code: e?.code ?? 0, text: e ? closeText(e) : '', classId: e?.classId ?? 0, methodId: e?.methodId ?? 0,
    }));
  });
  await Promise.resolve(op(conn, ch)).catch(() => undefined);
  return closed;
}

/** The reply text inside amqplib's error message. */
function closeText(e: Error): string {
  const m = /with message "(.*)"$/s.exec(e.message);
  return m ? m[1] : e.message;
}

export function expectClosed(actual: Closed, code: number, text: string | RegExp): void {
  expect(actual.code).toBe(code);
  if (typeof text === 'string') expect(actual.text).toBe(text);
  else expect(actual.text).toMatch(text);
}

/** Runs `op` on a fresh channel of `conn` and expects that channel closed with `code` and `text`. */
export async function expectChannelError(conn: amqp.ChannelModel, op: (ch: amqp.Channel) => Promise<unknown> | void, code: number, text: string | RegExp): Promise<void> {
  expectClosed(await expectChannelClose(conn, op), code, text);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until cond() holds (polling), failing after `ms`. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}
