// generated — do not edit. Source: protocol/amqp-0-9-1.json, by protocol/generate.mjs
// (npm run gen:protocol).

import type { ByteWriter } from '../byte-writer.js';
import { checkTable, decodeTable, TableFailure, writeTable, type FieldTable } from '../field-table.js';

/** The 14 properties of a basic content header; absent ones are undefined. */
export interface BasicProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: FieldTable;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  messageId?: string;
  timestamp?: number;
  type?: string;
  userId?: string;
  appId?: string;
  reserved?: string;
}

/** Property index → flag bit (the first property is bit 15; bit 0 would flag a continuation). */
export const PROPERTY_FLAG = {
  contentType: 0x8000,
  contentEncoding: 0x4000,
  headers: 0x2000,
  deliveryMode: 0x1000,
  priority: 0x800,
  correlationId: 0x400,
  replyTo: 0x200,
  expiration: 0x100,
  messageId: 0x80,
  timestamp: 0x40,
  type: 0x20,
  userId: 0x10,
  appId: 0x8,
  reserved: 0x4,
} as const;

export const PROPERTY_COUNT = 14;
/** Property index by name, for ContentHeader offset lookups. */
export const PROPERTY_INDEX = {
  contentType: 0,
  contentEncoding: 1,
  headers: 2,
  deliveryMode: 3,
  priority: 4,
  correlationId: 5,
  replyTo: 6,
  expiration: 7,
  messageId: 8,
  timestamp: 9,
  type: 10,
  userId: 11,
  appId: 12,
  reserved: 13,
} as const;

/**
 * Checks the property list starting at `start` (the flags word): every length stays inside
 * [start, end), the headers table is well formed, nothing follows the last property. Walks
 * the bytes without decoding anything. Returns null when well formed, else what is wrong.
 */
export function checkBasicProperties(buf: Buffer, start: number, end: number): string | null {
  if (start + 2 > end) return 'property flags missing';
  const flags = buf.readUInt16BE(start);
  let p = start + 2;
  if ((flags & 0x8000) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'content-type runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x4000) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'content-encoding runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x2000) !== 0) {
    if (p + 4 > end) return 'headers runs past the end of the header';
    const n = buf.readUInt32BE(p);
    if (p + 4 + n > end) return 'headers runs past the end of the header';
    const bad = checkTable(buf, p + 4, p + 4 + n);
    if (bad !== null) return `headers: ${bad}`;
    p += 4 + n;
  }
  if ((flags & 0x1000) !== 0) {
    if (p + 1 > end) return 'delivery-mode runs past the end of the header';
    p += 1;
  }
  if ((flags & 0x800) !== 0) {
    if (p + 1 > end) return 'priority runs past the end of the header';
    p += 1;
  }
  if ((flags & 0x400) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'correlation-id runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x200) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'reply-to runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x100) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'expiration runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x80) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'message-id runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x40) !== 0) {
    if (p + 8 > end) return 'timestamp runs past the end of the header';
    p += 8;
  }
  if ((flags & 0x20) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'type runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x10) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'user-id runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x8) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'app-id runs past the end of the header';
    p += 1 + buf[p];
  }
  if ((flags & 0x4) !== 0) {
    if (p >= end || p + 1 + buf[p] > end) return 'reserved runs past the end of the header';
    p += 1 + buf[p];
  }
  if (p !== end) return `${end - p} bytes after the last property`;
  return null;
}

/**
 * Where property `index` starts in a property list already checked by checkBasicProperties,
 * or -1 when it is absent. Skips the properties before it by their lengths.
 */
export function findBasicProperty(buf: Buffer, start: number, index: number): number {
  const flags = buf.readUInt16BE(start);
  if ((flags & (0x8000 >> index)) === 0) return -1;
  let p = start + 2;
  if (index === 0) return p;
  if ((flags & 0x8000) !== 0) p += 1 + buf[p];
  if (index === 1) return p;
  if ((flags & 0x4000) !== 0) p += 1 + buf[p];
  if (index === 2) return p;
  if ((flags & 0x2000) !== 0) p += 4 + buf.readUInt32BE(p);
  if (index === 3) return p;
  if ((flags & 0x1000) !== 0) p += 1;
  if (index === 4) return p;
  if ((flags & 0x800) !== 0) p += 1;
  if (index === 5) return p;
  if ((flags & 0x400) !== 0) p += 1 + buf[p];
  if (index === 6) return p;
  if ((flags & 0x200) !== 0) p += 1 + buf[p];
  if (index === 7) return p;
  if ((flags & 0x100) !== 0) p += 1 + buf[p];
  if (index === 8) return p;
  if ((flags & 0x80) !== 0) p += 1 + buf[p];
  if (index === 9) return p;
  if ((flags & 0x40) !== 0) p += 8;
  if (index === 10) return p;
  if ((flags & 0x20) !== 0) p += 1 + buf[p];
  if (index === 11) return p;
  if ((flags & 0x10) !== 0) p += 1 + buf[p];
  if (index === 12) return p;
  if ((flags & 0x8) !== 0) p += 1 + buf[p];
  return p;
}

/** Decodes property `index` starting at `at` (an offset from findBasicProperty). */
export function readBasicProperty(buf: Buffer, index: number, at: number): BasicProperties[keyof BasicProperties] {
  switch (index) {
    case 0: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 1: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 2: {
      const t = decodeTable(buf, at + 4, at + 4 + buf.readUInt32BE(at));
      // checkBasicProperties has already walked the table, so this cannot fail
      return t instanceof TableFailure ? [] : (t as FieldTable);
    }
    case 3: return buf[at];
    case 4: return buf[at];
    case 5: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 6: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 7: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 8: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 9: return buf.readUInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);
    case 10: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 11: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 12: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    case 13: return buf.toString('utf8', at + 1, at + 1 + buf[at]);
    default: return undefined;
  }
}

/** Writes the flags word and the present properties (a content header's property list). */
export function writeBasicProperties(w: ByteWriter, p: BasicProperties): void {
  let flags = 0;
  if (p.contentType !== undefined) flags |= PROPERTY_FLAG.contentType;
  if (p.contentEncoding !== undefined) flags |= PROPERTY_FLAG.contentEncoding;
  if (p.headers !== undefined) flags |= PROPERTY_FLAG.headers;
  if (p.deliveryMode !== undefined) flags |= PROPERTY_FLAG.deliveryMode;
  if (p.priority !== undefined) flags |= PROPERTY_FLAG.priority;
  if (p.correlationId !== undefined) flags |= PROPERTY_FLAG.correlationId;
  if (p.replyTo !== undefined) flags |= PROPERTY_FLAG.replyTo;
  if (p.expiration !== undefined) flags |= PROPERTY_FLAG.expiration;
  if (p.messageId !== undefined) flags |= PROPERTY_FLAG.messageId;
  if (p.timestamp !== undefined) flags |= PROPERTY_FLAG.timestamp;
  if (p.type !== undefined) flags |= PROPERTY_FLAG.type;
  if (p.userId !== undefined) flags |= PROPERTY_FLAG.userId;
  if (p.appId !== undefined) flags |= PROPERTY_FLAG.appId;
  if (p.reserved !== undefined) flags |= PROPERTY_FLAG.reserved;
  w.u16(flags);
  if (p.contentType !== undefined) w.shortstr(p.contentType);
  if (p.contentEncoding !== undefined) w.shortstr(p.contentEncoding);
  if (p.headers !== undefined) writeTable(w, p.headers);
  if (p.deliveryMode !== undefined) w.u8(p.deliveryMode);
  if (p.priority !== undefined) w.u8(p.priority);
  if (p.correlationId !== undefined) w.shortstr(p.correlationId);
  if (p.replyTo !== undefined) w.shortstr(p.replyTo);
  if (p.expiration !== undefined) w.shortstr(p.expiration);
  if (p.messageId !== undefined) w.shortstr(p.messageId);
  if (p.timestamp !== undefined) w.u64(p.timestamp);
  if (p.type !== undefined) w.shortstr(p.type);
  if (p.userId !== undefined) w.shortstr(p.userId);
  if (p.appId !== undefined) w.shortstr(p.appId);
  if (p.reserved !== undefined) w.shortstr(p.reserved);
}
