/** Access control for tests that build sessions without a broker. */
import { AccessControl } from '../../src/access/access-control.js';
import { ResourceAccess } from '../../src/access/resource-access.js';

/** A user with every right on a vhost (what the default user has). */
export function fullAccess(user: string, vhost: string): ResourceAccess {
  const control = new AccessControl();
  control.putVhost(vhost);
  control.putUser(user, { password: null });
  control.setPermissions(user, vhost, { configure: '.*', write: '.*', read: '.*' });
  return new ResourceAccess(control, user, vhost);
}
