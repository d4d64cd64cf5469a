// What a monitoring provider concluded about a transaction, and how the screening went.
import { storableText } from './storable-text';
import { isTransactionStatus, TransactionStatus } from './transaction-status';

export interface Verdict {
  readonly status: TransactionStatus;
  /** Human-readable, one per rule or signal that fired. */
  readonly reasons: readonly string[];
  /** The embedded engine's rule-set version that gave it; absent from other providers. */
  readonly ruleSetVersion?: number;
}

/** DECIDED: the provider answered in time. TIMEOUT / ERROR: the fallback status was used. */
export type ScreeningOutcome = 'DECIDED' | 'TIMEOUT' | 'ERROR';

export interface Screening {
  readonly provider: string;
  readonly outcome: ScreeningOutcome;
  /** The status answered to Toqio: the verdict's, or the fallback. */
  readonly status: TransactionStatus;
  readonly reasons: readonly string[];
  /** The provider's own verdict, absent when it failed or ran out of time. */
  readonly verdict?: Verdict;
  readonly durationMs: number;
  /** Internal diagnostic for operators; never sent to Toqio. */
  readonly error?: string;
}

/** Providers are outside code: check what they return before trusting its shape. */
export function isValidVerdict(value: unknown): value is Verdict {
  const verdict = value as Verdict | null;
  return (
    typeof verdict === 'object' &&
    verdict !== null &&
    isTransactionStatus(verdict.status) &&
    Array.isArray(verdict.reasons) &&
    verdict.reasons.every((reason) => typeof reason === 'string')
  );
}

/** More reasons than this, or longer ones, say nothing an analyst can use. */
export const MAX_REASONS = 100;
export const MAX_REASON_LENGTH = 1000;

/**
 * The verdict as this service can keep it, or undefined when its shape is wrong (then the
 * provider has failed, and the fallback applies). Reasons are cut and cleaned of what
 * PostgreSQL cannot store (a NUL, an unpaired surrogate), so a provider's text never fails a write.
 */
export function usableVerdict(value: unknown): Verdict | undefined {
  if (!isValidVerdict(value)) return undefined;
  const reasons = value.reasons.slice(0, MAX_REASONS).map((reason) => storableText(reason, MAX_REASON_LENGTH));
  const version = value.ruleSetVersion;
  return isRuleSetVersion(version) ? { status: value.status, reasons, ruleSetVersion: version } : { status: value.status, reasons };
}

/** Rule-set versions are stored as PostgreSQL integers: one outside 1 to 2^31 - 1 would fail the write of the verdict. */
const MAX_RULE_SET_VERSION = 2_147_483_647;

function isRuleSetVersion(version: unknown): version is number {
  return Number.isSafeInteger(version) && (version as number) > 0 && (version as number) <= MAX_RULE_SET_VERSION;
}
