// The state machine of a held transaction: who may decide it, when, and what a decision produces.
import { analystKey, AnalystRole, hasRole } from './analyst-role';
import { assertMayDecide, CaseClaim } from './case-claim';
import { partsStillHolding, PartVerdictOnRecord } from './combined-hold';
import { Decimal } from './decimal';
import { ApprovalAlreadyGivenError, RoleForbiddenError, TransactionNotPendingError } from './domain-error';
import { Money } from './money';
import { Direction } from './transaction';
import { TransactionState } from './transaction-status';

export type FinalStatus = 'APPROVED' | 'REJECTED';

/**
 * PROVIDER: the monitoring provider's verdict, at validate or later (callback, late verdict).
 * FALLBACK: the provider failed or ran out of time and the fallback status was applied.
 * ANALYST: a compliance analyst through the review API.
 */
export type DecisionSource = 'PROVIDER' | 'FALLBACK' | 'ANALYST';

export interface Decider {
  readonly source: Extract<DecisionSource, 'PROVIDER' | 'ANALYST'>;
  /** The analyst's name (token name or single sign-on name), or the provider's name. */
  readonly name: string;
  /** An analyst's role; a provider has none. */
  readonly role?: AnalystRole;
}

/** One entry of a transaction's append-only decision history. */
export interface DecisionEntry {
  readonly status: TransactionState;
  /** False for a first four-eyes approval and for a verdict that leaves the transaction pending. */
  readonly final: boolean;
  readonly source: DecisionSource;
  readonly decidedBy: string;
  readonly reasons: readonly string[];
  readonly decidedAt: Date;
}

/** What the decision rules need to know about a transaction, read under its lock. */
export interface ReviewState {
  readonly transactionId: string;
  /** An INBOUND alert is the service's own: deciding it tells Toqio nothing. */
  readonly direction: Direction;
  readonly state: TransactionState;
  readonly money: Money;
  /** Entries since it became pending, oldest first. */
  readonly history: readonly DecisionEntry[];
  /** The analyst's claim on record, lapsed or not; absent or null when there is none. */
  readonly claim?: CaseClaim | null;
  /** Each part's own verdict when a combination of providers screened it; absent or empty otherwise. */
  readonly parts?: readonly PartVerdictOnRecord[];
}

export interface DecisionRequest {
  readonly status: FinalStatus;
  readonly reasons: readonly string[];
  readonly decider: Decider;
  readonly at: Date;
}

/** What Toqio's webhook receives for a final decision, exactly as it will be sent. */
export interface DecisionNotice {
  readonly transactionId: string;
  readonly status: FinalStatus;
  readonly reason: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

/**
 * The body of the notice as Toqio's webhook receives it: exactly the contract's keys, in its
 * order. It is built once and stored, so that every delivery attempt sends the same bytes.
 */
export function noticeBody(notice: DecisionNotice): string {
  const { transactionId, status, reason, decidedBy, decidedAt } = notice;
  return JSON.stringify({ transactionId, status, reason, decidedBy, decidedAt });
}

export type DecisionOutcome =
  /** `notice` is what Toqio is told; absent for an inbound alert, which Toqio never asked about. */
  | { readonly kind: 'FINAL'; readonly entry: DecisionEntry; readonly status: FinalStatus; readonly notice?: DecisionNotice }
  | { readonly kind: 'AWAITING_SECOND_APPROVAL'; readonly entry: DecisionEntry; readonly firstApprover: string }
  /** Kept in the history, nothing decided: a provider's rejection of an inbound alert. */
  | { readonly kind: 'NOTED'; readonly entry: DecisionEntry };

export interface FourEyesPolicy {
  /** Approving an amount at or above this needs two different analysts; unset: one suffices. */
  readonly threshold?: Decimal;
  /** The least role that may give the second approval (FOUR_EYES_SECOND_ROLE); unset: any analyst. */
  readonly secondApprovalRole?: AnalystRole;
}

const PENDING = 'PENDING_EXTERNAL_APPROVAL';

/**
 * Applies a decision to a pending transaction. A rejection is always final. An analyst's approval
 * at or above the four-eyes threshold is final only when a different analyst has already approved
 * since the transaction became pending. A provider's decision is final: the provider's own case
 * tool has its own controls, and holding its decision for an analyst would silently override it.
 * Two exceptions. An inbound alert exists because money arrived that looked wrong, so a
 * provider's rejection is more evidence for the analyst, not a verdict that closes it (there is
 * no payment to stop); its approval clears the alert. And in a combination, where validate
 * answered the strictest part's verdict, one part's approval is noted but releases the
 * transaction only once no other part holds it (partsStillHolding). An analyst may not decide a
 * case another analyst has claimed (a supervisor may); a provider is never held back by a claim.
 */
export function decide(review: ReviewState, request: DecisionRequest, policy: FourEyesPolicy): DecisionOutcome {
  if (review.state !== PENDING) throw new TransactionNotPendingError(review.transactionId, review.state);
  if (request.decider.source === 'ANALYST') {
    assertMayDecide(review.transactionId, review.claim, { name: request.decider.name, role: request.decider.role ?? 'viewer' }, request.at);
  }
  if (review.direction === 'INBOUND' && request.decider.source === 'PROVIDER' && request.status === 'REJECTED') {
    return { kind: 'NOTED', entry: noteStillPending(review, request.decider.name, request.reasons, request.at) };
  }
  const screenedBy = review.history[0]?.decidedBy;
  if (request.decider.source === 'PROVIDER' && request.status === 'APPROVED' && screenedBy !== undefined) {
    const holding = partsStillHolding(request.decider.name, screenedBy, review.parts ?? [], review.history);
    if (holding.length > 0) return { kind: 'NOTED', entry: approvalOfOnePart(request, holding) };
  }
  const entry = (final: boolean): DecisionEntry => ({
    status: request.status,
    final,
    source: request.decider.source,
    decidedBy: request.decider.name,
    reasons: request.reasons,
    decidedAt: request.at,
  });

  const needsTwo =
    request.status === 'APPROVED' &&
    request.decider.source === 'ANALYST' &&
    policy.threshold !== undefined &&
    review.money.amount.compareTo(policy.threshold) >= 0;
  if (!needsTwo) return final(review, entry(true), []);

  const approvers = firstApprovals(review.history);
  if (approvers.some((approver) => analystKey(approver) === analystKey(request.decider.name))) throw new ApprovalAlreadyGivenError(review.transactionId, request.decider.name);
  if (approvers.length === 0) return { kind: 'AWAITING_SECOND_APPROVAL', entry: entry(false), firstApprover: request.decider.name };
  const secondRole = policy.secondApprovalRole ?? 'analyst';
  if (!hasRole(request.decider.role ?? 'viewer', secondRole)) {
    throw new RoleForbiddenError(`The second approval of transaction ${review.transactionId} needs the ${secondRole} role; ${request.decider.name} is ${request.decider.role ?? 'no analyst'}`);
  }
  return final(review, entry(true), approvers);
}

/**
 * Whether an analyst's decision repeats one that analyst already gave on this transaction: the same status
 * and reasons as their final entry, or as their approval still waiting for a second analyst. A console
 * that lost the answer to a decision (a timeout, a 503 while the case was read back) and sends it again
 * is told what it asked for happened, and nothing is recorded twice; any other difference (status,
 * reason, analyst) is a new decision, and `decide` judges it.
 */
export function analystReplay(review: ReviewState, request: DecisionRequest): 'FINAL' | 'AWAITING_SECOND_APPROVAL' | undefined {
  if (request.decider.source !== 'ANALYST') return undefined;
  const sameAs = (entry: DecisionEntry | undefined): boolean =>
    entry !== undefined &&
    entry.source === 'ANALYST' &&
    entry.status === request.status &&
    analystKey(entry.decidedBy) === analystKey(request.decider.name) &&
    entry.reasons.length === request.reasons.length &&
    entry.reasons.every((reason, i) => reason === request.reasons[i]);
  if (review.state === PENDING) return approvalsAwaitingSecond(review.history).some(sameAs) ? 'AWAITING_SECOND_APPROVAL' : undefined;
  return sameAs(review.history.filter((entry) => entry.final).at(-1)) ? 'FINAL' : undefined;
}

/** Analysts' approvals on record that still wait for a second one, oldest first. */
export function approvalsAwaitingSecond<E extends DecisionEntry>(history: readonly E[]): E[] {
  return history.filter((e) => e.source === 'ANALYST' && e.status === 'APPROVED' && !e.final);
}

/** Analysts whose approval is on record and still waits for a second one. */
export function firstApprovals(history: readonly DecisionEntry[]): string[] {
  return approvalsAwaitingSecond(history).map((e) => e.decidedBy);
}

function final(review: ReviewState, entry: DecisionEntry, earlierApprovers: readonly string[]): DecisionOutcome {
  const status = entry.status as FinalStatus;
  if (review.direction === 'INBOUND') return { kind: 'FINAL', entry, status };
  return { kind: 'FINAL', entry, status, notice: decisionNotice(review.transactionId, entry, earlierApprovers) };
}

/** What Toqio is told of a final entry. Four-eyes approvals name both analysts, first approver first. */
function decisionNotice(transactionId: string, entry: DecisionEntry, earlierApprovers: readonly string[]): DecisionNotice {
  return {
    transactionId,
    status: entry.status as FinalStatus,
    reason: entry.reasons.join('; '),
    decidedBy: [...earlierApprovers, entry.decidedBy].join(', '),
    decidedAt: entry.decidedAt.toISOString(),
  };
}

/** A part's approval while other parts still hold the transaction: on record, not final. */
function approvalOfOnePart(request: DecisionRequest, holding: readonly string[]): DecisionEntry {
  const still = `Still held by ${holding.join(', ')}: released once every provider of the combination approves, or by an analyst`;
  return { status: 'APPROVED', final: false, source: 'PROVIDER', decidedBy: request.decider.name, reasons: [...request.reasons, still], decidedAt: request.at };
}

/** Whether `entry` is a final decision of an analyst or a provider: the kind Toqio is told of once the transaction was held. */
export function isNotifiedDecision(entry: DecisionEntry): boolean {
  return entry.final && entry.source !== 'FALLBACK' && (entry.status === 'APPROVED' || entry.status === 'REJECTED');
}

/**
 * Every notice that decide() can have given for `entry`, the entries before it being `earlier`
 * (for audit:verify, which holds a stored body against its decision); none when the entry is no
 * final decision of an analyst or a provider. Only an analyst's approval after first approvals
 * on record has two: it names their analysts first when four eyes applied to it, and only the
 * analyst when FOUR_EYES_THRESHOLD was raised or unset in between; the history does not say which.
 */
export function possibleNotices(transactionId: string, earlier: readonly DecisionEntry[], entry: DecisionEntry): DecisionNotice[] {
  if (!isNotifiedDecision(entry)) return [];
  const alone = decisionNotice(transactionId, entry, []);
  if (entry.source !== 'ANALYST' || entry.status !== 'APPROVED') return [alone];
  const approvers = firstApprovals(earlier);
  return approvers.length === 0 ? [alone] : [decisionNotice(transactionId, entry, approvers), alone];
}

/**
 * A provider's later verdict that still asks for review: kept in the history so analysts see the
 * provider's reasons, without deciding anything.
 */
export function noteStillPending(review: ReviewState, provider: string, reasons: readonly string[], at: Date): DecisionEntry {
  if (review.state !== PENDING) throw new TransactionNotPendingError(review.transactionId, review.state);
  return { status: PENDING, final: false, source: 'PROVIDER', decidedBy: provider, reasons, decidedAt: at };
}
