// Calls to /api/v1 with the session cookie. The token itself is only ever sent once, in
// the body of POST /api/v1/session; it is never kept by the page.

const CSRF_HEADER = { 'X-Requested-With': 'stamped-sync' };

let unauthorizedHandler = () => {};

/** Called when a call answers 401: the session ended or never began. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** An API answer that is neither a success nor a 404 the caller can live with. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

/** Any call: answers { status, ok, data } and never throws on an HTTP status. */
export async function call(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (method !== 'GET' && method !== 'HEAD') {
    Object.assign(headers, CSRF_HEADER);
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    data = await response.json().catch(() => null);
  }
  if (response.status === 401 && !quiet401) {
    unauthorizedHandler();
  }
  return { status: response.status, ok: response.ok, data };
}

/** GET that answers the JSON, or null on 404; other failures throw an ApiError. */
export async function getJson(path) {
  const answer = await call('GET', path);
  if (answer.status === 404) {
    return null;
  }
  if (!answer.ok) {
    throw new ApiError(answer.status, answer.data && answer.data.detail);
  }
  return answer.data;
}

/**
 * Who is signed in: { name, role, auth: true }; { role: 'admin', auth: false } when the
 * gateway has no authentication (no session endpoint); null when signed out.
 */
export async function currentSession() {
  const answer = await call('GET', '/api/v1/session', undefined, { quiet401: true });
  if (answer.status === 404) {
    return { name: null, role: 'admin', auth: false };
  }
  if (answer.status === 401) {
    return null;
  }
  if (!answer.ok || !answer.data) {
    throw new ApiError(answer.status, answer.data && answer.data.detail);
  }
  return { name: answer.data.name, role: answer.data.role, auth: true };
}

/** Exchanges a token for the session cookie; throws an ApiError when refused. */
export async function signIn(token) {
  const answer = await call('POST', '/api/v1/session', { token }, { quiet401: true });
  if (answer.status !== 204 && !answer.ok) {
    const detail = answer.status === 401 ? 'This token is not known.' : answer.data && answer.data.detail;
    throw new ApiError(answer.status, detail);
  }
}

export async function signOut() {
  await call('DELETE', '/api/v1/session', undefined, { quiet401: true });
}

/** Writers and admins may retry and cancel; readers only look. */
export function canWrite(session) {
  return !!session && (session.role === 'writer' || session.role === 'admin');
}
