// The JSON API, as the console uses it: same-origin fetch with the session cookie, the CSRF token
// (kept in memory only) on every state-changing request, and one place that notices a lost session.

let csrf = null;
let onUnauthorized = () => {};

/** An answer that was not 2xx: the HTTP status and the server's {"error"} message (plus "field" on a 400). */
export class ApiError extends Error {
  constructor(status, message, body, retryAfter) {
    super(message);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }
  get field() {
    return this.body && typeof this.body.field === 'string' ? this.body.field : null;
  }
}

export function setCsrf(token) {
  csrf = token || null;
}

/** Called on a 401 from any endpoint other than the sign-in itself. */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * One request. Resolves with the parsed JSON (or null for an empty body); rejects with ApiError.
 * options.accept: extra statuses that carry a normal answer (e.g. 503 from /api/health).
 * options.quiet401: do not treat a 401 as a lost session (the session probe and the sign-in).
 */
export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) {
    headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached (' + e.message + ').', null, null);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  const accepted = response.ok || (options.accept || []).includes(response.status);
  if (accepted) {
    return data;
  }
  const message = data && typeof data.error === 'string' ? data.error
    : 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : '');
  const error = new ApiError(response.status, message, data, response.headers.get('Retry-After'));
  if (response.status === 401 && !options.quiet401) {
    csrf = null;
    onUnauthorized(error);
  }
  throw error;
}

/** Uploads a file as the raw request body (a connector jar); resolves with the JSON answer. */
export async function upload(path, file) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/java-archive' };
  if (csrf) {
    headers['X-CSRF-Token'] = csrf;
  }
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached (' + e.message + ').', null, null);
  }
  const data = await response.json().catch(() => null);
  if (response.ok) {
    return data;
  }
  const error = new ApiError(response.status, data && data.error ? data.error : 'HTTP ' + response.status, data, null);
  if (response.status === 401) {
    csrf = null;
    onUnauthorized(error);
  }
  throw error;
}

export const get = (path, options) => request('GET', path, undefined, options);
export const post = (path, body, options) => request('POST', path, body === undefined ? {} : body, options);
export const put = (path, body, options) => request('PUT', path, body, options);
export const del = (path, options) => request('DELETE', path, undefined, options);

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** A path segment, escaped. */
export const seg = (s) => encodeURIComponent(String(s));
