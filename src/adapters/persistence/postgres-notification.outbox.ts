// PostgreSQL outbox of notifications to Toqio: leased claims with SKIP LOCKED, append-only attempts.
import { storableText } from '../../domain/storable-text';
import { Pool } from 'pg';
import { Delivery, DeliveryResult, NotificationOutbox } from '../../application/ports/notification-outbox.port';
import { NotificationView } from '../../application/ports/review-read-model.port';
import { NotificationNotDeadError, NotificationNotFoundError } from '../../domain/domain-error';
import { NextStep } from '../../domain/retry-schedule';
import { isolatingFailures, MicroBatcher } from './micro-batcher';
import { NOTIFICATION_JSON } from './postgres-review.queries';
import { toNotificationView } from './postgres-review.read-model';

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
  RETURNING n.id, n.transaction_id, n.body, n.attempts, n.attempts - n.attempts_at_queue AS attempts_since_queued, n.queued_at`;

/**
 * Appends a batch of attempts (in the order given, which is the order the review API lists
 * them in) and moves each notification on. A late result from a worker whose lease expired
 * (someone else has claimed it since) is recorded as an attempt but does not move the state,
 * unless it is a delivery: a delivered notification is delivered whoever sent it, even one
 * another worker's failure has marked DEAD meanwhile (Toqio has it: it is not dead). Should one
 * notification appear twice in a batch, a delivery wins, else its latest attempt: an UPDATE
 * applies only one source row per target row, and which one must not be left to chance.
 */
const RECORD_ATTEMPTS = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[], $9::timestamptz[])
           WITH ORDINALITY AS i(id, attempt, started_at, duration_ms, outcome, http_status, error, state, retry_at, position)
  ), attempts AS (
    INSERT INTO toqio_notification_attempts (notification_id, attempt, started_at, duration_ms, outcome, http_status, error)
    SELECT id, attempt, started_at, duration_ms, outcome, http_status, error FROM input ORDER BY position
  ), outcome AS (
    SELECT DISTINCT ON (id) * FROM input ORDER BY id, state = 'DELIVERED' DESC, attempt DESC
  )
  UPDATE toqio_notifications n
     SET state = o.state,
         next_attempt_at = o.retry_at,
         delivered_at = CASE WHEN o.state = 'DELIVERED' THEN clock_timestamp() END,
         dead_at = CASE WHEN o.state = 'DEAD' THEN clock_timestamp() END,
         last_error = o.error
    FROM outcome o
   WHERE n.id = o.id
     AND ((n.state = 'QUEUED' AND (n.attempts = o.attempt OR o.state = 'DELIVERED')) OR (n.state = 'DEAD' AND o.state = 'DELIVERED'))`;

interface AttemptRecord {
  readonly delivery: Delivery;
  readonly result: DeliveryResult;
  readonly next: NextStep | 'DELIVERED';
}

/**
 * Attempts finishing together share one round trip; at most this many go in one, and at most
 * RECORDS_IN_FLIGHT round trips run at once, so recording never takes more than that many of
 * the pool's connections however many deliveries are in flight.
 */
const RECORDS_PER_BATCH = 64;
const RECORDS_IN_FLIGHT = 2;

const REDELIVER = `
  UPDATE toqio_notifications
     SET state = 'QUEUED', next_attempt_at = clock_timestamp(), queued_at = clock_timestamp(), attempts_at_queue = attempts, dead_at = NULL, dead_reported_at = NULL,
         redelivered_by = $2, redelivered_at = clock_timestamp()
   WHERE id = $1 AND state = 'DEAD'
  RETURNING id`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PostgresNotificationOutbox extends NotificationOutbox {
  private readonly records: MicroBatcher<AttemptRecord, void>;

  constructor(private readonly pool: Pool) {
    super();
    this.records = new MicroBatcher(isolatingFailures((batch) => this.recordBatch(batch)), { maxBatch: RECORDS_PER_BATCH, maxConcurrent: RECORDS_IN_FLIGHT });
  }

  async claimDue(limit: number, leaseMs: number): Promise<Delivery[]> {
    const { rows } = await this.pool.query<{ id: string; transaction_id: string; body: string; attempts: number; attempts_since_queued: number; queued_at: Date }>({
      name: 'outbox_claim_due',
      text: CLAIM_DUE,
      values: [limit, leaseMs],
    });
    return rows.map((row) => ({ notificationId: row.id, transactionId: row.transaction_id, body: row.body, attempt: row.attempts, attemptSinceQueued: row.attempts_since_queued, queuedAt: row.queued_at }));
  }

  /** Resolves once this attempt, and the rest of its batch, is committed. */
  recordAttempt(delivery: Delivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void> {
    return this.records.submit({ delivery, result, next });
  }

  /**
   * One statement for the whole batch; should it fail for a reason other than the database being
   * unable to serve (nothing we send should make it fail), each attempt is tried on its own so
   * that one cannot keep the others from being recorded (isolatingFailures).
   */
  private async recordBatch(batch: AttemptRecord[]): Promise<void[]> {
    await this.writeAttempts(batch);
    return batch.map(() => undefined);
  }

  private async writeAttempts(batch: AttemptRecord[]): Promise<void> {
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
    for (const { delivery, result, next } of batch) {
      const state = next === 'DELIVERED' ? 'DELIVERED' : 'dead' in next ? 'DEAD' : 'QUEUED';
      const row = [
        delivery.notificationId,
        delivery.attempt,
        result.startedAt,
        Math.round(result.durationMs),
        result.outcome,
        result.httpStatus ?? null,
        (result.error === undefined ? null : storableText(result.error, 500)),
        state,
        next !== 'DELIVERED' && 'retryAt' in next ? next.retryAt : null,
      ];
      row.forEach((value, index) => columns[index]!.push(value));
    }
    await this.pool.query({ name: 'outbox_record_attempts', text: RECORD_ATTEMPTS, values: columns });
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
