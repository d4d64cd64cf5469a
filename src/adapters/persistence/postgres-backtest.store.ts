// Backtest jobs in PostgreSQL: one replica's worker claims a job, reports progress as a heartbeat, and another takes it over if that stops.
import { Pool } from 'pg';
import { BacktestResult } from '../../application/backtest-tally';
import { BacktestJob, BacktestRequest, BacktestState, BacktestStore } from '../../application/ports/backtest-store.port';

interface JobRow {
  id: string;
  state: BacktestState;
  candidate_version: number | null;
  candidate_source: string;
  from_at: Date;
  to_at: Date;
  requested_by: string;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  attempts: number;
  total: number | null;
  processed: number;
  result: BacktestResult | null;
  error: string | null;
}

function jobOf(row: JobRow): BacktestJob {
  return {
    id: row.id,
    state: row.state,
    candidateVersion: row.candidate_version ?? undefined,
    candidateSource: row.candidate_source,
    from: row.from_at,
    to: row.to_at,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    attempts: row.attempts,
    total: row.total ?? undefined,
    processed: row.processed,
    result: row.result ?? undefined,
    error: row.error ?? undefined,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PostgresBacktestStore extends BacktestStore {
  constructor(private readonly pool: Pool) {
    super();
  }

  async create(request: BacktestRequest): Promise<BacktestJob> {
    const { rows } = await this.pool.query<JobRow>(
      `INSERT INTO rule_backtests (candidate_version, candidate_source, from_at, to_at, requested_by) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [request.candidateVersion ?? null, request.candidateSource, request.from, request.to, request.requestedBy],
    );
    return jobOf(rows[0]!);
  }

  async get(id: string): Promise<BacktestJob | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.pool.query<JobRow>(`SELECT * FROM rule_backtests WHERE id = $1`, [id]);
    return rows[0] && jobOf(rows[0]);
  }

  async claimNext(staleMs: number): Promise<BacktestJob | undefined> {
    const { rows } = await this.pool.query<JobRow>(
      `UPDATE rule_backtests SET state = 'RUNNING', started_at = now(), heartbeat_at = now(), attempts = attempts + 1, processed = 0, total = NULL
        WHERE id = (SELECT id FROM rule_backtests
                     WHERE state = 'QUEUED' OR (state = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000))
                     ORDER BY requested_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING *`,
      [staleMs],
    );
    return rows[0] && jobOf(rows[0]);
  }

  async progress(id: string, processed: number, total?: number): Promise<void> {
    await this.pool.query(`UPDATE rule_backtests SET processed = $2, total = coalesce($3, total), heartbeat_at = now() WHERE id = $1 AND state = 'RUNNING'`, [id, processed, total ?? null]);
  }

  async finish(id: string, result: BacktestResult): Promise<void> {
    await this.pool.query(`UPDATE rule_backtests SET state = 'DONE', result = $2, finished_at = now() WHERE id = $1 AND state = 'RUNNING'`, [id, JSON.stringify(result)]);
  }

  async fail(id: string, error: string): Promise<void> {
    await this.pool.query(`UPDATE rule_backtests SET state = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND state IN ('QUEUED', 'RUNNING')`, [id, error]);
  }

  async release(id: string): Promise<void> {
    await this.pool.query(`UPDATE rule_backtests SET state = 'QUEUED', heartbeat_at = NULL WHERE id = $1 AND state = 'RUNNING'`, [id]);
  }
}
