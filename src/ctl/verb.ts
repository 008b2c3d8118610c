/**
 * What a verb is: its usage line (printed after an argument error), how many positional
 * arguments it takes, its own options, and what it does with a Context — the API client, the
 * general options already interpreted, and where output goes.
 */
import type { OptionSpec } from './args.js';
import type { ApiClient } from './http-client.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Everything on standard input (import_definitions -). */
  readStdin(): Promise<string>;
  isTty: boolean;
}

export interface Context {
  api: ApiClient;
  io: Io;
  /** The vhost (-p), "/" when not given. */
  vhost: string;
  /** -q or -s: no informational lines. */
  quiet: boolean;
  /** -s: nor the header row. */
  silent: boolean;
  /** --no-table-headers (or -s). */
  headers: boolean;
  formatter: 'table' | 'json';
  /** -t in milliseconds, when given. */
  timeoutMs: number | undefined;
  opts: Record<string, string | boolean | undefined>;
  /** The node name scripts passed with -n, or the URL. */
  node: string;
  /** An informational line ("Listing queues for vhost / ..."): stdout, unless -q / -s / json. */
  banner(text: string): void;
}

export interface Verb {
  name: string;
  /** After "warren ctl [--node <node>] [--quiet] ". */
  usage: string;
  description: string;
  minArgs: number;
  maxArgs: number;
  options?: Record<string, OptionSpec>;
  /** The verb's exit code (0 unless it reports a problem without throwing). */
  run(ctx: Context, args: string[]): Promise<number | void>;
}
