// Claiming a review case: who holds it, until when, and who may take, release or decide it meanwhile.
import { hasRole, Principal } from './analyst-role';
import { CaseClaimedError, RoleForbiddenError, TransactionNotPendingError } from './domain-error';
import { TransactionState } from './transaction-status';

/** An analyst's hold on a pending case; it lapses by itself at `claimedUntil`. */
export interface CaseClaim {
  readonly assignee: string;
  readonly claimedUntil: Date;
}

/** What the claim rules need to know about a case, read under its lock. */
export interface ClaimState {
  readonly transactionId: string;
  readonly state: TransactionState;
  /** The claim on record, lapsed or not; null when there is none. */
  readonly claim: CaseClaim | null;
}

/**
 * A change of hands, kept for ever: who did it, whose claim, when, and until when it holds.
 * CLAIMED: taken or renewed; RELEASED: given up, or ended by a supervisor; DECIDED: ended by a
 * decision that took the case out of the assignee's hands (final, or a first approval that waits
 * for a second analyst).
 */
export interface ClaimEvent {
  readonly action: 'CLAIMED' | 'RELEASED' | 'DECIDED';
  /** Who acted: the claimant, a supervisor releasing someone else's claim, or the decider. */
  readonly by: string;
  /** Whose claim it is (for a release, the claim that ended). */
  readonly assignee: string;
  readonly at: Date;
  /** For a claim, until when it holds; for a release, null. */
  readonly claimedUntil: Date | null;
}

/** What a claim rule asks the store to record: the claim as it now stands (null: none), and the event. */
export interface ClaimChange {
  readonly claim: CaseClaim | null;
  readonly event: ClaimEvent | null;
}

const PENDING = 'PENDING_EXTERNAL_APPROVAL';

/** The claim that holds at `now`: a lapsed one is as good as none. */
export function activeClaim(claim: CaseClaim | null | undefined, now: Date): CaseClaim | null {
  return claim && claim.claimedUntil.getTime() > now.getTime() ? claim : null;
}

/**
 * Takes a pending case for `ttlMinutes` from `now`, or renews the caller's own claim. Another
 * analyst's claim that has not lapsed is a conflict, whatever the caller's role: a supervisor who
 * must take over releases it first, so that the hand-over is on record.
 */
export function claimCase(current: ClaimState, by: Principal, now: Date, ttlMinutes: number): ClaimChange {
  if (current.state !== PENDING) throw new TransactionNotPendingError(current.transactionId, current.state);
  if (!hasRole(by.role, 'analyst')) throw new RoleForbiddenError(`Claiming a case needs the analyst role; ${by.name} is ${by.role}`);
  const held = activeClaim(current.claim, now);
  if (held && held.assignee !== by.name) throw new CaseClaimedError(current.transactionId, held.assignee, held.claimedUntil);
  const claim: CaseClaim = { assignee: by.name, claimedUntil: new Date(now.getTime() + ttlMinutes * 60_000) };
  return { claim, event: { action: 'CLAIMED', by: by.name, assignee: by.name, at: now, claimedUntil: claim.claimedUntil } };
}

/**
 * Ends the claim on a case: one's own, or anyone's for a supervisor. With no claim holding
 * (none, lapsed, or the case decided meanwhile) there is nothing to release, and nothing is recorded.
 */
export function releaseCase(current: ClaimState, by: Principal, now: Date): ClaimChange {
  const held = activeClaim(current.claim, now);
  if (!held) return { claim: null, event: null };
  if (held.assignee !== by.name && !hasRole(by.role, 'supervisor')) {
    throw new RoleForbiddenError(`Transaction ${current.transactionId} is claimed by ${held.assignee}; only they or a supervisor may release it`);
  }
  return { claim: null, event: { action: 'RELEASED', by: by.name, assignee: held.assignee, at: now, claimedUntil: null } };
}

/**
 * An analyst may decide a case that nobody else holds; a supervisor may decide any. A lapsed
 * claim holds nobody back.
 */
export function assertMayDecide(transactionId: string, claim: CaseClaim | null | undefined, by: Principal, now: Date): void {
  const held = activeClaim(claim, now);
  if (!held || held.assignee === by.name || hasRole(by.role, 'supervisor')) return;
  throw new CaseClaimedError(transactionId, held.assignee, held.claimedUntil);
}

/**
 * A decision ends the claim on its case: a final one closes the case, and a first four-eyes
 * approval hands it on, since the second approval must come from someone else. The claim that
 * held (if any) is recorded as ended by the decider; a lapsed one is only cleared. Undefined when
 * there is no claim on record: nothing to change.
 */
export function claimEndedByDecision(claim: CaseClaim | null | undefined, decidedBy: string, at: Date): ClaimChange | undefined {
  if (!claim) return undefined;
  const held = activeClaim(claim, at);
  return { claim: null, event: held ? { action: 'DECIDED', by: decidedBy, assignee: held.assignee, at, claimedUntil: null } : null };
}
