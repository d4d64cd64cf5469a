// Decides whether an error from PostgreSQL, pg or the network means "the database cannot serve right now", by SQLSTATE class; shared by the problem filter and the persistence adapter.

/**
 * Thrown without a round trip when the hot path's queue is full: the database is not keeping up,
 * and waiting longer would only spend the caller's deadline. Class 53, insufficient resources.
 */
export class DatabaseSaturatedError extends Error {
  readonly code = '53000';

  constructor(what: string) {
    super(`${what}: too many requests are already waiting for the database`);
    this.name = 'DatabaseSaturatedError';
  }
}

/*
 * SQLSTATE classes and codes after which a retry later, on the same statement, can succeed:
 *   08     connection exception;
 *   53     insufficient resources (too many connections, out of memory or disk);
 *   57     operator intervention (admin shutdown, crash shutdown, cannot connect now, query canceled
 *          by statement_timeout);
 *   55000  object not in prerequisite state: "database is not currently accepting connections";
 *   55P03  lock not available (lock_timeout);
 *   3D000  the database does not exist (dropped or renamed under us);
 *   28     invalid authorization: the password was rotated away.
 */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '28'];
const UNAVAILABLE_CODES = new Set(['55000', '55P03', '3D000']);

/** Node's socket errors: the server is unreachable or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg and pg-pool report their own timeouts and broken connections without a code. */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended unexpectedly|Client was closed/i;

/** True when `error` (or what it wraps: TypeORM's driverError, an Error's cause) says the database cannot serve. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && isUnavailableCode(code)) return true;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { driverError?: unknown }).driverError;
  }
  return false;
}

function isUnavailableCode(code: string): boolean {
  if (SOCKET_CODES.has(code)) return true;
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2));
}
