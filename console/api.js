// The analyst API from the browser: the token from session storage, and problem+json turned into errors.

const TOKEN_KEY = 'tm-console.analyst-token';
const ACTIVE_KEY = 'tm-console.last-active';

/** How long a signed-in tab may go without a key press, click or scroll before it signs out. */
export const IDLE_SIGN_OUT_MINUTES = 30;

/**
 * The token lives in this tab's session storage only: never in a URL, a cookie or local
 * storage, so it is sent only where this code sends it. Closing the tab does not always end it:
 * browsers bring a tab's session storage back when they reopen a closed tab or restore a
 * session, so only signOut() is sure to forget it. The time of the analyst's last action is kept
 * beside it, so that a tab brought back after longer than IDLE_SIGN_OUT_MINUTES is idle too.
 */
export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    session.touch();
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ACTIVE_KEY);
  },
  /** The analyst did something: the idle time starts again. */
  touch() {
    if (session.token()) sessionStorage.setItem(ACTIVE_KEY, String(Date.now()));
  },
  /** True when signed in with no action for longer than IDLE_SIGN_OUT_MINUTES, or none on record. */
  idle(now = Date.now()) {
    if (!session.token()) return false;
    const last = Number.parseInt(sessionStorage.getItem(ACTIVE_KEY) ?? '', 10);
    return !(last > 0) || now - last > IDLE_SIGN_OUT_MINUTES * 60_000;
  },
};

/** An answer other than 2xx, carrying its RFC 9457 problem document (or one made up for it). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title);
    this.status = status;
    this.problem = problem;
  }
}

let unauthorizedHandler = () => {};

/** Called with the ApiError whenever the service refuses the token (401). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/**
 * One call to the analyst API. Resolves with `{ status, text }` for a 2xx: the text, not parsed
 * JSON, so that callers can keep the payload's numbers digit for digit. Rejects with ApiError.
 */
export async function request(method, path, { body, token = session.token() } = {}) {
  const response = await send(method, path, { body: body === undefined ? undefined : JSON.stringify(body), type: body === undefined ? undefined : 'application/json', token });
  return { status: response.status, text: await response.text() };
}

/**
 * One call whose body or answer is not JSON (a file upload, a download, the printable evidence
 * pack): `body` as given (a FormData sets its own multipart type), the 2xx Response as it is.
 */
export async function send(method, path, { body, type, accept = 'application/json, application/problem+json', token = session.token() } = {}) {
  const headers = { accept };
  if (token) headers.authorization = `Bearer ${token}`;
  if (type) headers['content-type'] = type;
  let response;
  try {
    response = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit' });
  } catch (error) {
    throw new ApiError(0, { title: 'The service cannot be reached', detail: `Check the connection and try again (${error.message}).` });
  }
  if (response.ok) return response;
  const error = new ApiError(response.status, problemFrom(response, await response.text()));
  // A refused session token signs the analyst out; a token being tried at sign-in is just refused.
  if (response.status === 401 && token && token === session.token()) unauthorizedHandler(error);
  throw error;
}

/** GET and parse JSON (for answers whose numbers are all safe: the queue, ids, counts). */
export async function getJson(path) {
  return JSON.parse((await request('GET', path)).text);
}

function problemFrom(response, text) {
  const type = response.headers.get('content-type') || '';
  if (/json/.test(type)) {
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object') {
        return {
          title: typeof parsed.title === 'string' ? parsed.title : `Error ${response.status}`,
          detail: typeof parsed.detail === 'string' ? parsed.detail : '',
          errors: Array.isArray(parsed.errors) ? parsed.errors.filter((e) => e && typeof e === 'object') : [],
        };
      }
    } catch {
      // not JSON after all: described below
    }
  }
  return { title: `Error ${response.status} ${response.statusText}`.trim(), detail: text.slice(0, 300), errors: [] };
}
