// PostgreSQL implementation of the transaction store, tuned for the validate hot path.
import { Pool, QueryResultRow } from 'pg';
import { ClaimResult, StaleClaim, StoredTransaction, TransactionStore } from '../../application/ports/transaction-store.port';
import { Money } from '../../domain/money';
import { ScreeningContext } from '../../domain/screening-context';
import { Direction, JsonObject, Transaction } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { Screening } from '../../domain/verdict';
import { entryHash, genesisHash } from './decision-chain';
import { HotPathHealth } from './hot-path-pool';
import { isolatingFailures, MicroBatcher } from './micro-batcher';
import { TAKE_STALE_CLAIMS } from './stale-claims.sql';
import { ScreenableRow, screenableFrom } from './transaction-row';

/*
 * Windows are measured back from now(), the statement's start: unlike clock_timestamp() it is
 * stable, so the bound is an index condition on (source_account_id, received_at) instead of a
 * filter over the account's whole history.
 *
 * Claims and screening records run on every validate call. Concurrent calls share one
 * statement (see MicroBatcher), sent straight to the pg pool as a named prepared statement.
 * Each statement is atomic on its own: a batch is recorded entirely or not at all.
 */

/**
 * Inserts a batch in SCREENING state. For each new row it also counts the source account's
 * activity per requested window: rows already stored, plus the batch's own rows for that
 * account up to and including this one (the statement's snapshot cannot see what it inserts).
 * For ids already stored it returns the stored row instead; an id repeated within the batch is
 * claimed by its first occurrence only. Rows are inserted in id order so
 * that concurrent batches from several replicas take their locks in the same order.
 */
const CLAIM_BATCH = `
  WITH input AS (
    SELECT *
      FROM jsonb_to_recordset($1::jsonb)
           AS i(position int, id text, direction text, amount numeric, currency text, source_account_id text, customer_id text,
                company_id text, user_id text, payment_scheme text, reference text, beneficiary jsonb, payload jsonb)
  ),
  inserted AS (
    INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, company_id,
                              user_id, payment_scheme, reference, beneficiary, payload)
    SELECT id, direction, 'SCREENING', amount, currency, source_account_id, customer_id, company_id, user_id,
           payment_scheme, reference, beneficiary, payload
      FROM input
     ORDER BY id
    ON CONFLICT (id) DO NOTHING
    RETURNING id
  )
  SELECT (n.id IS NOT NULL AND i.position = (SELECT min(d.position) FROM input d WHERE d.id = i.id)) AS claimed,
         t.id, t.direction, t.state, t.amount::text AS amount, t.currency, t.beneficiary, t.reasons,
         CASE WHEN n.id IS NOT NULL AND i.source_account_id IS NOT NULL THEN
           (SELECT array_agg(
                     (SELECT count(*) FROM transactions a
                       WHERE a.source_account_id = i.source_account_id
                         AND a.received_at > now() - make_interval(secs => requested.w))::int
                     + (SELECT count(DISTINCT j.id) FROM input j JOIN inserted m ON m.id = j.id
                         WHERE j.source_account_id = i.source_account_id AND j.position <= i.position)::int
                     ORDER BY requested.position)
              FROM unnest($2::int[]) WITH ORDINALITY AS requested(w, position))
         END AS activity
    FROM input i
    LEFT JOIN inserted n ON n.id = i.id
    -- LATERAL keeps this a primary-key lookup per input row even in a generic plan, which
    -- cannot know how few rows the input has and would otherwise scan the whole table.
    LEFT JOIN LATERAL (SELECT * FROM transactions s WHERE s.id = i.id) t ON true
   ORDER BY i.position`;

/**
 * Moves a batch out of SCREENING and appends each one's first, hash-chained decision entry;
 * returns the ids it moved. A held transaction also opens its review case, and one held by the
 * fallback (the provider failed) is queued to ask the provider again in the background.
 */
const RECORD_SCREENING_BATCH = `
  WITH input AS (
    SELECT *
      FROM jsonb_to_recordset($1::jsonb)
           AS v(id text, state text, reasons jsonb, provider text, outcome text, provider_status text,
                provider_reasons jsonb, error text, duration_ms int, source text, final boolean,
                decided_at timestamptz, prev_hash text, hash text, retry boolean)
  ),
  updated AS (
    UPDATE transactions t
       SET state = v.state, reasons = v.reasons, provider = v.provider, screening_outcome = v.outcome,
           provider_status = v.provider_status, provider_reasons = v.provider_reasons,
           screening_error = v.error, screening_ms = v.duration_ms,
           screened_at = v.decided_at, updated_at = clock_timestamp()
      FROM input v
     WHERE t.id = v.id AND t.state = 'SCREENING'
    RETURNING t.id, t.direction
  ),
  decided AS (
    INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
    SELECT v.id, 1, v.state, v.final, v.source, v.provider, v.reasons, v.decided_at, v.prev_hash, v.hash
      FROM input v JOIN updated u ON u.id = v.id
  ),
  held AS (
    INSERT INTO review_cases (transaction_id, direction, status, opened_at)
    SELECT v.id, u.direction, v.state, v.decided_at
      FROM input v JOIN updated u ON u.id = v.id
     WHERE v.state = 'PENDING_EXTERNAL_APPROVAL'
  ),
  retried AS (
    INSERT INTO screening_retries (transaction_id, next_attempt_at)
    SELECT v.id, clock_timestamp() + interval '1 second'
      FROM input v JOIN updated u ON u.id = v.id
     WHERE v.retry
  )
  SELECT id FROM updated`;

const FIND = `
  SELECT id, direction, state, amount::text AS amount, currency, beneficiary, reasons
    FROM transactions WHERE id = $1`;

const RECLAIM_STALE = `
  WITH reclaimed AS (
    UPDATE transactions SET claimed_at = clock_timestamp()
     WHERE id = $1 AND state = 'SCREENING' AND claimed_at < clock_timestamp() - make_interval(secs => $2::float8 / 1000)
    RETURNING source_account_id
  )
  SELECT (SELECT array_agg(
                   (SELECT count(*) FROM transactions a
                     WHERE a.source_account_id = reclaimed.source_account_id
                       AND a.received_at > now() - make_interval(secs => requested.w))::int
                   ORDER BY requested.position)
            FROM unnest($3::int[]) WITH ORDINALITY AS requested(w, position)) AS activity
    FROM reclaimed`;

interface TransactionRow {
  id: string;
  direction: Direction;
  state: TransactionState;
  amount: string;
  currency: string;
  beneficiary: JsonObject | null;
  reasons: string[];
}

interface ClaimRow extends TransactionRow {
  claimed: boolean;
  activity: number[] | null;
}

interface ClaimRequest {
  readonly transaction: Transaction;
  readonly windows: readonly number[];
}

interface RecordRequest {
  readonly transaction: Transaction;
  readonly screening: Screening;
}

export interface PostgresTransactionStoreOptions {
  /** Most concurrent statements per kind (claims, records); keep well under the pool size. */
  readonly maxConcurrentBatches: number;
  readonly maxBatch?: number;
  /** Calls waiting per batcher beyond which a call is refused at once (DatabaseSaturatedError). */
  readonly maxQueued?: number;
  readonly health?: HotPathHealth;
}

export class PostgresTransactionStore extends TransactionStore {
  /** One batcher per set of activity windows, since a batch shares its windows parameter. */
  private readonly claimBatchers = new Map<string, MicroBatcher<ClaimRequest, ClaimResult>>();
  private readonly recordBatcher: MicroBatcher<RecordRequest, boolean>;
  /** Whether the latest hot-path statements were served; readiness reads it. */
  readonly health: HotPathHealth;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresTransactionStoreOptions = { maxConcurrentBatches: 4 },
  ) {
    super();
    this.health = options.health ?? new HotPathHealth();
    this.recordBatcher = new MicroBatcher(isolatingFailures((batch) => this.recordBatch(batch)), this.batchOptions('screening records'));
  }

  claim(transaction: Transaction, activityWindowsSeconds: readonly number[]): Promise<ClaimResult> {
    const windows = windowsFor(transaction, activityWindowsSeconds);
    const key = windows.join(',');
    let batcher = this.claimBatchers.get(key);
    if (!batcher) {
      batcher = new MicroBatcher(isolatingFailures((batch) => this.claimBatch(batch, windows)), this.batchOptions('claims'));
      this.claimBatchers.set(key, batcher);
    }
    return batcher.submit({ transaction, windows });
  }

  recordScreening(transaction: Transaction, screening: Screening): Promise<boolean> {
    return this.recordBatcher.submit({ transaction, screening });
  }

  async findById(transactionId: string): Promise<StoredTransaction | null> {
    const { rows } = await this.run<TransactionRow>('tx_find', FIND, [transactionId]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  async reclaimStale(transaction: Transaction, staleAfterMs: number, activityWindowsSeconds: readonly number[]): Promise<ScreeningContext | null> {
    const windows = windowsFor(transaction, activityWindowsSeconds);
    const { rows } = await this.run<{ activity: number[] | null }>('tx_reclaim_stale', RECLAIM_STALE, [transaction.id, staleAfterMs, windows]);
    return rows[0] ? toContext(windows, rows[0].activity) : null;
  }

  async takeStaleClaims(staleAfterMs: number, limit: number, activityWindowsSeconds: readonly number[]): Promise<StaleClaim[]> {
    const { rows } = await this.pool.query<ScreenableRow>(TAKE_STALE_CLAIMS, [staleAfterMs, limit, activityWindowsSeconds]);
    return rows.map((row) => screenableFrom(row, activityWindowsSeconds));
  }

  /** Rejects unless the transactions table can be read within `timeoutMs` (not locked away, a connection free). */
  async probe(timeoutMs: number): Promise<void> {
    // Straight to the pool: a probe answering is no sign that validate's statements are served.
    const read = this.pool.query({ name: 'tx_probe', text: 'SELECT 1 FROM transactions LIMIT 0' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the transactions table could not be read within ${timeoutMs} ms`)), timeoutMs);
    });
    read.catch(() => undefined); // its outcome no longer matters once late
    try {
      await Promise.race([read, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async claimBatch(batch: ClaimRequest[], windows: readonly number[]): Promise<ClaimResult[]> {
    const { rows } = await this.run<ClaimRow>('tx_claim_batch', CLAIM_BATCH, [claimBatchJson(batch), windows]);
    return Promise.all(
      batch.map(async ({ transaction }, index): Promise<ClaimResult> => {
        const row = rows[index]!;
        if (row.claimed) return { claimed: true, context: toContext(windows, row.activity) };
        // Not claimed and not visible: a concurrent insert committed after this statement's
        // snapshot. Read it afresh.
        const existing = row.id !== null ? toStored(row) : await this.findById(transaction.id);
        if (!existing) throw new Error(`transaction ${transaction.id} conflicted on insert but cannot be read`);
        return { claimed: false, existing };
      }),
    );
  }

  private async recordBatch(batch: RecordRequest[]): Promise<boolean[]> {
    const input = batch.map(({ transaction, screening }) => {
      const entry = {
        transactionId: transaction.id,
        sequence: 1,
        status: screening.status,
        final: screening.status !== 'PENDING_EXTERNAL_APPROVAL',
        source: screening.outcome === 'DECIDED' ? ('PROVIDER' as const) : ('FALLBACK' as const),
        decidedBy: screening.provider,
        reasons: screening.reasons,
        decidedAt: new Date(),
      };
      const prevHash = genesisHash(transaction.id, transaction.money.amount.toString(), transaction.money.currency);
      return {
        id: transaction.id,
        state: screening.status,
        reasons: screening.reasons,
        provider: screening.provider,
        outcome: screening.outcome,
        provider_status: screening.verdict?.status ?? null,
        provider_reasons: screening.verdict?.reasons ?? null,
        error: screening.error ?? null,
        duration_ms: screening.durationMs,
        source: entry.source,
        final: entry.final,
        decided_at: entry.decidedAt.toISOString(),
        prev_hash: prevHash,
        hash: entryHash(prevHash, entry),
        // Only a transaction left pending because the provider failed is worth asking again.
        retry: screening.outcome !== 'DECIDED' && screening.status === 'PENDING_EXTERNAL_APPROVAL',
      };
    });
    const { rows } = await this.run<{ id: string }>('tx_record_screening_batch', RECORD_SCREENING_BATCH, [JSON.stringify(input)]);
    const recorded = new Set(rows.map((row) => row.id));
    return batch.map(({ transaction }) => recorded.has(transaction.id));
  }

  private batchOptions(name: string) {
    const maxBatch = this.options.maxBatch ?? 64;
    return { name, maxBatch, maxConcurrent: this.options.maxConcurrentBatches, maxQueued: this.options.maxQueued ?? 2 * maxBatch * this.options.maxConcurrentBatches };
  }

  private run<R extends QueryResultRow>(name: string, text: string, values: unknown[]) {
    return this.health.observe(this.pool.query<R>({ name, text, values }));
  }
}

/**
 * The batch as one JSON document, the original payload embedded as the text it arrived as
 * (already validated JSON) so that its numbers keep their exact digits in jsonb.
 */
function claimBatchJson(batch: ClaimRequest[]): string {
  const text = (value: string | undefined) => (value === undefined ? 'null' : JSON.stringify(value));
  const rows = batch.map(({ transaction: t }, index) =>
    [
      `{"position":${index + 1}`,
      `"id":${text(t.id)}`,
      `"direction":"${t.direction}"`,
      `"amount":"${t.money.amount.toString()}"`,
      `"currency":${text(t.money.currency)}`,
      `"source_account_id":${text(t.sourceAccountId)}`,
      `"customer_id":${text(t.customerId)}`,
      `"company_id":${text(t.companyId)}`,
      `"user_id":${text(t.userId)}`,
      `"payment_scheme":${text(t.paymentScheme)}`,
      `"reference":${text(t.reference)}`,
      `"beneficiary":${t.beneficiary === undefined ? 'null' : JSON.stringify(t.beneficiary)}`,
      `"payload":${t.originalPayload}}`,
    ].join(','),
  );
  return `[${rows.join(',')}]`;
}

/** A transaction that names no source account has no activity to count. */
function windowsFor(transaction: Transaction, activityWindowsSeconds: readonly number[]): readonly number[] {
  return transaction.sourceAccountId === undefined ? [] : activityWindowsSeconds;
}

function toContext(windows: readonly number[], counts: number[] | null): ScreeningContext {
  return { sourceAccountActivity: new Map(windows.map((window, index) => [window, counts?.[index] ?? 0])) };
}

function toStored(row: TransactionRow): StoredTransaction {
  return {
    id: row.id,
    direction: row.direction,
    state: row.state,
    reasons: row.reasons,
    money: Money.of(row.amount, row.currency),
    beneficiary: row.beneficiary ?? undefined,
  };
}
