/**
 * A permission regular expression as RabbitMQ matches it (rabbit_auth_backend_internal): the
 * pattern is searched for anywhere in the name — `^` and `$` anchor it only when written — and
 * the empty string matches nothing (RabbitMQ reads it as `^$`, and no resource has an empty
 * name once the default exchange is spelt `amq.default`).
 */
export class PermissionPattern {
  private readonly re: RegExp;

  constructor(readonly source: string) {
    this.re = new RegExp(source === '' ? '^$' : source);
  }

  matches(name: string): boolean {
    return this.re.test(name);
  }

  /** RabbitMQ refuses a permission whose pattern does not compile ("invalid regexp"). */
  static check(source: string): string | null {
    try {
      new RegExp(source);
      return null;
    } catch (err) {
      return `invalid regexp '${source}': ${(err as Error).message}`;
    }
  }
}

/**
 * A topic permission's pattern with `{username}` and `{vhost}` replaced by the connection's, as
 * rabbit_auth_backend_internal:expand_topic_permission does (the values regex-escaped).
 */
export function expandTopicPattern(source: string, username: string, vhost: string): string {
  return source.replaceAll('{username}', escapeRegExp(username)).replaceAll('{vhost}', escapeRegExp(vhost));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
