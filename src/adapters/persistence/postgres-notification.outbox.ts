// PostgreSQL outbox of notifications to Toqio: leased claims with SKIP LOCKED, append-only attempts.
import { Pool } from 'pg';
import { Delivery, DeliveryResult, NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { NotificationView } from '../../application/ports/review-store.port';
import { NotificationNotDeadError, NotificationNotFoundError } from '../../domain/domain-error';
import { NextStep } from '../../domain/retry-schedule';
import { NOTIFICATION_JSON, toNotificationView } from './postgres-review.store';

/*
 * A claim pushes next_attempt_at forward by the lease instead of holding a row lock during the
 * HTTP call: no transaction stays open while Toqio answers, SKIP LOCKED keeps replicas from
 * claiming the same rows, and if the claimant dies the row simply becomes due again when its
 * lease ends. That is the one way a notification is sent twice, with the same idempotency key.
 */
const CLAIM_DUE = `
  UPDATE toqio_notifications n
     SET attempts = n.attempts + 1,
         next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
    FROM (SELECT id FROM toqio_notifications
           WHERE state = 'QUEUED' AND next_attempt_at <= clock_timestamp()
           ORDER BY next_attempt_at
           LIMIT $1
             FOR UPDATE SKIP LOCKED) due
   WHERE n.id = due.id
  RETURNING n.id, n.transaction_id, n.body, n.attempts, n.queued_at`;

/**
 * Appends the attempt and moves the notification on. A late result from a worker whose lease
 * expired (someone else has claimed it since) is recorded as an attempt but does not move the
 * state, unless it is a delivery: a delivered notification is delivered whoever sent it.
 */
const RECORD_ATTEMPT = `
  WITH attempt AS (
    INSERT INTO toqio_notification_attempts (notification_id, attempt, started_at, duration_ms, outcome, http_status, error)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
  )
  UPDATE toqio_notifications
     SET state = $8,
         next_attempt_at = $9,
         delivered_at = CASE WHEN $8 = 'DELIVERED' THEN clock_timestamp() END,
         dead_at = CASE WHEN $8 = 'DEAD' THEN clock_timestamp() END,
         last_error = $7
   WHERE id = $1 AND state = 'QUEUED' AND (attempts = $2 OR $8 = 'DELIVERED')`;

const REDELIVER = `
  UPDATE toqio_notifications
     SET state = 'QUEUED', next_attempt_at = clock_timestamp(), queued_at = clock_timestamp(), dead_at = NULL,
         redelivered_by = $2, redelivered_at = clock_timestamp()
   WHERE id = $1 AND state = 'DEAD'
  RETURNING id`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PostgresNotificationOutbox extends NotificationOutbox {
  constructor(private readonly pool: Pool) {
    super();
  }

  async claimDue(limit: number, leaseMs: number): Promise<Delivery[]> {
    const { rows } = await this.pool.query<{ id: string; transaction_id: string; body: string; attempts: number; queued_at: Date }>({
      name: 'outbox_claim_due',
      text: CLAIM_DUE,
      values: [limit, leaseMs],
    });
    return rows.map((row) => ({ notificationId: row.id, transactionId: row.transaction_id, body: row.body, attempt: row.attempts, queuedAt: row.queued_at }));
  }

  async recordAttempt(delivery: Delivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void> {
    const state = next === 'DELIVERED' ? 'DELIVERED' : 'dead' in next ? 'DEAD' : 'QUEUED';
    const retryAt = next !== 'DELIVERED' && 'retryAt' in next ? next.retryAt : null;
    await this.pool.query({
      name: 'outbox_record_attempt',
      text: RECORD_ATTEMPT,
      values: [
        delivery.notificationId,
        delivery.attempt,
        result.startedAt,
        Math.round(result.durationMs),
        result.outcome,
        result.httpStatus ?? null,
        result.error?.slice(0, 500) ?? null,
        state,
        retryAt,
      ],
    });
  }

  async redeliver(notificationId: string, requestedBy: string): Promise<NotificationView> {
    if (!UUID.test(notificationId)) throw new NotificationNotFoundError(notificationId);
    const { rowCount } = await this.pool.query(REDELIVER, [notificationId, requestedBy]);
    const view = await this.find(notificationId);
    if (!view) throw new NotificationNotFoundError(notificationId);
    if (rowCount === 0) throw new NotificationNotDeadError(notificationId, view.state);
    return view;
  }

  async stats(): Promise<{ queued: number; dead: number; oldestQueuedAt: Date | null }> {
    const { rows } = await this.pool.query<{ queued: number; dead: number; oldest: Date | null }>(`
      SELECT (SELECT count(*)::int FROM toqio_notifications WHERE state = 'QUEUED') AS queued,
             (SELECT count(*)::int FROM toqio_notifications WHERE state = 'DEAD') AS dead,
             (SELECT min(queued_at) FROM toqio_notifications WHERE state = 'QUEUED') AS oldest`);
    const row = rows[0]!;
    return { queued: row.queued, dead: row.dead, oldestQueuedAt: row.oldest };
  }

  private async find(notificationId: string): Promise<NotificationView | null> {
    const { rows } = await this.pool.query<{ view: Record<string, unknown> }>(`SELECT ${NOTIFICATION_JSON} AS view FROM toqio_notifications n WHERE n.id = $1`, [notificationId]);
    return rows[0] ? toNotificationView(rows[0].view) : null;
  }
}
