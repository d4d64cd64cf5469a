// The SQL of reconciliation: every transaction in a range beside the payment, refunds and API disagreements reported for it.
import { PAYSTACK_CHECK } from '../payments/paystack/paystack-events';
import { PAYTO_QUERY } from '../payments/payto/payto-events';

/**
 * Alerts are stored as inbound transactions for the amount they name, but no money moves with
 * them: one opened when Paystack's API contradicts a transfer's webhook (`paystack-check:`), whose
 * transfer is already on its own transaction (as MISMATCH), or a payer's PayTo query
 * (`payto-query:`), about a payment or a mandate. Counted as transactions, their amounts would be
 * counted twice, so reconciliation leaves them out. Validate refuses a Toqio id in these namespaces.
 */
const NOT_AN_ALERT = [PAYSTACK_CHECK, PAYTO_QUERY].map((namespace) => `NOT starts_with(tx.id, '${namespace}:')`).join(' AND ');

/**
 * $1 from, $2 to (exclusive), $3 settle-before. One row per transaction received in the range
 * (with the provider's latest payment for it, or the first inbound event that brought the money;
 * alerts left out, see NOT_AN_ALERT), then the money that moved with no screening to cover it:
 * payments no transaction of ours names, and inbound events whose screening has not happened yet.
 * Each row gets one flag per class (domain/reconciliation.ts says what each means); `at` and
 * `key` order and page them. Any refund reported flags its transaction REFUNDED; the refunded
 * amount sums those in the transaction's currency (one in another cannot be added to it, and one
 * reported without an amount adds nothing).
 *
 * Joins, not per-row lookups: over a million rows in range, hash joins cost a scan each, where a
 * lookup per row would cost a million index probes per source. The latest payment and the first
 * inbound event are picked by anti-joins rather than DISTINCT ON, and no CTE is referenced twice:
 * nothing forces a sort or a materialisation, so PostgreSQL can run the whole read, the summary's
 * aggregate included, in parallel workers (at 1 M transactions and 1 M events, the summary went
 * from 17.5 s to 3.5 s and a page from 9.3 s to 3.3 s, EXPLAIN ANALYZE under load 2.5).
 */
export const RECONCILIATION_ROWS = `
  WITH refunds AS (
    SELECT r.transaction_id, jsonb_object_agg(r.currency, r.amount) AS amounts
      FROM (SELECT e.transaction_id, coalesce(e.currency, '') AS currency, sum(e.amount) AS amount
              FROM payment_events e
             WHERE (e.effect ->> 'kind') = 'REFUNDED' AND e.transaction_id IS NOT NULL
             GROUP BY e.transaction_id, e.currency) r
     GROUP BY r.transaction_id
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
           (refunds.amounts ->> tx.currency)::numeric AS refunded,
           refunds.transaction_id IS NOT NULL AS refund_reported,
           disputed.disagreements
      FROM transactions tx
      LEFT JOIN payments pay ON pay.transaction_id = tx.id
            AND NOT EXISTS (SELECT 1 FROM payments later WHERE later.transaction_id = pay.transaction_id
                              AND (later.updated_at, later.provider, later.payment_key) > (pay.updated_at, pay.provider, pay.payment_key))
      LEFT JOIN payment_events inbound ON inbound.transaction_id = tx.id AND tx.direction = 'INBOUND' AND inbound.effect->>'kind' = 'INBOUND_PAYMENT'
            AND NOT EXISTS (SELECT 1 FROM payment_events earlier WHERE earlier.transaction_id = inbound.transaction_id AND earlier.effect->>'kind' = 'INBOUND_PAYMENT'
                              AND (earlier.received_at, earlier.id) < (inbound.received_at, inbound.id))
      LEFT JOIN refunds ON refunds.transaction_id = tx.id
      LEFT JOIN disputed ON disputed.transaction_id = tx.id
     WHERE tx.received_at >= $1 AND tx.received_at < $2 AND ${NOT_AN_ALERT}
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, p.updated_at, p.provider || '|' || p.payment_key,
           p.provider, p.payment_key, p.progress, p.provider_status, p.amount, p.currency, NULL, false, NULL
      FROM payments p
     WHERE p.transaction_id IS NULL AND p.progress IN ('SETTLED', 'REVERSED') AND p.updated_at >= $1 AND p.updated_at < $2
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, e.received_at, e.provider || '|' || e.dedupe_key,
           e.provider, e.dedupe_key, 'RECEIVED', e.status, e.amount, e.currency, NULL, false, NULL
      FROM payment_follow_ups f JOIN payment_events e ON e.id = f.event_id
     WHERE e.effect->>'kind' = 'INBOUND_PAYMENT' AND e.received_at >= $1 AND e.received_at < $2
       AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = e.transaction_id)
  ),
  flagged AS (
    SELECT f.*,
           f.direction = 'OUTBOUND' AND f.decision = 'APPROVED' AND f.at < $3 AND coalesce(f.progress, 'PENDING') IN ('PENDING', 'IN_PROGRESS') AS approved_not_settled,
           f.progress IN ('SETTLED', 'REVERSED', 'RECEIVED') AND (f.decision IS NULL OR f.decision = 'SCREENING') AS moved_unscreened,
           f.direction = 'OUTBOUND' AND f.progress IN ('SETTLED', 'REVERSED') AND f.decision IN ('REJECTED', 'PENDING_EXTERNAL_APPROVAL') AS moved_not_approved,
           (f.decision IS NOT NULL AND f.provider_amount IS NOT NULL AND (f.provider_amount <> f.amount OR f.provider_currency <> f.currency))
             OR f.disagreements IS NOT NULL AS mismatch,
           f.decision = 'APPROVED' AND f.progress = 'FAILED' AS failed_after_approval,
           f.progress = 'REVERSED' OR f.refund_reported AS refunded_flag
      FROM facts f
  )`;

/** $4 after-at, $5 after-key (both null for the first page), $6 limit: rows with a class, in order. */
export const RECONCILIATION_PAGE = `${RECONCILIATION_ROWS}
  SELECT transaction_id, direction, decision, amount::text AS amount, currency,
         to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, key, provider, payment_key, progress,
         provider_status, provider_amount::text AS provider_amount, provider_currency, refunded::text AS refunded,
         coalesce(disagreements, '[]'::jsonb) AS disagreements,
         array_remove(ARRAY[
           CASE WHEN approved_not_settled THEN 'APPROVED_NOT_SETTLED' END,
           CASE WHEN moved_unscreened THEN 'MOVED_UNSCREENED' END,
           CASE WHEN moved_not_approved THEN 'MOVED_NOT_APPROVED' END,
           CASE WHEN mismatch THEN 'MISMATCH' END,
           CASE WHEN failed_after_approval THEN 'FAILED_AFTER_APPROVAL' END,
           CASE WHEN refunded_flag THEN 'REFUNDED' END
         ], NULL) AS classes
    FROM flagged f
   WHERE (approved_not_settled OR moved_unscreened OR moved_not_approved OR mismatch OR failed_after_approval OR refunded_flag)
     AND ($4::timestamptz IS NULL OR (f.at, f.key) > ($4::timestamptz, $5::text))
   ORDER BY f.at, f.key
   LIMIT $6`;

/**
 * Counts per class and, per currency, totals that are exact sums (numeric, read as text): what
 * was screened by decision, what providers report settled, received, failed and refunded, and
 * money that moved unscreened. One aggregate pass over the rows, per pair of currencies (the
 * transaction's, the provider's), then each figure is taken from those few groups; a figure is
 * listed only where at least one row adds to it.
 */
export const RECONCILIATION_SUMMARY = `${RECONCILIATION_ROWS}
  , groups AS (
    SELECT currency, provider_currency,
           count(*) FILTER (WHERE approved_not_settled) AS approved_not_settled,
           count(*) FILTER (WHERE moved_unscreened) AS moved_unscreened,
           count(*) FILTER (WHERE moved_not_approved) AS moved_not_approved,
           count(*) FILTER (WHERE mismatch) AS mismatch,
           count(*) FILTER (WHERE failed_after_approval) AS failed_after_approval,
           count(*) FILTER (WHERE refunded_flag) AS refunded_count,
           count(transaction_id) AS transactions,
           sum(amount) FILTER (WHERE decision = 'APPROVED') AS approved,
           sum(amount) FILTER (WHERE decision = 'REJECTED') AS rejected,
           sum(amount) FILTER (WHERE decision NOT IN ('APPROVED', 'REJECTED')) AS pending,
           sum(provider_amount) FILTER (WHERE progress IN ('SETTLED', 'REVERSED')) AS settled,
           sum(provider_amount) FILTER (WHERE progress = 'RECEIVED') AS received,
           sum(provider_amount) FILTER (WHERE progress = 'FAILED') AS failed,
           sum(refunded) AS refunded,
           sum(provider_amount) FILTER (WHERE moved_unscreened) AS moved_unscreened_amount
      FROM flagged GROUP BY currency, provider_currency
  )
  SELECT v.kind, v.name, v.currency, sum(v.count)::int AS count, trim_scale(sum(v.amount))::text AS amount
    FROM groups g, LATERAL (VALUES
      ('class', 'APPROVED_NOT_SETTLED', NULL, g.approved_not_settled, NULL::numeric),
      ('class', 'MOVED_UNSCREENED', NULL, g.moved_unscreened, NULL),
      ('class', 'MOVED_NOT_APPROVED', NULL, g.moved_not_approved, NULL),
      ('class', 'MISMATCH', NULL, g.mismatch, NULL),
      ('class', 'FAILED_AFTER_APPROVAL', NULL, g.failed_after_approval, NULL),
      ('class', 'REFUNDED', NULL, g.refunded_count, NULL),
      ('total', 'transactions', g.currency, g.transactions, NULL),
      ('total', 'approved', g.currency, 1, g.approved),
      ('total', 'rejected', g.currency, 1, g.rejected),
      ('total', 'pending', g.currency, 1, g.pending),
      ('total', 'settled', g.provider_currency, 1, g.settled),
      ('total', 'received', g.provider_currency, 1, g.received),
      ('total', 'failed', g.provider_currency, 1, g.failed),
      ('total', 'refunded', g.currency, 1, g.refunded),
      ('total', 'movedUnscreened', g.provider_currency, 1, g.moved_unscreened_amount)
    ) AS v(kind, name, currency, count, amount)
   WHERE CASE WHEN v.count IS NULL OR v.count = 0 THEN false WHEN v.name = 'transactions' OR v.kind = 'class' THEN true ELSE v.amount IS NOT NULL END
   GROUP BY v.kind, v.name, v.currency ORDER BY v.kind, v.currency, v.name`;

/**
 * How long one of the reads above may run (a page and the summary of 31 days at a million
 * transactions take a few seconds each): past it PostgreSQL cancels the statement (57014) and the
 * request is answered 503 with Retry-After, rather than holding a pooled connection for minutes.
 */
export const ANALYTICAL_TIMEOUT_MS = 60_000;

/** $1 the statement timeout in milliseconds. For the reads above, in their own transaction: no JIT compilation, hash joins kept in memory, and a bounded run. */
export const ANALYTICAL_SETTINGS = `SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('statement_timeout', $1, true)`;

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
