/**
 * rabbitmqctl's command line: `<verb> [options] [args]`, options anywhere (scripts put -p before
 * or after the verb), short options grouped (`-qs`), `--no-table-headers`. Parsed with yargs'
 * parser, with number parsing off so that a password or pattern such as `0123` stays a string.
 * Every option a verb does not take is refused as rabbitmqctl does ("Invalid options for this
 * command"), so a typo never silently changes nothing.
 */
import { Parser } from 'yargs/helpers';
import { UsageError } from './errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  alias?: string;
}

/** Options every verb accepts: where to connect, rabbitmqctl's general options. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  node: { type: 'string', alias: 'n' }, // accepted and ignored: Warren is one node, reached by --url
  longnames: { type: 'boolean', alias: 'l' },
  quiet: { type: 'boolean', alias: 'q' },
  silent: { type: 'boolean', alias: 's' },
  timeout: { type: 'string', alias: 't' },
  formatter: { type: 'string' },
  url: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  help: { type: 'boolean', alias: '?' },
  // every verb takes -p, as rabbitmqctl does (scripts pass it everywhere); vhost-scoped ones use it
  vhost: { type: 'string', alias: 'p' },
};

/** Options of the list verbs. */
export const TABLE_OPTIONS: Record<string, OptionSpec> = {
  'table-headers': { type: 'boolean' },
};

export interface Parsed {
  verb: string | undefined;
  args: string[];
  opts: Record<string, string | boolean | undefined>;
}

/** The verb: the first word that is not an option's value (options may precede it). */
export function findVerb(argv: readonly string[]): string | undefined {
  const withValue = new Set<string>();
  for (const [name, s] of Object.entries(GLOBAL_OPTIONS)) {
    if (s.type === 'string') {
      withValue.add(`--${name}`);
      if (s.alias !== undefined) withValue.add(`-${s.alias}`);
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (withValue.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-') || a === '-') return a;
  }
  return undefined;
}

/** Parses argv (without the verb's position known) against the verb's options. */
export function parseArgs(argv: readonly string[], verbOptions: Record<string, OptionSpec>): Parsed {
  const all = { ...GLOBAL_OPTIONS, ...verbOptions };
  const string: string[] = [];
  const boolean: string[] = [];
  const alias: Record<string, string[]> = {};
  for (const [name, s] of Object.entries(all)) {
    (s.type === 'string' ? string : boolean).push(name);
    if (s.alias !== undefined) alias[name] = [s.alias];
  }
  const r = Parser.detailed([...argv], {
    string, boolean, alias,
    configuration: {
      'parse-numbers': false, 'parse-positional-numbers': false, 'camel-case-expansion': false,
      'dot-notation': false, 'duplicate-arguments-array': false, 'boolean-negation': true,
    },
  });
  if (r.error) throw new UsageError(r.error.message);
  const known = new Set<string>(['_', '--']);
  for (const [name, s] of Object.entries(all)) {
    known.add(name);
    if (s.alias !== undefined) known.add(s.alias);
  }
  const invalid: string[] = [];
  const opts: Record<string, string | boolean | undefined> = {};
  for (const [k, v] of Object.entries(r.argv)) {
    if (!known.has(k)) {
      invalid.push(`${k.length === 1 ? '-' : '--'}${k} : ${v === true ? '' : String(v)}`);
      continue;
    }
    if (k === '_' || k === '--') continue;
    if (all[k] === undefined) continue; // an alias: its long name carries the same value
    opts[k] = typeof v === 'boolean' ? v : String(v);
  }
  // a string option given without its value (`list_queues -p`) is invalid, as in rabbitmqctl
  for (const [name, s] of Object.entries(all)) {
    if (s.type === 'string' && opts[name] === '' && argvHasOption(argv, name, s.alias)) {
      invalid.push(`${s.alias !== undefined ? `-${s.alias}` : `--${name}`} : `);
    }
  }
  if (invalid.length > 0) throw new UsageError(`Invalid options for this command:\n${invalid.join('\n')}`);
  const positional = (r.argv._ as (string | number)[]).map(String);
  const verbAt = positional.length > 0 ? 0 : -1;
  return { verb: positional[verbAt], args: positional.slice(1), opts };
}

/** Whether the option was written as the last word, or with nothing after it. */
function argvHasOption(argv: readonly string[], name: string, short: string | undefined): boolean {
  return argv.some((a, i) => (a === `--${name}` || (short !== undefined && a === `-${short}`)) && (i === argv.length - 1 || argv[i + 1].startsWith('-')));
}

/**
 * list_queues' columns: words or comma-separated lists (`name,messages consumers`), each checked
 * against the verb's info keys; rabbitmqctl names every unknown one in one message.
 */
export function infoKeys(args: readonly string[], allowed: readonly string[], defaults: readonly string[]): string[] {
  const keys = args.flatMap((a) => a.split(',')).map((k) => k.trim()).filter((k) => k !== '');
  if (keys.length === 0) return [...defaults];
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new UsageError(`Info key(s) ${unknown.join(',')} are not supported`);
  return keys;
}
