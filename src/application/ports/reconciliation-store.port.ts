// Port to what was screened and what payment providers reported, read side by side, and the stored daily reports.
import { ReconciliationPosition, ReconciliationRange, ReconciliationRow, ReconciliationSummary } from '../../domain/reconciliation';

export interface ReconciliationQuery {
  readonly range: ReconciliationRange;
  /** An approval older than this without a settlement is APPROVED_NOT_SETTLED. */
  readonly settleBefore: Date;
}

export interface StoredDailyReport extends ReconciliationSummary {
  readonly day: string;
  readonly generatedAt: Date;
  readonly settleHours: number;
  /** The rows, up to the store's cap; `truncated` says whether more were left out. */
  readonly rows: readonly ReconciliationRow[];
  readonly truncated: boolean;
}

export abstract class ReconciliationStore {
  /** Up to `limit` rows that have at least one class, after `after`, in order of time then key. */
  abstract rows(query: ReconciliationQuery, after: ReconciliationPosition | undefined, limit: number): Promise<ReconciliationRow[]>;

  /** Counts per class and totals per currency over the whole range. */
  abstract summary(query: ReconciliationQuery): Promise<ReconciliationSummary>;

  /**
   * Runs `build` and stores its report for `day` unless a report for that day is already
   * stored, or another replica is building it right now; true when this call stored it.
   */
  abstract storeDailyOnce(day: string, build: () => Promise<Omit<StoredDailyReport, 'day' | 'generatedAt'>>): Promise<boolean>;

  /** Stored daily reports, newest first, without their rows. */
  abstract dailyReports(limit: number): Promise<Omit<StoredDailyReport, 'rows'>[]>;
}
