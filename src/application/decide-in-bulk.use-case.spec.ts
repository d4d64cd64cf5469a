// Unit spec of DecideInBulk over DecideTransaction and a recording fake store: one answer per item, each under a single decision's rules.
import { RecordingReviewStore } from '../../test/fakes/recording-review-store';
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { Decimal } from '../domain/decimal';
import { DecideInBulk } from './decide-in-bulk.use-case';
import { DecideTransaction } from './decide-transaction.use-case';

const NOW = at(600_000);
const alice = { name: 'alice', role: 'analyst' } as const;

function setUp(...reviews: Parameters<typeof RecordingReviewStore.holding>) {
  const store = RecordingReviewStore.holding(...reviews);
  const decisions = new DecideTransaction(store, { threshold: Decimal.parse('50000'), secondApprovalRole: 'supervisor' }, { now: () => NOW });
  return { store, bulk: new DecideInBulk(decisions) };
}

describe('DecideInBulk', () => {
  it('answers every item in order with its own outcome, recording only what a single decision would', async () => {
    const { store, bulk } = setUp(
      ReviewMother.pending({ transactionId: 'small' }),
      ReviewMother.pending({ transactionId: 'large', amount: '75000' }),
      ReviewMother.pending({ transactionId: 'decided', state: 'APPROVED' }),
      ReviewMother.pending({ transactionId: 'approved-once', amount: '75000', history: [ReviewMother.held(), ReviewMother.firstApproval('bob')] }),
      { ...ReviewMother.pending({ transactionId: 'claimed' }), claim: { assignee: 'bob', claimedUntil: at(3_600_000) } },
    );

    const results = await bulk.decide(
      [
        { transactionId: 'small', status: 'REJECTED', reason: 'no invoice' },
        { transactionId: 'large', status: 'APPROVED', reason: 'invoice seen' },
        { transactionId: 'decided', status: 'REJECTED', reason: 'late' },
        { transactionId: 'missing', status: 'APPROVED', reason: 'who?' },
        { transactionId: 'approved-once', status: 'APPROVED', reason: 'second' },
        { transactionId: 'claimed', status: 'APPROVED', reason: 'not mine' },
        { transactionId: 'small', status: 'APPROVED', reason: 'changed my mind' },
      ],
      alice,
    );

    expect(results.map((result) => [result.transactionId, result.outcome])).toEqual([
      ['small', 'DECIDED'],
      ['large', 'AWAITING_SECOND_APPROVAL'],
      ['decided', 'CONFLICT'],
      ['missing', 'NOT_FOUND'],
      ['approved-once', 'FORBIDDEN'],
      ['claimed', 'CONFLICT'],
      ['small', 'CONFLICT'],
    ]);
    expect(results[6]!.detail).toBe('Repeats item 0 of this request, which alone was applied');
    expect(results.every((result) => result.detail.length > 0)).toBe(true);
    // Two changes: the rejection (final, with its notice) and the first approval; nothing for the refused ones.
    expect(store.changes.map((change) => [change.transactionId, change.entry.status, change.final?.status])).toEqual(
      expect.arrayContaining([
        ['small', 'REJECTED', 'REJECTED'],
        ['large', 'APPROVED', undefined],
      ]),
    );
    expect(store.changes).toHaveLength(2);
  });

  it('answers a request sent again after a lost answer item by item as before, recording nothing twice', async () => {
    const { store, bulk } = setUp(ReviewMother.pending({ transactionId: 'small' }), ReviewMother.pending({ transactionId: 'large', amount: '75000' }));
    const items = [
      { transactionId: 'small', status: 'REJECTED', reason: 'no invoice' },
      { transactionId: 'large', status: 'APPROVED', reason: 'invoice seen' },
    ] as const;
    await bulk.decide(items, alice);

    const again = await bulk.decide(items, alice);

    expect(again).toEqual([
      { transactionId: 'small', outcome: 'DECIDED', detail: 'Already rejected by you with this reason; nothing recorded again' },
      { transactionId: 'large', outcome: 'AWAITING_SECOND_APPROVAL', detail: 'Approval by alice already on record; a second, different analyst must approve (four eyes)' },
    ]);
    expect(store.changes).toHaveLength(2);
  });

  it("fails the request on the service's own trouble, starting no item after it", async () => {
    const { store, bulk } = setUp(ReviewMother.pending({ transactionId: 'a' }), ReviewMother.pending({ transactionId: 'b' }));
    store.failNextCommit = new Error('connection lost');

    await expect(bulk.decide([{ transactionId: 'a', status: 'APPROVED', reason: 'ok' }], alice)).rejects.toThrow('connection lost');
    expect(store.changes).toHaveLength(0);
  });
});
