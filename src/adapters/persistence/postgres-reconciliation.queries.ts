// The SQL of reconciliation: every transaction in a range beside the payment, refunds and API disagreements reported for it.

/**
 * $1 from, $2 to (exclusive), $3 settle-before. One row per transaction received in the range
 * (with the provider's payment, or the inbound event that brought the money), then the money
 * that moved with no screening to cover it: payments no transaction of ours names, and inbound
 * events whose screening has not happened yet. Each row gets its classes (domain/reconciliation.ts
 * says what each means); `at` and `key` order and page them.
 *
 * Joins, not per-row lookups: over a million rows in range, hash joins on the payments,
 * refunds and disagreements that concern the range cost a scan each, where a lookup per row
 * would cost a million index probes per source.
 */
export const RECONCILIATION_ROWS = `
  WITH tx AS (
    SELECT t.id, t.direction, t.state, t.amount, t.currency, t.received_at
      FROM transactions t
     WHERE t.received_at >= $1 AND t.received_at < $2
  ),
  pay AS (
    SELECT DISTINCT ON (p.transaction_id) p.transaction_id, p.provider, p.payment_key, p.progress, p.provider_status, p.amount, p.currency
      FROM payments p JOIN tx ON tx.id = p.transaction_id
     ORDER BY p.transaction_id, p.updated_at DESC
  ),
  inbound AS (
    SELECT DISTINCT ON (e.transaction_id) e.transaction_id, e.provider, e.dedupe_key, e.status, e.amount, e.currency
      FROM payment_events e JOIN tx ON tx.id = e.transaction_id AND tx.direction = 'INBOUND'
     WHERE e.effect->>'kind' = 'INBOUND_PAYMENT'
     ORDER BY e.transaction_id, e.received_at
  ),
  refunds AS (
    SELECT e.transaction_id, e.currency, sum(e.amount) AS amount
      FROM payment_events e
     WHERE e.event_type = 'refund.processed' AND e.transaction_id IS NOT NULL AND e.amount IS NOT NULL
     GROUP BY e.transaction_id, e.currency
  ),
  disputed AS (
    SELECT e.transaction_id, jsonb_agg(d.text ORDER BY v.verified_at, d.position) AS disagreements
      FROM payment_verifications v
      JOIN payment_events e ON e.id = v.event_id
      CROSS JOIN LATERAL jsonb_array_elements_text(v.disagreements) WITH ORDINALITY AS d(text, position)
     WHERE NOT v.agrees AND e.transaction_id IS NOT NULL
     GROUP BY e.transaction_id
  ),
  facts AS (
    SELECT tx.id AS transaction_id, tx.direction, tx.state AS decision, tx.amount, tx.currency, tx.received_at AS at, tx.id AS key,
           coalesce(pay.provider, inbound.provider) AS provider,
           coalesce(pay.payment_key, inbound.dedupe_key) AS payment_key,
           coalesce(pay.progress, CASE WHEN inbound.transaction_id IS NOT NULL THEN 'RECEIVED' END) AS progress,
           coalesce(pay.provider_status, inbound.status) AS provider_status,
           coalesce(pay.amount, inbound.amount) AS provider_amount,
           coalesce(pay.currency, inbound.currency) AS provider_currency,
           refunds.amount AS refunded,
           disputed.disagreements
      FROM tx
      LEFT JOIN pay ON pay.transaction_id = tx.id
      LEFT JOIN inbound ON inbound.transaction_id = tx.id
      LEFT JOIN refunds ON refunds.transaction_id = tx.id AND refunds.currency = tx.currency
      LEFT JOIN disputed ON disputed.transaction_id = tx.id
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, p.updated_at, p.provider || '|' || p.payment_key,
           p.provider, p.payment_key, p.progress, p.provider_status, p.amount, p.currency, NULL, NULL
      FROM payments p
     WHERE p.transaction_id IS NULL AND p.progress IN ('SETTLED', 'REVERSED') AND p.updated_at >= $1 AND p.updated_at < $2
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, e.received_at, e.provider || '|' || e.dedupe_key,
           e.provider, e.dedupe_key, 'RECEIVED', e.status, e.amount, e.currency, NULL, NULL
      FROM payment_follow_ups f JOIN payment_events e ON e.id = f.event_id
     WHERE e.effect->>'kind' = 'INBOUND_PAYMENT' AND e.received_at >= $1 AND e.received_at < $2
       AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = e.transaction_id)
  ),
  classified AS (
    SELECT f.*, array_remove(ARRAY[
             CASE WHEN f.direction = 'OUTBOUND' AND f.decision = 'APPROVED' AND f.at < $3
                       AND coalesce(f.progress, 'PENDING') IN ('PENDING', 'IN_PROGRESS') THEN 'APPROVED_NOT_SETTLED' END,
             CASE WHEN f.progress IN ('SETTLED', 'REVERSED', 'RECEIVED') AND (f.decision IS NULL OR f.decision = 'SCREENING') THEN 'MOVED_UNSCREENED' END,
             CASE WHEN f.direction = 'OUTBOUND' AND f.progress IN ('SETTLED', 'REVERSED')
                       AND f.decision IN ('REJECTED', 'PENDING_EXTERNAL_APPROVAL') THEN 'MOVED_NOT_APPROVED' END,
             CASE WHEN (f.decision IS NOT NULL AND f.provider_amount IS NOT NULL AND (f.provider_amount <> f.amount OR f.provider_currency <> f.currency))
                       OR f.disagreements IS NOT NULL THEN 'MISMATCH' END,
             CASE WHEN f.decision = 'APPROVED' AND f.progress = 'FAILED' THEN 'FAILED_AFTER_APPROVAL' END,
             CASE WHEN f.progress = 'REVERSED' OR f.refunded IS NOT NULL THEN 'REFUNDED' END
           ], NULL) AS classes
      FROM facts f
  )`;

/** $4 after-at, $5 after-key (both null for the first page), $6 limit: rows with a class, in order. */
export const RECONCILIATION_PAGE = `${RECONCILIATION_ROWS}
  SELECT transaction_id, direction, decision, amount::text AS amount, currency,
         to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, key, provider, payment_key, progress,
         provider_status, provider_amount::text AS provider_amount, provider_currency, refunded::text AS refunded,
         coalesce(disagreements, '[]'::jsonb) AS disagreements, classes
    FROM classified
   WHERE cardinality(classes) > 0 AND ($4::timestamptz IS NULL OR (at, key) > ($4::timestamptz, $5::text))
   ORDER BY at, key
   LIMIT $6`;

/**
 * Counts per class and, per currency, totals that are exact sums (numeric, read as text): what
 * was screened by decision, what providers report settled, received, failed and refunded, and
 * money that moved unscreened.
 */
export const RECONCILIATION_SUMMARY = `${RECONCILIATION_ROWS}
  , figures AS (
    SELECT 'class' AS kind, c.name AS name, NULL::text AS currency, NULL::numeric AS amount
      FROM classified, unnest(classes) AS c(name)
    UNION ALL
    SELECT 'total', 'transactions', currency, NULL FROM classified WHERE transaction_id IS NOT NULL
    UNION ALL
    SELECT 'total', CASE decision WHEN 'APPROVED' THEN 'approved' WHEN 'REJECTED' THEN 'rejected' ELSE 'pending' END, currency, amount
      FROM classified WHERE transaction_id IS NOT NULL
    UNION ALL
    SELECT 'total', CASE progress WHEN 'RECEIVED' THEN 'received' WHEN 'FAILED' THEN 'failed' ELSE 'settled' END, provider_currency, provider_amount
      FROM classified WHERE progress IN ('SETTLED', 'REVERSED', 'RECEIVED', 'FAILED') AND provider_amount IS NOT NULL
    UNION ALL
    SELECT 'total', 'refunded', currency, refunded FROM classified WHERE refunded IS NOT NULL
    UNION ALL
    SELECT 'total', 'movedUnscreened', provider_currency, provider_amount FROM classified WHERE 'MOVED_UNSCREENED' = ANY (classes) AND provider_amount IS NOT NULL
  )
  SELECT kind, name, currency, count(*)::int AS count, trim_scale(sum(amount))::text AS amount
    FROM figures GROUP BY kind, name, currency ORDER BY kind, currency, name`;

/** For the reads above, in their own transaction: no JIT compilation, and hash joins kept in memory. */
export const ANALYTICAL_SETTINGS = `SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`;

/** Taken by the replica building a day's report; others skip that day until the report is stored. */
export const DAILY_REPORT_LOCK = `SELECT pg_try_advisory_xact_lock(hashtextextended('reconciliation:' || $1, 0)) AS locked`;

export const DAILY_REPORT_EXISTS = `SELECT 1 FROM reconciliation_reports WHERE day = $1::date`;

export const STORE_DAILY_REPORT = `
  INSERT INTO reconciliation_reports (day, settle_hours, counts, totals, rows, truncated)
  VALUES ($1::date, $2, $3, $4, $5, $6)
  ON CONFLICT (day) DO NOTHING`;

export const DAILY_REPORTS = `
  SELECT day::text AS day, generated_at, settle_hours, counts, totals, truncated
    FROM reconciliation_reports ORDER BY day DESC LIMIT $1`;
