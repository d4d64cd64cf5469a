// A combination's hold on a transaction: one part's approval releases it only once no other part holds it.
import { TransactionState, TransactionStatus } from './transaction-status';

/** One part's own verdict in a combined screening, as stored beside the answer; null when the part failed. */
export interface PartVerdictOnRecord {
  readonly provider: string;
  readonly status: TransactionStatus | null;
}

/** The name a combination of providers screens under, and so the decider of its verdicts: `rules+flagright`. */
export function combinationName(parts: readonly string[]): string {
  return parts.join('+');
}

/**
 * The other parts of the combination that screened the transaction (`screenedBy`, the decider of
 * its first entry) that still hold it when `provider`, one of its parts, approves it: those whose
 * own verdict at screening was not an approval (a failed part counted as the fallback) and that
 * have not approved it since through their own callback. None when a single provider screened it,
 * or when the combination itself decides (a late verdict asks every part again).
 *
 * The parts' verdicts on record are stored just after validate answers, so a fast callback can
 * arrive first (or their write failed): then every other part counts as holding, since a missing
 * record never releases money. An analyst's decision is final whatever the parts say.
 */
export function partsStillHolding(
  provider: string,
  screenedBy: string,
  onRecord: readonly PartVerdictOnRecord[],
  history: readonly { readonly source: string; readonly status: TransactionState; readonly decidedBy: string }[],
): string[] {
  const combination = screenedBy.split('+');
  if (combination.length < 2 || provider === screenedBy) return [];
  const parts = onRecord.length > 0 ? onRecord : combination.map((name) => ({ provider: name, status: null }));
  const approvedSince = new Set(history.filter((e) => e.source === 'PROVIDER' && e.status === 'APPROVED').map((e) => e.decidedBy));
  return parts
    .filter((part) => part.provider !== provider && part.status !== 'APPROVED' && !approvedSince.has(part.provider))
    .map((part) => part.provider)
    .sort();
}
