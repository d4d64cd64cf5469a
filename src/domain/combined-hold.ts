// A combination's hold on a transaction: one part's approval releases it only once no other part holds it.
import { TransactionState, TransactionStatus } from './transaction-status';

/** One part's own verdict in a combined screening, as stored beside the answer; null when the part failed. */
export interface PartVerdictOnRecord {
  readonly provider: string;
  readonly status: TransactionStatus | null;
}

/**
 * The other parts of the combination that still hold the transaction when `provider`, one of its
 * parts, approves it: those whose own verdict at screening was not an approval (a failed part
 * counted as the fallback) and that have not approved it since through their own callback.
 *
 * The parts on record are the combination that screened the transaction; when none are (they are
 * stored just after validate answers, so a fast callback can arrive first, or their write failed),
 * every other part of the live `combination` counts as holding: a missing record never releases
 * money. An analyst's decision, or a late verdict of the whole combination, is final whatever the
 * parts say.
 */
export function partsStillHolding(
  provider: string,
  combination: readonly string[],
  onRecord: readonly PartVerdictOnRecord[],
  history: readonly { readonly source: string; readonly status: TransactionState; readonly decidedBy: string }[],
): string[] {
  const parts = onRecord.length > 0 ? onRecord : combination.map((name) => ({ provider: name, status: null }));
  const approvedSince = new Set(history.filter((e) => e.source === 'PROVIDER' && e.status === 'APPROVED').map((e) => e.decidedBy));
  return parts
    .filter((part) => part.provider !== provider && part.status !== 'APPROVED' && !approvedSince.has(part.provider))
    .map((part) => part.provider)
    .sort();
}
