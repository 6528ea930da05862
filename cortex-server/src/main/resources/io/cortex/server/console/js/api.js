// The REST API client: the signed-in key, its scopes, and fetch() with problem+json errors.

const KEY_STORAGE = 'cortex.console.apiKey';

/** Where the API lives: the console is served at <root>/console/, the API at <root>/api/. */
export const API_ROOT = new URL('../', window.location.href).pathname.replace(/\/?$/, '/');

/** An answer that was not 2xx, carrying the server's problem+json when it sent one. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    const detail = problem && problem.detail ? problem.detail : `the server answered HTTP ${status}`;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.path = path;
    this.title = problem && problem.title ? problem.title : `HTTP ${status}`;
    this.detail = detail;
    this.requestId = problem ? problem.requestId : undefined;
    this.errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
    this.problem = problem || {};
  }
}

/** The signed-in key and what it may do. */
export const session = {
  key: window.sessionStorage.getItem(KEY_STORAGE),
  who: null, // {key, name, scopes}

  get signedIn() {
    return Boolean(this.key && this.who);
  },

  /** Whether the key holds a scope ('read', 'write' or 'admin'); the server lists implied scopes too. */
  can(scope) {
    return Boolean(this.who && this.who.scopes.includes(scope));
  },

  /** Checks the key against the server and keeps it for this tab. Throws the server's problem. */
  async signIn(key) {
    this.key = key.trim();
    try {
      this.who = await api('api/users/me/permissions');
    } catch (e) {
      this.key = null;
      this.who = null;
      throw e;
    }
    window.sessionStorage.setItem(KEY_STORAGE, this.key);
    return this.who;
  },

  signOut() {
    this.key = null;
    this.who = null;
    window.sessionStorage.removeItem(KEY_STORAGE);
  },

  /** The Authorization header, for callers that fetch by themselves (the event stream). */
  authorization() {
    return this.key ? { Authorization: `Bearer ${this.key}` } : {};
  },
};

/**
 * Calls the API. `path` is relative to the server root, e.g. 'api/plugin-core/jobs'.
 * Resolves to the parsed JSON body (null for 204); rejects with an ApiError (or an AbortError).
 */
export async function api(path, { method = 'GET', body, query, signal } = {}) {
  const url = new URL(API_ROOT + path, window.location.origin);
  if (query) {
    for (const [name, value] of Object.entries(query)) {
      for (const v of [].concat(value)) {
        if (v !== undefined && v !== null && v !== '') url.searchParams.append(name, v);
      }
    }
  }
  const headers = { Accept: 'application/json, application/problem+json', ...session.authorization() };
  const init = { method, headers, signal, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Server unreachable', detail: `cannot reach the Cortex server (${e.message})` }, path);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, json, path);
    if (response.status === 429 && !json) error.detail = 'too many requests; retry shortly';
    if (response.status === 401 && session.who) {
      window.dispatchEvent(new CustomEvent('cortex:unauthorized', { detail: error }));
    }
    throw error;
  }
  return json;
}

/** Whether an error only says the request was abandoned (the page was left): nothing to show. */
export function isAbort(e) {
  return e && e.name === 'AbortError';
}
