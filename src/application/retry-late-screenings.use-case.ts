// Asks the provider again about transactions it failed to screen in time, and applies a late verdict.
import { nextAttempt, RetrySchedule } from '../domain/retry-schedule';
import { storableError, storableText } from '../domain/storable-text';
import { usableVerdict } from '../domain/verdict';
import { askProvider } from './ask-provider';
import { DecideTransaction } from './decide-transaction.use-case';
import { LateScreening, LateScreeningQueue } from './ports/late-screening-queue.port';
import { MonitoringProvider } from './ports/monitoring-provider.port';
import { ProviderHealth } from './ports/provider-health.port';

export interface LateScreeningPolicy {
  /** Budget of one retry; larger than validate's, since nobody is waiting on the answer. */
  readonly timeoutMs: number;
  readonly schedule: RetrySchedule;
}

/** INTERRUPTED: `stop` was aborted mid-call; the retry is due again at once, for this or another replica. */
export type LateScreeningOutcome = 'DECIDED' | 'STILL_PENDING' | 'ALREADY_DECIDED' | 'RETRY' | 'GAVE_UP' | 'INTERRUPTED';

export class RetryLateScreenings {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly health: ProviderHealth | undefined;

  constructor(
    private readonly queue: LateScreeningQueue,
    private readonly provider: MonitoringProvider,
    private readonly decisions: DecideTransaction,
    private readonly policy: LateScreeningPolicy,
    options: { readonly now?: () => Date; readonly random?: () => number; readonly health?: ProviderHealth } = {},
  ) {
    this.health = options.health;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * Claims and retries what is due; resolves with each retry's outcome once all are recorded.
   * Aborting `stop` (shutdown) abandons the provider calls in flight instead of waiting out their
   * budget, and hands their retries back.
   */
  async runDue(limit: number, stop?: AbortSignal): Promise<LateScreeningOutcome[]> {
    if (stop?.aborted) return [];
    // While the provider's breaker refuses calls, a retry could only be refused and rescheduled:
    // a write per retry, competing with validate, for nothing. They wait, due, for the trial call.
    if (this.health && !this.health.liveProviderCanBeAsked(this.now())) return [];
    const due = await this.queue.claimDue(limit, this.policy.timeoutMs + 5_000, this.provider.aggregates);
    const settled = await Promise.allSettled(due.map((item) => this.retry(item, stop)));
    // Every retry is settled before a failure is reported, so none is still writing afterwards.
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((result) => (result as PromiseFulfilledResult<LateScreeningOutcome>).value);
  }

  private async retry(item: LateScreening, stop: AbortSignal | undefined): Promise<LateScreeningOutcome> {
    const { transaction } = item;
    let failure: string;
    try {
      const answer = await askProvider(this.provider, item.transaction, item.context, { timeoutMs: this.policy.timeoutMs, stop });
      const verdict = usableVerdict(answer);
      if (!verdict) {
        failure = storableText(`unusable verdict ${JSON.stringify(answer) ?? String(answer)}`, 200);
      } else {
        const applied =
          verdict.status === 'PENDING_EXTERNAL_APPROVAL'
            ? await this.decisions.noteStillPending(this.provider.name, transaction.id, verdict.reasons, verdict.ruleSetVersion)
            : await this.decisions.byProvider(this.provider.name, { transactionId: transaction.id, status: verdict.status, reasons: verdict.reasons, ruleSetVersion: verdict.ruleSetVersion });
        await this.queue.finish(transaction.id);
        if (applied === 'NOT_PENDING') return 'ALREADY_DECIDED';
        return verdict.status === 'PENDING_EXTERNAL_APPROVAL' ? 'STILL_PENDING' : 'DECIDED';
      }
    } catch (error) {
      if (stop?.aborted) {
        await this.queue.reschedule(transaction.id, this.now(), 'interrupted: the service was shutting down');
        return 'INTERRUPTED';
      }
      failure = storableError(error);
    }
    const next = nextAttempt(this.policy.schedule, item.attempt, item.queuedAt, this.now(), this.random);
    if ('dead' in next) {
      // The transaction stays pending for the analysts; only the automatic retries stop.
      await this.queue.finish(transaction.id);
      return 'GAVE_UP';
    }
    await this.queue.reschedule(transaction.id, next.retryAt, failure);
    return 'RETRY';
  }

}
