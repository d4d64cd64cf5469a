// One way in for every decision on a held transaction: analysts, provider callbacks and late verdicts.
import { Principal } from '../domain/analyst-role';
import { claimEndedByDecision } from '../domain/case-claim';
import { analystReplay, decide, FinalStatus, FourEyesPolicy, noteStillPending } from '../domain/decision';
import { ScreeningInProgressError, TransactionNotPendingError } from '../domain/domain-error';
import { SCREENING } from '../domain/transaction-status';
import { CallbackReceipt, ReviewChange, ReviewStore } from './ports/review-store.port';

export type AnalystDecisionResult =
  /**
   * `notificationId` is null for an inbound alert: Toqio is not told about those; and for a replay, which
   * queued nothing. `replayed`: the analyst sent again a decision already on record (analystReplay).
   */
  | { readonly kind: 'FINAL'; readonly status: FinalStatus; readonly notificationId: string | null; readonly replayed?: true }
  | { readonly kind: 'AWAITING_SECOND_APPROVAL'; readonly firstApprover: string; readonly replayed?: true };

/** Thrown inside the store's transaction to leave it without writing when a decision is a replay. */
class DecisionReplayed extends Error {
  constructor(readonly result: AnalystDecisionResult) {
    super('decision already on record');
  }
}

/**
 * APPLIED: recorded; a final decision is queued for Toqio, while a provider's rejection of an inbound
 * alert, or one part's approval that another part of the combination still holds, stays pending.
 * DUPLICATE: this callback was seen before. NOT_PENDING: decided already; the provider's decision is kept as a
 * note in the transaction's chain, changing nothing (lateDecisionNote), with decision.contradicted when it disagrees.
 */
export type ProviderDecisionResult = 'APPLIED' | 'DUPLICATE' | 'NOT_PENDING';

export interface DecideTransactionOptions {
  readonly now?: () => Date;
  /** Called after a final decision commits, so the delivery worker can start at once. */
  readonly onNotificationQueued?: () => void;
  /** Called after a decision that queued an operator event (case.decided) commits, so the event worker can send it at once. */
  readonly onEventQueued?: () => void;
  /** Called after any decision commits (a first four-eyes approval as FIRST_APPROVAL), for metrics. */
  readonly onDecided?: (source: 'ANALYST' | 'PROVIDER', status: FinalStatus | 'FIRST_APPROVAL') => void;
}

export class DecideTransaction {
  private readonly now: () => Date;
  private readonly onNotificationQueued: () => void;
  private readonly onEventQueued: () => void;
  private readonly onDecided: NonNullable<DecideTransactionOptions['onDecided']>;

  constructor(
    private readonly store: ReviewStore,
    private readonly fourEyes: FourEyesPolicy,
    options: DecideTransactionOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.onNotificationQueued = options.onNotificationQueued ?? (() => undefined);
    this.onEventQueued = options.onEventQueued ?? (() => undefined);
    this.onDecided = options.onDecided ?? (() => undefined);
  }

  /**
   * Throws TransactionNotFound, TransactionNotPending (someone decided first), ApprovalAlreadyGiven,
   * CaseClaimed (another analyst holds the case) or RoleForbidden. The same analyst sending the same
   * decision again (a lost answer retried) records nothing and answers as the first time, marked `replayed`.
   */
  async byAnalyst(transactionId: string, analyst: Principal, status: FinalStatus, reason: string): Promise<AnalystDecisionResult> {
    try {
      return await this.decideAsAnalyst(transactionId, analyst, status, reason);
    } catch (error) {
      if (error instanceof DecisionReplayed) return error.result;
      throw error;
    }
  }

  private async decideAsAnalyst(transactionId: string, analyst: Principal, status: FinalStatus, reason: string): Promise<AnalystDecisionResult> {
    let result: AnalystDecisionResult | undefined;
    const recorded = await this.store.applyChange(transactionId, (review) => {
      const decider = { source: 'ANALYST', name: analyst.name, role: analyst.role } as const;
      const at = this.now();
      const request = { status, reasons: [reason], decider, at };
      const replay = analystReplay(review, request);
      if (replay === 'FINAL') throw new DecisionReplayed({ kind: 'FINAL', status, notificationId: null, replayed: true });
      if (replay === 'AWAITING_SECOND_APPROVAL') throw new DecisionReplayed({ kind: 'AWAITING_SECOND_APPROVAL', firstApprover: analyst.name, replayed: true });
      const outcome = decide(review, request, this.fourEyes);
      const claim = claimEndedByDecision(review.claim, analyst.name, at);
      if (outcome.kind === 'AWAITING_SECOND_APPROVAL') {
        result = { kind: 'AWAITING_SECOND_APPROVAL', firstApprover: outcome.firstApprover };
        return { entry: outcome.entry, claim };
      }
      if (outcome.kind === 'NOTED') throw new Error("an analyst's decision is never only noted");
      result = { kind: 'FINAL', status, notificationId: null };
      return { entry: outcome.entry, final: { status: outcome.status, notice: outcome.notice }, claim };
    });
    if (result!.kind === 'AWAITING_SECOND_APPROVAL') {
      this.onDecided('ANALYST', 'FIRST_APPROVAL');
      return result!;
    }
    this.onDecided('ANALYST', status);
    if (recorded.recorded && recorded.eventQueued) this.onEventQueued();
    if (!recorded.recorded || !recorded.notificationId) return result!; // an inbound alert: Toqio is not told
    this.onNotificationQueued();
    return { kind: 'FINAL', status, notificationId: recorded.notificationId };
  }

  /**
   * A provider's own later decision. Never throws for a transaction decided meanwhile; throws
   * ScreeningInProgress while the transaction's first screening is still being recorded.
   */
  async byProvider(
    provider: string,
    decision: { readonly transactionId: string; readonly status: FinalStatus; readonly reasons: readonly string[]; readonly ruleSetVersion?: number },
    receipt?: CallbackReceipt,
  ): Promise<ProviderDecisionResult> {
    const reasons = decision.reasons.length > 0 ? decision.reasons : [`Decided by monitoring provider "${provider}"`];
    let noted = false;
    try {
      const recorded = await this.store.applyChange(
        decision.transactionId,
        (review): ReviewChange => {
          const at = this.now();
          const outcome = decide(review, { status: decision.status, reasons, decider: { source: 'PROVIDER', name: provider }, at }, this.fourEyes);
          noted = outcome.kind === 'NOTED';
          const { ruleSetVersion } = decision;
          if (outcome.kind === 'NOTED') return { entry: outcome.entry, ruleSetVersion };
          if (outcome.kind !== 'FINAL') throw new Error('a provider decision is final or noted');
          return { entry: outcome.entry, final: { status: outcome.status, notice: outcome.notice }, claim: claimEndedByDecision(review.claim, provider, at), ruleSetVersion };
        },
        receipt,
      );
      if (!recorded.recorded) return 'DUPLICATE';
      if (recorded.notificationId) this.onNotificationQueued();
      if (recorded.eventQueued) this.onEventQueued();
      if (!noted) this.onDecided('PROVIDER', decision.status);
      return 'APPLIED';
    } catch (error) {
      if (!(error instanceof TransactionNotPendingError)) throw error;
      // A vendor's webhook can overtake its own API's answer to validate. Acknowledging it as
      // NOT_PENDING would lose the decision; refusing it for now makes the provider send it again.
      if (error.state === SCREENING) throw new ScreeningInProgressError(decision.transactionId);
      return this.keepLateDecision(provider, { ...decision, reasons }, receipt);
    }
  }

  /** A provider's decision on a transaction already final: evidence in its chain, and an operator event when it disagrees. */
  private async keepLateDecision(provider: string, decision: { readonly transactionId: string; readonly status: FinalStatus; readonly reasons: readonly string[] }, receipt?: CallbackReceipt): Promise<ProviderDecisionResult> {
    const kept = await this.store.recordLateDecision(decision.transactionId, { provider, status: decision.status, reasons: decision.reasons, at: this.now() }, receipt);
    if (!kept.recorded) return 'DUPLICATE';
    if (kept.eventQueued) this.onEventQueued();
    return 'NOT_PENDING';
  }

  /** A provider's later verdict that still asks for review: kept in the history, nothing decided. */
  async noteStillPending(provider: string, transactionId: string, reasons: readonly string[], ruleSetVersion?: number): Promise<ProviderDecisionResult> {
    try {
      await this.store.applyChange(transactionId, (review) => ({ entry: noteStillPending(review, provider, reasons, this.now()), ruleSetVersion }));
      return 'APPLIED';
    } catch (error) {
      if (error instanceof TransactionNotPendingError) return 'NOT_PENDING';
      throw error;
    }
  }
}
