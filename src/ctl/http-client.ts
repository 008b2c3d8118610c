/**
 * The management API as `warren ctl` uses it: Node's fetch with basic auth, every path segment
 * percent-encoded (the default vhost is `%2F`), a per-request timeout (-t). A refused or
 * unresolvable address becomes `Unreachable` (rabbitmqctl's "node down", exit 69), and so does
 * a 401: rabbitmqctl reports a wrong Erlang cookie the same way, and for a script both mean
 * "this node cannot be driven from here".
 */
import { CtlError, EXIT, Unreachable } from './errors.js';

export interface ApiOptions {
  url: string;
  username: string;
  password: string;
  /** Per request, in milliseconds. */
  timeoutMs: number;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** `/api/queues/%2F/q`: each segment encoded, so that names with `/`, `#` or spaces survive. */
export function apiPath(...segments: string[]): string {
  return `/api/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

/** RabbitMQ HTML-escapes the reason of its error bodies; scripts want the text. */
export function errorReason(body: unknown): string {
  if (body !== null && typeof body === 'object' && 'reason' in body) {
    const r = (body as { reason: unknown }).reason;
    const text = typeof r === 'string' ? r : JSON.stringify(r);
    return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export class ApiClient {
  private readonly base: string;
  private readonly auth: string;

  /** Called on every HTTP answer: the node is reachable (ctl.ts then lets the banners out). */
  onAnswer: () => void = () => undefined;

  constructor(readonly options: ApiOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.auth = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }

  get url(): string {
    return this.base;
  }

  /**
   * One request. Statuses other than 401 and 5xx are the caller's to interpret (404 means
   * "no such vhost" for one verb and "nothing to list" for another).
   */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          authorization: this.auth,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw this.failure(err);
    }
    this.onAnswer();
    const text = await res.text().catch(() => '');
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        // a proxy's HTML page or plain text: kept as the string
      }
    }
    if (res.status === 401) {
      throw new Unreachable(this.base, `authentication failed for user '${this.options.username}' (HTTP 401: ${errorReason(parsed)})`);
    }
    if (res.status === 403) {
      throw new CtlError(77, `user '${this.options.username}' is not allowed to do this: ${errorReason(parsed)}`);
    }
    if (res.status >= 500) {
      throw new CtlError(EXIT.software, `HTTP ${res.status} from ${method} ${path}: ${errorReason(parsed)}`);
    }
    return { status: res.status, body: parsed };
  }

  /** GET that must succeed: the parsed body. */
  async get<T = unknown>(path: string): Promise<T> {
    const res = await this.request('GET', path);
    if (res.status !== 200) throw new CtlError(EXIT.unavailable, `HTTP ${res.status} from GET ${path}: ${errorReason(res.body)}`);
    return res.body as T;
  }

  /** GET where 404 is an answer: undefined. */
  async find<T = unknown>(path: string): Promise<T | undefined> {
    const res = await this.request('GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new CtlError(EXIT.unavailable, `HTTP ${res.status} from GET ${path}: ${errorReason(res.body)}`);
    return res.body as T;
  }

  private failure(err: unknown): Error {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return new CtlError(EXIT.tempfail, `the operation on ${this.base} timed out after ${this.options.timeoutMs / 1000} seconds`);
    }
    const cause = e?.cause;
    // fetch refusing the request itself (a header value that is not Latin-1, a malformed URL)
    // is not a node down: say what was wrong with it
    if (cause === undefined && e?.message !== 'fetch failed') {
      return new CtlError(EXIT.dataerr, `cannot send the request to ${this.base}: ${e?.message ?? String(err)}`);
    }
    const reason = cause?.code ?? cause?.message ?? e?.message ?? String(err);
    return new Unreachable(this.base, `unable to connect: ${reason}`);
  }
}
