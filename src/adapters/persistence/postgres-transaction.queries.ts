// The SQL of the transaction store: claims and screening records, batched for the validate hot path.
import { AggregateQuery } from '../../domain/aggregate';
import { aggregateArraySql, batchWindowsSql } from './aggregate-sql';
import { screenableColumns } from './transaction-row';

/*
 * Aggregate windows are measured back from now(), the statement's start: unlike clock_timestamp()
 * it is stable, so the bound is an index condition on (field, received_at) instead of a filter over
 * the whole history of the account, customer or beneficiary.
 *
 * Each statement is atomic on its own: a batch is recorded entirely or not at all.
 */

/** A claim's input, claimBatchJson's rows, as a relation. */
export const CLAIM_INPUT = `
    SELECT *
      FROM jsonb_to_recordset($1::jsonb)
           AS i(position int, first boolean, id text, direction text, amount numeric, currency text, source_account_id text,
                customer_id text, company_id text, user_id text, payment_scheme text, reference text, beneficiary jsonb, payload jsonb)`;

/** Inserts the input's rows (as `rows` narrows and orders them) in SCREENING state, returning the ids it inserted. */
function insertClaimsSql(rows: string): string {
  return `
    INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, company_id,
                              user_id, payment_scheme, reference, beneficiary, payload)
    SELECT id, direction, 'SCREENING', amount, currency, source_account_id, customer_id, company_id, user_id,
           payment_scheme, reference, beneficiary, payload
      FROM input ${rows}
    ON CONFLICT (id) DO NOTHING
    RETURNING id`;
}

/**
 * Inserts a batch in SCREENING state. For each new row it also computes the aggregates asked for
 * (aggregate-sql.ts): over rows already stored, plus the batch's own rows up to and including this
 * one (the statement's snapshot cannot see what it inserts). For ids already stored it returns the
 * stored row instead; an id repeated within the batch is claimed by its first occurrence only,
 * which the input marks (`first`, set by claimBatchJson: a row without it is never inserted, and
 * the store then fails the claim as unreadable). Rows are inserted in id order so that concurrent
 * batches from several replicas take their locks in the same order.
 */
export function claimBatchSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH input AS (${CLAIM_INPUT}),
  -- first: the id's first occurrence in the batch (marked by the caller), the one stored and reported as claimed.
  inserted AS (${insertClaimsSql('WHERE first ORDER BY id')}),
  -- The batch's own new rows, each id once, with their running counts and sums for the aggregates:
  -- built once per statement rather than once per row and aggregate.
  batch AS MATERIALIZED (
    SELECT j.*${batchWindowsSql(aggregates, 'j')} FROM input j JOIN inserted m ON m.id = j.id WHERE j.first
  )
  SELECT b.id IS NOT NULL AS claimed,
         t.id, t.direction, t.state, t.amount::text AS amount, t.currency, t.beneficiary, t.reasons,
         CASE WHEN b.id IS NOT NULL THEN ${aggregateArraySql(aggregates, { kind: 'claim', row: 'i', batch: 'b', batchRows: 'j' })} END AS aggregates
    FROM input i
    LEFT JOIN inserted n ON n.id = i.id
    LEFT JOIN batch b ON b.position = i.position
    -- Only a row this statement did not insert is read back (a replay, or a concurrent claim).
    -- OFFSET 0 keeps the subquery from being flattened into a join, which the planner, taking the
    -- input for a hundred rows, would answer with a scan of the whole table: as written it stays a
    -- primary-key lookup per row.
    LEFT JOIN LATERAL (SELECT * FROM transactions s WHERE s.id = i.id AND n.id IS NULL OFFSET 0) t ON true
   ORDER BY i.position`;
}

/**
 * claimBatchSql for a batch of one row, the usual case while load is light (a lone call goes at
 * once): the row's own share of each aggregate is added directly, with no batch to build, join or
 * sort.
 */
export function claimOneSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH input AS (${CLAIM_INPUT}),
  inserted AS (${insertClaimsSql('')})
  SELECT n.id IS NOT NULL AS claimed,
         t.id, t.direction, t.state, t.amount::text AS amount, t.currency, t.beneficiary, t.reasons,
         CASE WHEN n.id IS NOT NULL THEN ${aggregateArraySql(aggregates, { kind: 'lone claim', row: 'i' })} END AS aggregates
    FROM input i
    LEFT JOIN inserted n ON n.id = i.id
    LEFT JOIN LATERAL (SELECT * FROM transactions s WHERE s.id = i.id AND n.id IS NULL OFFSET 0) t ON true`;
}

/**
 * Moves a batch out of SCREENING into `state` and appends each one's first, hash-chained decision
 * entry, of `status` (what validate answered: REJECTED by the fallback while the state is pending
 * review); returns the ids it moved. Rows marked `review` open their review case and rows marked `retry`
 * are queued to ask the provider again, as screeningRecord decided.
 */
export const RECORD_SCREENING_BATCH = `
  WITH input AS MATERIALIZED (
    SELECT *, 'SCREENING' AS claimed_state
      FROM jsonb_to_recordset($1::jsonb)
           AS v(id text, state text, status text, reasons jsonb, provider text, outcome text, provider_status text,
                provider_reasons jsonb, error text, duration_ms int, source text, final boolean,
                decided_at timestamptz, prev_hash text, hash text, review boolean, retry boolean, rule_set_version int)
  ),
  updated AS (
    UPDATE transactions t
       SET state = v.state, reasons = v.reasons, provider = v.provider, screening_outcome = v.outcome,
           provider_status = v.provider_status, provider_reasons = v.provider_reasons, rule_set_version = v.rule_set_version,
           screening_error = v.error, screening_ms = v.duration_ms,
           screened_at = v.decided_at, updated_at = clock_timestamp()
      FROM input v
     -- Rows are found by primary key whatever the statistics say. The state is compared with the
     -- input's column, not a literal: given state = 'SCREENING', a generic plan made after ANALYZE
     -- has seen almost no claims open reads the stale-claims partial index instead, which holds
     -- every claim since the last vacuum (three rows after 30,000 and 60,000 claims: p50 0.70 and
     -- 0.88 ms, against 0.56 and 0.66 by primary key). And the ids are also given as an array:
     -- taking the input for a hundred rows, the planner would scan the whole of a table of a few
     -- thousand rows rather than look each one up.
     WHERE t.id = ANY (ARRAY(SELECT id FROM input)) AND t.id = v.id AND t.state = v.claimed_state
    RETURNING t.id, t.direction, t.amount, t.currency, t.source_account_id, t.customer_id, t.reference, t.beneficiary
  ),
${screeningEffectsSql('input v JOIN updated u ON u.id = v.id')}
  SELECT id FROM updated`;

/**
 * What a screening record adds beside the transaction's row: its first decision entry, its review
 * case (rows marked `review`) and its retry (rows marked `retry`). `rows` joins the record's input,
 * aliased v, to the rows written, aliased u (id, direction, amount, currency, source_account_id,
 * customer_id, reference, beneficiary).
 */
export function screeningEffectsSql(rows: string): string {
  return `
  decided AS (
    INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
    SELECT v.id, 1, v.status, v.final, v.source, v.provider, v.reasons, v.decided_at, v.prev_hash, v.hash
      FROM ${rows}
  ),
  held AS (
    INSERT INTO review_cases (transaction_id, direction, status, opened_at,
                              amount, currency, source_account_id, customer_id, beneficiary_iban, beneficiary_name, search_text)
    SELECT v.id, u.direction, v.state, v.decided_at, u.amount, u.currency, u.source_account_id, u.customer_id,
           normalised_iban(u.beneficiary ->> 'iban'), lower(u.beneficiary ->> 'name'), review_case_search_text(u.id, u.reference, u.beneficiary)
      FROM ${rows}
     WHERE v.review
  ),
  retried AS (
    INSERT INTO screening_retries (transaction_id, next_attempt_at)
    SELECT v.id, clock_timestamp() + interval '1 second'
      FROM ${rows}
     WHERE v.retry
  )`;
}

export const FIND = `
  SELECT id, direction, state, amount::text AS amount, currency, beneficiary, reasons
    FROM transactions WHERE id = $1`;

/** $1 id, $2 stale after (ms). The aggregates are computed as they stood when the transaction arrived. */
export function reclaimStaleSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH reclaimed AS (
    UPDATE transactions SET claimed_at = clock_timestamp()
     WHERE id = $1 AND state = 'SCREENING' AND claimed_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000)
    RETURNING *
  )
  SELECT ${aggregateArraySql(aggregates, { kind: 'stored', row: 'reclaimed' })} AS aggregates
    FROM reclaimed`;
}

/**
 * $1 stale after (ms), $2 limit. Renewing claimed_at is the takeover:
 * SKIP LOCKED and the new claimed_at keep two replicas (or a replay's reclaimStale) from taking
 * the same claim. The partial index on SCREENING rows keeps this cheap however large the table.
 */
export function takeStaleClaimsSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH stale AS (
    SELECT id FROM transactions
     WHERE state = 'SCREENING' AND claimed_at < clock_timestamp() - make_interval(secs => $1::float8 / 1000)
     ORDER BY claimed_at
     LIMIT $2
       FOR UPDATE SKIP LOCKED
  ),
  taken AS (
    UPDATE transactions t SET claimed_at = clock_timestamp() FROM stale WHERE t.id = stale.id RETURNING t.id
  )
  SELECT ${screenableColumns(aggregates)}
    FROM taken JOIN transactions t ON t.id = taken.id`;
}
