#!/usr/bin/env node
/**
 * `warrenctl <verb> ...`: the same as `warren ctl <verb> ...`, under the name scripts written
 * for rabbitmqctl can be pointed at. The process ends with the verb's exit code once its output
 * is flushed.
 */
import { processIo, runCtl } from './ctl.js';

runCtl(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
}, (err: unknown) => {
  process.stderr.write(`Error:\n${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
