// Asks a monitoring provider under a time budget and turns every failure into a fallback screening.
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';
import { TransactionStatus } from '../domain/transaction-status';
import { storableError, storableText } from '../domain/storable-text';
import { Screening, ScreeningOutcome, usableVerdict } from '../domain/verdict';
import { askProvider, ProviderCallAbandoned } from './ask-provider';
import { MonitoringProvider, ProviderTimeoutError } from './ports/monitoring-provider.port';

export interface ScreeningBudget {
  readonly timeoutMs: number;
  /** Status recorded when the provider fails or runs out of time. */
  readonly fallbackStatus: Extract<TransactionStatus, 'PENDING_EXTERNAL_APPROVAL' | 'REJECTED'>;
}

/** Never throws: a provider that fails, hangs or answers nonsense yields the fallback status. */
export async function screenWithinBudget(
  provider: MonitoringProvider,
  transaction: Transaction,
  context: ScreeningContext,
  budget: ScreeningBudget,
): Promise<Screening> {
  const started = performance.now();
  const fallback = (outcome: ScreeningOutcome, what: string, error?: string): Screening => {
    const consequence = budget.fallbackStatus === 'REJECTED' ? 'rejected by the fallback policy, and held for review' : 'held for manual review';
    return {
      provider: provider.name,
      outcome,
      status: budget.fallbackStatus,
      reasons: [`Monitoring provider "${provider.name}" ${what}; ${consequence}`],
      durationMs: Math.round(performance.now() - started),
      error: storableText(error ?? what, 2000),
    };
  };
  let answer: unknown;
  try {
    answer = await askProvider(provider, transaction, context, { timeoutMs: budget.timeoutMs });
  } catch (error) {
    if (error instanceof ProviderCallAbandoned) return fallback('TIMEOUT', error.message);
    // The provider's own time limit ran out first: as late as the budget's, and said so.
    if (error instanceof ProviderTimeoutError) return fallback('TIMEOUT', `did not answer within ${budget.timeoutMs} ms`, error.message);
    return fallback('ERROR', 'failed', storableError(error));
  }
  const verdict = usableVerdict(answer);
  if (!verdict) return fallback('ERROR', 'answered with an unusable verdict', JSON.stringify(answer) ?? String(answer));
  return {
    provider: provider.name,
    outcome: 'DECIDED',
    status: verdict.status,
    reasons: verdict.reasons,
    verdict,
    durationMs: Math.round(performance.now() - started),
  };
}
