// What the operator events API reads from the outbox: one row shape, one view, one listing query.
import { OperatorEventState, OperatorEventView } from '../../application/ports/operator-event-outbox.port';

export interface EventRow {
  id: string;
  position: string;
  type: string;
  dedupe_key: string;
  payload: unknown;
  occurred_at: Date;
  created_at: Date;
  attempts: number;
  next_attempt_at: Date | null;
  leased_until: Date | null;
  delivered_at: Date | null;
  dead_at: Date | null;
  last_error: string | null;
  redelivered_by: string | null;
}

export const EVENT_COLUMNS = `id, position::text AS position, type, dedupe_key, payload, occurred_at, created_at, attempts, next_attempt_at,
  leased_until, delivered_at, dead_at, last_error, redelivered_by`;

/** The state as the columns record it: delivered_at, dead_at, or neither (queued); written out so the partial indexes serve. */
const STATE_CONDITIONS: Record<OperatorEventState | 'ANY', string> = {
  DELIVERED: 'delivered_at IS NOT NULL',
  DEAD: 'dead_at IS NOT NULL',
  QUEUED: 'next_attempt_at IS NOT NULL',
  ANY: 'true',
};

/** Newest first, by position: a page's last position is the next page's `before`. Parameters: type, before, limit. */
export function listQuery(state: OperatorEventState | undefined): string {
  return `
  SELECT ${EVENT_COLUMNS} FROM operator_events
   WHERE ${STATE_CONDITIONS[state ?? 'ANY']}
     AND ($1::text IS NULL OR type = $1)
     AND ($2::bigint IS NULL OR position < $2)
   ORDER BY position DESC
   LIMIT $3`;
}

function stateOf(row: EventRow): OperatorEventState {
  if (row.delivered_at !== null) return 'DELIVERED';
  return row.dead_at !== null ? 'DEAD' : 'QUEUED';
}

export function toEventView(row: EventRow): OperatorEventView {
  return {
    id: row.id,
    position: row.position,
    type: row.type,
    dedupeKey: row.dedupe_key,
    state: stateOf(row),
    occurredAt: row.occurred_at,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leasedUntil: row.leased_until,
    deliveredAt: row.delivered_at,
    deadAt: row.dead_at,
    lastError: row.last_error,
    redeliveredBy: row.redelivered_by,
    data: row.payload,
  };
}
