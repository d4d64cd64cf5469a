// The validate hot path's own pg pool: every statement bounded in time, and a view of whether it can serve.
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Pool, PoolConfig } from 'pg';
import { MIN_POOL_SIZE } from '../../config/database.config';
import { isDatabaseUnavailable } from '../errors/database-unavailable';

export interface HotPathBounds {
  /** VALIDATE_DEADLINE_MS: no hot-path statement may outlive the validate it serves. */
  readonly deadlineMs: number;
  readonly max: number;
}

/**
 * How validate's connections plan: every statement on this path finds its rows through an index
 * (a primary key, an aggregate's window), and these keep the plans that way.
 *
 * Sequential scans off: a prepared statement keeps the generic plan made at its sixth run, for the
 * table as it was then, until the next ANALYZE of it. On a new database that plan read the whole
 * table for each look-up, its aggregate and its repeat check: from an empty, analysed table, 15 s
 * at 500 validates a second made 3,066 sequential scans reading 3.6 M rows, a cost that grows with
 * the square of the table until an analyze (autovacuum's, within a minute or so; never, on a server
 * without it). A table with no index for a statement is still read whole: the setting only weighs
 * such a scan against the indexes.
 *
 * Bitmap scans off: the kept plans read an aggregate's rows (the distinct count's, the count per
 * IBAN's) through a bitmap heap scan, which builds a bitmap and asks the kernel for the table's size
 * at every one of its runs, a few per validate. A plain index scan reads the same pages in the
 * same order, since a window's rows go by time as the table does: `npm run bench:lookup` took the
 * look-up with four aggregates from 80.5 to 67.1 µs of PostgreSQL's CPU a row, and an account with
 * 20,000 rows in its hour as long either way (docs/benchmarks.md).
 */
export const HOT_PATH_PLANNER = ['SET enable_seqscan = off', 'SET enable_bitmapscan = off'] as const;

/** What the claims' connections add: commits that do not wait for the WAL flush (see HotPathPool). */
export const CLAIMS_SESSION = ['SET synchronous_commit = off'] as const;

/**
 * The session of a validate connection, as one statement: PostgreSQL ends a statement at
 * statement_timeout (57014) and a lock wait at lock_timeout (55P03), keeping the connection; then
 * the planner's settings and `extra`.
 */
export function hotPathSession(deadlineMs: number, extra: readonly string[] = []): string {
  return [`SET statement_timeout = ${deadlineMs}`, `SET lock_timeout = ${Math.max(1, Math.floor(deadlineMs / 2))}`, ...HOT_PATH_PLANNER, ...extra].join('; ');
}

/**
 * Options for the hot path's pool, from those of the service's main pool (same server and
 * credentials). Each connection sets its session (hotPathSession, with `extra`) as it opens, before
 * the pool hands it out; one that cannot within the deadline is closed, and the statement that asked
 * for it fails. The session is a SET, not settings sent in the startup packet: a connection pooler
 * refuses a startup setting it was not told to pass, or drops it silently, and every session pooler
 * passes a SET (docs/operations.md). pg's query_timeout is the backstop for when the server cannot
 * even be told (a partition), and TCP keepalive finds a dead peer.
 *
 * The pool keeps every connection it opens (`min` = `max`): pg reuses the latest released
 * connection first, so under steady load the spare ones sit idle and an idle timeout would
 * close them, to be opened again (a backend started, the session set, the statements prepared)
 * by the next burst. After 35 s without traffic, the first 5 s of 500 validates a second had a
 * p99 of 410 to 468 ms with a 30 s idle timeout, 66 to 124 ms without one.
 */
export function hotPathPoolConfig(base: PoolConfig, bounds: HotPathBounds, extra: readonly string[] = []): PoolConfig {
  // Bounded by the deadline on its own: pg reads a query's own query_timeout (its types omit it).
  const session = { text: hotPathSession(bounds.deadlineMs, extra), query_timeout: bounds.deadlineMs };
  return {
    ...base,
    onConnect: async (client) => {
      await client.query(session);
    },
    max: bounds.max,
    application_name: 'toqio-transaction-monitoring/validate',
    query_timeout: bounds.deadlineMs + 1_000,
    connectionTimeoutMillis: bounds.deadlineMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 5_000,
    min: bounds.max,
  };
}

/**
 * Validate's claims and records get pools of their own, sized for the batchers, whose every
 * statement is bounded by the validate deadline; the rest of DATABASE_POOL_SIZE stays with
 * everything else, so that neither can starve the other.
 *
 * Claims commit without waiting for their WAL to reach disk (synchronous_commit off on their
 * pool only). Nothing is promised on a claim: Toqio's answer waits for the screening record,
 * whose commit does wait, and WAL is flushed in order, so a record on disk has its claim on disk
 * too. A claim lost with a crash was never answered; the retry claims afresh. This saves validate
 * one flush per call.
 */
export class HotPathPool implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    /** Records and everything else on the hot path: commits wait for the flush. */
    readonly pool: Pool,
    /** Claims only; the same pool as `pool` when there are too few connections to split. */
    readonly claims: Pool = pool,
  ) {}

  static create(base: PoolConfig, bounds: HotPathBounds, logger: { warn(message: string): void }): HotPathPool {
    const claimsMax = Math.floor(bounds.max / 2);
    const open = (config: PoolConfig) => {
      const pool = new Pool(config);
      // A backend terminated while idle must not crash the process; the pool drops that client.
      pool.on('error', (error) => logger.warn(`idle connection lost: ${error.message}`));
      return pool;
    };
    if (claimsMax < 1) return new HotPathPool(open(hotPathPoolConfig(base, bounds)));
    const records = open(hotPathPoolConfig(base, { ...bounds, max: bounds.max - claimsMax }));
    const claims = open(claimPoolConfig(base, { ...bounds, max: claimsMax }));
    return new HotPathPool(records, claims);
  }

  /**
   * Validate's statements in flight per kind, its pool and the main pool's share of DATABASE_POOL_SIZE,
   * the two pools together exactly the size. Neither share can go below its floor: the main pool
   * needs two connections (migrations hold their advisory lock on one while they run on another: with
   * one, the start waits for a connection it holds) and validate's pool one. Below MIN_POOL_SIZE the
   * split could keep to the size only by breaking one of them, so the configuration refuses such a
   * size instead (these floors used to open 3 connections for a size of 1 or 2).
   */
  static sizes(poolSize: number): { batches: number; hot: number; main: number } {
    if (poolSize < MIN_POOL_SIZE) throw new Error(`DATABASE_POOL_SIZE must be at least ${MIN_POOL_SIZE} (got ${poolSize})`);
    const batches = Math.max(1, Math.floor(poolSize / 4));
    const hot = Math.min(poolSize - 2, 2 * batches + 1);
    return { batches, hot, main: poolSize - hot };
  }

  /**
   * Opens the pool's connections before traffic does, so the first burst after a start need not
   * wait on them; best effort: a connection refused now is opened on demand later.
   */
  async onApplicationBootstrap(): Promise<void> {
    const pools = this.pools();
    const opened = await Promise.allSettled(pools.flatMap((pool) => Array.from({ length: pool.options.max ?? 1 }, () => pool.connect())));
    for (const result of opened) if (result.status === 'fulfilled') result.value.release();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.pools().map((pool) => pool.end()));
  }

  /** Its pools: records and claims, or the one they share. */
  pools(): Pool[] {
    return this.claims === this.pool ? [this.pool] : [this.pool, this.claims];
  }
}

/** The claims' pool: the hot path's, with commits that do not wait for the WAL flush. */
export function claimPoolConfig(base: PoolConfig, bounds: HotPathBounds): PoolConfig {
  const hotPath = hotPathPoolConfig(base, bounds, CLAIMS_SESSION);
  return { ...hotPath, application_name: `${hotPath.application_name ?? 'validate'}-claims` };
}

/**
 * How hot-path statements fare: readiness fails while the latest ones could not be served, or
 * while one has been running for longer than a statement on this path ever should.
 */
export class HotPathHealth {
  /** The latest statement the database could not serve, cleared by the next one it serves. */
  private lastFailure: { at: number; message: string } | undefined;
  private readonly running = new Set<{ readonly startedAt: number }>();

  constructor(
    /** A statement running longer than this is stuck (a lock, a stalled server). */
    private readonly stuckAfterMs = 500,
    /** A failure older than this, with nothing since, no longer counts: nobody may be sending traffic. */
    private readonly memoryMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wraps a hot-path statement, noting how long it runs and whether the database served it. */
  async observe<T>(statement: Promise<T>): Promise<T> {
    const entry = { startedAt: this.now() };
    this.running.add(entry);
    try {
      const result = await statement;
      this.lastFailure = undefined;
      return result;
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.lastFailure = { at: this.now(), message: (error as Error).message };
      throw error;
    } finally {
      this.running.delete(entry);
    }
  }

  /** Why the hot path cannot serve, or undefined when it can (as far as its statements tell). */
  problem(): string | undefined {
    const now = this.now();
    let oldest = now;
    for (const { startedAt } of this.running) oldest = Math.min(oldest, startedAt);
    if (now - oldest > this.stuckAfterMs) return `a validate statement has been running for ${now - oldest} ms`;
    const failure = this.lastFailure;
    if (!failure || now - failure.at > this.memoryMs) return undefined;
    return `validate statements failing: ${failure.message}`;
  }
}
