import { DatabaseSaturatedError, isContention, isDatabaseUnavailable, isRetryableRollback } from './database-unavailable';

const pgError = (code: string, message = 'from PostgreSQL') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['08006', 'connection failure'],
    ['08P01', 'protocol violation'],
    ['57P01', 'admin shutdown (pg_terminate_backend)'],
    ['57P03', 'cannot connect now'],
    ['57014', 'canceled by statement_timeout'],
    ['53300', 'too many connections'],
    ['53100', 'disk full'],
    ['55000', 'database is not currently accepting connections'],
    ['55P03', 'lock_timeout'],
    ['3D000', 'database does not exist'],
    ['28P01', 'password authentication failed'],
    ['28000', 'role may not log in'],
    ['25006', 'read-only transaction: a demoted primary after a failover'],
    ['58030', 'I/O error on the server'],
    ['ECONNREFUSED', 'nothing listens'],
    ['ECONNRESET', 'connection reset'],
  ])('says yes to %s (%s)', (code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(true);
  });

  it.each([
    ['23505', 'unique violation'],
    ['22P02', 'invalid text representation'],
    ['40P01', 'deadlock: retried by the caller, not a state of the database'],
    ['42P01', 'undefined table: a bug, not an outage'],
    ['55006', 'object in use: another code of class 55'],
    ['25P02', 'in failed transaction: another code of class 25'],
    ['XX000', 'internal error: may be the statement, so a batch retries its items alone'],
    ['XX001', 'data corrupted: may be one row'],
    ['58P01', 'undefined file: one relation'],
  ])('says no to %s (%s)', (code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(false);
  });

  it('tells a deadlock or serialization failure, which a retry can get past, from other errors', () => {
    expect(isRetryableRollback(pgError('40P01'))).toBe(true);
    expect(isRetryableRollback(Object.assign(new Error('QueryFailedError'), { driverError: pgError('40001') }))).toBe(true);
    expect(isRetryableRollback(pgError('40002'))).toBe(false);
    expect(isRetryableRollback(pgError('57P01'))).toBe(false);
    expect(isRetryableRollback(new Error('boom'))).toBe(false);
  });

  it("recognises pg-pool's connection timeout and a connection cut mid-query, which carry no code", () => {
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Query read timeout'))).toBe(true);
  });

  it("looks inside TypeORM's driverError and an Error's cause", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('QueryFailedError'), { driverError: pgError('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: pgError('08006') }))).toBe(true);
  });

  it('says yes to a saturated hot-path queue, and no to ordinary errors', () => {
    expect(isDatabaseUnavailable(new DatabaseSaturatedError('claims'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('fastify'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }))).toBe(false);
  });
});

describe('isContention', () => {
  const failure = (code: string) => Object.assign(new Error(code), { code });

  it('is a lock waited for past lock_timeout, a serialization failure or a deadlock, wrapped or not', () => {
    expect(['55P03', '40001', '40P01'].map((code) => isContention(failure(code)))).toEqual([true, true, true]);
    expect(isContention({ driverError: failure('55P03') })).toBe(true);
  });

  it('is not the database being unable to serve, nor any other failure', () => {
    expect(['57P01', '08006', '53300', '57014', '23505'].map((code) => isContention(failure(code)))).toEqual([false, false, false, false, false]);
    expect(isContention(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
