/**
 * The data directory's format (warren-format), checked when the DataStore opens the directory:
 * a fresh directory is stamped with the current format, a newer or unknown one is refused with
 * a message saying what to do, and a format 1 directory (before warren-format existed: records
 * held the whole basic.publish payload) is migrated in place — only the unacknowledged
 * references kept, delivered marks with them — once, and safely across a crash part way.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_FORMAT, FORMAT_FILE } from '../../src/store/data-dir-format.js';
import { DataStore } from '../../src/store/data-store.js';
import { DefinitionsLog, type Definition } from '../../src/store/definitions-log.js';
import { POSITION_SEGMENT } from '../../src/store/message-store.js';
import { FORMAT_VERSION } from '../../src/store/record-format.js';
import { capturingLog, headerBytes, routingBytes, shortstr, tempDir } from './store-helpers.js';

const silent = pino({ level: 'silent' });
const open = (dataDir: string, log: Logger = silent) => new DataStore({ dataDir, log, fsync: false });
const formatOf = (dir: string) => readFileSync(path.join(dir, FORMAT_FILE), 'utf8');

describe('data directory format', () => {
  it('a fresh directory gets warren-format 3 (segment records stay at 2), and keeps it', async () => {
    const dir = path.join(tempDir(), 'data');
    const store = open(dir);
    expect(FORMAT_VERSION).toBe(2);
    expect(DATA_DIR_FORMAT).toBe(3);
    expect(formatOf(dir).trim()).toBe('3');
    store.loadDefinitions();
    expect(store.recoverMessages('/', () => true, () => undefined).messages).toBe(0);
    await store.close();
    await open(dir).close();
    expect(formatOf(dir).trim()).toBe('3');
  });

  it('a format 2 directory is stamped 3 with its definitions and messages untouched', async () => {
    const dir = tempDir();
    const log = new DefinitionsLog(path.join(dir, 'definitions.log'), silent, false);
    log.append({ op: 'exchange', vhost: '/', name: 'x', type: 'direct', autoDelete: false, internal: false, args: '' });
    log.close();
    writeFileSync(path.join(dir, FORMAT_FILE), '2\n');
    const before = readFileSync(path.join(dir, 'definitions.log'));
    const store = open(dir);
    expect(formatOf(dir).trim()).toBe('3');
    expect(readFileSync(path.join(dir, 'definitions.log'))).toEqual(before);
    expect(store.loadDefinitions()).toEqual([{ op: 'exchange', vhost: '/', name: 'x', type: 'direct', autoDelete: false, internal: false, args: '' }]);
    await store.close();
  });

  it('a directory of a newer format is refused, saying so and what to do; nothing in it is touched', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, FORMAT_FILE), '4\n');
    writeFileSync(path.join(dir, 'definitions.log'), 'whatever format 4 keeps here\n');
    expect(() => open(dir)).toThrow(/newer Warren \(format 4\)/);
    expect(() => open(dir)).toThrow(/another --data-dir/);
    expect(formatOf(dir)).toBe('4\n');
    expect(readFileSync(path.join(dir, 'definitions.log'), 'utf8')).toBe('whatever format 4 keeps here\n');
  });

  it.each(['banana', '', '2.5', '-1'])('a warren-format saying %j is refused too', (text) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, FORMAT_FILE), text);
    expect(() => open(dir)).toThrow(/no format this Warren knows/);
    expect(() => open(dir)).toThrow(/another --data-dir/);
    expect(formatOf(dir)).toBe(text);
  });
});

// ---- format 1, written by hand ----

interface V1Record {
  readonly ids: number[];
  readonly exchange: string;
  readonly key: string;
  readonly body: Buffer;
  readonly header: Buffer;
  readonly timestamp: number;
  readonly acked?: number[];
  readonly delivered?: number[];
}

/** A format 1 file header: magic, version 1, generation. */
function v1Header(magic: string, generation: number): Buffer {
  const b = Buffer.alloc(16);
  b.write(magic, 0, 'latin1');
  b.writeUInt32BE(1, 8);
  b.writeUInt32BE(generation, 12);
  return b;
}

/** The basic.publish method payload: class/method ids, reserved-1, exchange, routing key, bits. */
function publishPayload(exchange: string, key: string): Buffer {
  const ids = Buffer.alloc(6);
  ids.writeUInt32BE(0x003c0028, 0);
  return Buffer.concat([ids, shortstr(exchange), shortstr(key), Buffer.from([0])]);
}

/** A format 1 record: [length][crc32][timestamp][queues][publish][header][body]. */
function v1Record(r: V1Record): Buffer {
  const head = Buffer.alloc(10 + 4 * r.ids.length);
  head.writeDoubleBE(r.timestamp, 0);
  head.writeUInt16BE(r.ids.length, 8);
  r.ids.forEach((id, i) => head.writeUInt32BE(id, 10 + 4 * i));
  const publish = publishPayload(r.exchange, r.key);
  const publishLength = Buffer.alloc(2);
  publishLength.writeUInt16BE(publish.length);
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32BE(r.header.length);
  const payload = Buffer.concat([head, publishLength, publish, headerLength, r.header, r.body]);
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(4 + payload.length, 0);
  prefix.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([prefix, payload]);
}

/** A format 1 segment and its ack file (acks and delivered marks in record order, then `ackTail`). */
function v1Segment(records: V1Record[], o: { generation?: number; tail?: Buffer; ackTail?: Buffer } = {}): { segment: Buffer; acks: Buffer } {
  const generation = o.generation ?? 0;
  const parts = [v1Header('WARRENSG', generation)];
  const entries: Buffer[] = [v1Header('WARRENAK', generation)];
  let offset = 16;
  for (const r of records) {
    const bytes = v1Record(r);
    parts.push(bytes);
    for (const [ids, flag] of [[r.delivered ?? [], 0x8000_0000], [r.acked ?? [], 0]] as const) {
      for (const id of ids) {
        const e = Buffer.alloc(8);
        e.writeUInt32BE((id | flag) >>> 0, 0);
        e.writeUInt32BE(offset, 4);
        entries.push(e);
      }
    }
    offset += bytes.length;
  }
  if (o.tail) parts.push(o.tail);
  if (o.ackTail) entries.push(o.ackTail);
  return { segment: Buffer.concat(parts), acks: Buffer.concat(entries) };
}

const T0 = 1_700_000_000_000;
const big = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff));
const textHeader = (size: number) => {
  // class 60, weight, body size, flags: content-type and delivery-mode
  const b = Buffer.concat([headerBytes(size).subarray(0, 12), Buffer.from([0x90, 0x00]), shortstr('text/plain'), Buffer.from([2])]);
  return b;
};
const rec = (ids: number[], body: string | Buffer, more: Partial<V1Record> = {}): V1Record => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { ids, exchange: 'x', key: 'k', body: b, header: headerBytes(b.length), timestamp: T0, ...more };
};

/** Segments of vhost '/' (queues 1 and 2; 3 was deleted) and of vhost 'other' (queue 5). */
const ROOT: V1Record[][] = [
  [
    rec([1, 2], 'a0', { acked: [1], delivered: [2], exchange: '', key: 'q', timestamp: T0 + 1 }),
    rec([1], 'a1', { acked: [1] }),
    rec([1, 2], big, { delivered: [1], timestamp: T0 + 2 }),
    rec([2], 'a3', { header: textHeader(2), exchange: 'amq.topic', key: 'a.b.c', timestamp: T0 + 3 }),
    rec([1, 2], 'a4', { delivered: [1, 2], acked: [1, 2] }),
    rec([3], 'a5'),
  ],
  [rec([1], 'a6', { delivered: [1], acked: [1] })],
  [rec([1], 'a7', { delivered: [1], timestamp: T0 + 7 }), rec([2], 'a8', { timestamp: T0 + 8 })],
];
const OTHER: V1Record[] = [rec([5], 'o0', { delivered: [5], timestamp: T0 + 9 }), rec([5], 'o1', { acked: [5] })];

/** What recovery must find in '/' after the migration: (queue, body, delivered), in log order. */
const ROOT_REFS: [number, string, boolean][] = [
  [2, 'a0', true], [1, big.toString('hex'), true], [2, big.toString('hex'), false], [2, 'a3', false], [1, 'a7', true], [2, 'a8', false],
];
/** Queue 3's record is kept by the migration (it knows no queues) and skipped by recovery. */
const ROOT_QUEUES = new Set([1, 2]);

const DEFINITIONS: Definition[] = [
  { op: 'queue', vhost: '/', name: 'one', id: 1, autoDelete: false, args: '' },
  { op: 'queue', vhost: '/', name: 'two', id: 2, autoDelete: false, args: '' },
  { op: 'queue', vhost: 'other', name: 'five', id: 5, autoDelete: false, args: '' },
];

const segName = (n: number) => `msgs.${String(n).padStart(10, '0')}`;
const ackName = (n: number) => `acks.${String(n).padStart(10, '0')}`;

/** A format 1 data directory; returns its files (relative path → bytes) as written. */
function format1Dir(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  ROOT.forEach((records, i) => {
    const last = i === ROOT.length - 1;
    // the last segment ends in a torn record, its ack file in a torn entry (a crash mid-write)
    const { segment, acks } = v1Segment(records, last ? { tail: v1Record(rec([1], 'torn')).subarray(0, 10), ackTail: Buffer.from([0, 0, 1]) } : {});
    files.set(`vhosts/%2F/${segName(i + 1)}`, segment);
    files.set(`vhosts/%2F/${ackName(i + 1)}`, acks);
  });
  const other = v1Segment(OTHER, { generation: 3 });
  files.set(`vhosts/other/${segName(1)}`, other.segment);
  files.set(`vhosts/other/${ackName(1)}`, other.acks);
  for (const [name, data] of files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  }
  const defs = new DefinitionsLog(path.join(dir, 'definitions.log'), silent, false);
  for (const d of DEFINITIONS) defs.append(d);
  defs.close();
  files.set('definitions.log', readFileSync(path.join(dir, 'definitions.log')));
  return files;
}

/** Every file under `dir`: relative path → bytes. */
function snapshot(dir: string, sub = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(path.join(dir, sub))) {
    const rel = sub === '' ? name : `${sub}/${name}`;
    if (statSync(path.join(dir, rel)).isDirectory()) for (const [k, v] of snapshot(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(path.join(dir, rel)));
  }
  return out;
}

interface Found {
  queue: number;
  position: number;
  delivered: boolean;
  bodySize: number;
  timestamp: number;
  body: Buffer;
  header: Buffer;
  routing: Buffer;
  headerSeen: Buffer;
}

/** Recovers a vhost's messages and reads every reference back through the message store. */
function recovered(store: DataStore, vhost: string, queues: ReadonlySet<number>): Found[] {
  const refs: Omit<Found, 'body' | 'header' | 'routing'>[] = [];
  store.recoverMessages(vhost, (id) => queues.has(id), (queue, position, delivered, bodySize, record) => {
    refs.push({ queue, position, delivered, bodySize, timestamp: record.timestamp, headerSeen: Buffer.from(record.header()) });
  });
  const messages = store.messagesFor(vhost);
  return refs.map((r) => {
    const { body, header, routing } = messages.read(r.position);
    return { ...r, body, header, routing };
  });
}

const summary = (found: Found[]) => found.map((f): [number, string, boolean] =>
  [f.queue, f.body.length > 100 ? f.body.toString('hex') : f.body.toString(), f.delivered]);

/** The original record of a body, to compare routing, header and timestamp with. */
function original(records: V1Record[][], body: Buffer): V1Record {
  const r = records.flat().find((x) => x.body.equals(body));
  if (r === undefined) throw new Error(`no record with body ${body.toString()}`);
  return r;
}

function fileVersion(file: string): [string, number, number] {
  const b = readFileSync(file);
  return [b.subarray(0, 8).toString('latin1'), b.readUInt32BE(8), b.readUInt32BE(12)];
}

describe('a format 1 data directory', () => {
  it('is migrated at start: exactly the unacknowledged references, readable, with their delivered marks; idempotent', async () => {
    const dir = tempDir();
    format1Dir(dir);
    const { log, lines } = capturingLog();
    const store = open(dir, log);
    expect(formatOf(dir).trim()).toBe(String(DATA_DIR_FORMAT));
    expect(lines.find((l) => /migrated from format 1/.test(l.msg))).toMatchObject({ segments: 4, records: 7 });
    expect(lines.find((l) => /dropped bytes that are no record/.test(l.msg))).toMatchObject({ bytes: 10 }); // the torn record
    for (const [n, generation] of [[1, 1], [2, 1], [3, 1]]) {
      expect(fileVersion(path.join(dir, 'vhosts/%2F', segName(n)))).toEqual(['WARRENSG', 2, generation]);
      expect(fileVersion(path.join(dir, 'vhosts/%2F', ackName(n)))).toEqual(['WARRENAK', 2, generation]);
    }
    expect(fileVersion(path.join(dir, 'vhosts/other', segName(1)))).toEqual(['WARRENSG', 2, 4]);
    expect(readdirSync(path.join(dir, 'vhosts/%2F')).filter((f) => f.endsWith('.migrate'))).toEqual([]);
    expect(store.loadDefinitions()).toEqual(DEFINITIONS); // the definitions log is untouched

    const found = recovered(store, '/', ROOT_QUEUES);
    expect(summary(found)).toEqual(ROOT_REFS);
    for (const f of found) {
      const r = original(ROOT, f.body);
      expect(f.routing.equals(routingBytes(r.exchange, r.key))).toBe(true); // the two short strings, no more
      expect(f.header.equals(r.header)).toBe(true);
      expect(f.headerSeen.equals(r.header)).toBe(true);
      expect([f.timestamp, f.bodySize]).toEqual([r.timestamp, r.body.length]);
    }
    expect(found.map((f) => Math.floor(f.position / POSITION_SEGMENT))).toEqual([1, 1, 1, 1, 3, 3]);
    expect(existsSync(path.join(dir, 'vhosts/%2F', segName(2)))).toBe(false); // nothing live in it: deleted by recovery
    const other = recovered(store, 'other', new Set([5]));
    expect(summary(other)).toEqual([[5, 'o0', true]]);
    expect(other[0].routing.equals(routingBytes('x', 'k'))).toBe(true);
    await store.close();

    // a second start changes nothing and finds the same
    const before = snapshot(dir);
    const again = capturingLog();
    const second = open(dir, again.log);
    expect(snapshot(dir)).toEqual(before);
    expect(again.lines.filter((l) => /migrat/.test(l.msg))).toEqual([]);
    const foundAgain = recovered(second, '/', ROOT_QUEUES);
    expect(foundAgain.map((f) => [f.queue, f.position, f.delivered])).toEqual(found.map((f) => [f.queue, f.position, f.delivered]));
    expect(summary(foundAgain)).toEqual(ROOT_REFS);
    expect(summary(recovered(second, 'other', new Set([5])))).toEqual([[5, 'o0', true]]);
    await second.close();
    expect(snapshot(dir)).toEqual(before);
  });

  /*
   * A crash between segment 1's two renames: segment 1 is in format 2 (holding only what was
   * unacknowledged), its ack file still in format 1. The delivered marks of that segment are
   * lost — they were in the old ack file — but no unacknowledged reference is, and nothing
   * acknowledged comes back.
   */
  it.each([
    ['with the rest migrated and warren-format written', false],
    ['part way: no warren-format, later segments still in format 1, the ack rewrite left as a temporary file', true],
  ])('a crash between a segment\'s rename and its ack file\'s loses no unacknowledged reference (%s)', async (_name, partWay) => {
    const dir = tempDir();
    const v1 = format1Dir(dir);
    await open(dir).close();
    const seg1 = `vhosts/%2F/${segName(1)}`;
    const ack1 = `vhosts/%2F/${ackName(1)}`;
    const migratedAcks = readFileSync(path.join(dir, ack1));
    if (partWay) {
      const migratedSegment = readFileSync(path.join(dir, seg1));
      rmSync(dir, { recursive: true });
      format1Dir(dir);
      writeFileSync(path.join(dir, seg1), migratedSegment);
      writeFileSync(path.join(dir, `${ack1}.migrate`), migratedAcks);
      expect(existsSync(path.join(dir, FORMAT_FILE))).toBe(false);
    }
    writeFileSync(path.join(dir, ack1), v1.get(ack1) as Buffer); // the format 1 ack file, back beside the new segment

    const store = open(dir);
    expect(formatOf(dir).trim()).toBe(String(DATA_DIR_FORMAT));
    expect(existsSync(path.join(dir, `${ack1}.migrate`))).toBe(false);
    const found = recovered(store, '/', ROOT_QUEUES);
    const segment1 = (f: Found) => Math.floor(f.position / POSITION_SEGMENT) === 1;
    // exactly the unacknowledged references; the marks of segment 1 were in its old ack file
    expect(summary(found)).toEqual(ROOT_REFS.map(([q, body, delivered], i) => [q, body, segment1(found[i]) ? false : delivered]));
    expect(found.filter(segment1)).toHaveLength(4);
    for (const f of found) expect(f.routing.equals(routingBytes(original(ROOT, f.body).exchange, original(ROOT, f.body).key))).toBe(true);
    expect(fileVersion(path.join(dir, ack1))).toEqual(['WARRENAK', 2, 1]); // recreated for the segment
    expect(summary(recovered(store, 'other', new Set([5])))).toEqual([[5, 'o0', true]]);
    await store.close();

    // and the next start finds the same again
    const second = open(dir);
    expect(summary(recovered(second, '/', ROOT_QUEUES))).toEqual(summary(found));
    await second.close();
  });
});
