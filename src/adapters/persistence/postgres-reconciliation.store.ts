// PostgreSQL reconciliation: the range read in two statements (a page of rows, the summary), and one stored report per day.
import { Pool, PoolClient } from 'pg';
import { ReconciliationQuery, ReconciliationStore, StoredDailyReport } from '../../application/ports/reconciliation-store.port';
import {
  CurrencyTotals,
  emptyCounts,
  RECONCILIATION_CLASSES,
  ReconciliationClass,
  ReconciliationPosition,
  ReconciliationRow,
  ReconciliationSummary,
} from '../../domain/reconciliation';
import { inTransaction } from './in-transaction';
import { ANALYTICAL_SETTINGS, ANALYTICAL_TIMEOUT_MS, DAILY_REPORT_EXISTS, DAILY_REPORT_LOCK, DAILY_REPORTS, RECONCILIATION_PAGE, RECONCILIATION_SUMMARY, STORE_DAILY_REPORT } from './postgres-reconciliation.queries';

interface PageRow {
  transaction_id: string | null;
  direction: 'OUTBOUND' | 'INBOUND' | null;
  decision: string | null;
  amount: string | null;
  currency: string | null;
  at: string;
  provider: string | null;
  payment_key: string | null;
  progress: string | null;
  provider_status: string | null;
  provider_amount: string | null;
  provider_currency: string | null;
  refunded: string | null;
  disagreements: string[];
  classes: ReconciliationClass[];
}

interface FigureRow {
  kind: 'class' | 'total';
  name: string;
  currency: string | null;
  count: number;
  amount: string | null;
}

type TotalName = Exclude<keyof CurrencyTotals, 'currency' | 'transactions'>;
const TOTAL_NAMES: readonly TotalName[] = ['approved', 'rejected', 'pending', 'settled', 'received', 'failed', 'refunded', 'movedUnscreened'];

export class PostgresReconciliationStore extends ReconciliationStore {
  constructor(
    private readonly pool: Pool,
    private readonly statementTimeoutMs = ANALYTICAL_TIMEOUT_MS,
  ) {
    super();
  }

  async rows({ range, settleBefore }: ReconciliationQuery, after: ReconciliationPosition | undefined, limit: number): Promise<ReconciliationRow[]> {
    const { rows } = await this.analytical((client) => client.query<PageRow>(RECONCILIATION_PAGE, [range.from, range.to, settleBefore, after?.at ?? null, after?.key ?? null, limit]));
    return rows.map(toRow);
  }

  async summary({ range, settleBefore }: ReconciliationQuery): Promise<ReconciliationSummary> {
    const { rows } = await this.analytical((client) => client.query<FigureRow>(RECONCILIATION_SUMMARY, [range.from, range.to, settleBefore]));
    return toSummary(rows);
  }

  storeDailyOnce(day: string, build: () => Promise<Omit<StoredDailyReport, 'day' | 'generatedAt'>>): Promise<boolean> {
    // The lock lives as long as this transaction: a replica that dies mid-build releases it, and the next pass builds the day.
    return inTransaction(this.pool, async (client) => {
      const { rows: lock } = await client.query<{ locked: boolean }>(DAILY_REPORT_LOCK, [day]);
      if (!lock[0]?.locked) return false;
      if ((await client.query(DAILY_REPORT_EXISTS, [day])).rows.length > 0) return false;
      const report = await build();
      const inserted = await client.query(STORE_DAILY_REPORT, [
        day,
        report.settleHours,
        JSON.stringify(report.counts),
        JSON.stringify(report.totals),
        JSON.stringify(report.rows),
        report.truncated,
      ]);
      return (inserted.rowCount ?? 0) > 0;
    });
  }

  /**
   * A read over a whole range, in a transaction whose settings suit it: JIT compiling the
   * statement cost 1.8 s of the summary's 3.9 s at 200,000 transactions (EXPLAIN ANALYZE), more
   * than it saved, and the hash joins spilled to disk in the default work_mem. A read that runs past
   * the statement timeout is canceled (57014), which the problem filter answers 503.
   */
  private analytical<T>(read: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query(ANALYTICAL_SETTINGS, [String(this.statementTimeoutMs)]);
      return read(client);
    });
  }

  async dailyReports(limit: number): Promise<Omit<StoredDailyReport, 'rows'>[]> {
    const { rows } = await this.pool.query<{ day: string; generated_at: Date; settle_hours: number; counts: Record<ReconciliationClass, number>; totals: CurrencyTotals[]; truncated: boolean }>(
      DAILY_REPORTS,
      [limit],
    );
    return rows.map((row) => ({ day: row.day, generatedAt: row.generated_at, settleHours: row.settle_hours, counts: row.counts, totals: row.totals, truncated: row.truncated }));
  }
}

function toRow(row: PageRow): ReconciliationRow {
  return {
    transactionId: row.transaction_id,
    direction: row.direction,
    decision: row.decision,
    amount: row.amount,
    currency: row.currency,
    at: row.at,
    provider: row.provider,
    paymentKey: row.payment_key,
    paymentProgress: row.progress,
    providerStatus: row.provider_status,
    providerAmount: row.provider_amount,
    providerCurrency: row.provider_currency,
    refundedAmount: row.refunded,
    disagreements: row.disagreements,
    // In the domain's order, whatever order SQL listed them in.
    classes: RECONCILIATION_CLASSES.filter((name) => row.classes.includes(name)),
  };
}

function toSummary(rows: FigureRow[]): ReconciliationSummary {
  const counts = emptyCounts();
  const totals = new Map<string, { -readonly [K in keyof CurrencyTotals]: CurrencyTotals[K] }>();
  for (const row of rows) {
    if (row.kind === 'class') {
      if ((RECONCILIATION_CLASSES as readonly string[]).includes(row.name)) counts[row.name as ReconciliationClass] = row.count;
      continue;
    }
    if (row.currency === null) continue;
    let entry = totals.get(row.currency);
    if (!entry) {
      entry = { currency: row.currency, transactions: 0, ...Object.fromEntries(TOTAL_NAMES.map((name) => [name, '0'])) } as CurrencyTotals;
      totals.set(row.currency, entry);
    }
    if (row.name === 'transactions') entry.transactions = row.count;
    else if ((TOTAL_NAMES as readonly string[]).includes(row.name)) entry[row.name as TotalName] = row.amount ?? '0';
  }
  return { counts, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}
