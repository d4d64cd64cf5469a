// Toqio's synchronous question "may this payment go?": claim, screen within budget, record, answer.
import { ScreeningInProgressError, TransactionConflictError } from '../domain/domain-error';
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';
import { SCREENING, TransactionStatus } from '../domain/transaction-status';
import { Screening } from '../domain/verdict';
import { MonitoringProvider } from './ports/monitoring-provider.port';
import { StoredTransaction, TransactionStore } from './ports/transaction-store.port';
import { screenWithinBudget } from './screen-within-budget';

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

/** Told about each transaction this instance is about to screen (shadow mode); must return at once. */
export type OnScreening = (transaction: Transaction, context: ScreeningContext) => void;

export class ValidateTransaction {
  /** Identical requests in this process share one screening instead of polling the database. */
  private readonly inFlight = new Map<string, { transaction: Transaction; result: Promise<ValidationResult> }>();
  private readonly replayPollMs: number;
  private readonly staleClaimMs: number;

  constructor(
    private readonly store: TransactionStore,
    private readonly provider: MonitoringProvider,
    private readonly policy: ValidationPolicy,
    private readonly onScreening: OnScreening = () => undefined,
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
    // Only once the live verdict is in, so that a challenger never competes with it for the budget.
    this.onScreening(transaction, context);
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
    // An inbound payment's id lives in the same table; Toqio can never replay its way to one.
    if (existing.direction !== transaction.direction) throw new TransactionConflictError(transaction.id, ['direction']);
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

  private screen(transaction: Transaction, context: ScreeningContext): Promise<Screening> {
    return screenWithinBudget(this.provider, transaction, context, { timeoutMs: this.policy.decisionTimeoutMs, fallbackStatus: this.policy.fallbackStatus });
  }
}

function answerFrom(stored: StoredTransaction): ValidationResult {
  if (stored.state === SCREENING) throw new ScreeningInProgressError(stored.id);
  return { transactionId: stored.id, status: stored.state, reasons: stored.reasons, replayed: true };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
