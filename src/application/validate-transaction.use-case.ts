// Toqio's synchronous question "may this payment go?": claim, screen within budget, record, answer.
import { ScreeningInProgressError } from '../domain/domain-error';
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';
import { SCREENING, TransactionStatus } from '../domain/transaction-status';
import { isValidVerdict, Screening, ScreeningOutcome } from '../domain/verdict';
import { MonitoringProvider } from './ports/monitoring-provider.port';
import { StoredTransaction, TransactionStore } from './ports/transaction-store.port';

export interface ValidationPolicy {
  /** The most time spent waiting on the provider. */
  readonly decisionTimeoutMs: number;
  /** Answered when the provider fails or runs out of time. */
  readonly fallbackStatus: Extract<TransactionStatus, 'PENDING_EXTERNAL_APPROVAL' | 'REJECTED'>;
  /** How often a repeat polls while another replica is still screening the same id. */
  readonly replayPollMs?: number;
  /** A claim older than this is considered abandoned by a crashed claimant. */
  readonly staleClaimMs?: number;
}

export interface ValidationResult {
  readonly transactionId: string;
  readonly status: TransactionStatus;
  readonly reasons: readonly string[];
  /** True when the answer came from an earlier request with the same transactionId. */
  readonly replayed: boolean;
  /** Set when this request made the decision: the provider's verdict, or the fallback policy. */
  readonly decidedBy?: 'PROVIDER' | 'FALLBACK';
}

const TIMED_OUT = Symbol('timed out');

export class ValidateTransaction {
  /** Identical requests in this process share one screening instead of polling the database. */
  private readonly inFlight = new Map<string, { transaction: Transaction; result: Promise<ValidationResult> }>();
  private readonly replayPollMs: number;
  private readonly staleClaimMs: number;

  constructor(
    private readonly store: TransactionStore,
    private readonly provider: MonitoringProvider,
    private readonly policy: ValidationPolicy,
  ) {
    this.replayPollMs = policy.replayPollMs ?? 20;
    this.staleClaimMs = policy.staleClaimMs ?? policy.decisionTimeoutMs + 10_000;
  }

  async execute(transaction: Transaction): Promise<ValidationResult> {
    const running = this.inFlight.get(transaction.id);
    if (running) {
      transaction.assertSameContentAs(running.transaction);
      return { ...(await running.result), replayed: true, decidedBy: undefined };
    }
    const result = this.claimAndScreen(transaction);
    this.inFlight.set(transaction.id, { transaction, result });
    try {
      return await result;
    } finally {
      this.inFlight.delete(transaction.id);
    }
  }

  private async claimAndScreen(transaction: Transaction): Promise<ValidationResult> {
    const claim = await this.store.claim(transaction, this.provider.activityWindowsSeconds);
    if (!claim.claimed) return this.replay(transaction, claim.existing);
    return this.screenAndRecord(transaction, claim.context);
  }

  private async screenAndRecord(transaction: Transaction, context: ScreeningContext): Promise<ValidationResult> {
    const screening = await this.screen(transaction, context);
    if (await this.store.recordScreening(transaction, screening)) {
      return {
        transactionId: transaction.id,
        status: screening.status,
        reasons: screening.reasons,
        replayed: false,
        decidedBy: screening.outcome === 'DECIDED' ? 'PROVIDER' : 'FALLBACK',
      };
    }
    // Someone took over our claim (we were presumed dead); their record is the truth.
    const current = await this.store.findById(transaction.id);
    if (!current || current.state === SCREENING) throw new ScreeningInProgressError(transaction.id);
    return answerFrom(current);
  }

  /** A repeat of a known id: same content gets the current status, different content a conflict. */
  private async replay(transaction: Transaction, existing: StoredTransaction): Promise<ValidationResult> {
    transaction.assertSameContentAs(existing);
    let current = existing;
    const deadline = Date.now() + this.policy.decisionTimeoutMs + 1_000;
    while (current.state === SCREENING) {
      const context = await this.store.reclaimStale(transaction, this.staleClaimMs, this.provider.activityWindowsSeconds);
      if (context) return this.screenAndRecord(transaction, context);
      if (Date.now() >= deadline) throw new ScreeningInProgressError(transaction.id);
      await sleep(this.replayPollMs);
      current = (await this.store.findById(transaction.id)) ?? current;
    }
    return answerFrom(current);
  }

  /** Asks the provider under the time budget; never throws, falls back instead. */
  private async screen(transaction: Transaction, context: ScreeningContext): Promise<Screening> {
    const started = performance.now();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, this.policy.decisionTimeoutMs, TIMED_OUT);
    });
    try {
      const verdict = await Promise.race([this.provider.screen(transaction, context, abort.signal), deadline]);
      const durationMs = Math.round(performance.now() - started);
      if (verdict === TIMED_OUT) {
        abort.abort();
        return this.fallback('TIMEOUT', durationMs, `did not answer within ${this.policy.decisionTimeoutMs} ms`);
      }
      if (!isValidVerdict(verdict)) {
        return this.fallback('ERROR', durationMs, 'answered with an unusable verdict', JSON.stringify(verdict));
      }
      return {
        provider: this.provider.name,
        outcome: 'DECIDED',
        status: verdict.status,
        reasons: verdict.reasons,
        verdict,
        durationMs,
      };
    } catch (error) {
      abort.abort();
      const durationMs = Math.round(performance.now() - started);
      return this.fallback('ERROR', durationMs, 'failed', error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private fallback(outcome: ScreeningOutcome, durationMs: number, what: string, error?: string): Screening {
    const status = this.policy.fallbackStatus;
    const consequence = status === 'REJECTED' ? 'rejected by the fallback policy' : 'held for manual review';
    return {
      provider: this.provider.name,
      outcome,
      status,
      reasons: [`Monitoring provider "${this.provider.name}" ${what}; ${consequence}`],
      durationMs,
      error: error ?? what,
    };
  }
}

function answerFrom(stored: StoredTransaction): ValidationResult {
  if (stored.state === SCREENING) throw new ScreeningInProgressError(stored.id);
  return { transactionId: stored.id, status: stored.state, reasons: stored.reasons, replayed: true };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
