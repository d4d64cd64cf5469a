// Unit spec of deciding an inbound alert: final decisions tell Toqio nothing, a provider's rejection is only noted.
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { Decimal } from './decimal';
import { decide } from './decision';
import { TransactionNotPendingError } from './domain-error';

const inboundAlert = (overrides: Parameters<typeof ReviewMother.pending>[0] = {}) => ReviewMother.pending({ transactionId: 'paystack:inv-2026-0042', direction: 'INBOUND', ...overrides });

describe('decide, for an INBOUND alert', () => {
  it.each(['APPROVED', 'REJECTED'] as const)("makes an analyst's %s final without a notice for Toqio", (status) => {
    const request = ReviewMother.byAnalyst('alice', status, { reasons: ['checked with the payer'] });
    const outcome = decide(inboundAlert(), request, {});
    expect(outcome).toEqual({
      kind: 'FINAL',
      status,
      entry: { status, final: true, source: 'ANALYST', decidedBy: 'alice', reasons: ['checked with the payer'], decidedAt: request.at },
    });
    expect('notice' in outcome).toBe(false);
  });

  it("only notes a provider's rejection: the alert stays pending, with the provider's reasons", () => {
    const request = ReviewMother.byProvider('flagright', 'REJECTED', { reasons: ['payer on a watch list'], at: at(90_000) });
    const outcome = decide(inboundAlert(), request, {});
    expect(outcome).toEqual({
      kind: 'NOTED',
      entry: { status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'PROVIDER', decidedBy: 'flagright', reasons: ['payer on a watch list'], decidedAt: at(90_000) },
    });
  });

  it("makes a provider's approval final, without a notice", () => {
    const outcome = decide(inboundAlert(), ReviewMother.byProvider('flagright', 'APPROVED'), {});
    expect(outcome).toMatchObject({ kind: 'FINAL', status: 'APPROVED', entry: { final: true, source: 'PROVIDER', decidedBy: 'flagright' } });
    expect(outcome.kind === 'FINAL' && outcome.notice).toBeUndefined();
  });

  it('still needs two analysts to approve a large amount, and the second approval sends nothing either', () => {
    const policy = { threshold: Decimal.parse('50000') };
    const first = decide(inboundAlert({ amount: '60000' }), ReviewMother.byAnalyst('alice', 'APPROVED'), policy);
    expect(first).toMatchObject({ kind: 'AWAITING_SECOND_APPROVAL', firstApprover: 'alice' });

    const second = decide(inboundAlert({ amount: '60000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] }), ReviewMother.byAnalyst('bob', 'APPROVED'), policy);
    expect(second).toMatchObject({ kind: 'FINAL', status: 'APPROVED', entry: { decidedBy: 'bob' } });
    expect(second.kind === 'FINAL' && second.notice).toBeUndefined();
  });

  it("refuses even a provider's rejection once the alert is decided", () => {
    expect(() => decide(inboundAlert({ state: 'APPROVED' }), ReviewMother.byProvider('flagright', 'REJECTED'), {})).toThrow(TransactionNotPendingError);
  });

  it('leaves OUTBOUND transactions as they were: a provider rejection is final and Toqio is told', () => {
    const outcome = decide(ReviewMother.pending({ transactionId: 'tx-9', direction: 'OUTBOUND' }), ReviewMother.byProvider('flagright', 'REJECTED'), {});
    expect(outcome).toMatchObject({ kind: 'FINAL', status: 'REJECTED', notice: { transactionId: 'tx-9', status: 'REJECTED', decidedBy: 'flagright' } });
  });
});
