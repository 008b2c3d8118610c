import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { ContentHeader } from '../../src/codec/content-header.js';
import { DecodeFailure } from '../../src/codec/decode-failure.js';
import { tableFromObject } from '../../src/codec/field-table.js';
import { writeBasicProperties, type BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { CLASS_BASIC } from '../../src/codec/generated/protocol.js';
import { randomTable } from '../support/field-values.js';
import { Random } from '../support/random.js';

const ALL: BasicProperties = {
  contentType: 'application/json',
  contentEncoding: 'gzip',
  headers: tableFromObject({ 'x-retry': 3, nested: { a: [1, 'two'] } }),
  deliveryMode: 2,
  priority: 7,
  correlationId: 'corr-1',
  replyTo: 'amq.rabbitmq.reply-to',
  expiration: '60000',
  messageId: 'msg-42',
  timestamp: 1_700_000_000,
  type: 'order.created',
  userId: 'guest',
  appId: 'warren-tests',
  reserved: 'cluster-x',
};

function headerBytes(props: BasicProperties, bodySize = 10): Buffer {
  const w = new ByteWriter(64);
  w.u16(CLASS_BASIC);
  w.u16(0);
  w.u64(bodySize);
  writeBasicProperties(w, props);
  return Buffer.from(w.take());
}

describe('content header', () => {
  it('keeps the raw bytes and decodes all 14 properties', () => {
    const raw = headerBytes(ALL, 2 ** 40 + 5);
    const h = ContentHeader.fromPayload(raw) as ContentHeader;
    expect(h.raw).toBe(raw);
    expect(h.classId).toBe(60);
    expect(h.weight).toBe(0);
    expect(h.bodySize).toBe(2 ** 40 + 5);
    expect(h.propertyFlags).toBe(0xfffc);
    expect(h.properties).toEqual(ALL);
  });

  it('decodes single properties lazily, each on its own', () => {
    const h = ContentHeader.fromPayload(headerBytes(ALL)) as ContentHeader;
    expect(h.deliveryMode).toBe(2);
    expect(h.persistent).toBe(true);
    expect(h.priority).toBe(7);
    expect(h.expiration).toBe('60000');
    expect(h.get('replyTo')).toBe('amq.rabbitmq.reply-to');
    expect(h.get('messageId')).toBe('msg-42');
    expect(h.get('userId')).toBe('guest');
    expect(h.headers).toEqual(ALL.headers);
  });

  it('absent properties are undefined and their flags clear', () => {
    const h = ContentHeader.fromPayload(headerBytes({ deliveryMode: 1 })) as ContentHeader;
    expect(h.propertyFlags).toBe(0x1000);
    expect(h.has('headers')).toBe(false);
    expect(h.headers).toBeUndefined();
    expect(h.persistent).toBe(false);
    expect(h.properties).toEqual({ deliveryMode: 1 });
  });

  it('round-trips every subset of properties byte for byte', () => {
    const r = new Random(11);
    const keys = Object.keys(ALL) as (keyof BasicProperties)[];
    for (let i = 0; i < 500; i++) {
      const props: Record<string, unknown> = {};
      for (const k of keys) {
        if (r.bool()) props[k] = k === 'headers' ? randomTable(r, 3) : ALL[k];
      }
      const raw = headerBytes(props as BasicProperties);
      const h = ContentHeader.fromPayload(raw) as ContentHeader;
      expect(h.properties).toEqual(props);
      expect(headerBytes(h.properties).equals(raw)).toBe(true);
    }
  });

  it('builds headers for messages the broker makes', () => {
    const h = ContentHeader.build(CLASS_BASIC, 3, { deliveryMode: 2, headers: [] });
    expect(h.bodySize).toBe(3);
    expect(h.properties).toEqual({ deliveryMode: 2, headers: [] });
  });

  describe('malformed headers are values', () => {
    it('too short', () => {
      expect(ContentHeader.fromPayload(Buffer.alloc(5))).toBeInstanceOf(DecodeFailure);
    });
    it('a property running past the end', () => {
      const raw = headerBytes({ contentType: 'text/plain' });
      const f = ContentHeader.fromPayload(raw.subarray(0, raw.length - 2)) as DecodeFailure;
      expect(f.replyText).toBe('FRAME_ERROR - cannot decode content header: content-type runs past the end of the header');
    });
    it('a bad type tag inside headers', () => {
      const raw = headerBytes({ headers: tableFromObject({ a: 1 }) });
      raw[raw.length - 5] = 0x5a; // the 'I' tag
      const f = ContentHeader.fromPayload(raw) as DecodeFailure;
      expect(f).toBeInstanceOf(DecodeFailure);
      expect(f.detail).toMatch(/headers: unknown field type 0x5a/);
    });
    it('trailing bytes after the properties', () => {
      const raw = Buffer.concat([headerBytes({ priority: 1 }), Buffer.from([0])]);
      expect(ContentHeader.fromPayload(raw)).toBeInstanceOf(DecodeFailure);
    });
  });
});
