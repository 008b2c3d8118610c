/** Small helpers shared by the message store tests: temporary directories, durability, logs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach } from 'vitest';
import type { MessageStore } from '../../src/store/message-store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A directory removed after the test. */
export function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'warren-store-'));
  dirs.push(d);
  return d;
}

/** Resolves once everything appended so far is on disk (with the error, if it failed). */
export const durable = (s: MessageStore) => new Promise<Error | null>((resolve) => s.whenDurable(resolve));

export interface LogLine { level: number; msg: string; [k: string]: unknown }

/** A logger whose lines (warn and above) are kept for the test to look at. */
export function capturingLog(): { log: Logger; lines: LogLine[]; errors: () => LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => { lines.push(JSON.parse(line) as LogLine); } });
  return { log, lines, errors: () => lines.filter((l) => l.level >= 50) };
}
