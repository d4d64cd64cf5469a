// Unit spec of case claims: taking, renewing, lapsing, releasing, and who may decide a claimed case.
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { Principal } from './analyst-role';
import { activeClaim, assertMayDecide, CaseClaim, claimCase, claimEndedByDecision, ClaimState, releaseCase } from './case-claim';
import { decide } from './decision';
import { CaseClaimedError, RoleForbiddenError, TransactionNotPendingError } from './domain-error';

const alice: Principal = { name: 'alice', role: 'analyst' };
const bob: Principal = { name: 'bob', role: 'analyst' };
const sue: Principal = { name: 'sue', role: 'supervisor' };
const vic: Principal = { name: 'vic', role: 'viewer' };
const NOW = at(0);
const MINUTE = 60_000;

const state = (claim: CaseClaim | null = null, overrides: Partial<ClaimState> = {}): ClaimState => ({ transactionId: 'tx-1', state: 'PENDING_EXTERNAL_APPROVAL', claim, ...overrides });
const heldBy = (assignee: string, untilMs: number): CaseClaim => ({ assignee, claimedUntil: at(untilMs) });

describe('claimCase', () => {
  it('takes an unclaimed pending case for the TTL and records who and when', () => {
    expect(claimCase(state(), alice, NOW, 30)).toEqual({
      claim: { assignee: 'alice', claimedUntil: at(30 * MINUTE) },
      event: { action: 'CLAIMED', by: 'alice', assignee: 'alice', at: NOW, claimedUntil: at(30 * MINUTE) },
    });
  });

  it("renews the caller's own claim from now", () => {
    expect(claimCase(state(heldBy('alice', 5 * MINUTE)), alice, NOW, 30).claim).toEqual({ assignee: 'alice', claimedUntil: at(30 * MINUTE) });
  });

  it("refuses while another analyst's claim holds, naming them, even for a supervisor", () => {
    for (const caller of [bob, sue]) {
      expect(() => claimCase(state(heldBy('alice', 1)), caller, NOW, 30)).toThrow(
        expect.objectContaining({ code: 'CASE_CLAIMED', assignee: 'alice', claimedUntil: at(1) }),
      );
    }
  });

  it('takes over a claim that lapsed, to the millisecond', () => {
    expect(claimCase(state(heldBy('alice', 0)), bob, NOW, 30).claim?.assignee).toBe('bob');
    expect(() => claimCase(state(heldBy('alice', 1)), bob, NOW, 30)).toThrow(CaseClaimedError);
  });

  it.each(['SCREENING', 'APPROVED', 'REJECTED'] as const)('refuses a case in state %s', (s) => {
    expect(() => claimCase(state(null, { state: s }), alice, NOW, 30)).toThrow(TransactionNotPendingError);
  });

  it('refuses a viewer', () => {
    expect(() => claimCase(state(), vic, NOW, 30)).toThrow(RoleForbiddenError);
  });
});

describe('releaseCase', () => {
  it("ends the caller's own claim and records it", () => {
    expect(releaseCase(state(heldBy('alice', MINUTE)), alice, NOW)).toEqual({
      claim: null,
      event: { action: 'RELEASED', by: 'alice', assignee: 'alice', at: NOW, claimedUntil: null },
    });
  });

  it("lets a supervisor end someone else's claim, recorded as theirs", () => {
    expect(releaseCase(state(heldBy('alice', MINUTE)), sue, NOW).event).toMatchObject({ by: 'sue', assignee: 'alice' });
  });

  it("refuses an analyst ending someone else's claim", () => {
    expect(() => releaseCase(state(heldBy('alice', MINUTE)), bob, NOW)).toThrow(RoleForbiddenError);
  });

  it('records nothing when no claim holds: none, lapsed, or the case decided', () => {
    expect(releaseCase(state(), bob, NOW)).toEqual({ claim: null, event: null });
    expect(releaseCase(state(heldBy('alice', 0)), bob, NOW)).toEqual({ claim: null, event: null });
    expect(releaseCase(state(null, { state: 'APPROVED' }), bob, NOW)).toEqual({ claim: null, event: null });
  });
});

describe('deciding a claimed case', () => {
  it('lets the assignee, a supervisor, and anyone once the claim lapsed decide; refuses another analyst', () => {
    expect(() => assertMayDecide('tx-1', heldBy('alice', 1), alice, NOW)).not.toThrow();
    expect(() => assertMayDecide('tx-1', heldBy('alice', 1), sue, NOW)).not.toThrow();
    expect(() => assertMayDecide('tx-1', heldBy('alice', 0), bob, NOW)).not.toThrow();
    expect(() => assertMayDecide('tx-1', null, bob, NOW)).not.toThrow();
    expect(() => assertMayDecide('tx-1', heldBy('alice', 1), bob, NOW)).toThrow(CaseClaimedError);
  });

  it("is enforced by decide for analysts, and never holds a provider's decision back", () => {
    const review = { ...ReviewMother.pending(), claim: heldBy('alice', 10 * MINUTE) };
    expect(() => decide(review, ReviewMother.byAnalyst('bob', 'REJECTED', { at: NOW }), {})).toThrow(CaseClaimedError);
    expect(decide(review, ReviewMother.byAnalyst('sue', 'REJECTED', { at: NOW, role: 'supervisor' }), {}).kind).toBe('FINAL');
    expect(decide(review, ReviewMother.byProvider('vendor', 'REJECTED', { at: NOW }), {}).kind).toBe('FINAL');
  });

  it('ends the claim: recorded when it held, only cleared when it had lapsed, nothing without one', () => {
    expect(claimEndedByDecision(heldBy('alice', 1), 'sue', NOW)).toEqual({ claim: null, event: { action: 'DECIDED', by: 'sue', assignee: 'alice', at: NOW, claimedUntil: null } });
    expect(claimEndedByDecision(heldBy('alice', 0), 'bob', NOW)).toEqual({ claim: null, event: null });
    expect(claimEndedByDecision(null, 'bob', NOW)).toBeUndefined();
  });

  it('treats a lapsed claim as none', () => {
    expect(activeClaim(heldBy('alice', 0), NOW)).toBeNull();
    expect(activeClaim(heldBy('alice', 1), NOW)).toEqual(heldBy('alice', 1));
  });
});
