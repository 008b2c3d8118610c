/**
 * The layers point one way (docs/architecture.md): every import in src/ is read and checked
 * against the allowed edges; a forbidden one fails the test, named with both files.
 *
 *   cli, cli-options → config, broker.ts (the composition root) → session → broker → store
 *   broker.ts → definitions (a RabbitMQ definitions file) → access, broker
 *   session → access (users, permissions) → store's record types, codec
 *   session → net → codec; broker → codec; store → codec's byte helpers only
 *   cli → ctl (`warren ctl`: a client of the management API over HTTP, importing nothing of Warren's)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

type Layer = 'cli' | 'ctl' | 'config' | 'root' | 'management' | 'definitions' | 'session' | 'access' | 'broker' | 'store' | 'net' | 'codec';

function layerOf(file: string): Layer {
  const rel = path.relative(SRC, file);
  if (rel === 'cli.ts' || rel === 'cli-options.ts') return 'cli';
  if (rel === 'config.ts') return 'config';
  if (rel === 'broker.ts') return 'root';
  return rel.split(path.sep)[0] as Layer;
}

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  cli: ['ctl', 'config', 'root', 'management', 'definitions', 'session', 'access', 'broker', 'store', 'net', 'codec'],
  ctl: [], // speaks HTTP only: no broker, session or store code in the client
  config: ['store'], // the type of the injectable file system
  root: ['config', 'management', 'definitions', 'session', 'access', 'broker', 'store', 'net', 'codec'],
  management: ['definitions', 'session', 'access', 'broker', 'codec'], // the HTTP API over the broker's state
  definitions: ['access', 'broker', 'codec'], // a definitions file applied through the broker's interface
  session: ['access', 'broker', 'net', 'codec'],
  access: ['store', 'codec'], // the store's record types only
  broker: ['store', 'codec'],
  store: ['codec'],
  net: ['codec'],
  codec: [],
};

/** Codec modules that decode or encode AMQP methods: the store keeps bytes and never uses them. */
const METHOD_CODEC = /^codec\/(method-codec|fast-paths|method-faults|generated\/method-)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)) out.push(m[1]);
  for (const m of text.matchAll(/import\('(\.[^']+)'\)/g)) out.push(m[1]);
  return out.map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
}

describe('layers', () => {
  it('every import in src/ points down, and the store uses no AMQP method codec', () => {
    const forbidden: string[] = [];
    for (const file of sources(SRC)) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        const rel = (f: string) => path.relative(SRC, f);
        if (to !== from && !ALLOWED[from].includes(to)) {
          forbidden.push(`src/${rel(file)} imports src/${rel(target)} (${from} → ${to})`);
        } else if (from === 'store' && METHOD_CODEC.test(rel(target))) {
          forbidden.push(`src/${rel(file)} imports src/${rel(target)} (the store parses no AMQP methods)`);
        }
      }
    }
    expect(forbidden).toEqual([]);
  });

  it('reads imports as written (the rule test can fail)', () => {
    const probe = path.join(SRC, 'store', 'data-store.ts');
    expect(importsOf(probe).length).toBeGreaterThan(0);
  });
});
