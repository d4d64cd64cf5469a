// Reconciliation: each transaction's monitoring decision next to what payment providers reported, on demand and daily.
import { pageOf } from './page';
import { DAILY_REPORT_LOOK_BACK_DAYS, dueUtcDays, ReconciliationClass, ReconciliationPosition, ReconciliationRange, ReconciliationRow, ReconciliationSummary, UtcDay } from '../domain/reconciliation';
import { ReconciliationStore, StoredDailyReport } from './ports/reconciliation-store.port';

export interface ReconciliationPolicy {
  /** How long an approved payment may go without a settlement before it is APPROVED_NOT_SETTLED. */
  readonly settleHours: number;
  /** The most rows a stored daily report keeps (its counts and totals always cover every row). */
  readonly dailyRowCap: number;
}

export interface ReconciliationPage {
  /** Counts and totals over the whole range: on the first page only (no cursor), since they do not change from page to page; null when not asked for. */
  readonly summary: ReconciliationSummary | null;
  readonly items: readonly ReconciliationRow[];
  readonly next: ReconciliationPosition | null;
}

export class ReconcilePayments {
  private readonly now: () => Date;
  private readonly onDailyStored: (day: string, counts: Readonly<Record<ReconciliationClass, number>>) => void;

  constructor(
    private readonly store: ReconciliationStore,
    private readonly policy: ReconciliationPolicy,
    options: { readonly now?: () => Date; readonly onDailyStored?: (day: string, counts: Readonly<Record<ReconciliationClass, number>>) => void } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.onDailyStored = options.onDailyStored ?? (() => undefined);
  }

  get settleHours(): number {
    return this.policy.settleHours;
  }

  /**
   * A page of rows; the first page (no cursor) also carries the summary unless `withSummary` is
   * false (CSV shows rows only, and the summary is the costlier half of the read).
   */
  async page(range: ReconciliationRange, after: ReconciliationPosition | undefined, limit: number, withSummary = true): Promise<ReconciliationPage> {
    const query = { range, settleBefore: this.settleBefore() };
    const summarise = withSummary && !after;
    const [rows, summary] = await Promise.all([this.store.rows(query, after, limit + 1), summarise ? this.store.summary(query) : Promise.resolve(null)]);
    const { items, continueAfter: last } = pageOf(rows, limit);
    return { summary, items, next: last ? positionOf(last) : null };
  }

  /**
   * Stores the report of each due day (dueUtcDays: the last day that ended at least settleHours
   * ago, and the days before it within the look-back) that is not stored yet, oldest first: safe to
   * call from every replica as often as liked, since the store builds each day once. Answers the
   * days this call stored.
   */
  async storeDueDailyReports(): Promise<string[]> {
    const stored: string[] = [];
    for (const day of dueUtcDays(this.now(), this.policy.settleHours, DAILY_REPORT_LOOK_BACK_DAYS)) {
      if (await this.storeDailyReport(day)) stored.push(day.day);
    }
    return stored;
  }

  private async storeDailyReport({ day, from, to }: UtcDay): Promise<boolean> {
    let counts: Readonly<Record<ReconciliationClass, number>> | undefined;
    const stored = await this.store.storeDailyOnce(day, async () => {
      const query = { range: { from, to }, settleBefore: this.settleBefore() };
      const [summary, rows] = await Promise.all([this.store.summary(query), this.store.rows(query, undefined, this.policy.dailyRowCap + 1)]);
      counts = summary.counts;
      return { ...summary, settleHours: this.policy.settleHours, rows: rows.slice(0, this.policy.dailyRowCap), truncated: rows.length > this.policy.dailyRowCap };
    });
    if (stored && counts) this.onDailyStored(day, counts);
    return stored;
  }

  dailyReports(limit: number): Promise<Omit<StoredDailyReport, 'rows'>[]> {
    return this.store.dailyReports(limit);
  }

  private settleBefore(): Date {
    return new Date(this.now().getTime() - this.policy.settleHours * 3_600_000);
  }
}

export function positionOf(row: ReconciliationRow): ReconciliationPosition {
  return { at: row.at, key: row.transactionId ?? `${row.provider}|${row.paymentKey}` };
}
