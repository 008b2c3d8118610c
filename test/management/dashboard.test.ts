/**
 * The browser dashboard, driven in headless Chromium (Debian's /usr/bin/chromium, through
 * playwright-core) against an in-process Warren: what the page shows is checked against what
 * was done over AMQP, and what is done on the page is checked over AMQP or the API.
 *
 * WARREN_DASHBOARD_SCREENSHOT=docs/dashboard.png also saves the overview as README's screenshot.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type amqp from 'amqplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/broker.js';

const CHROMIUM = process.env.WARREN_CHROMIUM ?? '/usr/bin/chromium';
const GUEST = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

let broker: TestBroker;
let browser: Browser;
let base: string;

beforeAll(async () => {
  broker = await startTestBroker({ managementPort: 0, ephemeral: true });
  base = `http://127.0.0.1:${broker.managementPort}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Chromium refuses to start its sandbox as root (CI containers run as root)
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await broker?.stop();
});

/** The API as guest, for checking what the page did. */
async function apiGet(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: GUEST } });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** A GET with the path sent exactly as written (fetch and URL would normalise `..` away). */
function rawGet(path: string): Promise<{ status: number; type: string | undefined; cache: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: broker.managementPort!, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({
        status: res.statusCode!, type: res.headers['content-type'], cache: res.headers['cache-control'], body,
      }));
    }).on('error', reject);
  });
}

/** A fresh page (own sessionStorage), logged in as guest, confirm() dialogs accepted. */
async function loggedInPage(hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  // under the test's own timeout, so that a wait that fails names its selector
  page.setDefaultTimeout(10_000);
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}/${hash}`);
  await page.fill('[data-form=login] input[name=username]', 'guest');
  await page.fill('[data-form=login] input[name=password]', 'guest');
  await page.click('[data-form=login] button[type=submit]');
  await page.waitForSelector('[data-user]');
  return page;
}

/** A queue with `messages` messages, and the connection and channel that made it (the test closes them). */
async function withQueue(name: string, messages: number): Promise<{ conn: amqp.ChannelModel; ch: amqp.Channel }> {
  const conn = await broker.connect();
  const ch = await conn.createChannel();
  await ch.assertQueue(name, { durable: false });
  for (let i = 0; i < messages; i++) ch.sendToQueue(name, Buffer.from(`m${i}`));
  // a round trip after the publishes: they have all arrived when it returns
  await ch.checkQueue(name);
  return { conn, ch };
}

describe('dashboard static files', () => {
  it('serves the page, its modules and the vendored libraries with their content types, uncached, without auth', async () => {
    const expectations: [string, string][] = [
      ['/', 'text/html'],
      ['/dashboard/app.js', 'text/javascript'],
      ['/dashboard/style.css', 'text/css'],
      ['/vendor/preact/dist/preact.mjs', 'text/javascript'],
      ['/vendor/preact/hooks/dist/hooks.mjs', 'text/javascript'],
      ['/vendor/htm/preact/index.mjs', 'text/javascript'],
      ['/vendor/uplot/dist/uPlot.esm.js', 'text/javascript'],
      ['/vendor/uplot/dist/uPlot.min.css', 'text/css'],
    ];
    for (const [path, type] of expectations) {
      const r = await rawGet(path);
      expect({ path, status: r.status, type: r.type?.split(';')[0], cache: r.cache }).toEqual({ path, status: 200, type, cache: 'no-cache' });
    }
    expect((await rawGet('/')).body).toContain('<script type="importmap">');
  });

  it('answers 404 for a path that would leave the dashboard or a vendor package, however it is spelt', async () => {
    const refused = [
      '/dashboard/../../../../package.json', '/dashboard/%2e%2e/%2e%2e/broker.ts', '/dashboard/%2E%2E%2F%2E%2E%2Fbroker.ts',
      '/vendor/preact/../../../package.json', '/vendor/preact/..%2f..%2f..%2fpackage.json', '/dashboard/..%5c..%5chttp-api.ts',
      '/dashboard//etc/passwd', '/dashboard/%2fetc%2fpasswd', '/vendor/fastify/fastify.js', '/vendor/preact/package.json',
      '/dashboard/', '/dashboard/missing.js', '/dashboard/./app.js', '/dashboard/app.js%00.css',
    ];
    for (const path of refused) expect({ path, status: (await rawGet(path)).status }).toEqual({ path, status: 404 });
    // the API behind it still wants credentials
    expect((await rawGet('/api/overview')).status).toBe(401);
  });
});

describe('dashboard in Chromium', () => {
  it('refuses a wrong password and logs in with a right one', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    try {
      await page.goto(`${base}/`);
      await page.fill('input[name=username]', 'guest');
      await page.fill('input[name=password]', 'wrong');
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-form=login] [role=alert]:text("Login failed")');
      await page.fill('input[name=password]', 'guest');
      await page.click('button[type=submit]');
      expect(await page.textContent('[data-user]')).toBe('guest');
      // a reload keeps the session's login
      await page.reload();
      await page.waitForSelector('[data-user]');
    } finally {
      await page.close();
    }
  });

  it('draws the overview charts and totals after messages are published', async () => {
    const { conn, ch } = await withQueue('dash-overview', 3);
    const page = await loggedInPage();
    try {
      await page.waitForSelector('[data-total=ready] b:text-is("3")');
      for (const chart of ['rates', 'queued']) {
        const canvas = await page.waitForSelector(`[data-chart=${chart}] canvas`);
        const box = await canvas.boundingBox();
        expect(box?.width).toBeGreaterThan(100);
        expect(box?.height).toBeGreaterThan(50);
      }
      const shot = process.env.WARREN_DASHBOARD_SCREENSHOT;
      if (shot) await page.screenshot({ path: shot, fullPage: false });
    } finally {
      await page.close();
      await ch.deleteQueue('dash-overview');
      await conn.close();
    }
  });

  it('lists a queue with its depth, and publishes, gets, purges and deletes it from its page', async () => {
    const { conn, ch } = await withQueue('dash-q', 2);
    const page = await loggedInPage('#/queues');
    try {
      await page.waitForSelector('tr[data-key="/|dash-q"] td.ready:text-is("2")');
      await page.click('tr[data-key="/|dash-q"] a');
      await page.waitForSelector('[data-queue="dash-q"] [data-fact=ready]:text-is("2")');

      await page.click('summary:text("Publish message")');
      await page.fill('[data-form=publish] textarea[name=payload]', 'hello from the page');
      await page.click('[data-form=publish] button[type=submit]');
      await page.waitForSelector('[data-form=publish] .notice.ok:text("Message published.")');
      expect((await ch.checkQueue('dash-q')).messageCount).toBe(3);

      // get with requeue: the page shows the oldest message, the queue keeps all three
      await page.click('summary:text("Get messages")');
      await page.fill('[data-form=get] input[name=count]', '3');
      await page.click('[data-form=get] button[type=submit]');
      await page.waitForSelector('[data-message="2"] pre.payload:text-is("hello from the page")');
      expect(await page.textContent('[data-message="0"] pre.payload')).toBe('m0');
      await page.waitForSelector('[data-queue="dash-q"] [data-fact=ready]:text-is("3")');
      expect((await ch.checkQueue('dash-q')).messageCount).toBe(3);

      await page.click('[data-action=purge]');
      await page.waitForSelector('.notice.ok:text("Queue purged")');
      expect((await ch.checkQueue('dash-q')).messageCount).toBe(0);

      await page.click('[data-queue="dash-q"] [data-action=delete]');
      await page.waitForSelector('[data-table=queues], p:text("No queues.")');
      expect((await apiGet('/api/queues/%2F/dash-q')).status).toBe(404);
    } finally {
      await page.close();
      await conn.close();
    }
  });

  it('closes a connection from the connections page: the client gets 320 CONNECTION_FORCED', async () => {
    const conn = await broker.connect();
    const other = await broker.connect();
    // 320 is not fatal to amqplib: it emits close with the error, and no error event
    const closed = new Promise<Error & { code?: number }>((resolve) => conn.once('close', resolve));
    // the API names a connection "<peer> -> <local>": the client's own port picks its row
    const port = (conn.connection as unknown as { stream: { localPort: number } }).stream.localPort;
    const row = `table[data-table=connections] tr[data-key*=":${port} ->"]`;
    const page = await loggedInPage('#/connections');
    try {
      await page.click(`${row} [data-action=close]`);
      const err = await closed;
      expect(err.code).toBe(320);
      expect(err.message).toContain('Closed via management plugin');
      await page.waitForSelector(row, { state: 'detached' });
      // only that one: the other connection still works
      await (await other.createChannel()).close();
    } finally {
      await page.close();
      await other.close();
    }
  });

  it('adds a vhost, a user and its permissions from the admin page', async () => {
    const page = await loggedInPage('#/admin');
    try {
      await page.fill('[data-form=add-vhost] input[name=name]', 'dash-vhost');
      await page.fill('[data-form=add-vhost] input[name=description]', 'made in the browser');
      await page.click('[data-form=add-vhost] button[type=submit]');
      await page.waitForSelector('table[data-table=vhosts] tr[data-key="dash-vhost"]');
      expect((await apiGet('/api/vhosts/dash-vhost')).body).toMatchObject({ name: 'dash-vhost', description: 'made in the browser' });

      await page.fill('[data-form=add-user] input[name=name]', 'dash-user');
      await page.fill('[data-form=add-user] input[name=password]', 's3cret');
      await page.fill('[data-form=add-user] input[name=tags]', 'monitoring');
      await page.click('[data-form=add-user] button[type=submit]');
      await page.waitForSelector('table[data-table=users] tr[data-key="dash-user"]');
      expect((await apiGet('/api/users/dash-user')).body.tags).toEqual(['monitoring']);

      await page.selectOption('[data-form=set-permissions] select[name=user]', 'dash-user');
      await page.selectOption('[data-form=set-permissions] select[name=vhost]', 'dash-vhost');
      await page.fill('[data-form=set-permissions] input[name=write]', '^dash\\.');
      await page.click('[data-form=set-permissions] button[type=submit]');
      await page.waitForSelector('table[data-table=permissions] tr[data-key="dash-vhost|dash-user"]');
      expect((await apiGet('/api/permissions/dash-vhost/dash-user')).body).toMatchObject({ configure: '.*', write: '^dash\\.', read: '.*' });

      // the new user logs in over AMQP with the password set on the page
      const c = await broker.connect({ user: 'dash-user', pass: 's3cret', vhost: 'dash-vhost' });
      await c.close();
    } finally {
      await page.close();
    }
  });

  it('adds a policy from the admin page, which applies to a matching queue, and deletes it', async () => {
    const { conn, ch } = await withQueue('dash-policy.q', 0);
    const page = await loggedInPage('#/admin');
    try {
      await page.fill('[data-form=add-policy] input[name=name]', 'dash-cap');
      await page.fill('[data-form=add-policy] input[name=pattern]', '^dash-policy\\.');
      await page.fill('[data-form=add-policy] input[name=priority]', '3');
      await page.fill('[data-form=add-policy] textarea[name=definition]', '{"max-length": 2}');
      await page.click('[data-form=add-policy] button[type=submit]');
      await page.waitForSelector('table[data-table=policies] tr[data-key="/|dash-cap"]');
      expect((await apiGet('/api/policies/%2F/dash-cap')).body).toMatchObject({
        pattern: '^dash-policy\\.', 'apply-to': 'queues', priority: 3, definition: { 'max-length': 2 },
      });
      // the queue page shows it, and AMQP sees it: the third message pushes the oldest out
      for (let i = 0; i < 3; i++) ch.sendToQueue('dash-policy.q', Buffer.from(`p${i}`));
      expect((await ch.checkQueue('dash-policy.q')).messageCount).toBe(2);
      await page.goto(`${base}/#/queue/%2F/dash-policy.q`);
      await page.waitForSelector('[data-fact=policy]:text-is("dash-cap")');

      // a definition that is not JSON is refused on the page, nothing sent
      await page.goto(`${base}/#/admin`);
      await page.fill('[data-form=add-policy] input[name=name]', 'dash-bad');
      await page.fill('[data-form=add-policy] input[name=pattern]', '.*');
      await page.fill('[data-form=add-policy] textarea[name=definition]', 'max-length: 2');
      await page.click('[data-form=add-policy] button[type=submit]');
      await page.waitForSelector('.notice.error:text("must be a JSON object")');
      expect((await apiGet('/api/policies/%2F/dash-bad')).status).toBe(404);

      await page.click('table[data-table=policies] tr[data-key="/|dash-cap"] [data-action=delete-policy]');
      await page.waitForSelector('table[data-table=policies] tr[data-key="/|dash-cap"]', { state: 'detached' });
      expect((await apiGet('/api/policies/%2F/dash-cap')).status).toBe(404);
    } finally {
      await page.close();
      await ch.deleteQueue('dash-policy.q');
      await conn.close();
    }
  });

  it('downloads the definitions as JSON and uploads a definitions file', async () => {
    const page = await loggedInPage('#/definitions');
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-action=download-definitions]'),
      ]);
      const saved = await download.path();
      const defs = JSON.parse(await readFile(saved, 'utf8'));
      expect(defs.users.map((u: { name: string }) => u.name)).toContain('guest');
      expect(defs.vhosts.map((v: { name: string }) => v.name)).toContain('/');

      const upload = {
        queues: [{ name: 'dash-imported', vhost: '/', durable: true, auto_delete: false, arguments: { 'x-max-length': 5 } }],
        exchanges: [{ name: 'dash-imported-x', vhost: '/', type: 'fanout', durable: true, auto_delete: false, internal: false, arguments: {} }],
        bindings: [{ source: 'dash-imported-x', vhost: '/', destination: 'dash-imported', destination_type: 'queue', routing_key: '', arguments: {} }],
      };
      await page.setInputFiles('[data-form=upload-definitions] input[type=file]', {
        name: 'defs.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(upload)),
      });
      await page.click('[data-form=upload-definitions] button[type=submit]');
      await page.waitForSelector('.notice.ok:text("Definitions from defs.json imported")');
      expect((await apiGet('/api/queues/%2F/dash-imported')).body).toMatchObject({ durable: true, arguments: { 'x-max-length': 5 } });
      const bindings = (await apiGet('/api/bindings/%2F')).body as { source: string; destination: string }[];
      expect(bindings.some((b) => b.source === 'dash-imported-x' && b.destination === 'dash-imported')).toBe(true);

      // a bad document is refused with the API's reason on the page
      await page.setInputFiles('[data-form=upload-definitions] input[type=file]', {
        name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"queues": [{"name": 5}]}'),
      });
      await page.click('[data-form=upload-definitions] button[type=submit]');
      await page.waitForSelector('.notice.error');
    } finally {
      await page.close();
    }
  });
});
