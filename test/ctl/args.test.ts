import { describe, expect, it } from 'vitest';
import { findVerb, infoKeys, parseArgs, TABLE_OPTIONS } from '../../src/ctl/args.js';
import { UsageError } from '../../src/ctl/errors.js';

describe('ctl argument parsing', () => {
  it('finds the verb after global options and their values', () => {
    expect(findVerb(['-n', 'rabbit@host', '-p', 'v', 'list_queues', 'name'])).toBe('list_queues');
    expect(findVerb(['--url', 'http://x', '-q', 'status'])).toBe('status');
    expect(findVerb(['-q'])).toBeUndefined();
  });

  it('takes options anywhere, grouped short flags and --no-table-headers', () => {
    const p = parseArgs(['-qs', 'list_queues', 'name', '-p', 'vh', '--no-table-headers', 'messages'], TABLE_OPTIONS);
    expect(p.verb).toBe('list_queues');
    expect(p.args).toEqual(['name', 'messages']);
    expect(p.opts).toMatchObject({ quiet: true, silent: true, vhost: 'vh', 'table-headers': false });
  });

  it('keeps numbers and dashes as strings (a password 0123, "-" for stdin)', () => {
    const p = parseArgs(['add_user', 'bob', '0123'], {});
    expect(p.args).toEqual(['bob', '0123']);
    expect(parseArgs(['import_definitions', '-'], {}).args).toEqual(['-']);
    expect(parseArgs(['set_policy', '--priority', '007', 'n', '^a', '{"max-length":1}'], { priority: { type: 'string' } }).opts.priority).toBe('007');
  });

  it('refuses an option the verb does not take, and a string option without its value', () => {
    expect(() => parseArgs(['add_vhost', 'v', '--bogus', 'x'], {})).toThrow(new UsageError('Invalid options for this command:\n--bogus : x'));
    expect(() => parseArgs(['list_queues', '-p'], TABLE_OPTIONS)).toThrow(/Invalid options for this command:\n-p : /);
    // a verb's own option is refused by another verb; -p is taken by every verb, as rabbitmqctl
    expect(() => parseArgs(['add_vhost', 'v', '--priority', '1'], {})).toThrow(/--priority : 1/);
    expect(parseArgs(['list_connections', '-p', 'v'], TABLE_OPTIONS).opts.vhost).toBe('v');
  });

  it('splits columns on commas and names every unknown one', () => {
    const allowed = ['name', 'messages', 'consumers'];
    expect(infoKeys(['name,messages', 'consumers'], allowed, ['name'])).toEqual(['name', 'messages', 'consumers']);
    expect(infoKeys([], allowed, ['name', 'messages'])).toEqual(['name', 'messages']);
    expect(() => infoKeys(['bogus,name', 'x'], allowed, [])).toThrow('Info key(s) bogus,x are not supported');
  });
});
