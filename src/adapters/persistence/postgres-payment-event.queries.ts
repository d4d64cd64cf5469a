// The SQL of the payment-event store: events kept once per dedupe key, payments and mandates, leased follow-ups.

/**
 * Inserts events (a micro-batch, or the one event of a state change) and queues a follow-up for
 * each new one that needs it. A key repeated within the batch or already on record is skipped by
 * ON CONFLICT; the rows tell which were new. Each is linked to the first of its candidates, in the
 * order given, that is a transaction on record or one an inbound payment or alert on record (or
 * earlier in the batch) will create: such an event links to the transaction its follow-up creates
 * even before it exists, and a refund that comes while the charge's follow-up waits (Paystack's
 * API down, say) is linked to it too, where it would otherwise stay linked to nothing for good.
 */
export const RECORD_EVENTS = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS i(position int, id uuid, provider text, event_type text, dedupe_key text, message_id text, candidates jsonb,
           own_transaction text, status text, amount numeric, currency text, summary text, payload jsonb, effect jsonb,
           outcome text, reason text, occurred_at timestamptz, follow_up boolean)
  ),
  -- The candidates on record, each looked up by key. As EXISTS under OR, the planner made them hashed
  -- subplans that read the whole of both tables on every statement (58 ms for 50 events at 60,000 and 30,000 rows).
  candidate_ids AS MATERIALIZED (
    SELECT DISTINCT c.value #>> '{}' AS id FROM input i, jsonb_array_elements(i.candidates) AS c(value)
  ),
  known AS MATERIALIZED (
    SELECT t.id FROM transactions t WHERE t.id = ANY (ARRAY(SELECT id FROM candidate_ids))
    UNION
    SELECT e.transaction_id FROM payment_events e WHERE e.transaction_id = ANY (ARRAY(SELECT id FROM candidate_ids))
  ),
  inserted AS (
    INSERT INTO payment_events (id, provider, event_type, dedupe_key, message_id, transaction_id, status, amount, currency,
                                summary, payload, effect, outcome, reason, occurred_at)
    SELECT i.id, i.provider, i.event_type, i.dedupe_key, i.message_id,
           coalesce((SELECT c.value #>> '{}' FROM jsonb_array_elements(i.candidates) WITH ORDINALITY AS c(value, position)
                      WHERE EXISTS (SELECT 1 FROM known k WHERE k.id = c.value #>> '{}')
                         OR EXISTS (SELECT 1 FROM input j WHERE j.own_transaction = c.value #>> '{}' AND j.position < i.position)
                      ORDER BY c.position LIMIT 1),
                    i.own_transaction),
           i.status, i.amount, i.currency, i.summary, i.payload, i.effect, i.outcome, i.reason, i.occurred_at
      FROM input i ORDER BY i.position
    ON CONFLICT ON CONSTRAINT payment_events_once DO NOTHING
    RETURNING id, transaction_id
  ),
  queued AS (
    INSERT INTO payment_follow_ups (event_id, next_attempt_at)
    SELECT i.id, clock_timestamp() FROM input i JOIN inserted n ON n.id = i.id WHERE i.follow_up
  )
  SELECT i.position, (n.id IS NOT NULL) AS new, n.transaction_id FROM input i LEFT JOIN inserted n ON n.id = i.id ORDER BY i.position`;

export const FIND_EVENT = `SELECT id FROM payment_events WHERE provider = $1 AND dedupe_key = $2`;

export const READ_PAYMENT = `SELECT progress, provider_status FROM payments WHERE provider = $1 AND payment_key = $2`;
export const UPSERT_PAYMENT = `
  INSERT INTO payments (provider, payment_key, transaction_id, progress, provider_status, amount, currency, last_event_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (provider, payment_key) DO UPDATE
     SET progress = EXCLUDED.progress, provider_status = EXCLUDED.provider_status,
         transaction_id = coalesce(payments.transaction_id, EXCLUDED.transaction_id),
         amount = coalesce(payments.amount, EXCLUDED.amount), currency = coalesce(payments.currency, EXCLUDED.currency),
         last_event_id = EXCLUDED.last_event_id, updated_at = clock_timestamp()`;

export const EVENT_TRANSACTION = `SELECT transaction_id FROM payment_events WHERE id = $1`;

/** The first verification of an event stands: a follow-up tried again after a crash keeps it. */
export const RECORD_VERIFICATION = `
  INSERT INTO payment_verifications (event_id, provider, agrees, reported, disagreements, outcome, alert_transaction_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (event_id) DO NOTHING`;

export const READ_MANDATE = `SELECT status, status_at FROM mandates WHERE provider = $1 AND mandate_id = $2`;
export const UPSERT_MANDATE = `
  INSERT INTO mandates (provider, mandate_id, status, status_at, last_event_id) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (provider, mandate_id) DO UPDATE
     SET status = EXCLUDED.status, status_at = EXCLUDED.status_at, last_event_id = EXCLUDED.last_event_id, updated_at = clock_timestamp()`;

/** Leased like the outbox: next_attempt_at moves forward on claim, SKIP LOCKED between replicas. */
export const CLAIM_FOLLOW_UPS = `
  WITH due AS (
    SELECT event_id FROM payment_follow_ups
     WHERE next_attempt_at <= clock_timestamp()
     ORDER BY next_attempt_at LIMIT $1
       FOR UPDATE SKIP LOCKED
  )
  UPDATE payment_follow_ups f
     SET attempts = f.attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
    FROM due, payment_events e
   WHERE f.event_id = due.event_id AND e.id = f.event_id
  RETURNING f.event_id, f.attempts, f.queued_at, e.provider, e.effect`;

/**
 * An event's outcome as the API shows it: one kept FOLLOW_UP until its provider confirmed it (a
 * Paystack transfer checked against the API) shows what the follow-up then did, APPLIED or STALE,
 * from its verification; `e` is the payment_events alias.
 */
export function resolvedOutcome(e: string): string {
  return `CASE WHEN ${e}.outcome = 'FOLLOW_UP' THEN coalesce((SELECT v.outcome FROM payment_verifications v WHERE v.event_id = ${e}.id AND v.outcome IN ('APPLIED', 'STALE')), 'FOLLOW_UP') ELSE ${e}.outcome END`;
}
