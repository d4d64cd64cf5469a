// PostgreSQL implementation of the transaction store, tuned for the validate hot path.
// Look-ups and new transactions stored with their verdict (the rules and http engines), or claims and
// screening records (vendors), run on every validate call: concurrent calls share one statement
// (see MicroBatcher), sent straight to the pg pool as a named prepared statement.
import { Pool, QueryResultRow } from 'pg';
import { ClaimResult, LookUpResult, StaleClaim, StoredTransaction, TransactionStore } from '../../application/ports/transaction-store.port';
import { AggregateQuery, aggregateKey, distinctAggregates } from '../../domain/aggregate';
import { Money } from '../../domain/money';
import { ScreeningContext } from '../../domain/screening-context';
import { Direction, JsonObject, Transaction } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { Screening } from '../../domain/verdict';
import { HotPathHealth } from './hot-path-pool';
import { isolatingFailures, MicroBatcher } from './micro-batcher';
import { lookUpBatchSql, lookUpOneSql, RECORD_NEW_BATCH } from './postgres-transaction-once.queries';
import { claimBatchSql, claimOneSql, FIND, reclaimStaleSql, RECORD_SCREENING_BATCH, takeStaleClaimsSql } from './postgres-transaction.queries';
import { claimBatchJson, NewScreenedTransaction, ScreenedTransaction, screenedTransactionsJson, screeningRecordsJson } from './transaction-batch-json';
import { contextFrom, ScreenableRow, screenableFrom } from './transaction-row';

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
  aggregates: (string | null)[] | null;
}

/** A look-up's answer for a later occurrence of an id in its batch (lookUpBatchSql). */
const AGAIN = Symbol('again');

interface LookUpRow extends TransactionRow {
  fresh: boolean;
  aggregates: (string | null)[] | null;
}

interface ClaimRequest {
  readonly transaction: Transaction;
}

/** The statements for one set of aggregates: each set has its own SQL text, so its own prepared statements. */
interface AggregateStatements {
  readonly aggregates: readonly AggregateQuery[];
  readonly claim: MicroBatcher<ClaimRequest, ClaimResult>;
  readonly claimName: string;
  readonly claimText: string;
  /** The claim of a batch of one (claimOneSql). */
  readonly claimOneName: string;
  readonly claimOneText: string;
  readonly reclaimName: string;
  readonly reclaimText: string;
  /** The look-up that writes nothing (lookUpBatchSql), and its batch of one. */
  readonly lookUp: MicroBatcher<ClaimRequest, LookUpResult | typeof AGAIN>;
  readonly lookUpName: string;
  readonly lookUpText: string;
  readonly lookUpOneName: string;
  readonly lookUpOneText: string;
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
  /** Per set of aggregates (usually one: the provider's), since a batch shares its statement. */
  private readonly statements = new Map<string, AggregateStatements>();
  private readonly statementsByArray = new WeakMap<readonly AggregateQuery[], AggregateStatements>();
  private readonly recordBatcher: MicroBatcher<ScreenedTransaction, boolean>;
  private readonly recordNewBatcher: MicroBatcher<NewScreenedTransaction, boolean>;
  /** Whether the latest hot-path statements were served; readiness reads it. */
  readonly health: HotPathHealth;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresTransactionStoreOptions = { maxConcurrentBatches: 4 },
  ) {
    super();
    this.health = options.health ?? new HotPathHealth();
    this.recordBatcher = new MicroBatcher(isolatingFailures((batch) => this.recordBatch(batch)), this.batchOptions('screening records'));
    this.recordNewBatcher = new MicroBatcher(isolatingFailures((batch) => this.recordNewBatch(batch)), this.batchOptions('screened transactions'));
  }

  claim(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<ClaimResult> {
    return this.statementsFor(aggregates).claim.submit({ transaction });
  }

  recordScreening(transaction: Transaction, screening: Screening): Promise<boolean> {
    return this.recordBatcher.submit({ transaction, screening });
  }

  async lookUp(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<LookUpResult> {
    const { lookUp } = this.statementsFor(aggregates);
    for (;;) {
      const result = await lookUp.submit({ transaction });
      // A later occurrence of an id in its batch is asked again, now that the earlier one is done.
      if (result !== AGAIN) return result;
    }
  }

  recordNew(transaction: Transaction, screening: Screening, receivedAt: number): Promise<boolean> {
    return this.recordNewBatcher.submit({ transaction, screening, receivedAt });
  }

  async findById(transactionId: string): Promise<StoredTransaction | null> {
    const { rows } = await this.run<TransactionRow>('tx_find', FIND, [transactionId]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  async reclaimStale(transaction: Transaction, staleAfterMs: number, aggregates: readonly AggregateQuery[]): Promise<ScreeningContext | null> {
    const statements = this.statementsFor(aggregates);
    const { rows } = await this.run<{ aggregates: (string | null)[] | null }>(statements.reclaimName, statements.reclaimText, [transaction.id, staleAfterMs]);
    return rows[0] ? contextFrom(statements.aggregates, rows[0].aggregates) : null;
  }

  async takeStaleClaims(staleAfterMs: number, limit: number, aggregates: readonly AggregateQuery[]): Promise<StaleClaim[]> {
    const { rows } = await this.pool.query<ScreenableRow>(takeStaleClaimsSql(aggregates), [staleAfterMs, limit]);
    return rows.map((row) => screenableFrom(row, aggregates));
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

  private statementsFor(requested: readonly AggregateQuery[]): AggregateStatements {
    // Providers hand over the same array until their rule set changes: validate's path skips the key.
    const known = this.statementsByArray.get(requested);
    if (known) return known;
    const aggregates = distinctAggregates(requested);
    const key = aggregates.map(aggregateKey).join('|');
    let statements = this.statements.get(key);
    if (!statements) {
      const suffix = this.statements.size === 0 ? '' : `_${this.statements.size}`;
      const partial = {
        aggregates,
        claimName: `tx_claim_batch${suffix}`,
        claimText: claimBatchSql(aggregates),
        claimOneName: `tx_claim_one${suffix}`,
        claimOneText: claimOneSql(aggregates),
        reclaimName: `tx_reclaim_stale${suffix}`,
        reclaimText: reclaimStaleSql(aggregates),
        lookUpName: `tx_look_up_batch${suffix}`,
        lookUpText: lookUpBatchSql(aggregates),
        lookUpOneName: `tx_look_up_one${suffix}`,
        lookUpOneText: lookUpOneSql(aggregates),
      };
      statements = {
        ...partial,
        claim: new MicroBatcher(isolatingFailures((batch) => this.claimBatch(batch, partial)), this.batchOptions('claims')),
        lookUp: new MicroBatcher(isolatingFailures((batch) => this.lookUpBatch(batch, partial)), this.batchOptions('look-ups')),
      };
      this.statements.set(key, statements);
    }
    this.statementsByArray.set(requested, statements);
    return statements;
  }

  private async claimBatch(batch: ClaimRequest[], statements: Omit<AggregateStatements, 'claim' | 'lookUp'>): Promise<ClaimResult[]> {
    const [name, text] = batch.length === 1 ? [statements.claimOneName, statements.claimOneText] : [statements.claimName, statements.claimText];
    const { rows } = await this.run<ClaimRow>(name, text, [claimBatchJson(batch)], this.options.claimPool);
    return Promise.all(
      batch.map(async ({ transaction }, index): Promise<ClaimResult> => {
        const row = rows[index]!;
        if (row.claimed) return { claimed: true, context: contextFrom(statements.aggregates, row.aggregates) };
        // Not claimed and not visible: a concurrent insert committed after this statement's
        // snapshot. Read it afresh.
        const existing = row.id !== null ? toStored(row) : await this.findById(transaction.id);
        if (!existing) throw new Error(`transaction ${transaction.id} conflicted on insert but cannot be read`);
        return { claimed: false, existing };
      }),
    );
  }

  private async recordBatch(batch: ScreenedTransaction[]): Promise<boolean[]> {
    const { rows } = await this.run<{ id: string }>('tx_record_screening_batch', RECORD_SCREENING_BATCH, [screeningRecordsJson(batch, new Date())]);
    const recorded = new Set(rows.map((row) => row.id));
    return batch.map(({ transaction }) => recorded.has(transaction.id));
  }

  private async recordNewBatch(batch: NewScreenedTransaction[]): Promise<boolean[]> {
    const { rows } = await this.run<{ position: number }>('tx_record_new_batch', RECORD_NEW_BATCH, [screenedTransactionsJson(batch, new Date())]);
    const inserted = new Set(rows.map((row) => row.position));
    return batch.map((_, index) => inserted.has(index + 1));
  }

  private async lookUpBatch(batch: ClaimRequest[], statements: Omit<AggregateStatements, 'claim' | 'lookUp'>): Promise<(LookUpResult | typeof AGAIN)[]> {
    const [name, text] = batch.length === 1 ? [statements.lookUpOneName, statements.lookUpOneText] : [statements.lookUpName, statements.lookUpText];
    const { rows } = await this.run<LookUpRow>(name, text, [claimBatchJson(batch)], this.options.claimPool);
    return rows.map((row) => {
      if (row.fresh) return { context: contextFrom(statements.aggregates, row.aggregates) };
      return row.id !== null ? { existing: toStored(row) } : AGAIN;
    });
  }

  private batchOptions(name: string) {
    const maxBatch = this.options.maxBatch ?? 64;
    return { name, maxBatch, maxConcurrent: this.options.maxConcurrentBatches, maxQueued: this.options.maxQueued ?? 2 * maxBatch * this.options.maxConcurrentBatches };
  }

  private run<R extends QueryResultRow>(name: string, text: string, values: unknown[], pool: Pool = this.pool) {
    return this.health.observe(pool.query<R>({ name, text, values }));
  }
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
