/** Users, vhosts and permissions as rules: the access control and one connection's checks. */
import { describe, expect, it } from 'vitest';
import { AccessControl } from '../../src/access/access-control.js';
import { ResourceAccess } from '../../src/access/resource-access.js';
import type { AccessDefinition } from '../../src/store/definitions-log.js';

function setup() {
  const control = new AccessControl();
  const recorded: AccessDefinition[] = [];
  control.onRecord = (d) => recorded.push(d);
  control.putVhost('/');
  control.putUser('u', { password: 'pw' });
  return { control, recorded, as: (user = 'u', vhost = '/') => new ResourceAccess(control, user, vhost) };
}

const refusal = (f: () => void): string => {
  try {
    f();
    return 'allowed';
  } catch (e) {
    return `${(e as { replyCode: number }).replyCode} ${(e as Error).message}`;
  }
};

describe('AccessControl', () => {
  it('logs a user in by password hash; refuses a wrong password, an unknown user, and a password-less user by password', () => {
    const { control } = setup();
    expect(control.login('u', 'pw')).toHaveProperty('user');
    expect(control.login('u', 'nope')).toEqual({ refused: "user 'u' - invalid credentials" });
    expect(control.login('x', 'pw')).toEqual({ refused: "user 'x' - invalid credentials" });
    control.putUser('robot', { password: null });
    expect(control.login('robot', '')).toHaveProperty('refused');
    expect(control.login('robot', null)).toHaveProperty('user'); // EXTERNAL: the certificate vouches
  });

  it('updating a user keeps what is not given (hash, tags, limits)', () => {
    const { control } = setup();
    control.putUser('u', { tags: ['management'] });
    expect(control.login('u', 'pw')).toHaveProperty('user');
    control.setUserLimits('u', { 'max-channels': 2 });
    control.putUser('u', { password: 'new' });
    expect(control.user('u')).toMatchObject({ tags: ['management'], limits: { 'max-channels': 2 } });
    expect(control.login('u', 'new')).toHaveProperty('user');
  });

  it('every change is recorded; replaying the records rebuilds the same state', () => {
    const { control, recorded } = setup();
    control.putVhost('v', { description: 'd', limits: { 'max-queues': 3 } });
    control.setPermissions('u', 'v', { configure: 'a', write: 'b', read: 'c' });
    control.setTopicPermissions('u', 'v', { exchange: 'amq.topic', write: '^x', read: '' });
    control.putUser('gone', { password: 'x' });
    control.deleteUser('gone');
    const replayed = new AccessControl();
    for (const d of recorded) replayed.apply(d);
    expect(replayed.records()).toEqual(control.records());
    expect(replayed.user('gone')).toBeUndefined();
    expect(replayed.topicPermissionsOf('u', 'v')?.get('amq.topic')).toEqual({ exchange: 'amq.topic', write: '^x', read: '' });
  });

  it('deleting a vhost or a user drops their permissions; a pattern that does not compile is refused', () => {
    const { control } = setup();
    control.setPermissions('u', '/', { configure: '.*', write: '.*', read: '.*' });
    control.putVhost('v');
    control.setPermissions('u', 'v', { configure: '.*', write: '.*', read: '.*' });
    control.deleteVhost('v');
    expect(control.permissionsOf('u', 'v')).toBeUndefined();
    control.putVhost('v');
    expect(control.permissionsOf('u', 'v')).toBeUndefined();
    control.deleteUser('u');
    expect(control.permissionsOf('u', '/')).toBeUndefined();
    control.putUser('u', { password: 'pw' });
    expect(() => control.setPermissions('u', '/', { configure: '(', write: '', read: '' })).toThrow(/invalid regexp/);
    expect(() => control.setPermissions('nobody', '/', { configure: '', write: '', read: '' })).toThrow(/no such user/);
    expect(() => control.setPermissions('u', 'nowhere', { configure: '', write: '', read: '' })).toThrow(/no such vhost/);
  });
});

describe('ResourceAccess', () => {
  it('patterns are searched for anywhere in the name; ^ and $ anchor; the empty pattern matches nothing', () => {
    const { control, as } = setup();
    control.setPermissions('u', '/', { configure: 'app', write: '^app-', read: '' });
    const a = as();
    expect(refusal(() => a.check('queue', 'my-app-queue', 'configure'))).toBe('allowed');
    expect(refusal(() => a.check('queue', 'my-app-queue', 'write'))).toBe(
      "403 ACCESS_REFUSED - write access to queue 'my-app-queue' in vhost '/' refused for user 'u'");
    expect(refusal(() => a.check('queue', 'app-q', 'write'))).toBe('allowed');
    expect(refusal(() => a.check('exchange', '', 'read'))).toBe(
      "403 ACCESS_REFUSED - read access to exchange 'amq.default' in vhost '/' refused for user 'u'");
  });

  it('the default exchange is checked as amq.default', () => {
    const { control, as } = setup();
    control.setPermissions('u', '/', { configure: '', write: '^amq\\.default$', read: '' });
    expect(refusal(() => as().checkPublish(''))).toBe('allowed');
  });

  it('a passive declare needs any right, and is refused as configure would be', () => {
    const { control, as } = setup();
    control.setPermissions('u', '/', { configure: '', write: '', read: '^q$' });
    expect(refusal(() => as().checkAny('queue', 'q'))).toBe('allowed');
    expect(refusal(() => as().checkAny('queue', 'other'))).toBe(
      "403 ACCESS_REFUSED - configure access to queue 'other' in vhost '/' refused for user 'u'");
  });

  it('a publish remembers the last exchange it was allowed to write until anything changes', () => {
    const { control, as } = setup();
    control.setPermissions('u', '/', { configure: '', write: '.*', read: '' });
    const a = as();
    a.checkPublish('x');
    control.setPermissions('u', '/', { configure: '', write: '^y$', read: '' });
    expect(refusal(() => a.checkPublish('x'))).toContain("write access to exchange 'x'");
  });

  it('topic permissions: none set allows all; {username} and {vhost} expand; read and write apart', () => {
    const { control, as } = setup();
    control.setPermissions('u', '/', { configure: '.*', write: '.*', read: '.*' });
    const a = as();
    expect(a.hasTopicPermissions).toBe(false);
    expect(refusal(() => a.checkTopic('amq.topic', 'anything', 'write'))).toBe('allowed');
    control.setTopicPermissions('u', '/', { exchange: 'amq.topic', write: '^{username}\\.', read: '^{vhost}$' });
    expect(a.hasTopicPermissions).toBe(true);
    expect(refusal(() => a.checkTopic('amq.topic', 'u.orders', 'write'))).toBe('allowed');
    expect(refusal(() => a.checkTopic('amq.topic', 'v.orders', 'write'))).toBe(
      "403 ACCESS_REFUSED - write access to topic 'v.orders' in exchange 'amq.topic' in vhost '/' refused for user 'u'");
    expect(refusal(() => a.checkTopic('amq.topic', '/', 'read'))).toBe('allowed');
    expect(refusal(() => a.checkTopic('other.topic', 'v.orders', 'write'))).toBe('allowed');
  });

  it('a user without permissions in the vhost is refused everything', () => {
    const { as } = setup();
    expect(refusal(() => as().check('queue', 'q', 'read'))).toBe(
      "403 ACCESS_REFUSED - read access to queue 'q' in vhost '/' refused for user 'u'");
  });
});
