#!/usr/bin/env node
/**
 * `npx warren` / `npm start`: runs the broker in this process. Every flag can also come from an
 * environment variable WARREN_<FLAG> (e.g. WARREN_PORT) or a JSON file given with --config;
 * RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS work too, so setups written for the RabbitMQ
 * image carry over. SIGTERM / SIGINT close clients with CONNECTION_FORCED and exit 0.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { startBroker } from './broker.js';
import { DEFAULTS } from './config.js';

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('warren')
    .usage('$0 [options]: an AMQP 0-9-1 broker wire-compatible with RabbitMQ')
    .env('WARREN')
    .config('config', 'a JSON file of options (same names as the flags)')
    .options({
      port: { type: 'number', default: DEFAULTS.port, describe: 'TCP port (0 = any free port)' },
      host: { type: 'string', default: DEFAULTS.host, describe: 'address to listen on' },
      'data-dir': { type: 'string', default: DEFAULTS.dataDir, describe: 'directory for durable data' },
      'log-level': { type: 'string', default: DEFAULTS.logLevel, choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
      'frame-max': { type: 'number', default: DEFAULTS.frameMax, describe: 'largest frame offered to clients (bytes)' },
      'channel-max': { type: 'number', default: DEFAULTS.channelMax, describe: 'most channels per connection' },
      heartbeat: { type: 'number', default: DEFAULTS.heartbeat, describe: 'heartbeat interval offered (seconds, 0 = off)' },
      'max-message-size': { type: 'number', default: DEFAULTS.maxMessageSize, describe: 'largest message body accepted (bytes)' },
      'consumer-timeout': { type: 'number', default: DEFAULTS.consumerTimeout, describe: 'ms a delivery may stay unacknowledged before its channel is closed (0 = never)' },
      'memory-high-watermark': { type: 'number', default: DEFAULTS.memoryHighWatermark, describe: 'block publishers above this memory use: fraction of RAM (≤1) or bytes' },
      fsync: { type: 'boolean', default: DEFAULTS.fsync, describe: 'sync to disk before confirming (false is unsafe: throwaway brokers only)' },
      ephemeral: { type: 'boolean', default: DEFAULTS.ephemeral, describe: 'keep nothing on disk; no data directory' },
      'segment-size': { type: 'number', default: DEFAULTS.segmentSize, describe: 'message store segment file size (bytes)' },
      'default-user': { type: 'string', default: process.env.RABBITMQ_DEFAULT_USER ?? DEFAULTS.defaultUser },
      'default-pass': { type: 'string', default: process.env.RABBITMQ_DEFAULT_PASS ?? DEFAULTS.defaultPass },
    })
    .strict()
    .help()
    .parseAsync();

  const handle = await startBroker({
    port: argv.port,
    host: argv.host,
    dataDir: argv['data-dir'],
    logLevel: argv['log-level'],
    frameMax: argv['frame-max'],
    channelMax: argv['channel-max'],
    heartbeat: argv.heartbeat,
    maxMessageSize: argv['max-message-size'],
    consumerTimeout: argv['consumer-timeout'],
    memoryHighWatermark: argv['memory-high-watermark'],
    fsync: argv.fsync,
    ephemeral: argv.ephemeral,
    segmentSize: argv['segment-size'],
    defaultUser: argv['default-user'],
    defaultPass: argv['default-pass'],
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1); // a second signal: do not wait
    stopping = true;
    handle.broker.log.info({ signal }, 'stopping: closing client connections');
    handle.close().then(() => {
      handle.broker.log.info('stopped');
      process.exit(0);
    }, (err: unknown) => {
      handle.broker.log.error({ err }, 'error while stopping');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
