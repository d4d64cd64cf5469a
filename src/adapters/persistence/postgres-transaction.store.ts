// PostgreSQL implementation of the transaction store, tuned for the validate hot path.
// Claims and screening records run on every validate call: concurrent calls share one statement
// (see MicroBatcher), sent straight to the pg pool as a named prepared statement.
import { Pool, QueryResultRow } from 'pg';
import { ClaimResult, StaleClaim, StoredTransaction, TransactionStore } from '../../application/ports/transaction-store.port';
import { Money } from '../../domain/money';
import { ScreeningContext } from '../../domain/screening-context';
import { Direction, JsonObject, Transaction } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { screeningRecord } from '../../domain/screening-record';
import { Screening } from '../../domain/verdict';
import { entryHash, genesisHash } from './decision-chain';
import { HotPathHealth } from './hot-path-pool';
import { isolatingFailures, MicroBatcher } from './micro-batcher';
import { CLAIM_BATCH, FIND, RECLAIM_STALE, RECORD_SCREENING_BATCH, TAKE_STALE_CLAIMS } from './postgres-transaction.queries';
import { ScreenableRow, screenableFrom } from './transaction-row';

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
  /** Where claims go (see HotPathPool: commits that need not wait for the flush); default the pool. */
  readonly claimPool?: Pool;
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
    const { rows } = await this.run<ClaimRow>('tx_claim_batch', CLAIM_BATCH, [claimBatchJson(batch), windows], this.options.claimPool);
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
      const { entry, opensReview, retry } = screeningRecord(screening, new Date());
      const prevHash = genesisHash(transaction.id, transaction.money.amount.toString(), transaction.money.currency);
      return {
        id: transaction.id,
        state: entry.status,
        reasons: entry.reasons,
        provider: entry.decidedBy,
        outcome: screening.outcome,
        provider_status: screening.verdict?.status ?? null,
        provider_reasons: screening.verdict?.reasons ?? null,
        error: screening.error ?? null,
        duration_ms: screening.durationMs,
        source: entry.source,
        final: entry.final,
        decided_at: entry.decidedAt.toISOString(),
        prev_hash: prevHash,
        hash: entryHash(prevHash, { ...entry, transactionId: transaction.id, sequence: 1 }),
        review: opensReview,
        retry,
        rule_set_version: screening.verdict?.ruleSetVersion ?? null,
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

  private run<R extends QueryResultRow>(name: string, text: string, values: unknown[], pool: Pool = this.pool) {
    return this.health.observe(pool.query<R>({ name, text, values }));
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
