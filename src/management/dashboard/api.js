// Calls Warren's management HTTP API with the logged-in user's basic credentials, kept in
// sessionStorage so that a reload keeps the login and closing the tab forgets it.
const KEY = 'warren.authorization';

// The API answers 401 with WWW-Authenticate: Basic; a fetch that may include credentials
// would make the browser open its own login prompt (and hang headless). The page sends the
// Authorization header itself, so the browser's credentials are left out.
const NO_PROMPT = 'omit';

export const enc = encodeURIComponent; // '/' becomes %2F, as the API expects for the default vhost

export function loggedIn() {
  return sessionStorage.getItem(KEY) !== null;
}

export function logout() {
  sessionStorage.removeItem(KEY);
}

/** base64 of UTF-8 bytes: btoa alone refuses characters above U+00FF. */
function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** Checks the credentials with /api/whoami before keeping them; throws the API's reason. */
export async function login(user, password) {
  const authorization = basic(user, password);
  const res = await fetch('/api/whoami', { headers: { authorization }, credentials: NO_PROMPT });
  if (!res.ok) throw new Error(res.status === 401 ? 'Login failed' : `HTTP ${res.status}`);
  sessionStorage.setItem(KEY, authorization);
  return res.json();
}

/** An API error with RabbitMQ's `reason` as its message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let onUnauthorised = () => {};
/** What to do when the stored credentials stop working (user deleted, password changed). */
export function whenUnauthorised(f) {
  onUnauthorised = f;
}

/** One API call: the parsed JSON, or null for an empty answer; throws ApiError. */
export async function api(method, path, body, extraHeaders = {}) {
  const headers = { authorization: sessionStorage.getItem(KEY) ?? '', ...extraHeaders };
  let payload;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: NO_PROMPT });
  const text = await res.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!res.ok) {
    // the credentials no longer log in (not: this user lacks a tag for this call)
    if (res.status === 401 && (json === null || json.error === 'not_authorized')) onUnauthorised();
    const reason = json && typeof json.reason === 'string' ? json.reason : json?.error ?? `HTTP ${res.status}`;
    throw new ApiError(res.status, reason);
  }
  return json;
}

export const get = (path) => api('GET', path);
