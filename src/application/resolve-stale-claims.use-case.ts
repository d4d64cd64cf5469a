// Screens and records transactions whose claimant never recorded a verdict, so that none stays SCREENING.
import { MonitoringProvider } from './ports/monitoring-provider.port';
import { TransactionStore } from './ports/transaction-store.port';
import { ScreeningBudget, screenWithinBudget } from './screen-within-budget';

export interface StaleClaimPolicy extends ScreeningBudget {
  /** A claim older than this has no live claimant: its validate answered 503 at the deadline, or its process died. */
  readonly staleClaimMs: number;
}

/**
 * A validate that passed its deadline (the database stalled or refused) may leave a claim
 * SCREENING. Nobody waits on it any more, so it is screened here as validate would have done: the
 * provider within budget, else the fallback status, which, when pending, queues the transaction
 * for the late-screening retries. A retry from Toqio then gets the recorded answer.
 */
export class ResolveStaleClaims {
  constructor(
    private readonly store: TransactionStore,
    private readonly provider: MonitoringProvider,
    private readonly policy: StaleClaimPolicy,
  ) {}

  /** Resolves up to `limit` stale claims; resolves with how many it recorded. */
  async runOnce(limit: number): Promise<number> {
    const stale = await this.store.takeStaleClaims(this.policy.staleClaimMs, limit, this.provider.aggregates);
    const recorded = await Promise.all(
      stale.map(async ({ transaction, context }) => this.store.recordScreening(transaction, await screenWithinBudget(this.provider, transaction, context, this.policy))),
    );
    return recorded.filter(Boolean).length;
  }
}
