// Toqio's synchronous question "may this payment go?": claim, screen within budget, record, answer (or, for a provider that allows it, screen, then store once).
import { AggregateQuery, MergedAggregates } from '../domain/aggregate';
import { DeadlineExceededError, ScreeningInProgressError, TransactionConflictError } from '../domain/domain-error';
import { NO_HISTORY, ScreeningContext } from '../domain/screening-context';
import { contentDifferences, Transaction } from '../domain/transaction';
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
  /**
   * Toqio has an answer by then, whatever happens underneath: DeadlineExceededError when none
   * could be decided, thrown answerMarginMs before it. Default: decisionTimeoutMs + 500.
   */
  readonly deadlineMs?: number;
}

/** Most of the time between the decision budget and the deadline kept for recording the verdict. */
const MAX_RECORD_RESERVE_MS = 250;

/**
 * How far before the deadline its timer aims: a Node timer fires once the event loop is free, and
 * under load that is late by whatever became ready at the same moment (a released lock lets hundreds
 * of queued claims complete at once: 40 to 130 ms of work on 2 December 2026). A twentieth of the
 * deadline, at most 100 ms, so that the 503 is out by the deadline itself.
 */
export function answerMarginMs(deadlineMs: number): number {
  return Math.min(100, Math.floor(deadlineMs / 20));
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

/**
 * The challenger of shadow mode: told about each transaction this instance screens, once the live
 * verdict is in, with a context holding the history it asks for as well as the live provider's.
 */
export interface Challenger {
  readonly aggregates: readonly AggregateQuery[];
  /** Must return at once. */
  start(transaction: Transaction, context: ScreeningContext): void;
}

export class ValidateTransaction {
  /** Identical requests in this process share one screening instead of polling the database. */
  private readonly inFlight = new Map<string, { transaction: Transaction; result: Promise<ValidationResult> }>();
  private readonly replayPollMs: number;
  private readonly staleClaimMs: number;
  private readonly deadlineMs: number;
  /** The deadline less answerMarginMs: what the timer and everything below it work to. */
  private readonly aimMs: number;
  private readonly recordReserveMs: number;
  private readonly merged = new MergedAggregates();

  constructor(
    private readonly store: TransactionStore,
    private readonly provider: MonitoringProvider,
    private readonly policy: ValidationPolicy,
    private readonly challenger?: Challenger,
  ) {
    this.replayPollMs = policy.replayPollMs ?? 20;
    this.staleClaimMs = policy.staleClaimMs ?? policy.decisionTimeoutMs + 10_000;
    this.deadlineMs = policy.deadlineMs ?? policy.decisionTimeoutMs + 500;
    this.aimMs = this.deadlineMs - answerMarginMs(this.deadlineMs);
    // Half of what the aimed deadline leaves after the decision budget: the provider keeps its whole
    // budget whenever the database was quick.
    this.recordReserveMs = Math.max(0, Math.min(MAX_RECORD_RESERVE_MS, Math.floor((this.aimMs - policy.decisionTimeoutMs) / 2)));
  }

  /**
   * Answers by the deadline or throws DeadlineExceededError. Work still running then goes on in
   * the background: a verdict it records is what a retry gets; a claim it leaves SCREENING is
   * taken over as stale (ResolveStaleClaims, or a retry after staleClaimMs).
   * `receivedAt` (epoch ms, default now) is when the request arrived: the deadline counts from
   * there, so the time spent reading and checking the body under load is inside it, not added.
   * Everything below aims at the deadline less answerMarginMs (aimMs).
   */
  execute(transaction: Transaction, receivedAt = Date.now()): Promise<ValidationResult> {
    const deadlineAt = receivedAt + this.aimMs;
    const work = this.executeUnbounded(transaction, deadlineAt, receivedAt);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        work.catch(() => undefined); // settled later, by nobody waiting
        reject(new DeadlineExceededError(transaction.id, this.deadlineMs));
      }, Math.max(0, deadlineAt - Date.now()));
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  }

  private async executeUnbounded(transaction: Transaction, deadlineAt: number, receivedAt: number): Promise<ValidationResult> {
    const running = this.inFlight.get(transaction.id);
    // Only a request of the same content shares the answer of the one in flight. Any other is
    // judged against what is stored, never against the request in flight: that one may itself be a
    // repeat with other content, bound for a 409 that a faithful repeat must not share.
    if (running && contentDifferences(running.transaction, transaction).length === 0) {
      return { ...(await running.result), replayed: true, decidedBy: undefined };
    }
    if (running) return this.claimAndScreen(transaction, deadlineAt, receivedAt);
    const result = this.claimAndScreen(transaction, deadlineAt, receivedAt);
    this.inFlight.set(transaction.id, { transaction, result });
    try {
      return await result;
    } finally {
      this.inFlight.delete(transaction.id);
    }
  }

  private async claimAndScreen(transaction: Transaction, deadlineAt: number, receivedAt: number): Promise<ValidationResult> {
    const aggregates = this.history();
    if (this.provider.idempotent) return this.screenThenStore(transaction, aggregates, deadlineAt, receivedAt);
    const claim = await this.store.claim(transaction, aggregates);
    if (!claim.claimed) return this.replay(transaction, claim.existing, deadlineAt);
    return this.screenAndRecord(transaction, claim.context, deadlineAt);
  }

  /**
   * A provider that takes a repeated question as the same one is asked before anything is
   * written, and the transaction is stored once, with its verdict: one write instead of a claim
   * and its record, and never a row left SCREENING. The history it needs is read first (a
   * look-up that writes nothing and also finds an id already stored); a provider needing none is
   * asked at once. When the id turns out to be stored meanwhile (a repeat, or another replica
   * faster), the stored answer is the one given and this verdict is dropped.
   */
  private async screenThenStore(transaction: Transaction, aggregates: readonly AggregateQuery[], deadlineAt: number, receivedAt: number): Promise<ValidationResult> {
    let context = NO_HISTORY;
    if (aggregates.length > 0) {
      const known = await this.store.lookUp(transaction, aggregates);
      if (known.existing) return this.replay(transaction, known.existing, deadlineAt);
      context = known.context;
    }
    const screening = await this.screen(transaction, context, deadlineAt);
    // Toqio has had its 503 by now: nothing is stored, so that its retry is screened afresh.
    if (Date.now() >= deadlineAt) throw new DeadlineExceededError(transaction.id, this.deadlineMs);
    if (await this.store.recordNew(transaction, screening, receivedAt)) {
      this.challenger?.start(transaction, context);
      return decidedAnswer(transaction, screening);
    }
    const existing = await this.store.findById(transaction.id);
    if (!existing) throw new Error(`transaction ${transaction.id} conflicted on insert but cannot be read`);
    return this.replay(transaction, existing, deadlineAt);
  }

  private async screenAndRecord(transaction: Transaction, context: ScreeningContext, deadlineAt: number): Promise<ValidationResult> {
    return this.record(transaction, context, await this.screen(transaction, context, deadlineAt));
  }

  private async record(transaction: Transaction, context: ScreeningContext, screening: Screening): Promise<ValidationResult> {
    // Only once the live verdict is in, so that a challenger never competes with it for the budget.
    this.challenger?.start(transaction, context);
    if (await this.store.recordScreening(transaction, screening)) return decidedAnswer(transaction, screening);
    // Someone took over our claim (we were presumed dead); their record is the truth.
    const current = await this.store.findById(transaction.id);
    if (!current || current.state === SCREENING) throw new ScreeningInProgressError(transaction.id);
    return answerFrom(current);
  }

  /** A repeat of a known id: same content gets the current status, different content a conflict. */
  private async replay(transaction: Transaction, existing: StoredTransaction, deadlineAt: number): Promise<ValidationResult> {
    // An inbound payment's id lives in the same table; Toqio can never replay its way to one.
    if (existing.direction !== transaction.direction) throw new TransactionConflictError(transaction.id, ['direction']);
    transaction.assertSameContentAs(existing);
    let current = existing;
    // Polling stops a reserve before the deadline, as screening does: a late timer or a slow read
    // then still ends in this precise answer rather than in the generic deadline one.
    const lastPollAt = deadlineAt - this.recordReserveMs;
    while (current.state === SCREENING) {
      const context = await this.store.reclaimStale(transaction, this.staleClaimMs, this.history());
      if (context) return this.screenAndRecord(transaction, context, deadlineAt);
      if (Date.now() + this.replayPollMs >= lastPollAt) throw new ScreeningInProgressError(transaction.id);
      await sleep(this.replayPollMs);
      current = (await this.store.findById(transaction.id)) ?? current;
    }
    return answerFrom(current);
  }

  /** The history the provider asks for, and the challenger's: a rules challenger's velocity needs its counts too. */
  private history(): readonly AggregateQuery[] {
    if (!this.challenger) return this.provider.aggregates;
    return this.merged.of([this.provider.aggregates, this.challenger.aggregates]);
  }

  /** The provider's budget shrinks when the claim was slow, so that the verdict can still be recorded in time. */
  private screen(transaction: Transaction, context: ScreeningContext, deadlineAt: number): Promise<Screening> {
    const timeoutMs = Math.min(this.policy.decisionTimeoutMs, Math.max(1, deadlineAt - Date.now() - this.recordReserveMs));
    return screenWithinBudget(this.provider, transaction, context, { timeoutMs, fallbackStatus: this.policy.fallbackStatus });
  }
}

/** The answer of the request that made the decision. */
function decidedAnswer(transaction: Transaction, screening: Screening): ValidationResult {
  return {
    transactionId: transaction.id,
    status: screening.status,
    reasons: screening.reasons,
    replayed: false,
    decidedBy: screening.outcome === 'DECIDED' ? 'PROVIDER' : 'FALLBACK',
  };
}

function answerFrom(stored: StoredTransaction): ValidationResult {
  if (stored.state === SCREENING) throw new ScreeningInProgressError(stored.id);
  return { transactionId: stored.id, status: stored.state, reasons: stored.reasons, replayed: true };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
