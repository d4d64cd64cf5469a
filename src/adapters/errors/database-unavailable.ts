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
 *   28     invalid authorization: the password was rotated away;
 *   25006  read-only SQL transaction: the server was demoted to a standby, or is read-only, after a
 *          failover (the connection it failed on is closed, by pg's pool or by inTransaction, so the
 *          next ones reach whichever server DATABASE_URL then names);
 *   58030  an I/O error on the server.
 * Corruption (XX001, XX002) and the other system errors of class 58 can concern one row or file:
 * they stay 500s, logged, and leave readiness and a batch's per-item retry alone.
 */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '28'];
const UNAVAILABLE_CODES = new Set(['55000', '55P03', '3D000', '25006', '58030']);

/**
 * A serialization failure or a deadlock: the transaction was rolled back and the same request, sent
 * again, can succeed. Not a state of the database (readiness and the batcher's per-item retry ignore
 * it), but the client is told to retry, not that the service failed.
 */
const RETRY_CODES = new Set(['40001', '40P01']);

/** Contention between transactions: a retryable rollback, or a lock waited for past lock_timeout. */
const CONTENTION_CODES = new Set([...RETRY_CODES, '55P03']);

/** Node's socket errors: the server is unreachable or the connection broke. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg and pg-pool report their own timeouts and broken connections without a code. */
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended unexpectedly|Client was closed/i;

/** True when `error` (or what it wraps: TypeORM's driverError, an Error's cause) says the database cannot serve. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someWrapped(error, ({ code, message }) => (typeof code === 'string' && isUnavailableCode(code)) || (typeof message === 'string' && PG_MESSAGES.test(message)));
}

/** True when `error` (or what it wraps) is a rollback that the same request, sent again, can get past. */
export function isRetryableRollback(error: unknown): boolean {
  return someWrapped(error, ({ code }) => typeof code === 'string' && RETRY_CODES.has(code));
}

/**
 * True when `error` (or what it wraps) is contention between transactions: a lock waited for past
 * lock_timeout (55P03), a serialization failure or a deadlock. The next attempt gets past it; the
 * database itself is fine.
 */
export function isContention(error: unknown): boolean {
  return someWrapped(error, ({ code }) => typeof code === 'string' && CONTENTION_CODES.has(code));
}

/** Whether `error`, or one of the errors it wraps (at most four deep), passes `test`. */
function someWrapped(error: unknown, test: (error: { code?: unknown; message?: unknown }) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (test(current as { code?: unknown; message?: unknown })) return true;
    current = (current as { cause?: unknown }).cause ?? (current as { driverError?: unknown }).driverError;
  }
  return false;
}

function isUnavailableCode(code: string): boolean {
  if (SOCKET_CODES.has(code)) return true;
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2));
}
