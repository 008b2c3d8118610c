/**
 * The target's management HTTP API as a scenario calls it: as the target's own user, JSON in and
 * out. RabbitMQ refreshes its statistics every 5 s, so figures are read with `until`, which polls.
 */
import type { Target } from './target.js';

export interface HttpAnswer { status: number; body: any; headers: Headers }
export type Http = (method: string, path: string, body?: unknown) => Promise<HttpAnswer>;

export function managementHttp(t: Target): Http {
  const u = new URL(t.url);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  return async (method, path, body) => {
    const r = await fetch(`${t.managementUrl}${path}`, {
      method, headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text === '' ? '' : JSON.parse(text), headers: r.headers };
  };
}

/** Reads `read()` until `done` holds of it (10 s at most: RabbitMQ's statistics lag), and returns the last value. */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 100 && !done(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}
