/**
 * Definitions that survive a restart: durable exchanges, durable queues (with the id their
 * messages carry in the message store), the bindings between durable things, and the users,
 * vhosts and permissions, as an
 * append-only log of JSON lines, each prefixed with its CRC32 (`1a2b3c4d {"op":…}`). Each change
 * is written and synced before the client hears declare-ok, so a message confirmed into a
 * queue can never outlive the queue's definition. When the log has grown well past what it
 * describes it is rewritten as a snapshot (temporary file, sync, rename).
 */
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from 'pino';
import { syncDirectory, nodeFs, type StoreFs } from './store-fs.js';

export type Definition =
  /** `id`: the store id a delayed-message exchange keeps its held messages under. */
  | { op: 'exchange'; vhost: string; name: string; type: string; autoDelete: boolean; internal: boolean; args: string; id?: number }
  | { op: 'delete-exchange'; vhost: string; name: string }
  | { op: 'queue'; vhost: string; name: string; id: number; autoDelete: boolean; args: string }
  | { op: 'delete-queue'; vhost: string; name: string }
  /** A stream dropped its oldest messages: it now begins at `offset`, stored at `position`. */
  | { op: 'stream-start'; vhost: string; name: string; offset: number; position: number }
  | { op: 'bind' | 'unbind'; vhost: string; source: string; kind: 'queue' | 'exchange'; destination: string; key: string; args: string }
  | { op: 'next-queue-id'; value: number }
  | { op: 'policy'; vhost: string; kind: 'policy' | 'operator'; name: string; pattern: string; applyTo: string; definition: string; priority: number }
  | { op: 'clear-policy'; vhost: string; kind: 'policy' | 'operator'; name: string }
  | AccessDefinition;

/**
 * Users, vhosts and permissions (RabbitMQ keeps them in its database; a definitions file has
 * them too). Written by the access layer, kept here as plain records like the topology.
 */
export type AccessDefinition =
  | { op: 'vhost'; name: string; description: string; tags: string[]; defaultQueueType: string; limits: Record<string, number> }
  | { op: 'delete-vhost'; name: string }
  | { op: 'user'; name: string; passwordHash: string; hashingAlgorithm: string; tags: string[]; limits: Record<string, number> }
  | { op: 'delete-user'; name: string }
  | { op: 'permission'; user: string; vhost: string; configure: string; write: string; read: string }
  | { op: 'clear-permission'; user: string; vhost: string }
  | { op: 'topic-permission'; user: string; vhost: string; exchange: string; write: string; read: string }
  | { op: 'clear-topic-permission'; user: string; vhost: string; exchange: string };

const ACCESS_OPS: ReadonlySet<string> = new Set([
  'vhost', 'delete-vhost', 'user', 'delete-user', 'permission', 'clear-permission', 'topic-permission', 'clear-topic-permission',
]);

export function isAccessDefinition(d: Definition): d is AccessDefinition {
  return ACCESS_OPS.has(d.op);
}

export class DefinitionsLog {
  private fd = -1;
  private appended = 0;

  constructor(
    readonly file: string,
    private readonly log: Logger,
    private readonly fsync: boolean,
    private readonly io: StoreFs = nodeFs,
  ) {}

  /** Reads every intact record; a torn last line (a crash mid-write) is cut off. */
  load(): Definition[] {
    if (!this.io.existsSync(this.file)) return [];
    const data = this.io.readFileSync(this.file);
    const out: Definition[] = [];
    let off = 0;
    while (off < data.length) {
      const nl = data.indexOf(0x0a, off);
      const line = data.toString('utf8', off, nl < 0 ? data.length : nl);
      const def = nl < 0 ? null : parseLine(line);
      if (def === null) {
        this.log.warn({ file: this.file, offset: off, bytes: data.length - off }, 'definitions log: cutting an unreadable tail');
        const fd = this.io.openSync(this.file, 'r+');
        this.io.ftruncateSync(fd, off);
        this.io.closeSync(fd);
        break;
      }
      out.push(def);
      off = nl + 1;
    }
    this.appended = out.length;
    return out;
  }

  append(def: Definition): void {
    if (this.fd < 0) this.fd = this.io.openSync(this.file, 'a');
    const line = Buffer.from(formatLine(def), 'utf8');
    this.io.writeSync(this.fd, line, 0, line.length, null);
    if (this.fsync) this.io.fdatasyncSync(this.fd);
    this.appended++;
  }

  /** Records written since the last snapshot (or since start). */
  get length(): number {
    return this.appended;
  }

  /** Replaces the log with a snapshot of the current state. */
  rewrite(snapshot: readonly Definition[]): void {
    const tmp = `${this.file}.tmp`;
    const fd = this.io.openSync(tmp, 'w');
    const data = Buffer.from(snapshot.map(formatLine).join(''), 'utf8');
    this.io.writeSync(fd, data, 0, data.length, 0);
    if (this.fsync) this.io.fdatasyncSync(fd);
    this.io.closeSync(fd);
    if (this.fd >= 0) this.io.closeSync(this.fd);
    this.fd = -1;
    this.io.renameSync(tmp, this.file);
    if (this.fsync) syncDirectory(this.io, path.dirname(this.file));
    this.appended = snapshot.length;
  }

  close(): void {
    if (this.fd >= 0) this.io.closeSync(this.fd);
    this.fd = -1;
  }
}

function formatLine(def: Definition): string {
  const json = JSON.stringify(def);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

function parseLine(line: string): Definition | null {
  if (line.length < 10 || line[8] !== ' ') return null;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) return null;
  try {
    return JSON.parse(json) as Definition;
  } catch {
    return null;
  }
}
