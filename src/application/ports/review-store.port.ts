// Port to the durable review of held transactions: each decision with its history entry and notice, atomically.
import { ClaimChange } from '../../domain/case-claim';
import { DecisionEntry, DecisionNotice, FinalStatus, ReviewState } from '../../domain/decision';
import { LateProviderDecision } from '../../domain/late-provider-decision';

/** What a decision rule asks the store to record, atomically. */
export interface ReviewChange {
  readonly entry: DecisionEntry;
  /**
   * Present when the transaction leaves review: its new state and the notice queued for Toqio
   * (none for an inbound alert).
   */
  readonly final?: { readonly status: FinalStatus; readonly notice?: DecisionNotice };
  /** Present when the decision ends the case's claim: the claim as it now stands, and the event to keep. */
  readonly claim?: ClaimChange;
  /** The embedded engine's rule-set version that gave a late verdict: recorded on the transaction, as validate records its own. */
  readonly ruleSetVersion?: number;
}

/** A provider callback's own id, recorded with its effect so that a replay has none. */
export interface CallbackReceipt {
  readonly provider: string;
  readonly eventId: string;
}

export type ChangeRecorded =
  | {
      readonly recorded: true;
      readonly notificationId?: string;
      /** True when the change also queued an operator event (a final decision's case.decided, with the event webhook on). */
      readonly eventQueued?: boolean;
    }
  | { readonly recorded: false; readonly duplicate: true };

export type LateDecisionRecorded =
  /** `eventQueued`: decision.contradicted was queued too (it disagreed, and the event webhook is on). */
  | { readonly recorded: true; readonly eventQueued?: boolean }
  | { readonly recorded: false; readonly duplicate: true };

export abstract class ReviewStore {
  /**
   * In one database transaction: locks the transaction, reads its review state (claim included),
   * asks `rule` what to record, and records the history entry, the new state, the review case, the
   * claim's end and, for a final decision, exactly one notification to Toqio and, with the event webhook on, the case's
   * case.decided event. Whatever `rule` throws rolls everything back and
   * is rethrown. With a `receipt` already on record, answers `duplicate` without calling `rule`.
   * Throws TransactionNotFoundError for an unknown id.
   */
  abstract applyChange(transactionId: string, rule: (review: ReviewState) => ReviewChange, receipt?: CallbackReceipt): Promise<ChangeRecorded>;

  /**
   * In one database transaction, for a transaction already final: the callback's `receipt` (when given),
   * the late decision as a note in its chain (lateDecisionNote) and, with the event webhook on and a
   * verdict other than the final one, decision.contradicted. With the receipt already on record,
   * answers `duplicate` and records nothing. Throws TransactionNotFoundError for an unknown id,
   * ScreeningInProgressError while it is still screened, and a plain Error while it is pending (only a
   * final transaction has late decisions; a pending one is decided through applyChange).
   */
  abstract recordLateDecision(transactionId: string, late: LateProviderDecision, receipt?: CallbackReceipt): Promise<LateDecisionRecorded>;
}
