#!/usr/bin/env node
/**
 * `npx warren` / `npm start`: runs the broker in this process. Options come from flags,
 * WARREN_* environment variables and a JSON file given with --config (cli-options.ts);
 * RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS work too, so setups written for the RabbitMQ
 * image carry over. SIGTERM / SIGINT close clients with CONNECTION_FORCED and exit 0.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { pino } from 'pino';
import { startBroker } from './broker.js';
import {
  CLI_OPTIONS, envVariable, mergeOptions, optionsFromEnv, optionsFromFile, type OptionName,
} from './cli-options.js';

async function main(): Promise<void> {
  // `warren ctl <verb>`: the rabbitmqctl-style client of a running broker's HTTP API, not the broker
  if (process.argv[2] === 'ctl') {
    const { processIo, runCtl } = await import('./ctl/ctl.js');
    process.exitCode = await runCtl(process.argv.slice(3), processIo());
    return;
  }
  // flags only (no defaults here, so that a flag not given leaves room for the environment)
  const flagOptions = Object.fromEntries(Object.entries(CLI_OPTIONS).map(([name, s]) => [name, {
    type: s.type, describe: `${s.describe} [env ${envVariable(name as OptionName)}]`,
    defaultDescription: String(s.default), ...('choices' in s ? { choices: s.choices } : {}),
  }]));
  const argv = await yargs(hideBin(process.argv))
    .scriptName('warren')
    .usage('$0 [options]: an AMQP 0-9-1 broker wire-compatible with RabbitMQ')
    .options({ ...flagOptions, config: { type: 'string', describe: 'a JSON file of options (same names as the flags)' } })
    .strict()
    .help()
    .parseAsync();
  const flags: Partial<Record<OptionName, number | string | boolean>> = {};
  for (const name of Object.keys(CLI_OPTIONS) as OptionName[]) {
    const v = (argv as Record<string, unknown>)[name];
    if (v !== undefined) flags[name] = v as number | string | boolean;
  }
  const file = typeof argv.config === 'string' ? optionsFromFile(argv.config) : {};
  const env = optionsFromEnv(process.env);
  const o = mergeOptions(file, env.values, flags);

  const log = pino({ level: o['log-level'], base: { name: 'warren' } });
  if (env.ignored.length > 0) {
    log.warn({ variables: env.ignored }, `ignoring environment variables that name no Warren option: ${env.ignored.join(', ')}`);
  }
  const handle = await startBroker({
    port: o.port,
    host: o.host,
    dataDir: o['data-dir'],
    logLevel: o['log-level'],
    logger: log,
    frameMax: o['frame-max'],
    channelMax: o['channel-max'],
    heartbeat: o.heartbeat,
    maxMessageSize: o['max-message-size'],
    consumerTimeout: o['consumer-timeout'],
    memoryHighWatermark: o['memory-high-watermark'],
    fsync: o.fsync,
    ephemeral: o.ephemeral,
    segmentSize: o['segment-size'],
    defaultUser: o['default-user'],
    defaultPass: o['default-pass'],
    definitions: o.definitions,
    loopbackUsers: o['loopback-users'].split(',').map((u) => u.trim()).filter((u) => u !== ''),
    maxConnections: o['max-connections'],
    handshakeTimeout: o['handshake-timeout'],
    managementPort: o['management-port'],
    prometheusPort: o['prometheus-port'],
    diskFreeLimit: /^[0-9]+$/.test(o['disk-free-limit']) ? Number(o['disk-free-limit']) : o['disk-free-limit'],
    tlsPort: o['tls-port'],
    tlsCert: o['tls-cert'],
    tlsKey: o['tls-key'],
    tlsCa: o['tls-ca'],
    tlsVerify: o['tls-verify'] as 'none' | 'peer',
    tlsFailIfNoPeerCert: o['tls-fail-if-no-peer-cert'],
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second signal: do not wait
    stopping = true;
    log.info({ signal }, 'stopping: closing client connections');
    handle.close().then(() => {
      log.info('stopped');
      process.exit(0);
    }, (err: unknown) => {
      log.error({ err }, 'error while stopping');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  // an OptionError's message says which variable, file or flag is wrong: no stack needed
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
