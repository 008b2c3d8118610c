/**
 * Everything Warren keeps on disk, under the data directory:
 *
 *   warren-format            the directory's format version (data-dir-format.ts)
 *   definitions.log          durable topology of every vhost, as plain records (definitions-log.ts)
 *   vhosts/<vhost>/msgs.*    the message store of each vhost (message-store.ts)
 *   vhosts/<vhost>/acks.*
 *
 * The store keeps bytes and plain records and knows nothing of exchanges, queues or AMQP
 * methods: the broker maps its topology to Definition records and back
 * (broker/durable-topology.ts), and its durable queues keep positions in the message store
 * (broker/durable-queue-storage.ts). Queue ids — the numbers a record names its queues by — are
 * handed out here and never reused.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { DefinitionsLog, type Definition } from './definitions-log.js';
import { checkDataDirFormat } from './data-dir-format.js';
import { MessageStore } from './message-store.js';
import { MAX_QUEUE_ID } from './record-format.js';
import { recoverMessageStore, type RecoveredMessage, type RecoveryStats } from './segment-recovery.js';
import { nodeFs, type StoreFs } from './store-fs.js';

export interface DataStoreOptions {
  readonly dataDir: string;
  readonly log: Logger;
  /** false: never fdatasync (unsafe; for throwaway brokers). */
  readonly fsync: boolean;
  readonly segmentSize?: number;
  readonly fs?: StoreFs;
}

export class DataStore {
  readonly definitions: DefinitionsLog;
  private readonly messageStores = new Map<string, MessageStore>();
  private nextQueueId = 1;
  private recording = true;
  /**
   * The current topology as records, for rewriting the definitions log when it has grown well
   * past what it describes (set by the broker).
   */
  topologyRecords: (() => Definition[]) | null = null;
  /** Disk alarm: raised with the error, cleared with null. */
  onAlarm: (err: Error | null) => void = () => undefined;

  constructor(readonly options: DataStoreOptions) {
    const io = options.fs ?? nodeFs;
    io.mkdirSync(options.dataDir, { recursive: true });
    checkDataDirFormat(options.dataDir, options.log, io, options.fsync);
    this.definitions = new DefinitionsLog(path.join(options.dataDir, 'definitions.log'), options.log, options.fsync, io);
  }

  /** The message store of a vhost (opened on first use). */
  messagesFor(vhost: string): MessageStore {
    let store = this.messageStores.get(vhost);
    if (store === undefined) {
      store = new MessageStore({
        dir: this.vhostDir(vhost),
        log: this.options.log,
        fsync: this.options.fsync,
        segmentSize: this.options.segmentSize,
        fs: this.options.fs,
      });
      store.onAlarm = (err) => this.onAlarm(err);
      this.messageStores.set(vhost, store);
    }
    return store;
  }

  /** Whether the vhost's message store is open (once opened, it stays open until close()). */
  hasMessagesFor(vhost: string): boolean {
    return this.messageStores.has(vhost);
  }

  /** The definition records on disk, in order; the queue ids they name are never handed out again. */
  loadDefinitions(): Definition[] {
    const defs = this.definitions.load();
    for (const d of defs) {
      if (d.op === 'next-queue-id') this.nextQueueId = Math.max(this.nextQueueId, d.value);
      else if (d.op === 'queue') this.nextQueueId = Math.max(this.nextQueueId, d.id + 1);
      // a delayed exchange's held messages are stored under an id of the same series
      else if (d.op === 'exchange' && d.id !== undefined) this.nextQueueId = Math.max(this.nextQueueId, d.id + 1);
    }
    return defs;
  }

  /** Runs `replay` (the broker rebuilding its topology from the records) without recording anything. */
  replaying(replay: () => void): void {
    this.recording = false;
    try {
      replay();
    } finally {
      this.recording = true;
    }
  }

  /** Every reference of `vhost`'s durable queues to a stored message, in log order. */
  recoverMessages(vhost: string, isQueue: (id: number) => boolean, onMessage: RecoveredMessage): RecoveryStats {
    return recoverMessageStore(this.messagesFor(vhost), isQueue, onMessage, this.options.log, this.options.fs);
  }

  /** Records a topology change (written and synced before it returns). */
  record(d: Definition): void {
    if (!this.recording) return;
    this.definitions.append(d);
    if (this.definitions.length > 1000 && this.definitions.length % 1000 === 0) this.compactDefinitions();
  }

  /** Rewrites the definitions log as a snapshot when it has grown well past what it describes. */
  compactDefinitions(): void {
    if (this.topologyRecords === null) return; // nothing to take the log's place yet
    const snapshot: Definition[] = [{ op: 'next-queue-id', value: this.nextQueueId }, ...this.topologyRecords()];
    if (this.definitions.length > 2 * snapshot.length + 100) this.definitions.rewrite(snapshot);
  }

  /**
   * A queue id never used before (the queue's definition record carries it; snapshots keep the
   * counter). Ids must stay below 2^31, the ack entry's delivered flag: past that, declaring a
   * durable queue fails (the declaring connection gets 541 INTERNAL_ERROR and the error is
   * logged) rather than writing ack entries that would read as another queue's delivered marks.
   */
  newQueueId(): number {
    if (this.nextQueueId >= MAX_QUEUE_ID) {
      throw new Error(`durable queue ids exhausted (${MAX_QUEUE_ID} queues were declared over the life of ${this.options.dataDir})`);
    }
    return this.nextQueueId++;
  }

  /** The directory of a vhost's message store. */
  vhostDir(vhost: string): string {
    return vhostDir(this.options.dataDir, vhost);
  }

  async close(): Promise<void> {
    for (const store of this.messageStores.values()) await store.close();
    this.definitions.close();
  }
}

function vhostDir(dataDir: string, vhost: string): string {
  return path.join(dataDir, 'vhosts', encodeURIComponent(vhost));
}

/**
 * At start, before any message store opens: the directories of vhosts deleted since (a deleted
 * vhost's store stays open until shutdown, its messages all belonging to deleted queues).
 */
export function removeDeletedVhostDirs(dataDir: string, vhosts: ReadonlySet<string>, log: Logger): void {
  const root = path.join(dataDir, 'vhosts');
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    let name: string;
    try {
      name = decodeURIComponent(entry);
    } catch {
      continue; // not a directory Warren made
    }
    if (vhosts.has(name) || vhostDir(dataDir, name) !== path.join(root, entry)) continue;
    log.info({ vhost: name }, 'removing the message store of a deleted vhost');
    rmSync(path.join(root, entry), { recursive: true, force: true });
  }
}
