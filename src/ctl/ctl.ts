/**
 * `warren ctl <verb> ...` / `warrenctl <verb> ...`: rabbitmqctl's verbs that scripts use, over
 * the management HTTP API. Where to connect: --url, --username, --password, else
 * WARREN_CTL_URL, WARREN_CTL_USERNAME, WARREN_CTL_PASSWORD, else http://127.0.0.1:15672 as
 * guest/guest. Returns the exit code; nothing here exits the process.
 */
import { findVerb, GLOBAL_OPTIONS, parseArgs } from './args.js';
import { adminVerbs } from './admin-verbs.js';
import { CtlError, EXIT, Unreachable, unreachableMessage, UsageError } from './errors.js';
import { ApiClient } from './http-client.js';
import { listVerbs } from './list-verbs.js';
import { nodeVerbs } from './node-verbs.js';
import type { Context, Io, Verb } from './verb.js';

export type { Io } from './verb.js';

export const VERBS: ReadonlyMap<string, Verb> = new Map(
  [...nodeVerbs, ...listVerbs, ...adminVerbs].map((v) => [v.name, v]),
);

const PREFIX = 'warren ctl [--node <node>] [--url <url>] [--username <user>] [--password <password>] [--quiet]';

function usageOf(v: Verb): string {
  return `Usage\n\n${PREFIX} ${v.usage}\n`;
}

function overallUsage(): string {
  const names = [...VERBS.values()].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(...names.map((v) => v.name.length)) + 3;
  return [
    'Usage', '',
    `${PREFIX} <command> [<command options>]`, '',
    'Available commands:', '',
    ...names.map((v) => `   ${v.name.padEnd(width)}${v.description}`), '',
    'Use \'warren ctl help <command>\' to learn about a specific command.', '',
  ].join('\n');
}

/** Runs one command line (the words after `ctl`); resolves to the exit code. */
export async function runCtl(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const verbName = findVerb(argv);
  if (verbName === undefined || verbName === 'help' || (argv.includes('--help') && verbName === undefined)) {
    const topic = verbName === 'help' ? argv[argv.indexOf('help') + 1] : undefined;
    const v = topic === undefined ? undefined : VERBS.get(topic);
    if (v !== undefined) {
      io.stdout(`${usageOf(v)}\n${v.description}.\n`);
      return EXIT.ok;
    }
    io.stdout(overallUsage());
    return verbName === undefined ? EXIT.usage : EXIT.ok;
  }
  if (verbName === 'version') {
    io.stdout(`${await ownVersion()}\n`);
    return EXIT.ok;
  }
  const verb = VERBS.get(verbName);
  if (verb === undefined) {
    io.stderr(`\nCommand '${verbName}' not found. \n\n${overallUsage()}`);
    return EXIT.usage;
  }
  const given = `Arguments given:\n\t${argv.join(' ')}\n\n`;
  let ctx: Context;
  let args: string[];
  let flushBanners = () => undefined as void;
  try {
    const parsed = parseArgs(argv, verb.options ?? {});
    args = parsed.args;
    const o = parsed.opts;
    if (o.help === true) {
      io.stdout(`${usageOf(verb)}\n${verb.description}.\n`);
      return EXIT.ok;
    }
    if (args.length < verb.minArgs) throw new UsageError('not enough arguments.');
    if (args.length > verb.maxArgs) throw new UsageError('too many arguments.');
    let timeoutMs: number | undefined;
    if (typeof o.timeout === 'string') {
      if (!/^[0-9]+$/.test(o.timeout)) throw new UsageError(`Invalid options for this command:\n-t : ${o.timeout}`);
      timeoutMs = Number(o.timeout) * 1000;
    }
    const formatter = typeof o.formatter === 'string' ? o.formatter : 'table';
    if (formatter !== 'table' && formatter !== 'json') {
      throw new UsageError(`Bad argument: formatter '${formatter}' is not supported (use table or json)`, EXIT.dataerr);
    }
    const quiet = o.quiet === true || o.silent === true;
    const url = str(o.url) ?? env.WARREN_CTL_URL ?? 'http://127.0.0.1:15672';
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
      throw new UsageError(`Bad argument: --url ${url} is not an http:// or https:// URL of the management API`, EXIT.dataerr);
    }
    const api = new ApiClient({
      url,
      username: str(o.username) ?? env.WARREN_CTL_USERNAME ?? 'guest',
      password: str(o.password) ?? env.WARREN_CTL_PASSWORD ?? 'guest',
      timeoutMs: timeoutMs ?? 60_000,
    });
    // banners wait for the node's first answer: for a node down, rabbitmqctl prints none
    const pending: string[] = [];
    let reached = false;
    flushBanners = () => {
      if (pending.length > 0) io.stdout(pending.splice(0).join(''));
    };
    api.onAnswer = () => {
      reached = true;
      flushBanners();
    };
    ctx = {
      api, io, quiet, formatter, timeoutMs, opts: o,
      vhost: str(o.vhost) ?? '/',
      silent: o.silent === true,
      headers: o.silent !== true && o['table-headers'] !== false,
      node: str(o.node) ?? url,
      banner: (text) => {
        if (quiet || formatter === 'json') return;
        pending.push(`${text}\n`);
        if (reached) flushBanners();
      },
    };
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`Error (argument validation): ${err.message}\n${given}${usageOf(verb)}`);
      return err.exitCode;
    }
    throw err;
  }
  try {
    const code = (await verb.run(ctx, args)) ?? EXIT.ok;
    flushBanners();
    return code;
  } catch (err) {
    if (!(err instanceof Unreachable)) flushBanners();
    if (err instanceof UsageError) {
      io.stderr(`Error (argument validation): ${err.message}\n${given}${usageOf(verb)}`);
      return err.exitCode;
    }
    if (err instanceof CtlError) {
      io.stderr(err.render());
      return err.exitCode;
    }
    if (err instanceof Unreachable) {
      io.stderr(unreachableMessage(ctx.node, err.url, err.reason));
      return EXIT.unavailable;
    }
    // a bug: said, with exit 70 (software), rather than a stack trace and a crash
    io.stderr(`Error:\n${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return EXIT.software;
  }
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

async function ownVersion(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The Io of a real process: stdout / stderr written as is, stdin read to its end. */
export function processIo(): Io {
  // a reader that stops early (`warrenctl list_queues | head -1`): end quietly, no stack trace
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`Error:\ncannot write to standard output: ${err.message}\n`);
    process.exit(74); // EX_IOERR
  });
  return {
    stdout: (t) => { process.stdout.write(t); },
    stderr: (t) => { process.stderr.write(t); },
    isTty: process.stdout.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

export { GLOBAL_OPTIONS };
