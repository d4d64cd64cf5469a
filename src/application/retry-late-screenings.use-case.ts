// Asks the provider again about transactions it failed to screen in time, and applies a late verdict.
import { nextAttempt, RetrySchedule } from '../domain/retry-schedule';
import { isValidVerdict } from '../domain/verdict';
import { DecideTransaction } from './decide-transaction.use-case';
import { LateScreening, LateScreeningQueue } from './ports/late-screening-queue.port';
import { MonitoringProvider } from './ports/monitoring-provider.port';

export interface LateScreeningPolicy {
  /** Budget of one retry; larger than validate's, since nobody is waiting on the answer. */
  readonly timeoutMs: number;
  readonly schedule: RetrySchedule;
}

export type LateScreeningOutcome = 'DECIDED' | 'STILL_PENDING' | 'ALREADY_DECIDED' | 'RETRY' | 'GAVE_UP';

export class RetryLateScreenings {
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly queue: LateScreeningQueue,
    private readonly provider: MonitoringProvider,
    private readonly decisions: DecideTransaction,
    private readonly policy: LateScreeningPolicy,
    options: { readonly now?: () => Date; readonly random?: () => number } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /** Claims and retries what is due; resolves with each retry's outcome. */
  async runDue(limit: number): Promise<LateScreeningOutcome[]> {
    const due = await this.queue.claimDue(limit, this.policy.timeoutMs + 5_000, this.provider.activityWindowsSeconds);
    return Promise.all(due.map((item) => this.retry(item)));
  }

  private async retry(item: LateScreening): Promise<LateScreeningOutcome> {
    const { transaction } = item;
    let failure: string;
    try {
      const verdict = await this.ask(item);
      if (!isValidVerdict(verdict)) {
        failure = `unusable verdict ${JSON.stringify(verdict)?.slice(0, 200)}`;
      } else {
        const applied =
          verdict.status === 'PENDING_EXTERNAL_APPROVAL'
            ? await this.decisions.noteStillPending(this.provider.name, transaction.id, verdict.reasons)
            : await this.decisions.byProvider(this.provider.name, { transactionId: transaction.id, status: verdict.status, reasons: verdict.reasons });
        await this.queue.finish(transaction.id);
        if (applied === 'NOT_PENDING') return 'ALREADY_DECIDED';
        return verdict.status === 'PENDING_EXTERNAL_APPROVAL' ? 'STILL_PENDING' : 'DECIDED';
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
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

  private async ask(item: LateScreening): Promise<unknown> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`did not answer within ${this.policy.timeoutMs} ms`));
      }, this.policy.timeoutMs);
    });
    try {
      return await Promise.race([this.provider.screen(item.transaction, item.context, abort.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
