/**
 * The node and its operations: status, await_startup, purge_queue, delete_queue,
 * close_connection, export_definitions, import_definitions.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CtlError, EXIT, Unreachable, UsageError } from './errors.js';
import { apiPath, errorReason } from './http-client.js';
import type { Context, Verb } from './verb.js';

type Json = Record<string, unknown>;

/** What each listener is for, in rabbitmqctl status' words. */
const PURPOSE: Record<string, string> = {
  amqp: 'AMQP 0-9-1',
  'amqp/ssl': 'AMQP 0-9-1 over TLS',
  http: 'HTTP API',
  'http/prometheus': 'Prometheus exporter API over HTTP',
  clustering: 'inter-node and CLI tool communication',
};

const UNITS: Record<string, { div: number; label: string }> = {
  bytes: { div: 1, label: 'bytes' },
  mb: { div: 1e6, label: 'mb' },
  gb: { div: 1e9, label: 'gb' },
};

function amount(bytes: unknown, unit: { div: number; label: string }): string {
  if (typeof bytes !== 'number') return '(unknown)';
  const v = unit.div === 1 ? bytes : Math.round((bytes / unit.div) * 10_000) / 10_000;
  return `${v} ${unit.label}`;
}

/** The status text: rabbitmqctl's sections, with what the API tells about a Warren node. */
export function statusText(overview: Json, node: Json, vhostCount: number, unitName: string, bold: boolean): string {
  const unit = UNITS[unitName] ?? UNITS.gb;
  const h = (t: string) => (bold ? `\u001b[1m${t}\u001b[0m` : t);
  const totals = (overview.object_totals ?? {}) as Json;
  const out: string[] = [];
  out.push(h('Runtime'), '');
  if (node.os_pid !== undefined) out.push(`OS PID: ${String(node.os_pid)}`);
  if (typeof node.uptime === 'number') out.push(`Uptime (seconds): ${Math.floor(node.uptime / 1000)}`);
  out.push(`Product name: ${String(overview.product_name ?? 'RabbitMQ')}`);
  out.push(`Product version: ${String(overview.product_version ?? '')}`);
  out.push(`RabbitMQ version: ${String(overview.rabbitmq_version ?? '')}`);
  out.push(`Node name: ${String(overview.node ?? node.name ?? '')}`);
  out.push('', h('Alarms'), '');
  const alarms: string[] = [];
  if (node.mem_alarm === true) alarms.push(`Memory alarm on node ${String(node.name)}`);
  if (node.disk_free_alarm === true) alarms.push(`Free disk space alarm on node ${String(node.name)}`);
  out.push(...(alarms.length > 0 ? alarms : ['(none)']));
  out.push('', h('Memory'), '');
  out.push(`Total memory used: ${amount(node.mem_used, unit)}`);
  if (typeof node.mem_limit === 'number') out.push(`Memory high watermark: ${amount(node.mem_limit, unit)}`);
  if (node.disk_free !== undefined || node.disk_free_limit !== undefined) {
    out.push('', h('Free Disk Space'), '');
    out.push(`Low free disk space watermark: ${amount(node.disk_free_limit, unit)}`);
    out.push(`Free disk space: ${amount(node.disk_free, unit)}`);
  }
  out.push('', h('Totals'), '');
  out.push(`Connection count: ${String(totals.connections ?? 0)}`);
  out.push(`Queue count: ${String(totals.queues ?? 0)}`);
  out.push(`Virtual host count: ${vhostCount}`);
  out.push('', h('Listeners'), '');
  const listeners = Array.isArray(overview.listeners) ? overview.listeners as Json[] : [];
  for (const l of listeners) {
    const ip = String(l.ip_address ?? '');
    const iface = ip.includes(':') ? `[${ip}]` : ip;
    out.push(`Interface: ${iface}, port: ${String(l.port)}, protocol: ${String(l.protocol)}, purpose: ${PURPOSE[String(l.protocol)] ?? String(l.protocol)}`);
  }
  return out.map((l) => `${l}\n`).join('');
}

function timeoutOf(ctx: Context, defaultMs: number): number {
  return ctx.timeoutMs ?? defaultMs;
}

export const nodeVerbs: Verb[] = [
  {
    name: 'status',
    usage: 'status [--unit <unit>] [--timeout <timeout>]',
    description: 'Displays status of a node',
    minArgs: 0,
    maxArgs: 0,
    options: { unit: { type: 'string' } },
    async run(ctx) {
      const unitName = typeof ctx.opts.unit === 'string' ? ctx.opts.unit.toLowerCase() : 'gb';
      if (UNITS[unitName] === undefined) throw new UsageError(`Bad argument: unit '${unitName}' is not one of bytes, mb, gb`, EXIT.dataerr);
      const overview = await ctx.api.get<Json>(apiPath('overview'));
      const nodes = await ctx.api.get<Json[]>(apiPath('nodes'));
      const vhosts = await ctx.api.get<Json[]>(apiPath('vhosts'));
      const node = nodes.find((n) => n.name === overview.node) ?? nodes[0] ?? {};
      if (ctx.formatter === 'json') {
        ctx.io.stdout(`${JSON.stringify({ overview, node, vhost_count: vhosts.length })}\n`);
        return;
      }
      ctx.banner(`Status of node ${String(overview.node)} ...`);
      ctx.io.stdout(statusText(overview, node, vhosts.length, unitName, ctx.io.isTty));
    },
  },
  {
    name: 'await_startup',
    usage: 'await_startup [--timeout <timeout>]',
    description: 'Waits for the node to start (its management API to answer)',
    minArgs: 0,
    maxArgs: 0,
    async run(ctx) {
      // rabbitmqctl waits 300 s by default; -t shortens it
      const deadline = Date.now() + timeoutOf(ctx, 300_000);
      for (;;) {
        try {
          const res = await ctx.api.request('GET', apiPath('overview'));
          if (res.status === 200) return;
        } catch (err) {
          // not up yet: keep trying until the deadline; anything else (a 403) is an answer
          if (!(err instanceof Unreachable) && !(err instanceof CtlError && err.exitCode === EXIT.tempfail)) throw err;
          if (Date.now() >= deadline) throw err;
        }
        if (Date.now() >= deadline) throw new Unreachable(ctx.api.url, 'the node did not become ready before the timeout');
        await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
      }
    },
  },
  {
    name: 'purge_queue',
    usage: 'purge_queue [--vhost <vhost>] <queue>',
    description: 'Purges a queue (removes all messages in it)',
    minArgs: 1,
    maxArgs: 1,
        async run(ctx, [queue]) {
      ctx.banner(`Purging queue '${queue}' in vhost '${ctx.vhost}' ...`);
      const res = await ctx.api.request('DELETE', `${apiPath('queues', ctx.vhost, queue)}/contents`);
      if (res.status === 404) throw new CtlError(EXIT.unavailable, 'not_found');
      if (res.status >= 300) throw new CtlError(EXIT.unavailable, errorReason(res.body));
    },
  },
  {
    name: 'delete_queue',
    usage: 'delete_queue [--vhost <vhost>] <queue_name> [--if-empty|-e] [--if-unused|-u]',
    description: 'Deletes a queue',
    minArgs: 1,
    maxArgs: 1,
    options: { 'if-empty': { type: 'boolean', alias: 'e' }, 'if-unused': { type: 'boolean', alias: 'u' } },
    async run(ctx, [queue]) {
      if (queue === '') throw new UsageError('Bad argument: queue name cannot be an empty string', EXIT.dataerr);
      const ifEmpty = ctx.opts['if-empty'] === true;
      const ifUnused = ctx.opts['if-unused'] === true;
      const conditions = [ifEmpty ? 'if queue is empty ' : '', ifUnused ? 'if queue is unused ' : ''].filter((c) => c !== '');
      ctx.banner(`Deleting queue '${queue}' on vhost '${ctx.vhost}' ${conditions.join('and ')}...`);
      const q = await ctx.api.find<Json>(apiPath('queues', ctx.vhost, queue));
      if (q === undefined) throw new CtlError(EXIT.usage, 'No such queue was found');
      const query = [ifEmpty ? 'if-empty=true' : '', ifUnused ? 'if-unused=true' : ''].filter((x) => x !== '').join('&');
      const res = await ctx.api.request('DELETE', apiPath('queues', ctx.vhost, queue) + (query === '' ? '' : `?${query}`));
      if (res.status === 404) throw new CtlError(EXIT.usage, 'No such queue was found');
      if (res.status === 400) {
        const reason = errorReason(res.body);
        if (/not empty/.test(reason)) throw new CtlError(EXIT.usage, 'The queue is not empty');
        if (/in use/.test(reason)) throw new CtlError(EXIT.usage, 'The queue is in use');
        throw new CtlError(EXIT.usage, reason);
      }
      if (res.status >= 300) throw new CtlError(EXIT.unavailable, errorReason(res.body));
      // the API's DELETE says no count: the one read just before is what rabbitmqctl reports
      ctx.banner(`Queue was successfully deleted with ${String(q.messages_ready ?? q.messages ?? 0)} ready messages`);
    },
  },
  {
    name: 'close_connection',
    usage: 'close_connection <connection name> <explanation>',
    description: 'Instructs the broker to close the connection (its name as list_connections name shows it)',
    minArgs: 2,
    maxArgs: 2,
    async run(ctx, [name, explanation]) {
      ctx.banner(`Closing connection ${name}, reason: ${explanation}...`);
      const res = await ctx.api.request('DELETE', apiPath('connections', name), undefined, { 'x-reason': explanation });
      // a connection already gone is not an error, as for rabbitmqctl given a dead pid
      if (res.status === 404) return;
      if (res.status >= 300) throw new CtlError(EXIT.unavailable, errorReason(res.body));
    },
  },
  {
    name: 'export_definitions',
    usage: 'export_definitions <file_path | "-"> [--format <json>] [--timeout <timeout>]',
    description: 'Exports definitions in JSON',
    minArgs: 1,
    maxArgs: 1,
    options: { format: { type: 'string' } },
    async run(ctx, [file]) {
      checkFormat(ctx);
      if (file !== '-') {
        const dir = path.dirname(path.resolve(file));
        if (!existsSync(dir)) throw new UsageError(`Bad argument: Directory ${path.dirname(file)} does not exist`, EXIT.dataerr);
        ctx.banner(`Exporting definitions in JSON to a file at "${file}" ...`);
      }
      const res = await ctx.api.request('GET', apiPath('definitions'));
      if (res.status !== 200) throw new CtlError(EXIT.unavailable, errorReason(res.body));
      const text = JSON.stringify(res.body);
      if (file === '-') {
        ctx.io.stdout(text);
        return;
      }
      try {
        writeFileSync(file, text);
      } catch (err) {
        throw new CtlError(EXIT.dataerr, `Could not write to file ${file}: ${(err as Error).message}`);
      }
    },
  },
  {
    name: 'import_definitions',
    usage: 'import_definitions <file_path | "-"> [--format <json>] [--timeout <timeout>]',
    description: 'Imports definitions in JSON',
    minArgs: 0,
    maxArgs: 1,
    options: { format: { type: 'string' }, 'skip-if-unchanged': { type: 'boolean' } },
    async run(ctx, [file]) {
      checkFormat(ctx);
      const fromStdin = file === undefined || file === '-';
      // rabbitmqctl 4 reads "-" as standard input and is then silent (3.10 refused "-")
      const banner = (t: string) => (file === '-' ? undefined : ctx.banner(t));
      let text: string;
      if (fromStdin) {
        banner('Importing definitions in JSON from standard input ...');
        text = await ctx.io.readStdin();
      } else {
        if (!existsSync(file)) throw new UsageError(`Bad argument: File ${file} does not exist`, EXIT.dataerr);
        if (statSync(file).isDirectory()) throw new CtlError(EXIT.dataerr, `Path ${file} is a directory`);
        banner(`Importing definitions in JSON from a file at "${file}" ...`);
        text = readFileSync(file, 'utf8');
        if (text === '') throw new CtlError(EXIT.dataerr, `File ${file} is zero-sized`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new CtlError(EXIT.dataerr, `Failed to deserialise input (format: JSON) (error: ${(err as Error).message})`);
      }
      const res = await ctx.api.request('POST', apiPath('definitions'), parsed);
      if (res.status >= 300) throw new CtlError(EXIT.dataerr, errorReason(res.body));
      banner('Successfully started definition import. This process is asynchronous and can take some time. Watch target node logs for completion.');
    },
  },
];

function checkFormat(ctx: Context): void {
  const f = ctx.opts.format;
  if (f !== undefined && String(f).toLowerCase() !== 'json') {
    throw new UsageError('Bad argument: Format should be json (Warren has no Erlang term format)', EXIT.dataerr);
  }
}
