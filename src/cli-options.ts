/**
 * The `warren` command's options in one table: each flag's type, default and help. The same
 * names come from WARREN_<NAME> environment variables (WARREN_DATA_DIR for --data-dir) and
 * from a JSON file given with --config; a value given as a flag wins over a variable, which
 * wins over the file, which wins over the default.
 *
 * Environment variables are shared with everything else on the machine: a CI system's
 * WARREN_VERSION or a script's WARREN_BIN are none of Warren's business, so a WARREN_* name
 * that is no option is reported (one warning line) and ignored. A misspelt flag or config-file
 * key is the user talking to Warren, and stays an error.
 */
import { readFileSync } from 'node:fs';
import { DEFAULTS } from './config.js';

interface OptionSpec {
  readonly type: 'number' | 'string' | 'boolean';
  readonly default: number | string | boolean;
  readonly describe: string;
  readonly choices?: readonly string[];
  /** More variables read when WARREN_<NAME> is not set (RabbitMQ's image's names). */
  readonly alsoFrom?: readonly string[];
}

export const CLI_OPTIONS = {
  port: { type: 'number', default: DEFAULTS.port, describe: 'TCP port (0 = any free port)' },
  host: { type: 'string', default: DEFAULTS.host, describe: 'address to listen on' },
  'data-dir': { type: 'string', default: DEFAULTS.dataDir, describe: 'directory for durable data' },
  'log-level': {
    type: 'string', default: DEFAULTS.logLevel, describe: 'log level',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
  },
  'frame-max': { type: 'number', default: DEFAULTS.frameMax, describe: 'largest frame offered to clients (bytes)' },
  'channel-max': { type: 'number', default: DEFAULTS.channelMax, describe: 'most channels per connection' },
  heartbeat: { type: 'number', default: DEFAULTS.heartbeat, describe: 'heartbeat interval offered (seconds, 0 = off)' },
  'max-message-size': { type: 'number', default: DEFAULTS.maxMessageSize, describe: 'largest message body accepted (bytes)' },
  'consumer-timeout': {
    type: 'number', default: DEFAULTS.consumerTimeout,
    describe: 'ms a delivery may stay unacknowledged before its channel is closed (0 = never)',
  },
  'memory-high-watermark': {
    type: 'number', default: DEFAULTS.memoryHighWatermark,
    describe: 'block publishers above this memory use: fraction of RAM (≤1) or bytes',
  },
  fsync: { type: 'boolean', default: DEFAULTS.fsync, describe: 'sync to disk before confirming (false is unsafe: throwaway brokers only)' },
  ephemeral: { type: 'boolean', default: DEFAULTS.ephemeral, describe: 'keep nothing on disk; no data directory' },
  'segment-size': { type: 'number', default: DEFAULTS.segmentSize, describe: 'message store segment file size (bytes)' },
  'default-user': { type: 'string', default: DEFAULTS.defaultUser, describe: 'user created at start', alsoFrom: ['RABBITMQ_DEFAULT_USER'] },
  'default-pass': { type: 'string', default: DEFAULTS.defaultPass, describe: 'its password', alsoFrom: ['RABBITMQ_DEFAULT_PASS'] },
  // access control
  definitions: {
    type: 'string', default: DEFAULTS.definitions,
    describe: 'a RabbitMQ definitions file loaded at every start (users, vhosts, permissions, topology)',
  },
  'loopback-users': {
    type: 'string', default: DEFAULTS.loopbackUsers.join(','),
    describe: 'comma-separated users who may connect only from localhost (RabbitMQ\'s loopback_users)',
  },
  'max-connections': { type: 'number', default: DEFAULTS.maxConnections, describe: 'most client connections at once (0 = no limit)' },
  'handshake-timeout': { type: 'number', default: DEFAULTS.handshakeTimeout, describe: 'ms a client has from connecting to connection.open-ok' },
  'disk-free-limit': {
    type: 'string', default: String(DEFAULTS.diskFreeLimit),
    describe: "RabbitMQ's disk_free_limit: publishers are blocked while the data directory's filesystem has less free space"
      + ' (bytes; 50MB = 50e6, 2GiB = 2*2^30; mem_relative:1.5 = 1.5 x RAM; 0 = off)',
  },
  'management-port': { type: 'number', default: 15672, describe: 'management HTTP API port (0 = any free port, -1 = off)' },
  'prometheus-port': { type: 'number', default: 15692, describe: 'Prometheus metrics port, /metrics (0 = any free port, -1 = off)' },
  // TLS (amqps)
  'tls-port': { type: 'number', default: DEFAULTS.tlsPort, describe: 'amqps port, listening when --tls-cert and --tls-key are given (0 = any free port)' },
  'tls-cert': { type: 'string', default: DEFAULTS.tlsCert, describe: 'PEM certificate (chain) of the server' },
  'tls-key': { type: 'string', default: DEFAULTS.tlsKey, describe: 'PEM private key of the server' },
  'tls-ca': { type: 'string', default: DEFAULTS.tlsCa, describe: 'PEM CA certificates client certificates are checked against' },
  'tls-verify': { type: 'string', default: DEFAULTS.tlsVerify, describe: 'peer: ask clients for a certificate and refuse an invalid one', choices: ['none', 'peer'] },
  'tls-fail-if-no-peer-cert': {
    type: 'boolean', default: DEFAULTS.tlsFailIfNoPeerCert, describe: 'with --tls-verify peer, refuse clients without a certificate',
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof CLI_OPTIONS;
type ValueOf<N extends OptionName> = (typeof CLI_OPTIONS)[N]['type'] extends 'number' ? number
  : (typeof CLI_OPTIONS)[N]['type'] extends 'boolean' ? boolean : string;
export type CliValues = { [N in OptionName]: ValueOf<N> };
type Partial_ = Partial<Record<OptionName, number | string | boolean>>;

const NAMES = Object.keys(CLI_OPTIONS) as OptionName[];
const spec = (name: OptionName): OptionSpec => CLI_OPTIONS[name];

/** The variable an option is read from: --data-dir ← WARREN_DATA_DIR. */
export function envVariable(name: OptionName): string {
  return `WARREN_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** A user mistake in a variable or the config file: the message says which and what is wrong. */
export class OptionError extends Error {}

/** What the environment sets, and the WARREN_* variables that are no option (to warn about). */
export function optionsFromEnv(env: NodeJS.ProcessEnv): { values: Partial_; ignored: string[] } {
  const values: Partial_ = {};
  const known = new Set<string>();
  for (const name of NAMES) {
    const variables = [envVariable(name), ...(spec(name).alsoFrom ?? [])];
    variables.forEach((v) => known.add(v));
    const variable = variables.find((v) => env[v] !== undefined);
    if (variable !== undefined) values[name] = coerce(name, env[variable] as string, variable);
  }
  const ignored = Object.keys(env).filter((v) => v.startsWith('WARREN_') && !known.has(v)).sort();
  return { values, ignored };
}

/** The options of a --config JSON file (keys as the flags, or camelCase). */
export function optionsFromFile(file: string): Partial_ {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new OptionError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OptionError(`config file ${file}: expected a JSON object of options`);
  }
  const values: Partial_ = {};
  for (const [key, value] of Object.entries(parsed)) {
    const name = NAMES.find((n) => n === key || camelCase(n) === key);
    if (name === undefined) throw new OptionError(`config file ${file}: unknown option '${key}'`);
    values[name] = coerce(name, value, `config file ${file}: '${key}'`);
  }
  return values;
}

/** Defaults, then the file, then the environment, then the flags given. */
export function mergeOptions(...layers: Partial_[]): CliValues {
  const out: Partial_ = {};
  for (const name of NAMES) {
    out[name] = spec(name).default;
    for (const layer of layers) if (layer[name] !== undefined) out[name] = layer[name];
  }
  return out as CliValues;
}

function coerce(name: OptionName, raw: unknown, where: string): number | string | boolean {
  const s = spec(name);
  let value: number | string | boolean | undefined;
  if (s.type === 'number') {
    value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (Number.isNaN(value)) throw new OptionError(`${where}: expected a number, got '${String(raw)}'`);
  } else if (s.type === 'boolean') {
    value = typeof raw === 'boolean' ? raw : BOOLEAN_WORDS[String(raw).toLowerCase()];
    if (value === undefined) throw new OptionError(`${where}: expected true or false, got '${String(raw)}'`);
  } else {
    value = String(raw);
    if (s.choices !== undefined && !s.choices.includes(value)) {
      throw new OptionError(`${where}: '${value}' is not one of ${s.choices.join(', ')}`);
    }
  }
  return value;
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, 1: true, 0: false, yes: true, no: false };

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
