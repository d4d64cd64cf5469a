// What was screened next to what payment providers say moved: the classes of disagreement and the report's bounds.
import { DomainError } from './domain-error';

/**
 * Why a transaction (or a movement of money) is in the reconciliation report:
 * - APPROVED_NOT_SETTLED: approved, older than the settlement window, and no provider reports it settled;
 * - MOVED_UNSCREENED: money settled or received that no screening covers (no transaction on record, or still screening);
 * - MOVED_NOT_APPROVED: an outbound payment settled while held or rejected;
 * - MISMATCH: the provider's amount or currency differs from what was screened, or its API contradicted its webhook;
 * - FAILED_AFTER_APPROVAL: approved, and the provider reports the payment failed;
 * - REFUNDED: reversed or refunded after it moved.
 */
export const RECONCILIATION_CLASSES = ['APPROVED_NOT_SETTLED', 'MOVED_UNSCREENED', 'MOVED_NOT_APPROVED', 'MISMATCH', 'FAILED_AFTER_APPROVAL', 'REFUNDED'] as const;
export type ReconciliationClass = (typeof RECONCILIATION_CLASSES)[number];

/** The widest range one request may cover, and the most rows one page may hold. */
export const MAX_RECONCILIATION_DAYS = 31;
export const MAX_RECONCILIATION_PAGE = 1000;
export const DEFAULT_RECONCILIATION_PAGE = 200;

const HOUR_MS = 3_600_000;
// A UTC day is always this long: JavaScript's clock has no leap seconds.
const DAY_MS = 24 * HOUR_MS;

export interface ReconciliationRange {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
}

/** Throws INVALID_RANGE (400) naming the field, unless from < to and the range spans at most MAX_RECONCILIATION_DAYS. */
export function reconciliationRange(from: Date, to: Date): ReconciliationRange {
  if (!(from.getTime() < to.getTime())) throw new DomainError('INVALID_RANGE', 'to must be later than from', 'to');
  if (to.getTime() - from.getTime() > MAX_RECONCILIATION_DAYS * DAY_MS) {
    throw new DomainError('INVALID_RANGE', `the range may span at most ${MAX_RECONCILIATION_DAYS} days; page through longer periods`, 'to');
  }
  return { from, to };
}

/** How many days the daily job looks back: a day missed while every replica was down is stored if it is among them. */
export const DAILY_REPORT_LOOK_BACK_DAYS = 7;

/** A UTC calendar day, as `YYYY-MM-DD` and as its range. */
export interface UtcDay extends ReconciliationRange {
  readonly day: string;
}

/**
 * The UTC day whose daily report is due at `now`: the last day that ended at least `settleHours`
 * ago, so that every approval in it has had its time to settle and an unsettled one is
 * APPROVED_NOT_SETTLED.
 */
export function dueUtcDay(now: Date, settleHours: number): UtcDay {
  return utcDayEndingAt(Math.floor((now.getTime() - settleHours * HOUR_MS) / DAY_MS) * DAY_MS);
}

/** The due day and the `lookBack - 1` days before it, oldest first: the days the daily job stores when missing. */
export function dueUtcDays(now: Date, settleHours: number, lookBack: number): UtcDay[] {
  const lastEnd = dueUtcDay(now, settleHours).to.getTime();
  return Array.from({ length: lookBack }, (_, n) => utcDayEndingAt(lastEnd - (lookBack - 1 - n) * DAY_MS));
}

function utcDayEndingAt(end: number): UtcDay {
  const from = new Date(end - DAY_MS);
  return { day: from.toISOString().slice(0, 10), from, to: new Date(end) };
}

/** Where a page of the report ends: rows are ordered by when they happened, then by key. */
export interface ReconciliationPosition {
  readonly at: string;
  readonly key: string;
}

/** One transaction, or one movement of money no transaction covers, with its classes. */
export interface ReconciliationRow {
  /** The transaction's id; null for money that moved without one. */
  readonly transactionId: string | null;
  readonly direction: 'OUTBOUND' | 'INBOUND' | null;
  /** The monitoring decision: APPROVED, REJECTED, PENDING_EXTERNAL_APPROVAL, SCREENING, or null without a transaction. */
  readonly decision: string | null;
  readonly amount: string | null;
  readonly currency: string | null;
  /** When the transaction arrived, or when the movement was reported. */
  readonly at: string;
  readonly provider: string | null;
  /** The provider's payment key (`transfer:<reference>`) or event key, when a provider reported it. */
  readonly paymentKey: string | null;
  /** Where the payment stands: PENDING, IN_PROGRESS, SETTLED, FAILED, REVERSED, RECEIVED; null when none is reported. */
  readonly paymentProgress: string | null;
  readonly providerStatus: string | null;
  readonly providerAmount: string | null;
  readonly providerCurrency: string | null;
  readonly refundedAmount: string | null;
  /** What a provider's API said where it contradicted the webhook. */
  readonly disagreements: readonly string[];
  readonly classes: readonly ReconciliationClass[];
}

/** One currency's figures over the whole range, as exact decimals. */
export interface CurrencyTotals {
  readonly currency: string;
  readonly transactions: number;
  readonly approved: string;
  readonly rejected: string;
  readonly pending: string;
  /** Outbound payments a provider reports settled (reversed ones included: the money left first). */
  readonly settled: string;
  /** Money providers report received. */
  readonly received: string;
  readonly failed: string;
  readonly refunded: string;
  readonly movedUnscreened: string;
}

export interface ReconciliationSummary {
  readonly counts: Readonly<Record<ReconciliationClass, number>>;
  readonly totals: readonly CurrencyTotals[];
}

export function emptyCounts(): Record<ReconciliationClass, number> {
  return Object.fromEntries(RECONCILIATION_CLASSES.map((name) => [name, 0])) as Record<ReconciliationClass, number>;
}
