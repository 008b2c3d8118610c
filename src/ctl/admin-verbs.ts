/**
 * Vhosts, users, permissions and policies: add_vhost, delete_vhost, add_user, delete_user,
 * change_password, set_user_tags, set_permissions, clear_permissions, set_policy, clear_policy.
 * Each prints rabbitmqctl's banner first, then does the one or two API calls that make the
 * change, and maps the API's refusal to rabbitmqctl's message and exit code (observed on
 * rabbitmqctl 3.10.8: a missing user 67, a missing vhost 65 or 69 depending on the verb, an
 * existing user 70).
 */
import { CtlError, EXIT, UsageError } from './errors.js';
import { apiPath, errorReason } from './http-client.js';
import { requireVhost } from './list-verbs.js';
import type { Context, Verb } from './verb.js';

type Json = Record<string, unknown>;

const userMissing = (user: string) => new CtlError(EXIT.nouser, `User "${user}" does not exist`);

async function userOf(ctx: Context, user: string): Promise<Json> {
  const u = await ctx.api.find<Json>(apiPath('users', user));
  if (u === undefined) throw userMissing(user);
  return u;
}

function tagsOf(u: Json): string[] {
  if (Array.isArray(u.tags)) return u.tags.map(String);
  return typeof u.tags === 'string' ? u.tags.split(',').filter((t) => t !== '') : [];
}

/** 2xx or a CtlError with the API's reason. */
function expectOk(res: { status: number; body: unknown }, code: number = EXIT.unavailable): void {
  if (res.status >= 200 && res.status < 300) return;
  throw new CtlError(code, errorReason(res.body));
}

export const adminVerbs: Verb[] = [
  {
    name: 'add_vhost',
    usage: 'add_vhost <vhost> [--description <description> --tags "<tag1>,<tag2>,<...>" --default-queue-type <quorum|classic|stream>]',
    description: 'Creates a virtual host',
    minArgs: 1,
    maxArgs: 1,
    options: {
      description: { type: 'string' }, tags: { type: 'string' }, 'default-queue-type': { type: 'string' },
    },
    async run(ctx, [vhost]) {
      ctx.banner(`Adding vhost "${vhost}" ...`);
      const body: Json = {};
      if (typeof ctx.opts.description === 'string') body.description = ctx.opts.description;
      if (typeof ctx.opts.tags === 'string') body.tags = ctx.opts.tags;
      if (typeof ctx.opts['default-queue-type'] === 'string') body.default_queue_type = ctx.opts['default-queue-type'];
      expectOk(await ctx.api.request('PUT', apiPath('vhosts', vhost), body));
    },
  },
  {
    name: 'delete_vhost',
    usage: 'delete_vhost <vhost>',
    description: 'Deletes a virtual host',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx, [vhost]) {
      ctx.banner(`Deleting vhost "${vhost}" ...`);
      const res = await ctx.api.request('DELETE', apiPath('vhosts', vhost));
      if (res.status === 404) throw new CtlError(EXIT.dataerr, `Virtual host '${vhost}' does not exist`, true);
      expectOk(res);
    },
  },
  {
    name: 'add_user',
    usage: 'add_user <username> <password>',
    description: 'Creates a new user in the internal database. This user will have no permissions for any virtual hosts by default.',
    minArgs: 1,
    maxArgs: 2,
    async run(ctx, [user, given]) {
      // as rabbitmqctl 4: without the argument, the password is read from standard input
      const password = given ?? (await ctx.io.readStdin()).replace(/\r?\n$/, '');
      if (password === '') throw new CtlError(EXIT.dataerr, 'Password is not provided via argument or stdin');
      ctx.banner(`Adding user "${user}" ...`);
      // PUT would replace an existing user's password and tags: rabbitmqctl refuses instead
      if (await ctx.api.find(apiPath('users', user)) !== undefined) {
        throw new CtlError(EXIT.software, `User "${user}" already exists`);
      }
      expectOk(await ctx.api.request('PUT', apiPath('users', user), { password, tags: '' }));
      ctx.banner("Done. Don't forget to grant the user permissions to some virtual hosts! See 'warren ctl help set_permissions' to learn more.");
    },
  },
  {
    name: 'delete_user',
    usage: 'delete_user <username>',
    description: 'Removes a user from the internal database. Has no effect on users provided by external backends such as LDAP',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx, [user]) {
      ctx.banner(`Deleting user "${user}" ...`);
      const res = await ctx.api.request('DELETE', apiPath('users', user));
      if (res.status === 404) throw userMissing(user);
      expectOk(res);
    },
  },
  {
    name: 'change_password',
    usage: 'change_password <username> <password>',
    description: 'Changes the user password',
    minArgs: 2,
    maxArgs: 2,
    async run(ctx, [user, password]) {
      ctx.banner(`Changing password for user "${user}" ...`);
      const u = await userOf(ctx, user);
      // a PUT sets the tags too: the user's own are sent back unchanged
      expectOk(await ctx.api.request('PUT', apiPath('users', user), { password, tags: tagsOf(u).join(',') }));
    },
  },
  {
    name: 'set_user_tags',
    usage: 'set_user_tags <username> <tag> [...]',
    description: 'Sets user tags',
    minArgs: 1,
    maxArgs: Infinity,
    async run(ctx, [user, ...tags]) {
      ctx.banner(`Setting tags for user "${user}" to [${tags.join(', ')}] ...`);
      const u = await userOf(ctx, user);
      // the stored hash is sent back so that the password stays what it was
      const body: Json = { tags: tags.join(',') };
      if (typeof u.password_hash === 'string' && u.password_hash !== '') {
        body.password_hash = u.password_hash;
        if (typeof u.hashing_algorithm === 'string') body.hashing_algorithm = u.hashing_algorithm;
      }
      expectOk(await ctx.api.request('PUT', apiPath('users', user), body));
    },
  },
  {
    name: 'set_permissions',
    usage: 'set_permissions [--vhost <vhost>] <username> <conf> <write> <read>',
    description: 'Sets user permissions for a vhost',
    minArgs: 4,
    maxArgs: 4,
        async run(ctx, [user, configure, write, read]) {
      ctx.banner(`Setting permissions for user "${user}" in vhost "${ctx.vhost}" ...`);
      const res = await ctx.api.request('PUT', apiPath('permissions', ctx.vhost, user), { configure, write, read });
      if (res.status === 400 || res.status === 404) {
        // the API says "vhost_or_user_not_found": tell which, as rabbitmqctl does
        if (await ctx.api.find(apiPath('vhosts', ctx.vhost)) === undefined) {
          throw new CtlError(EXIT.unavailable, `Virtual host ${ctx.vhost} does not exist`);
        }
        if (await ctx.api.find(apiPath('users', user)) === undefined) throw new CtlError(EXIT.nouser, `User ${user} does not exist`);
      }
      expectOk(res);
    },
  },
  {
    name: 'clear_permissions',
    usage: 'clear_permissions [--vhost <vhost>] <username>',
    description: 'Revokes user permissions for a vhost',
    minArgs: 1,
    maxArgs: 1,
        async run(ctx, [user]) {
      ctx.banner(`Clearing permissions for user "${user}" in vhost "${ctx.vhost}" ...`);
      const res = await ctx.api.request('DELETE', apiPath('permissions', ctx.vhost, user));
      if (res.status === 404) {
        await requireVhost(ctx);
        await userOf(ctx, user);
        return; // no permissions to clear: nothing to do, as rabbitmqctl
      }
      expectOk(res);
    },
  },
  {
    name: 'set_policy',
    usage: 'set_policy [--vhost <vhost>] [--priority <priority>] [--apply-to <apply-to>] <name> <pattern> <definition>',
    description: 'Sets or updates a policy',
    minArgs: 3,
    maxArgs: 3,
    options: { priority: { type: 'string' }, 'apply-to': { type: 'string' } },
    async run(ctx, [name, pattern, definition]) {
      const priorityText = typeof ctx.opts.priority === 'string' ? ctx.opts.priority : '0';
      if (!/^-?[0-9]+$/.test(priorityText)) throw new UsageError(`Invalid options for this command:\n--priority : ${priorityText}`);
      const priority = Number(priorityText);
      ctx.banner(`Setting policy "${name}" for pattern "${pattern}" to "${definition}" with priority "${priority}" for vhost "${ctx.vhost}" ...`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(definition);
      } catch {
        throw new CtlError(EXIT.unavailable, 'JSON decoding error. Reason: badarg');
      }
      const body: Json = { pattern, definition: parsed, priority };
      body['apply-to'] = typeof ctx.opts['apply-to'] === 'string' ? ctx.opts['apply-to'] : 'all';
      const res = await ctx.api.request('PUT', apiPath('policies', ctx.vhost, name), body);
      if (res.status === 404) await requireVhost(ctx);
      expectOk(res);
    },
  },
  {
    name: 'clear_policy',
    usage: 'clear_policy [--vhost <vhost>] <name>',
    description: 'Clears (removes) a policy',
    minArgs: 1,
    maxArgs: 1,
        async run(ctx, [name]) {
      ctx.banner(`Clearing policy "${name}" on vhost "${ctx.vhost}" ...`);
      const res = await ctx.api.request('DELETE', apiPath('policies', ctx.vhost, name));
      if (res.status === 404) throw new CtlError(EXIT.unavailable, 'Parameter does not exist');
      expectOk(res);
    },
  },
];
