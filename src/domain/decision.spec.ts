// Unit spec of the held-transaction state machine: who may decide, four-eyes, and the notice Toqio gets.
import fc from 'fast-check';
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { Decimal } from './decimal';
import { analystReplay, decide, DecisionEntry, firstApprovals, FourEyesPolicy, noteStillPending, noticeBody, possibleNotices } from './decision';
import { ApprovalAlreadyGivenError, RoleForbiddenError, TransactionNotPendingError } from './domain-error';

const fourEyes = (threshold: string): FourEyesPolicy => ({ threshold: Decimal.parse(threshold) });

describe('decide', () => {
  describe('only a pending transaction can be decided', () => {
    it.each(['SCREENING', 'APPROVED', 'REJECTED'] as const)('refuses every decision in state %s', (state) => {
      const review = ReviewMother.pending({ state });
      for (const request of [
        ReviewMother.byAnalyst('alice', 'APPROVED'),
        ReviewMother.byAnalyst('alice', 'REJECTED'),
        ReviewMother.byProvider('rules', 'APPROVED'),
        ReviewMother.byProvider('rules', 'REJECTED'),
      ]) {
        expect(() => decide(review, request, {})).toThrow(TransactionNotPendingError);
      }
    });

    it('says which transaction and state it refused, under a stable code', () => {
      const review = ReviewMother.pending({ transactionId: 'tx-1', state: 'APPROVED' });
      expect(() => decide(review, ReviewMother.byAnalyst('alice', 'REJECTED'), {})).toThrow(
        expect.objectContaining({ code: 'TRANSACTION_NOT_PENDING', transactionId: 'tx-1', state: 'APPROVED' }),
      );
    });
  });

  it('makes a single approval final and builds the notice Toqio receives', () => {
    const review = ReviewMother.pending({ transactionId: 'tx-1' });
    const request = ReviewMother.byAnalyst('alice', 'APPROVED', { reasons: ['Invoice matches', 'customer called'], at: new Date('2030-01-15T10:11:12.345Z') });

    const outcome = decide(review, request, {});

    expect(outcome).toEqual({
      kind: 'FINAL',
      status: 'APPROVED',
      entry: { status: 'APPROVED', final: true, source: 'ANALYST', decidedBy: 'alice', reasons: ['Invoice matches', 'customer called'], decidedAt: request.at },
      notice: { transactionId: 'tx-1', status: 'APPROVED', reason: 'Invoice matches; customer called', decidedBy: 'alice', decidedAt: '2030-01-15T10:11:12.345Z' },
    });
  });

  describe('rejection', () => {
    it('is final at once, however large the amount', () => {
      const review = ReviewMother.pending({ amount: '999999999999999999999999.999999999999999999' });
      const outcome = decide(review, ReviewMother.byAnalyst('alice', 'REJECTED'), fourEyes('50000'));
      expect(outcome).toMatchObject({ kind: 'FINAL', status: 'REJECTED', entry: { final: true }, notice: { status: 'REJECTED', decidedBy: 'alice' } });
    });

    it('is final even after a first approval, and names only the analyst who rejected', () => {
      const review = ReviewMother.pending({ amount: '60000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });
      for (const analyst of ['alice', 'bob']) {
        const outcome = decide(review, ReviewMother.byAnalyst(analyst, 'REJECTED'), fourEyes('50000'));
        expect(outcome).toMatchObject({ kind: 'FINAL', status: 'REJECTED', notice: { decidedBy: analyst } });
      }
    });
  });

  describe('four-eyes', () => {
    it('holds an approval of exactly the threshold for a second analyst', () => {
      const review = ReviewMother.pending({ amount: '50000' });
      const request = ReviewMother.byAnalyst('alice', 'APPROVED');

      const outcome = decide(review, request, fourEyes('50000'));

      expect(outcome).toEqual({
        kind: 'AWAITING_SECOND_APPROVAL',
        firstApprover: 'alice',
        entry: { status: 'APPROVED', final: false, source: 'ANALYST', decidedBy: 'alice', reasons: request.reasons, decidedAt: request.at },
      });
    });

    describe('with FOUR_EYES_SECOND_ROLE', () => {
      const supervised: FourEyesPolicy = { ...fourEyes('50000'), secondApprovalRole: 'supervisor' };
      const awaiting = () => ReviewMother.pending({ amount: '75000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });

      it('takes the first approval from any analyst', () => {
        expect(decide(ReviewMother.pending({ amount: '75000' }), ReviewMother.byAnalyst('bob', 'APPROVED'), supervised)).toMatchObject({ kind: 'AWAITING_SECOND_APPROVAL' });
      });

      it('refuses the second from a role below it, and takes it from that role or above', () => {
        expect(() => decide(awaiting(), ReviewMother.byAnalyst('bob', 'APPROVED'), supervised)).toThrow(RoleForbiddenError);
        for (const role of ['supervisor', 'admin'] as const) {
          expect(decide(awaiting(), ReviewMother.byAnalyst('sue', 'APPROVED', { role }), supervised)).toMatchObject({ kind: 'FINAL', notice: { decidedBy: 'alice, sue' } });
        }
      });

      it('supervises approvals only: a rejection after a first approval needs no more than an analyst', () => {
        expect(decide(awaiting(), ReviewMother.byAnalyst('bob', 'REJECTED'), supervised)).toMatchObject({ kind: 'FINAL', status: 'REJECTED' });
      });

      it('takes the second from any analyst when unset', () => {
        expect(decide(awaiting(), ReviewMother.byAnalyst('bob', 'APPROVED'), fourEyes('50000'))).toMatchObject({ kind: 'FINAL' });
      });
    });

    it('lets one analyst approve the smallest amount below the threshold', () => {
      const review = ReviewMother.pending({ amount: '49999.999999999999999999' });
      expect(decide(review, ReviewMother.byAnalyst('alice', 'APPROVED'), fourEyes('50000'))).toMatchObject({ kind: 'FINAL', status: 'APPROVED' });
    });

    it('compares amounts with many decimals exactly, whatever their notation', () => {
      const policy = fourEyes('10000.000000000000000001');
      const kindFor = (amount: string) => decide(ReviewMother.pending({ amount }), ReviewMother.byAnalyst('alice', 'APPROVED'), policy).kind;

      // As binary floats these are all equal to the threshold.
      expect(kindFor('10000')).toBe('FINAL');
      expect(kindFor('10000.000000000000000000')).toBe('FINAL');
      expect(kindFor('0.1e5')).toBe('FINAL');
      expect(kindFor('10000.000000000000000001')).toBe('AWAITING_SECOND_APPROVAL');
      expect(kindFor('1.0000000000000000000001e4')).toBe('AWAITING_SECOND_APPROVAL');
      expect(kindFor('10000.00000000000000001')).toBe('AWAITING_SECOND_APPROVAL');
    });

    it('needs a second analyst exactly when amount >= threshold (property, exact integers as oracle)', () => {
      // Amounts and thresholds as (integer, scale) pairs, compared with bigint arithmetic only.
      const decimalText = fc
        .tuple(fc.bigInt({ min: 1n, max: 10n ** 24n - 1n }), fc.integer({ min: 0, max: 12 }))
        .map(([units, scale]) => ({ units, scale, text: toDecimalText(units, scale) }));
      fc.assert(
        fc.property(decimalText, decimalText, (amount, threshold) => {
          const common = Math.max(amount.scale, threshold.scale);
          const atOrAbove = amount.units * 10n ** BigInt(common - amount.scale) >= threshold.units * 10n ** BigInt(common - threshold.scale);
          const outcome = decide(ReviewMother.pending({ amount: amount.text }), ReviewMother.byAnalyst('alice', 'APPROVED'), fourEyes(threshold.text));
          expect(outcome.kind).toBe(atOrAbove ? 'AWAITING_SECOND_APPROVAL' : 'FINAL');
        }),
      );
    });

    it('puts an amount one unit in the last place either side of the threshold on the right side (property)', () => {
      const scaled = fc.tuple(fc.bigInt({ min: 2n, max: 10n ** 20n }), fc.integer({ min: 0, max: 18 }));
      fc.assert(
        fc.property(scaled, fc.constantFrom(-1n, 0n, 1n), ([units, scale], step) => {
          const outcome = decide(
            ReviewMother.pending({ amount: toDecimalText(units + step, scale) }),
            ReviewMother.byAnalyst('alice', 'APPROVED'),
            fourEyes(toDecimalText(units, scale)),
          );
          expect(outcome.kind).toBe(step >= 0n ? 'AWAITING_SECOND_APPROVAL' : 'FINAL');
        }),
      );
    });

    it('refuses a second approval from the same analyst', () => {
      const review = ReviewMother.pending({ transactionId: 'tx-1', amount: '50000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });
      expect(() => decide(review, ReviewMother.byAnalyst('alice', 'APPROVED'), fourEyes('50000'))).toThrow(ApprovalAlreadyGivenError);
      expect(() => decide(review, ReviewMother.byAnalyst('alice', 'APPROVED'), fourEyes('50000'))).toThrow(
        expect.objectContaining({ code: 'APPROVAL_ALREADY_GIVEN', transactionId: 'tx-1', analyst: 'alice' }),
      );
    });

    it('takes a name in another case or Unicode form for the same analyst', () => {
      const review = ReviewMother.pending({ transactionId: 'tx-1', amount: '50000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });
      for (const name of ['Alice', 'ALICE', '\uFF41lice']) expect(() => decide(review, ReviewMother.byAnalyst(name, 'APPROVED'), fourEyes('50000'))).toThrow(ApprovalAlreadyGivenError);
    });

    it('finalises with a different second analyst, naming both, first approver first', () => {
      const review = ReviewMother.pending({ transactionId: 'tx-1', amount: '75000.5', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });
      const request = ReviewMother.byAnalyst('bob', 'APPROVED', { reasons: ['Second check done'], at: at(300_000) });

      const outcome = decide(review, request, fourEyes('50000'));

      expect(outcome).toEqual({
        kind: 'FINAL',
        status: 'APPROVED',
        entry: { status: 'APPROVED', final: true, source: 'ANALYST', decidedBy: 'bob', reasons: ['Second check done'], decidedAt: at(300_000) },
        notice: { transactionId: 'tx-1', status: 'APPROVED', reason: 'Second check done', decidedBy: 'alice, bob', decidedAt: at(300_000).toISOString() },
      });
    });

    it('leaves the provider final even above the threshold, with or without a first approval', () => {
      for (const history of [[ReviewMother.held()], [ReviewMother.held(), ReviewMother.firstApproval('alice')]]) {
        const review = ReviewMother.pending({ amount: '1000000', history });
        const outcome = decide(review, ReviewMother.byProvider('flagright', 'APPROVED'), fourEyes('50000'));
        expect(outcome).toMatchObject({ kind: 'FINAL', status: 'APPROVED', entry: { source: 'PROVIDER', final: true }, notice: { decidedBy: 'flagright' } });
      }
    });

    it('needs only one approval when no threshold is set', () => {
      const review = ReviewMother.pending({ amount: '999999999999999999999999' });
      expect(decide(review, ReviewMother.byAnalyst('alice', 'APPROVED'), {})).toMatchObject({ kind: 'FINAL', notice: { decidedBy: 'alice' } });
    });
  });

  describe('firstApprovals', () => {
    it('counts only analysts approvals that still wait for a second one', () => {
      const history = [
        ReviewMother.held(),
        { ...ReviewMother.firstApproval('alice') },
        { ...ReviewMother.firstApproval('carol'), final: true },
        { ...ReviewMother.firstApproval('dave'), source: 'PROVIDER' as const },
        { ...ReviewMother.firstApproval('erin'), status: 'REJECTED' as const },
      ];
      expect(firstApprovals(history)).toEqual(['alice']);
    });
  });
});

describe('analystReplay', () => {
  const decidedBy = (analyst: string, status: 'APPROVED' | 'REJECTED', reasons: string[]): DecisionEntry =>
    ({ status, final: true, source: 'ANALYST', decidedBy: analyst, reasons, decidedAt: at(90_000) });

  it("recognises the same analyst's same final decision, whatever the case of the name", () => {
    const review = ReviewMother.pending({ state: 'REJECTED', history: [ReviewMother.held(), decidedBy('alice', 'REJECTED', ['fraud'])] });
    expect(analystReplay(review, ReviewMother.byAnalyst('alice', 'REJECTED', { reasons: ['fraud'] }))).toBe('FINAL');
    expect(analystReplay(review, ReviewMother.byAnalyst('ALICE', 'REJECTED', { reasons: ['fraud'] }))).toBe('FINAL');
  });

  it('takes any difference for a new decision: status, reason, analyst, or a provider deciding', () => {
    const review = ReviewMother.pending({ state: 'REJECTED', history: [ReviewMother.held(), decidedBy('alice', 'REJECTED', ['fraud'])] });
    for (const request of [
      ReviewMother.byAnalyst('alice', 'APPROVED', { reasons: ['fraud'] }),
      ReviewMother.byAnalyst('alice', 'REJECTED', { reasons: ['fraud!'] }),
      ReviewMother.byAnalyst('alice', 'REJECTED', { reasons: ['fraud', 'again'] }),
      ReviewMother.byAnalyst('bob', 'REJECTED', { reasons: ['fraud'] }),
      ReviewMother.byProvider('alice', 'REJECTED', { reasons: ['fraud'] }),
    ]) {
      expect(analystReplay(review, request)).toBeUndefined();
    }
  });

  it("is not fooled by a provider's final entry under the analyst's name", () => {
    const review = ReviewMother.pending({ state: 'APPROVED', history: [ReviewMother.held(), { ...decidedBy('alice', 'APPROVED', ['ok']), source: 'PROVIDER' }] });
    expect(analystReplay(review, ReviewMother.byAnalyst('alice', 'APPROVED', { reasons: ['ok'] }))).toBeUndefined();
  });

  it("recognises a first four-eyes approval repeated while it waits, but not another analyst's", () => {
    const review = ReviewMother.pending({ amount: '60000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });
    expect(analystReplay(review, ReviewMother.byAnalyst('alice', 'APPROVED', { reasons: ['looks fine'] }))).toBe('AWAITING_SECOND_APPROVAL');
    expect(analystReplay(review, ReviewMother.byAnalyst('alice', 'APPROVED', { reasons: ['looks fine, really'] }))).toBeUndefined();
    expect(analystReplay(review, ReviewMother.byAnalyst('bob', 'APPROVED', { reasons: ['looks fine'] }))).toBeUndefined();
  });

  it('finds no replay on a pending transaction nobody decided, nor in a first approval that a second one finalised', () => {
    expect(analystReplay(ReviewMother.pending(), ReviewMother.byAnalyst('alice', 'APPROVED'))).toBeUndefined();
    const finalised = ReviewMother.pending({
      state: 'APPROVED',
      amount: '60000',
      history: [ReviewMother.held(), ReviewMother.firstApproval('alice'), decidedBy('bob', 'APPROVED', ['second look'])],
    });
    expect(analystReplay(finalised, ReviewMother.byAnalyst('alice', 'APPROVED', { reasons: ['looks fine'] }))).toBeUndefined();
    expect(analystReplay(finalised, ReviewMother.byAnalyst('bob', 'APPROVED', { reasons: ['second look'] }))).toBe('FINAL');
  });
});

describe('noteStillPending', () => {
  it('records the provider reasons without deciding anything', () => {
    const review = ReviewMother.pending();
    expect(noteStillPending(review, 'rules', ['still suspicious'], at(5_000))).toEqual({
      status: 'PENDING_EXTERNAL_APPROVAL',
      final: false,
      source: 'PROVIDER',
      decidedBy: 'rules',
      reasons: ['still suspicious'],
      decidedAt: at(5_000),
    });
  });

  it.each(['SCREENING', 'APPROVED', 'REJECTED'] as const)('refuses a transaction in state %s', (state) => {
    expect(() => noteStillPending(ReviewMother.pending({ state }), 'rules', [], at(0))).toThrow(TransactionNotPendingError);
  });
});

function toDecimalText(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

describe('noticeBody', () => {
  it("is exactly the contract's five keys, in the contract's order", () => {
    const outcome = decide(ReviewMother.pending({ transactionId: 'tx-9' }), ReviewMother.byAnalyst('alice', 'REJECTED'), {});
    if (outcome.kind !== 'FINAL' || !outcome.notice) throw new Error('expected a final decision with a notice');
    const body = noticeBody(outcome.notice);
    expect(Object.keys(JSON.parse(body))).toEqual(['transactionId', 'status', 'reason', 'decidedBy', 'decidedAt']);
    expect(JSON.parse(body)).toMatchObject({ transactionId: 'tx-9', status: 'REJECTED', decidedBy: 'alice' });
  });

  it('leaves out anything else a notice object may carry', () => {
    const notice = { transactionId: 'tx-1', status: 'APPROVED', reason: 'ok', decidedBy: 'rules', decidedAt: '2026-11-21T10:00:00.000Z', extra: 1 } as const;
    expect(noticeBody(notice)).toBe('{"transactionId":"tx-1","status":"APPROVED","reason":"ok","decidedBy":"rules","decidedAt":"2026-11-21T10:00:00.000Z"}');
  });
});

describe('possibleNotices', () => {
  /** The entry and notice decide() gives, and what possibleNotices makes of that entry and the history before it. */
  function decidedThenRebuilt(review: ReturnType<typeof ReviewMother.pending>, request: Parameters<typeof decide>[1], policy: FourEyesPolicy) {
    const outcome = decide(review, request, policy);
    if (outcome.kind !== 'FINAL' || !outcome.notice) throw new Error('expected a final decision with a notice');
    return { notice: outcome.notice, rebuilt: possibleNotices(review.transactionId, review.history, outcome.entry) };
  }

  it("gives exactly decide()'s notice for a provider and a rejection, even after a first approval, and for a single approval", () => {
    const afterFirstApproval = ReviewMother.pending({ transactionId: 'tx-1', amount: '75000', history: [ReviewMother.held(), ReviewMother.firstApproval('dave')] });
    for (const request of [ReviewMother.byProvider('flagright', 'APPROVED'), ReviewMother.byProvider('rules', 'REJECTED'), ReviewMother.byAnalyst('carol', 'REJECTED')]) {
      const { notice, rebuilt } = decidedThenRebuilt(afterFirstApproval, request, fourEyes('50000'));
      expect(rebuilt).toEqual([notice]);
    }
    const { notice, rebuilt } = decidedThenRebuilt(ReviewMother.pending({ transactionId: 'tx-1' }), ReviewMother.byAnalyst('alice', 'APPROVED'), fourEyes('50000'));
    expect(rebuilt).toEqual([notice]);
  });

  it("gives a four-eyes approval's notice naming both analysts first, then the second analyst's alone", () => {
    const review = ReviewMother.pending({ transactionId: 'tx-1', amount: '75000', history: [ReviewMother.held(), ReviewMother.firstApproval('alice')] });
    const { notice, rebuilt } = decidedThenRebuilt(review, ReviewMother.byAnalyst('bob', 'APPROVED'), fourEyes('50000'));

    expect(notice.decidedBy).toBe('alice, bob');
    expect(rebuilt).toEqual([notice, { ...notice, decidedBy: 'bob' }]);
    // The alone form is what decide() gives once the threshold no longer applies.
    expect(decidedThenRebuilt(review, ReviewMother.byAnalyst('bob', 'APPROVED'), {}).notice).toEqual(rebuilt[1]);
  });

  it("gives exactly decide()'s notice for a combination's release, a part's noted approval being no first approval", () => {
    const partApproval: DecisionEntry = { status: 'APPROVED', final: false, source: 'PROVIDER', decidedBy: 'rules', reasons: ['rules cleared it'], decidedAt: at(60_000) };
    const parts = [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' as const }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' as const }];
    const review = ReviewMother.pending({ transactionId: 'tx-1', amount: '75000', parts, history: [{ ...ReviewMother.held(), decidedBy: 'flagright+rules' }, partApproval] });
    for (const request of [ReviewMother.byProvider('flagright', 'APPROVED'), ReviewMother.byAnalyst('alice', 'APPROVED')]) {
      const { notice, rebuilt } = decidedThenRebuilt(review, request, {});
      expect(rebuilt).toEqual([notice]);
    }
  });

  it('gives none for an entry that is no final decision of an analyst or a provider', () => {
    const final: DecisionEntry = { ...ReviewMother.firstApproval('bob'), final: true };
    for (const entry of [ReviewMother.held(), ReviewMother.firstApproval('alice'), { ...final, source: 'FALLBACK' as const }, { ...final, status: 'PENDING_EXTERNAL_APPROVAL' as const }]) {
      expect(possibleNotices('tx-1', [ReviewMother.held()], entry)).toEqual([]);
    }
  });
});
