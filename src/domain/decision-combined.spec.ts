// Unit spec of deciding a transaction a combination held: one part's approval does not release another part's hold.
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { decide, DecisionEntry } from './decision';

const heldByCombination: DecisionEntry = { ...ReviewMother.held(), decidedBy: 'flagright+rules', reasons: ['flagright: unusual pattern', 'rules: Sanctions match 0.93'] };
const held = (overrides: Parameters<typeof ReviewMother.pending>[0] = {}) => ReviewMother.pending({ transactionId: 'tx-c1', history: [heldByCombination], ...overrides });
const approvalBy = (provider: string, decidedAt = at(60_000)): DecisionEntry => ({ status: 'APPROVED', final: false, source: 'PROVIDER', decidedBy: provider, reasons: [`${provider} cleared it`], decidedAt });
const bothHeld = [
  { provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' as const },
  { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' as const },
];

describe('decide, for one part of the combination that screened the transaction', () => {
  it("only notes a part's approval while another part's own verdict still holds the transaction", () => {
    const request = ReviewMother.byProvider('flagright', 'APPROVED', { reasons: ['case closed as a false positive'], at: at(90_000) });
    expect(decide(held({ parts: bothHeld }), request, {})).toEqual({
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
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED'), {})).toMatchObject({ kind: 'NOTED' });
  });

  it('releases the transaction when every other part approved it at screening', () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' }, { provider: 'rules', status: 'APPROVED' }] });
    const outcome = decide(review, ReviewMother.byProvider('flagright', 'APPROVED'), {});
    expect(outcome).toMatchObject({ kind: 'FINAL', status: 'APPROVED', notice: { transactionId: 'tx-c1', status: 'APPROVED', decidedBy: 'flagright' } });
  });

  it('releases it when the other holding part has approved it since, through its own callback', () => {
    const review = held({ parts: bothHeld, history: [heldByCombination, approvalBy('rules')] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
  });

  it("does not take an analyst's first four-eyes approval, nor another part's noted pending verdict, as a part's release", () => {
    const stillPending: DecisionEntry = { ...approvalBy('rules'), status: 'PENDING_EXTERNAL_APPROVAL' };
    const review = held({ parts: bothHeld, history: [heldByCombination, ReviewMother.firstApproval('rules'), stillPending] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED'), {})).toMatchObject({ kind: 'NOTED' });
  });

  it('holds for every other part of the combination when the parts are not on record (a callback faster than their write)', () => {
    const review = held({ history: [{ ...heldByCombination, decidedBy: 'flagright+marble+rules' }] });
    expect(decide(review, ReviewMother.byProvider('rules', 'APPROVED'), {})).toMatchObject({
      kind: 'NOTED',
      entry: { reasons: ['rules says APPROVED', 'Still held by flagright, marble: released once every provider of the combination approves, or by an analyst'] },
    });
    // The screening's fallback entry names the combination the same way.
    const fellBack = held({ history: [{ ...heldByCombination, source: 'FALLBACK' }] });
    expect(decide(fellBack, ReviewMother.byProvider('rules', 'APPROVED'), {})).toMatchObject({ kind: 'NOTED' });
  });

  it("makes any part's rejection final: the strictest verdict", () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'APPROVED' }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' }] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'REJECTED'), {})).toMatchObject({ kind: 'FINAL', status: 'REJECTED' });
  });

  it("lets an analyst, and the whole combination's late verdict, decide whatever the parts say", () => {
    const review = held({ parts: [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' }, { provider: 'rules', status: null }] });
    expect(decide(review, ReviewMother.byAnalyst('alice', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
    expect(decide(review, ReviewMother.byProvider('flagright+rules', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
  });

  it('judges by the combination that screened the transaction, whatever the live one is now', () => {
    // Screened by flagright alone (before rules joined it): flagright's approval decides.
    const single = held({ history: [{ ...heldByCombination, decidedBy: 'flagright', reasons: ['unusual pattern'] }] });
    expect(decide(single, ReviewMother.byProvider('flagright', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
    // Screened by flagright+rules, now answered by marble alone: what the two held still holds.
    expect(decide(held({ parts: bothHeld }), ReviewMother.byProvider('marble', 'APPROVED'), {})).toMatchObject({
      kind: 'NOTED',
      entry: { reasons: [expect.any(String), expect.stringMatching(/^Still held by flagright, rules:/)] },
    });
  });

  it('notes a held inbound alert the same way: one part cannot clear what another flagged', () => {
    const review = held({ direction: 'INBOUND', parts: [{ provider: 'flagright', status: 'APPROVED' }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' }] });
    expect(decide(review, ReviewMother.byProvider('flagright', 'APPROVED'), {})).toMatchObject({ kind: 'NOTED' });
  });
});
