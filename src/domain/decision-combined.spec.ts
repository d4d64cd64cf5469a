// Unit spec of deciding a transaction a combination held: one part's approval does not release another part's hold.
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { decide, DecisionEntry } from './decision';

const COMBINATION = ['flagright', 'rules'];
const heldByCombination: DecisionEntry = { ...ReviewMother.held(), decidedBy: 'flagright+rules', reasons: ['flagright: unusual pattern', 'rules: Sanctions match 0.93'] };
const held = (overrides: Parameters<typeof ReviewMother.pending>[0] = {}) => ReviewMother.pending({ transactionId: 'tx-c1', history: [heldByCombination], ...overrides });
const approvalBy = (provider: string, decidedAt = at(60_000)): DecisionEntry => ({ status: 'APPROVED', final: false, source: 'PROVIDER', decidedBy: provider, reasons: [`${provider} cleared it`], decidedAt });

describe('decide, for one part of a combination', () => {
  it("only notes a part's approval while another part's own verdict still holds the transaction", () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' }] });
    const request = ReviewMother.byProvider('flagright', 'APPROVED', { reasons: ['case closed as a false positive'], combination: COMBINATION, at: at(90_000) });
    expect(decide(review, request, {})).toEqual({
      kind: 'NOTED',
      entry: {
        status: 'APPROVED',
        final: false,
        source: 'PROVIDER',
        decidedBy: 'flagright',
        reasons: ['case closed as a false positive', 'Still held by rules: released once every provider of the combination approves, or by an analyst'],
        decidedAt: at(90_000),
      },
    });
  });

  it('counts a part that failed at screening as holding, as validate counted it', () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'APPROVED' }, { provider: 'rules', status: null }] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED', { combination: COMBINATION }), {})).toMatchObject({ kind: 'NOTED' });
  });

  it('releases the transaction when every other part approved it at screening', () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' }, { provider: 'rules', status: 'APPROVED' }] });
    const outcome = decide(review, ReviewMother.byProvider('flagright', 'APPROVED', { combination: COMBINATION }), {});
    expect(outcome).toMatchObject({ kind: 'FINAL', status: 'APPROVED', notice: { transactionId: 'tx-c1', status: 'APPROVED', decidedBy: 'flagright' } });
  });

  it('releases it when the other holding part has approved it since, through its own callback', () => {
    const parts = [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' as const }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' as const }];
    const review = held({ parts, history: [heldByCombination, approvalBy('rules')] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED', { combination: COMBINATION }), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
  });

  it("does not take an analyst's first four-eyes approval, nor another part's noted pending verdict, as a part's release", () => {
    const parts = [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' as const }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' as const }];
    const stillPending: DecisionEntry = { ...approvalBy('rules'), status: 'PENDING_EXTERNAL_APPROVAL' };
    const review = held({ parts, history: [heldByCombination, { ...ReviewMother.firstApproval('rules') }, stillPending] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED', { combination: COMBINATION }), {})).toMatchObject({ kind: 'NOTED' });
  });

  it('holds for every other live part when the parts are not on record (a callback faster than their write)', () => {
    const outcome = decide(held(), ReviewMother.byProvider('rules', 'APPROVED', { combination: ['flagright', 'marble', 'rules'] }), {});
    expect(outcome).toMatchObject({ kind: 'NOTED', entry: { reasons: ['rules says APPROVED', 'Still held by flagright, marble: released once every provider of the combination approves, or by an analyst'] } });
  });

  it('judges by the parts that screened the transaction, not by a combination changed since', () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' }] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED', { combination: ['flagright', 'marble'] }), {})).toMatchObject({ kind: 'NOTED', entry: { reasons: [expect.any(String), expect.stringMatching(/^Still held by rules:/)] } });
  });

  it("makes any part's rejection final: the strictest verdict", () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'APPROVED' }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' }] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'REJECTED', { combination: COMBINATION }), {})).toMatchObject({ kind: 'FINAL', status: 'REJECTED' });
  });

  it("lets an analyst, and the whole combination's late verdict, decide whatever the parts say", () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' }, { provider: 'rules', status: null }] });
    expect(decide(review, ReviewMother.byAnalyst('alice', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
    expect(decide(review, ReviewMother.byProvider('flagright+rules', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
  });

  it('notes a held inbound alert the same way: one part cannot clear what another flagged', () => {
    const review = held({ direction: 'INBOUND', parts: [{ provider: 'flagright', status: 'APPROVED' }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' }] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED', { combination: COMBINATION }), {})).toMatchObject({ kind: 'NOTED' });
  });
});
