// PostgreSQL outbox of events for operators: idempotent enqueue, leased claims with SKIP LOCKED, redelivery of dead ones.
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import {
  EventDelivery,
  OperatorEventBacklog,
  OperatorEventOutbox,
  OperatorEventQuery,
  OperatorEventQueue,
  OperatorEventView,
} from '../../application/ports/operator-event-outbox.port';
import { DeliveryResult } from '../../application/ports/outbox-delivery.port';
import { OperatorEventNotDeadError, OperatorEventNotFoundError } from '../../domain/domain-error';
import { OperatorEvent } from '../../domain/operator-event';
import { NextStep } from '../../domain/retry-schedule';
import { storableText } from '../../domain/storable-text';
import { EventRow, EVENT_COLUMNS, listQuery, toEventView } from './postgres-operator-event.queries';

/** One statement for a batch; an event of a (type, dedupe_key) already stored is skipped, within the batch too. */
const ENQUEUE = `
  INSERT INTO operator_events (id, type, dedupe_key, payload, occurred_at)
  SELECT id, type, dedupe_key, payload::jsonb, occurred_at
    FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS e(id, type, dedupe_key, payload, occurred_at)
  ON CONFLICT (type, dedupe_key) DO NOTHING`;

/*
 * As in the outbox to Toqio, a claim pushes next_attempt_at to the end of the lease instead of
 * holding a row lock during the HTTP call: SKIP LOCKED keeps replicas from claiming the same
 * rows, and if the claimant dies the event is due again when its lease ends (the one way an
 * event is sent twice, with the same webhook-id).
 */
const CLAIM_DUE = `
  UPDATE operator_events e
     SET attempts = e.attempts + 1,
         next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000),
         leased_until = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
    FROM (SELECT id FROM operator_events
           WHERE next_attempt_at <= clock_timestamp()
           ORDER BY next_attempt_at
           LIMIT $1
             FOR UPDATE SKIP LOCKED) due
   WHERE e.id = due.id
  RETURNING e.id, e.type, e.occurred_at, e.payload, e.attempts, e.attempts - e.attempts_at_queue AS attempts_since_queued, e.queued_at`;

/**
 * Moves the event on after an attempt. A late result from a worker whose lease expired (someone
 * else has claimed it since) does not move it, unless it is a delivery: delivered is delivered,
 * whoever sent it, even an event another worker's failure has marked dead meanwhile.
 */
const RECORD_ATTEMPT = `
  UPDATE operator_events
     SET next_attempt_at = $4,
         leased_until = NULL,
         delivered_at = CASE WHEN $3 = 'DELIVERED' THEN clock_timestamp() END,
         dead_at = CASE WHEN $3 = 'DEAD' THEN clock_timestamp() END,
         last_error = $5
   WHERE id = $1 AND ((next_attempt_at IS NOT NULL AND (attempts = $2 OR $3 = 'DELIVERED')) OR (dead_at IS NOT NULL AND $3 = 'DELIVERED'))`;

const REDELIVER = `
  UPDATE operator_events
     SET dead_at = NULL, next_attempt_at = clock_timestamp(), queued_at = clock_timestamp(), attempts_at_queue = attempts,
         redelivered_by = $2, redelivered_at = clock_timestamp()
   WHERE id = $1 AND dead_at IS NOT NULL
  RETURNING id`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Both sides of the outbox: the port every flow raises events through, and the one its worker and API use. */
export class PostgresOperatorEventOutbox extends OperatorEventOutbox implements OperatorEventQueue {
  constructor(private readonly pool: Pool) {
    super();
  }

  async enqueue(events: readonly OperatorEvent[]): Promise<number> {
    return enqueueOperatorEvents(this.pool, events);
  }

  async claimDue(limit: number, leaseMs: number): Promise<EventDelivery[]> {
    const { rows } = await this.pool.query<{ id: string; type: string; occurred_at: Date; payload: unknown; attempts: number; attempts_since_queued: number; queued_at: Date }>({
      name: 'operator_events_claim_due',
      text: CLAIM_DUE,
      values: [limit, leaseMs],
    });
    return rows.map((row) => ({
      eventId: row.id,
      type: row.type,
      occurredAt: row.occurred_at,
      data: row.payload,
      attempt: row.attempts,
      attemptSinceQueued: row.attempts_since_queued,
      queuedAt: row.queued_at,
    }));
  }

  async recordAttempt(delivery: EventDelivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void> {
    const state = next === 'DELIVERED' ? 'DELIVERED' : 'dead' in next ? 'DEAD' : 'QUEUED';
    const retryAt = next !== 'DELIVERED' && 'retryAt' in next ? next.retryAt : null;
    const error = result.error === undefined ? null : storableText(result.error, 500);
    await this.pool.query({ name: 'operator_events_record_attempt', text: RECORD_ATTEMPT, values: [delivery.eventId, delivery.attempt, state, retryAt, error] });
  }

  async list(query: OperatorEventQuery): Promise<OperatorEventView[]> {
    const { rows } = await this.pool.query<EventRow>(listQuery(query.state), [query.type ?? null, query.before ?? null, query.limit]);
    return rows.map(toEventView);
  }

  async redeliver(eventId: string, requestedBy: string): Promise<OperatorEventView> {
    if (!UUID.test(eventId)) throw new OperatorEventNotFoundError(eventId);
    const { rowCount } = await this.pool.query(REDELIVER, [eventId, requestedBy]);
    const { rows } = await this.pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM operator_events WHERE id = $1`, [eventId]);
    if (!rows[0]) throw new OperatorEventNotFoundError(eventId);
    const view = toEventView(rows[0]);
    if (rowCount === 0) throw new OperatorEventNotDeadError(eventId, view.state);
    return view;
  }

  async stats(): Promise<OperatorEventBacklog> {
    const { rows } = await this.pool.query<{ queued: number; dead: number; oldest: Date | null }>(`
      SELECT (SELECT count(*)::int FROM operator_events WHERE next_attempt_at IS NOT NULL) AS queued,
             (SELECT count(*)::int FROM operator_events WHERE dead_at IS NOT NULL) AS dead,
             (SELECT min(queued_at) FROM operator_events WHERE next_attempt_at IS NOT NULL) AS oldest`);
    const row = rows[0]!;
    return { queued: row.queued, dead: row.dead, oldestQueuedAt: row.oldest };
  }
}

/**
 * Queues `events` on `db`: the pool, or a client inside a transaction of the caller's, so that a
 * store can raise an event in the same transaction as the change it reports. Returns how many
 * were new.
 */
export async function enqueueOperatorEvents(db: Pool | PoolClient, events: readonly OperatorEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const columns: unknown[][] = [[], [], [], [], []];
  for (const event of events) {
    const row = [randomUUID(), event.type, storableText(event.dedupeKey), storableJson(event.data), event.occurredAt];
    row.forEach((value, index) => columns[index]!.push(value));
  }
  const { rowCount } = await db.query(ENQUEUE, columns);
  return rowCount ?? 0;
}

/** JSON that jsonb takes: every string cleaned as storableText does (no NUL, no half surrogate pair). */
function storableJson(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value));
}
