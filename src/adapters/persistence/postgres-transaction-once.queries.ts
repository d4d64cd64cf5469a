// The SQL of storing a transaction once, already screened: the look-up that writes nothing, and the one insert with its verdict.
import { AggregateQuery } from '../../domain/aggregate';
import { aggregateArraySql, batchWindowsSql } from './aggregate-sql';
import { CLAIM_INPUT, screeningEffectsSql } from './postgres-transaction.queries';

/** The stored row under the input's id, if any, read by primary key (OFFSET 0: see claimBatchSql). */
const STORED = `LEFT JOIN LATERAL (SELECT * FROM transactions s WHERE s.id = i.id OFFSET 0) t ON true`;

const STORED_COLUMNS = `t.id, t.direction, t.state, t.amount::text AS amount, t.currency, t.beneficiary, t.reasons`;

/**
 * A look-up of a batch (claimBatchJson's rows) that writes nothing. Each row gets the transaction
 * stored under its id, or, for the first occurrence of an id not stored, the aggregates a claim
 * made now would compute: rows stored before this statement plus the batch's new rows up to and
 * including this one. A later occurrence of an id within the batch gets neither (`fresh` false,
 * no stored row): the store asks again for it once the batch is done.
 */
export function lookUpBatchSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH input AS (${CLAIM_INPUT}),
  -- The batch's new rows (an id not stored, first occurrence). The stored check is a primary-key
  -- lookup per row, kept from being flattened into a join (OFFSET 0, as in claimBatchSql), since the
  -- planner takes the input for a hundred rows.
  batch AS MATERIALIZED (
    SELECT j.*${batchWindowsSql(aggregates, 'j')}
      FROM input j
      LEFT JOIN LATERAL (SELECT true AS stored FROM transactions s WHERE s.id = j.id OFFSET 0) x ON true
     WHERE j.first AND x.stored IS NULL
  )
  SELECT b.id IS NOT NULL AS fresh, ${STORED_COLUMNS},
         CASE WHEN b.id IS NOT NULL THEN ${aggregateArraySql(aggregates, { kind: 'claim', row: 'i', batch: 'b', batchRows: 'j' })} END AS aggregates
    FROM input i
    LEFT JOIN batch b ON b.position = i.position
    ${STORED}
   ORDER BY i.position`;
}

/** lookUpBatchSql for a batch of one: the row's own share of each aggregate is added directly. */
export function lookUpOneSql(aggregates: readonly AggregateQuery[]): string {
  return `
  WITH input AS (${CLAIM_INPUT})
  SELECT t.id IS NULL AS fresh, ${STORED_COLUMNS},
         CASE WHEN t.id IS NULL THEN ${aggregateArraySql(aggregates, { kind: 'lone claim', row: 'i' })} END AS aggregates
    FROM input i
    ${STORED}`;
}

/**
 * Inserts a batch of screened transactions (claimBatchJson's rows with screeningRecord's fields)
 * in their final state, each with what RECORD_SCREENING_BATCH adds (screeningEffectsSql), and
 * returns the positions in the batch it inserted. An id already stored is left alone; an id repeated within the batch
 * is inserted from its first occurrence only (`first`). Rows go in id order, so that concurrent
 * batches from several replicas take their locks in the same order.
 */
export const RECORD_NEW_BATCH = `
  WITH input AS MATERIALIZED (
    -- arrived_at: when the request arrived, not when it is stored (after screening: up to the provider's budget).
    SELECT *, statement_timestamp() - make_interval(secs => arrived_ms_ago / 1000.0) AS arrived_at
      FROM jsonb_to_recordset($1::jsonb)
           AS v(position int, first boolean, arrived_ms_ago int, id text, direction text, amount numeric, currency text, source_account_id text, customer_id text,
                company_id text, user_id text, payment_scheme text, reference text, beneficiary jsonb, payload jsonb,
                state text, status text, reasons jsonb, provider text, outcome text, provider_status text,
                provider_reasons jsonb, error text, duration_ms int, source text, final boolean,
                decided_at timestamptz, prev_hash text, hash text, review boolean, retry boolean, rule_set_version int)
  ),
  inserted AS (
    INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, company_id, user_id,
                              payment_scheme, reference, beneficiary, payload, reasons, provider, screening_outcome,
                              provider_status, provider_reasons, rule_set_version, screening_error, screening_ms, screened_at,
                              received_at, claimed_at)
    SELECT id, direction, state, amount, currency, source_account_id, customer_id, company_id, user_id,
           payment_scheme, reference, beneficiary, payload, reasons, provider, outcome,
           provider_status, provider_reasons, rule_set_version, error, duration_ms, decided_at, arrived_at, arrived_at
      FROM input
     WHERE first
     ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id, direction, amount, currency, source_account_id, customer_id, reference, beneficiary
  ),
${screeningEffectsSql('input v JOIN inserted u ON u.id = v.id AND v.first')}
  SELECT v.position FROM input v JOIN inserted u ON u.id = v.id AND v.first`;
