// PostgreSQL queue of transactions whose provider failed at validate, to be screened again.
import { storableText } from '../../domain/storable-text';
import { Pool } from 'pg';
import { LateScreening, LateScreeningQueue } from '../../application/ports/late-screening-queue.port';
import { AggregateQuery } from '../../domain/aggregate';
import { screenableColumns, ScreenableRow, screenableFrom } from './transaction-row';

/*
 * Claimed like the outbox: a lease on next_attempt_at, SKIP LOCKED between replicas. Retries whose
 * transaction was decided meanwhile (by an analyst, a callback) are dropped by the same statement
 * rather than claimed: asking the provider again would cost a vendor call for nothing, and after
 * a long outage analysts will have decided many of them. Only the oldest due retries are looked
 * at for that, so that a large backlog costs each pass a bounded amount of work.
 */
function claimDueSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH settled AS (
    DELETE FROM screening_retries WHERE transaction_id IN (
      SELECT r.transaction_id
        FROM (SELECT transaction_id FROM screening_retries
               WHERE next_attempt_at <= clock_timestamp() ORDER BY next_attempt_at LIMIT 500) oldest
        JOIN screening_retries r ON r.transaction_id = oldest.transaction_id
        JOIN transactions t ON t.id = r.transaction_id
       WHERE t.state <> 'PENDING_EXTERNAL_APPROVAL'
         FOR UPDATE OF r SKIP LOCKED)
  ),
  due AS (
    SELECT r.transaction_id
      FROM screening_retries r JOIN transactions t ON t.id = r.transaction_id
     WHERE r.next_attempt_at <= clock_timestamp() AND t.state = 'PENDING_EXTERNAL_APPROVAL'
     ORDER BY r.next_attempt_at
     LIMIT $1
       FOR UPDATE OF r SKIP LOCKED
  ),
  claimed AS (
    UPDATE screening_retries r
       SET attempts = r.attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
      FROM due WHERE r.transaction_id = due.transaction_id
    RETURNING r.transaction_id, r.attempts, r.queued_at
  )
  SELECT c.attempts, c.queued_at, ${screenableColumns(aggregates)}
    FROM claimed c JOIN transactions t ON t.id = c.transaction_id`;
}

interface Row extends ScreenableRow {
  attempts: number;
  queued_at: Date;
}

export class PostgresLateScreeningQueue extends LateScreeningQueue {
  constructor(private readonly pool: Pool) {
    super();
  }

  async claimDue(limit: number, leaseMs: number, aggregates: readonly AggregateQuery[]): Promise<LateScreening[]> {
    const { rows } = await this.pool.query<Row>(claimDueSql(aggregates), [limit, leaseMs]);
    return rows.map((row) => ({ ...screenableFrom(row, aggregates), attempt: row.attempts, queuedAt: row.queued_at }));
  }

  async reschedule(transactionId: string, retryAt: Date, error: string): Promise<void> {
    await this.pool.query('UPDATE screening_retries SET next_attempt_at = $2, last_error = $3 WHERE transaction_id = $1', [transactionId, retryAt, storableText(error, 500)]);
  }

  async finish(transactionId: string): Promise<void> {
    await this.pool.query('DELETE FROM screening_retries WHERE transaction_id = $1', [transactionId]);
  }
}
