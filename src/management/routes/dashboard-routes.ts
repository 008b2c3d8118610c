/**
 * The browser dashboard's files: `/` is its page, `/dashboard/*` its plain JS modules and CSS
 * (from src/management/dashboard, which tsc does not copy: there is no build step), and
 * `/vendor/{preact,htm,uplot}/*` the three browser libraries it imports, read from their npm
 * packages through the page's import map. These need no login (the onRequest hook
 * authenticates /api/ only): the page asks for credentials and calls the API with them.
 *
 * A file is served only from inside one of those four directories: a path with `..`, a
 * backslash, a NUL or an encoded slash or dot in it is 404 before the file system is asked,
 * and the resolved path is checked to lie under its root again (a symlink in node_modules
 * pointing out is not followed out).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../http-api.js';

/** Both src/management/routes and dist/management/routes are three levels below the package root. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DASHBOARD_DIR = path.join(PACKAGE_ROOT, 'src', 'management', 'dashboard');

const requireFromHere = createRequire(import.meta.url);
/** The browser libraries, found the way Node finds them (hoisted or not). */
const VENDOR_PACKAGES = ['preact', 'htm', 'uplot'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export function dashboardRoutes(app: FastifyInstance): void {
  const vendorDirs = new Map<string, string>();
  for (const name of VENDOR_PACKAGES) {
    const dir = packageDir(name);
    // not installed (an install without them): the page cannot load, the API still works
    if (dir !== undefined) vendorDirs.set(name, dir);
  }

  app.get('/', (_req, reply) => sendFile(reply, DASHBOARD_DIR, 'index.html'));
  app.get('/dashboard/*', (req, reply) => sendFile(reply, DASHBOARD_DIR, rawTail(req.url, '/dashboard/')));
  app.get('/vendor/:pkg/*', (req, reply) => {
    const pkg = (req.params as Record<string, string>).pkg;
    const dir = vendorDirs.get(pkg);
    if (dir === undefined) throw notFound();
    return sendFile(reply, dir, rawTail(req.url, `/vendor/${pkg}/`));
  });
}

/**
 * A package's directory: from its resolved entry point up to the package.json naming it
 * (`<name>/package.json` is not resolvable for every package: htm's exports do not list it).
 */
function packageDir(name: string): string | undefined {
  let entry: string;
  try {
    entry = requireFromHere.resolve(name);
  } catch {
    return undefined;
  }
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      if ((requireFromHere(path.join(dir, 'package.json')) as { name?: string }).name === name) return dir;
    } catch {
      // no package.json here: keep going up
    }
  }
  return undefined;
}

/** The path after the prefix as the client sent it (undecoded, query dropped), so encoded tricks are seen. */
function rawTail(url: string, prefix: string): string {
  const q = url.indexOf('?');
  const p = q < 0 ? url : url.slice(0, q);
  return p.startsWith(prefix) ? p.slice(prefix.length) : '';
}

/** A relative path made of plain segments only: no `.`/`..`, no empty segment, no escapes but %20. */
function safeRelative(raw: string): string | undefined {
  if (raw === '' || /[\\\0]|%(?!20)/i.test(raw)) return undefined;
  const decoded = raw.replace(/%20/g, ' ');
  const segments = decoded.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return segments.join(path.sep);
}

async function sendFile(reply: FastifyReply, root: string, raw: string): Promise<FastifyReply> {
  const relative = safeRelative(raw);
  const type = relative === undefined ? undefined : CONTENT_TYPES[path.extname(relative).toLowerCase()];
  if (relative === undefined || type === undefined) throw notFound();
  let body: Buffer;
  try {
    const realRoot = await realpath(root);
    const file = await realpath(path.join(root, relative));
    const inside = path.relative(realRoot, file);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) throw notFound();
    if (!(await stat(file)).isFile()) throw notFound();
    body = await readFile(file);
  } catch {
    // missing, a directory, unreadable, or outside: all the same to the client
    throw notFound();
  }
  return reply.code(200).header('content-type', type).header('cache-control', 'no-cache').send(body);
}
