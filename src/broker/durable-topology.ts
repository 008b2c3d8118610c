/**
 * Durable topology to the store's plain records and back: what a declare, delete, bind or
 * unbind of a durable thing records (definitions-log.ts's Definition), the whole current
 * topology as records (for a snapshot of the log), and, at start, the records replayed into
 * the vhosts. Arguments are kept as the base64 of their AMQP table encoding, so every field
 * type survives exactly.
 */
import type { Logger } from 'pino';
import { decodeTable, encodeTable, TableFailure, type FieldTable } from '../codec/field-table.js';
import { isAccessDefinition, type AccessDefinition, type Definition } from '../store/definitions-log.js';
import { isExchange, type Destination, type Exchange } from './exchange.js';
import type { DeclaredType } from './exchange.js';
import type { Queue, QueueOptions } from './queue.js';
import type { Policy, PolicyDefinition, PolicyKind } from './policies.js';
import { DEFAULT_QUEUE_CONFIG, queueConfig, type QueueConfig } from './queue-arguments.js';
import type { QueueStorage } from './queue-storage.js';
import { rs } from './resource-names.js';
import type { VirtualHost } from './vhost.js';
import { StoredStreamLog, type StreamStart } from './stream/stream-log.js';

/** Standard exchanges exist in every vhost and are never recorded. */
const isStandardExchange = (name: string) => name === '' || name.startsWith('amq.');

export function exchangeRecord(vhost: string, x: Exchange): Definition {
  const d: Definition = { op: 'exchange', vhost, name: x.name, type: x.type, autoDelete: x.autoDelete, internal: x.internal, args: tableText(x.options.arguments) };
  const held = x.delayed?.storeId ?? -1;
  return held >= 0 ? { ...d, id: held } : d;
}

export function queueRecord(vhost: string, q: Queue): Definition {
  return { op: 'queue', vhost, name: q.name, id: q.storage.storeId, autoDelete: q.autoDelete, args: tableText(q.options.arguments) };
}

export function streamStartRecord(vhost: string, name: string, start: StreamStart): Definition {
  return { op: 'stream-start', vhost, name, offset: start.offset, position: start.position };
}

export function bindingRecord(
  op: 'bind' | 'unbind', vhost: string, source: Exchange, destination: Destination, key: string, args: FieldTable,
): Definition {
  return {
    op, vhost, source: source.name, kind: isExchange(destination) ? 'exchange' : 'queue',
    destination: destination.name, key, args: tableText(args),
  };
}

/** A policy as a record (its definition as JSON text). */
export function policyRecord(kind: PolicyKind, p: Policy): Definition {
  return {
    op: 'policy', vhost: p.vhost, kind, name: p.name, pattern: p.pattern, applyTo: p.applyTo, definition: JSON.stringify(p.definition), priority: p.priority,
  };
}

/** The durable topology of these vhosts as records (a snapshot of the definitions log). */
export function topologyRecords(vhosts: ReadonlyMap<string, VirtualHost>): Definition[] {
  const out: Definition[] = [];
  for (const [name, vhost] of vhosts) {
    for (const kind of ['policy', 'operator'] as const) for (const p of vhost.policies.list(kind)) out.push(policyRecord(kind, p));
    for (const x of vhost.exchanges.values()) {
      if (x.durable && !isStandardExchange(x.name)) out.push(exchangeRecord(name, x));
    }
    for (const q of vhost.queues.values()) {
      if (!q.durable) continue;
      out.push(queueRecord(name, q));
      if (q.storage instanceof StoredStreamLog && q.storage.recordedStart.offset > 0) out.push(streamStartRecord(name, q.name, q.storage.recordedStart));
    }
    for (const x of vhost.exchanges.values()) {
      if (!x.durable || x.isDefault) continue;
      for (const b of x.routing.bindings()) {
        if (b.destination.durable) out.push(bindingRecord('bind', name, x, b.destination, b.routingKey, b.args));
      }
    }
  }
  return out;
}

/** Where a recovered durable queue keeps its messages: the storage for its store id. */
export type RecoveredStorage = (vhost: string, name: string, id: number, options: QueueOptions) => QueueStorage;

export interface DefinitionsReplay {
  /** Users, vhosts and permissions are the access control's (a vhost record opens the vhost). */
  readonly access: (d: AccessDefinition) => void;
  readonly vhosts: ReadonlyMap<string, VirtualHost>;
  readonly storage: RecoveredStorage;
  readonly log: Logger;
}

/**
 * Rebuilds vhosts, users and durable topology from the records, in order (a later record undoes
 * an earlier one: a vhost deleted and created again starts empty).
 */
export function replayDefinitions(records: readonly Definition[], r: DefinitionsReplay): void {
  for (const d of records) {
    if (isAccessDefinition(d)) r.access(d);
    else replayTopologyRecord(d, r.vhosts, r.storage, r.log);
  }
}

type TopologyDefinition = Exclude<Definition, AccessDefinition>;

function replayTopologyRecord(d: TopologyDefinition, vhosts: ReadonlyMap<string, VirtualHost>, storage: RecoveredStorage, log: Logger): void {
  if (d.op === 'next-queue-id') return;
  const vhost = vhosts.get(d.vhost);
  if (vhost === undefined) return;
  switch (d.op) {
    case 'policy':
      vhost.setPolicy(d.kind, {
        vhost: d.vhost, name: d.name, pattern: d.pattern, applyTo: d.applyTo, definition: JSON.parse(d.definition) as PolicyDefinition, priority: d.priority,
      });
      break;
    case 'clear-policy':
      vhost.clearPolicy(d.kind, d.name);
      break;
    case 'exchange':
      if (!vhost.exchanges.has(d.name)) {
        vhost.addExchange(d.name, d.type as DeclaredType, { durable: true, autoDelete: d.autoDelete, internal: d.internal, arguments: table(d.args) }, d.id ?? -1);
      }
      break;
    case 'delete-exchange': {
      const x = vhost.exchanges.get(d.name);
      if (x) vhost.deleteExchange(x, false);
      break;
    }
    case 'queue': {
      const args = table(d.args);
      const options: QueueOptions = {
        durable: true, exclusive: false, autoDelete: d.autoDelete, arguments: args, owner: null,
        config: recoveredConfig(args, d.name, d.vhost, d.autoDelete, log),
      };
      vhost.addQueue(d.name, options, storage(d.vhost, d.name, d.id, options));
      break;
    }
    case 'stream-start': {
      const q = vhost.queues.get(d.name);
      if (q?.storage instanceof StoredStreamLog) q.storage.startFrom({ offset: d.offset, position: d.position });
      break;
    }
    case 'delete-queue': {
      const q = vhost.queues.get(d.name);
      if (q) vhost.deleteQueue(q);
      break;
    }
    case 'bind':
    case 'unbind': {
      const source = vhost.exchanges.get(d.source);
      const dest = d.kind === 'queue' ? vhost.queues.get(d.destination) : vhost.exchanges.get(d.destination);
      if (!source || !dest) break;
      if (d.op === 'bind') vhost.bind(source, dest, d.key, table(d.args));
      else vhost.unbind(source, dest, d.key, table(d.args));
    }
  }
}

/** The config of a recovered queue (its arguments were valid when it was declared). */
function recoveredConfig(args: FieldTable, name: string, vhost: string, autoDelete: boolean, log: Logger): QueueConfig {
  try {
    return queueConfig(args, rs('queue', name, vhost), { durable: true, exclusive: false, autoDelete, serverNamed: false });
  } catch (err) {
    log.warn({ queue: name, err }, 'recovered queue has arguments no longer valid: ignoring them');
    return DEFAULT_QUEUE_CONFIG;
  }
}

function tableText(t: FieldTable): string {
  return t.length === 0 ? '' : encodeTable(t).subarray(4).toString('base64');
}

function table(text: string): FieldTable {
  if (text === '') return [];
  const t = decodeTable(Buffer.from(text, 'base64'));
  return t instanceof TableFailure ? [] : t;
}
