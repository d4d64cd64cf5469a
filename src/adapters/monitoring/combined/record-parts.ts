// Keeps each part's own verdict of a combined screening beside the combined answer.
import { ProviderRole } from '../../../application/ports/provider-health.port';
import { ProviderVerdictStore } from '../../../application/ports/provider-verdict-store.port';
import { Transaction } from '../../../domain/transaction';
import { PartVerdict } from './combined-monitoring.provider';

/**
 * The `onParts` of a live CombinedMonitoringProvider: stores every part's verdict, after the
 * answer and never awaited; a failure is only logged. The parts share one `screenedAt`, since they
 * are one screening: the transaction's detail, which lists verdicts by time, then lists them by
 * provider name, whichever part was stored in a later millisecond.
 */
export function recordParts(
  store: ProviderVerdictStore,
  role: ProviderRole,
  warn: (message: string) => void,
): (transaction: Transaction, parts: readonly PartVerdict[]) => void {
  return (transaction, parts) => {
    const screenedAt = new Date();
    store
      .record(parts.map((part) => ({ transactionId: transaction.id, role, ...part, screenedAt })))
      .catch((error: Error) => warn(`per-provider verdicts of ${transaction.id} not recorded: ${error.message}`));
  };
}
