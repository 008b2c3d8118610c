/**
 * Changes the broker makes to a received content header, made on its bytes: one property
 * replaced, added or removed, or entries of the `headers` table set or removed. Every other
 * byte stays as the publisher sent it — strings that are not valid UTF-8, 'L' integers, the
 * order of table entries, values nested thousands deep — so a consumer receives exactly what
 * was published plus the change, and nothing is decoded that the change does not need.
 */
import { ByteWriter } from './byte-writer.js';
import { CONTENT_HEADER_PREFIX } from './content-header.js';
import { valueEnd, writeTable, type TableEntry } from './field-table.js';
import { PROPERTY_INDEX } from './generated/basic-properties.js';

const FLAGS_AT = CONTENT_HEADER_PREFIX;
const HEADERS = PROPERTY_INDEX.headers;

/** Bytes taken by property `index` at `at` (basic class: shortstr, table, octet or timestamp). */
function propertySize(raw: Buffer, at: number, index: number): number {
  switch (index) {
    case PROPERTY_INDEX.headers: return 4 + raw.readUInt32BE(at);
    case PROPERTY_INDEX.deliveryMode:
    case PROPERTY_INDEX.priority: return 1;
    case PROPERTY_INDEX.timestamp: return 8;
    default: return 1 + raw[at]; // the short strings
  }
}

/** Where property `index` is (or would go) in the header, and where it ends (= start if absent). */
function propertySpan(raw: Buffer, index: number): { start: number; end: number; present: boolean } {
  const flags = raw.readUInt16BE(FLAGS_AT);
  let p = FLAGS_AT + 2;
  for (let i = 0; i < index; i++) if ((flags & (0x8000 >> i)) !== 0) p += propertySize(raw, p, i);
  const present = (flags & (0x8000 >> index)) !== 0;
  return { start: p, end: present ? p + propertySize(raw, p, index) : p, present };
}

/**
 * The header with property `index` set to `encoded` (its wire bytes: a short string with its
 * length octet, a table with its length…) or removed (null).
 */
export function withProperty(raw: Buffer, index: number, encoded: Uint8Array | null): Buffer {
  const { start, end } = propertySpan(raw, index);
  const size = encoded?.length ?? 0;
  const out = Buffer.allocUnsafe(raw.length - (end - start) + size);
  raw.copy(out, 0, 0, start);
  const bit = 0x8000 >> index;
  const flags = raw.readUInt16BE(FLAGS_AT);
  out.writeUInt16BE(encoded === null ? flags & ~bit : flags | bit, FLAGS_AT);
  if (encoded !== null) out.set(encoded, start);
  raw.copy(out, start + size, end);
  return out;
}

/** A short string property's wire bytes. */
export function shortstrProperty(s: string): Buffer {
  const w = new ByteWriter(64);
  w.shortstr(s);
  return Buffer.from(w.take());
}

/**
 * The header with entries of its `headers` table changed: each entry of `set` replaces the
 * first entry of that name where it stands, or is appended; the first entry named in `remove`
 * is dropped (RabbitMQ's lists:keystore and keydelete on the decoded table). A header without
 * a headers table gets one when something is set; when nothing changes the bytes are returned.
 */
export function withHeaderEntries(raw: Buffer, set: readonly TableEntry[], remove: readonly string[] = []): Buffer {
  const span = propertySpan(raw, HEADERS);
  if (!span.present && set.length === 0) return raw;
  const pieces: Buffer[] = [];
  const pending = new Map(set.map((e) => [e.name, e]));
  const removing = new Set(remove);
  let changed = false;
  if (span.present) {
    const end = span.end;
    for (let p = span.start + 4; p < end;) {
      const nameEnd = p + 1 + raw[p];
      const entryEnd = valueEnd(raw, nameEnd);
      const name = raw.toString('latin1', p + 1, nameEnd);
      const replacement = pending.get(name);
      if (replacement !== undefined) {
        pieces.push(encodeEntries([replacement]));
        pending.delete(name);
        changed = true;
      } else if (removing.has(name)) {
        removing.delete(name);
        changed = true;
      } else {
        pieces.push(raw.subarray(p, entryEnd));
      }
      p = entryEnd;
    }
  }
  if (pending.size > 0) {
    pieces.push(encodeEntries([...pending.values()]));
    changed = true;
  }
  if (!changed) return raw;
  const length = pieces.reduce((n, b) => n + b.length, 0);
  const table = Buffer.allocUnsafe(4 + length);
  table.writeUInt32BE(length, 0);
  let at = 4;
  for (const b of pieces) {
    b.copy(table, at);
    at += b.length;
  }
  return withProperty(raw, HEADERS, table);
}

/** Table entries' wire bytes, without the table's length prefix. */
function encodeEntries(entries: readonly TableEntry[]): Buffer {
  const w = new ByteWriter(128);
  writeTable(w, entries);
  return Buffer.from(w.take().subarray(4));
}

/**
 * The header with one entry of its `headers` table set and the table sorted by name, as
 * RabbitMQ's rabbit_misc:set_table_value leaves it (lists:keystore, then a stable keysort on
 * the names' bytes) — what a stream delivery's x-stream-offset is added with. The entries stay
 * the bytes the publisher sent; only their order changes.
 */
export function withSortedHeaderEntry(raw: Buffer, entry: TableEntry): Buffer {
  const span = propertySpan(raw, HEADERS);
  const pieces: { name: Buffer; bytes: Buffer }[] = [];
  let replaced = false;
  const added = encodeEntries([entry]);
  const addedName = added.subarray(1, 1 + added[0]);
  if (span.present) {
    for (let p = span.start + 4; p < span.end;) {
      const nameEnd = p + 1 + raw[p];
      const entryEnd = valueEnd(raw, nameEnd);
      const name = raw.subarray(p + 1, nameEnd);
      if (!replaced && name.equals(addedName)) {
        pieces.push({ name: addedName, bytes: added });
        replaced = true;
      } else {
        pieces.push({ name, bytes: raw.subarray(p, entryEnd) });
      }
      p = entryEnd;
    }
  }
  if (!replaced) pieces.push({ name: addedName, bytes: added });
  // Array.prototype.sort is stable: entries of equal names keep their order, as keysort does
  pieces.sort((a, b) => Buffer.compare(a.name, b.name));
  const length = pieces.reduce((n, e) => n + e.bytes.length, 0);
  const table = Buffer.allocUnsafe(4 + length);
  table.writeUInt32BE(length, 0);
  let at = 4;
  for (const e of pieces) {
    e.bytes.copy(table, at);
    at += e.bytes.length;
  }
  return withProperty(raw, HEADERS, table);
}
