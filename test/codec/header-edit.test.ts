/** Edits of a content header's bytes: exactly the change asked for, every other byte kept. */
import { describe, expect, it } from 'vitest';
import { ContentHeader } from '../../src/codec/content-header.js';
import { tableFromObject, type FieldTable } from '../../src/codec/field-table.js';
import { PROPERTY_INDEX, type BasicProperties } from '../../src/codec/generated/basic-properties.js';
import { shortstrProperty, withHeaderEntries, withProperty } from '../../src/codec/header-edit.js';
import { deeplyNestedTable } from '../support/deep-nesting.js';

const ALL: BasicProperties = {
  contentType: 'text/plain', contentEncoding: 'gzip', headers: tableFromObject({ a: 1, b: 'two' }), deliveryMode: 2,
  priority: 5, correlationId: 'corr', replyTo: 'reply', expiration: '6000', messageId: 'id', timestamp: 1700000000,
  type: 'kind', userId: 'guest', appId: 'app',
};
const build = (p: BasicProperties) => ContentHeader.build(60, 3, p).raw;
const props = (raw: Buffer) => (ContentHeader.fromPayload(raw) as ContentHeader).properties;

describe('withProperty', () => {
  it('replaces, adds and removes each property, leaving the others as they were', () => {
    for (const name of Object.keys(PROPERTY_INDEX) as (keyof BasicProperties)[]) {
      if (name === 'reserved' || name === 'headers') continue;
      const index = PROPERTY_INDEX[name];
      const { [name]: _dropped, ...without } = ALL;
      // removing it gives what building without it gives
      expect(withProperty(build(ALL), index, null).equals(build(without))).toBe(true);
      // adding it back gives the full header
      const encoded = build({ [name]: ALL[name] }).subarray(14);
      expect(withProperty(build(without), index, encoded).equals(build(ALL))).toBe(true);
    }
  });

  it('rewrites reply-to inside a header whose other strings are not valid UTF-8', () => {
    const raw = build({ correlationId: 'xx', replyTo: 'amq.rabbitmq.reply-to', messageId: 'yy' });
    // make the correlation-id and message-id raw bytes that do not decode as UTF-8
    const corr = raw.indexOf('xx');
    raw[corr] = 0xff;
    const msgId = raw.indexOf('yy');
    raw[msgId + 1] = 0xc3;
    const out = withProperty(raw, PROPERTY_INDEX.replyTo, shortstrProperty('amq.rabbitmq.reply-to.abc'));
    expect(out.subarray(0, corr + 2).equals(raw.subarray(0, corr + 2))).toBe(true);
    expect(out.subarray(out.length - 3).equals(raw.subarray(raw.length - 3))).toBe(true);
    expect(props(out).replyTo).toBe('amq.rabbitmq.reply-to.abc');
  });
});

describe('withHeaderEntries', () => {
  const entry = (name: string, v: string) => tableFromObject({ [name]: v })[0];

  it('replaces an entry where it stands, appends new ones, removes the first of a name', () => {
    const raw = build({ headers: tableFromObject({ first: 'a', BCC: 'x', mid: 'b', last: 'c' }), messageId: 'm' });
    const out = withHeaderEntries(raw, [entry('mid', 'B'), entry('added', 'd')], ['BCC']);
    expect((props(out).headers as FieldTable).map((e) => [e.name, e.value.value?.toString()]))
      .toEqual([['first', 'a'], ['mid', 'B'], ['last', 'c'], ['added', 'd']]);
    expect(props(out).messageId).toBe('m');
  });

  it('copies untouched entries byte for byte: an L integer and a table nested 10,000 deep', () => {
    const l = Buffer.from([1, 0x6e, 0x4c, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]); // n: 'L' -2
    const deep = deeplyNestedTable(10_000, 'mixed');
    const table = Buffer.concat([l, deep]);
    const raw = build({ headers: [], deliveryMode: 1 });
    const withTable = Buffer.concat([raw.subarray(0, 14), Buffer.from([0, 0, 0, 0]), raw.subarray(18)]);
    withTable.writeUInt32BE(table.length, 14);
    const header = Buffer.concat([withTable.subarray(0, 18), table, withTable.subarray(18)]);
    const out = withHeaderEntries(header, [entry('x-death-ish', 'v')]);
    expect(out.subarray(18, 18 + table.length).equals(table)).toBe(true);
    // the table grew by exactly the new entry: name length, name, tag 'S', length, 'v'
    expect(out.readUInt32BE(14)).toBe(table.length + 1 + 'x-death-ish'.length + 1 + 4 + 1);
    expect((props(out).headers as FieldTable).at(-1)?.name).toBe('x-death-ish');
  });

  it('adds a headers table to a header without one, and leaves a header alone when nothing changes', () => {
    const raw = build({ messageId: 'm' });
    expect(withHeaderEntries(raw, [], ['BCC'])).toBe(raw);
    const out = withHeaderEntries(raw, [entry('k', 'v')]);
    expect(props(out)).toEqual({ headers: tableFromObject({ k: 'v' }), messageId: 'm' });
  });
});
