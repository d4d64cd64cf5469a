// Unit spec of DecideTransaction against a recording fake store: what is recorded, returned and woken.
import { RecordingReviewStore } from '../../test/fakes/recording-review-store';
import { at, ReviewMother } from '../../test/mothers/review.mother';
import { Decimal } from '../domain/decimal';
import { FourEyesPolicy, ReviewState } from '../domain/decision';
import { ApprovalAlreadyGivenError, ScreeningInProgressError, TransactionNotFoundError, TransactionNotPendingError } from '../domain/domain-error';
import { DecideTransaction } from './decide-transaction.use-case';

const NOW = at(600_000);

function setUp(policy: FourEyesPolicy = { threshold: Decimal.parse('50000') }, ...reviews: ReviewState[]) {
  const store = RecordingReviewStore.holding(...reviews);
  const wakes: number[] = [];
  const useCase = new DecideTransaction(store, policy, { now: () => NOW, onNotificationQueued: () => wakes.push(store.changes.length) });
  return { store, useCase, wakes };
}

describe('DecideTransaction', () => {
  it('reports every recorded decision by source, and nothing for a duplicate or a refused one', async () => {
    const store = RecordingReviewStore.holding(
      ReviewMother.pending({ transactionId: 'tx-1', amount: '50000' }),
      ReviewMother.pending({ transactionId: 'tx-2' }),
    );
    const decided: string[] = [];
    const useCase = new DecideTransaction(store, { threshold: Decimal.parse('50000') }, { now: () => NOW, onDecided: (source, status) => decided.push(`${source}:${status}`) });

    await useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'first');
    await expect(useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'again')).rejects.toBeInstanceOf(ApprovalAlreadyGivenError);
    await useCase.byAnalyst('tx-1', { name: 'bob', role: 'analyst' }, 'APPROVED', 'second');
    await useCase.byProvider('vendor', { transactionId: 'tx-2', status: 'REJECTED', reasons: [] }, { provider: 'vendor', eventId: 'e1' });
    await useCase.byProvider('vendor', { transactionId: 'tx-2', status: 'REJECTED', reasons: [] }, { provider: 'vendor', eventId: 'e1' });

    expect(decided).toEqual(['ANALYST:FIRST_APPROVAL', 'ANALYST:APPROVED', 'PROVIDER:REJECTED']);
  });

  describe('byAnalyst', () => {
    it('records a final decision with its notice, then wakes the delivery once it is recorded', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));

      const result = await useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'Invoice matches');

      expect(result).toEqual({ kind: 'FINAL', status: 'APPROVED', notificationId: store.changes[0]!.notificationId });
      expect(store.changes).toEqual([
        {
          transactionId: 'tx-1',
          notificationId: expect.any(String),
          entry: { status: 'APPROVED', final: true, source: 'ANALYST', decidedBy: 'alice', reasons: ['Invoice matches'], decidedAt: NOW },
          final: {
            status: 'APPROVED',
            notice: { transactionId: 'tx-1', status: 'APPROVED', reason: 'Invoice matches', decidedBy: 'alice', decidedAt: NOW.toISOString() },
          },
        },
      ]);
      // The wake saw the change already recorded.
      expect(wakes).toEqual([1]);
    });

    it('records a first four-eyes approval without queuing or waking anything', async () => {
      const { store, useCase, wakes } = setUp(undefined, ReviewMother.pending({ transactionId: 'tx-1', amount: '50000' }));

      await expect(useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'fine by me')).resolves.toEqual({ kind: 'AWAITING_SECOND_APPROVAL', firstApprover: 'alice' });

      expect(store.changes).toEqual([expect.objectContaining({ entry: expect.objectContaining({ final: false, decidedBy: 'alice' }), notificationId: undefined })]);
      expect(store.changes[0]!.final).toBeUndefined();
      expect(store.stateOf('tx-1')!.state).toBe('PENDING_EXTERNAL_APPROVAL');
      expect(wakes).toEqual([]);
    });

    it('finalises with a second analyst, naming both, and wakes then', async () => {
      const { store, useCase, wakes } = setUp(undefined, ReviewMother.pending({ transactionId: 'tx-1', amount: '50000.000000000000000001' }));
      await useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'first look');

      const result = await useCase.byAnalyst('tx-1', { name: 'bob', role: 'analyst' }, 'APPROVED', 'second look');

      expect(result).toMatchObject({ kind: 'FINAL', status: 'APPROVED', notificationId: expect.any(String) });
      expect(store.changes[1]!.final!.notice).toMatchObject({ decidedBy: 'alice, bob', reason: 'second look' });
      expect(store.stateOf('tx-1')!.state).toBe('APPROVED');
      expect(wakes).toEqual([2]);
    });

    it('refuses the same analyst approving twice, recording and waking nothing', async () => {
      const { store, useCase, wakes } = setUp(undefined, ReviewMother.pending({ transactionId: 'tx-1', amount: '60000' }));
      await useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'first look');

      await expect(useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'again')).rejects.toThrow(ApprovalAlreadyGivenError);

      expect(store.changes).toHaveLength(1);
      expect(wakes).toEqual([]);
    });

    it('answers a decision sent again by its analyst as the first time, recording, queuing and waking nothing', async () => {
      const decided: string[] = [];
      const store = RecordingReviewStore.holding(ReviewMother.pending({ transactionId: 'tx-1' }), ReviewMother.pending({ transactionId: 'tx-2', amount: '60000' }));
      const wakes: number[] = [];
      const useCase = new DecideTransaction(store, { threshold: Decimal.parse('50000') }, {
        now: () => NOW,
        onNotificationQueued: () => wakes.push(store.changes.length),
        onDecided: (source, status) => decided.push(`${source}:${status}`),
      });
      const alice = { name: 'alice', role: 'analyst' } as const;
      await useCase.byAnalyst('tx-1', alice, 'REJECTED', 'fraud');
      await useCase.byAnalyst('tx-2', alice, 'APPROVED', 'first look');

      await expect(useCase.byAnalyst('tx-1', alice, 'REJECTED', 'fraud')).resolves.toEqual({ kind: 'FINAL', status: 'REJECTED', notificationId: null, replayed: true });
      await expect(useCase.byAnalyst('tx-2', alice, 'APPROVED', 'first look')).resolves.toEqual({ kind: 'AWAITING_SECOND_APPROVAL', firstApprover: 'alice', replayed: true });

      expect(store.changes).toHaveLength(2);
      expect(wakes).toEqual([1]);
      expect(decided).toEqual(['ANALYST:REJECTED', 'ANALYST:FIRST_APPROVAL']);
      // Another reason, or another analyst, is a new decision and is judged as one.
      await expect(useCase.byAnalyst('tx-1', alice, 'REJECTED', 'fraud, confirmed')).rejects.toThrow(TransactionNotPendingError);
      await expect(useCase.byAnalyst('tx-1', { name: 'bob', role: 'analyst' }, 'REJECTED', 'fraud')).rejects.toThrow(TransactionNotPendingError);
    });

    it('refuses a transaction decided meanwhile, and one it never saw', async () => {
      const { useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1', state: 'REJECTED' }));

      await expect(useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'late')).rejects.toThrow(TransactionNotPendingError);
      await expect(useCase.byAnalyst('tx-404', { name: 'alice', role: 'analyst' }, 'APPROVED', 'who?')).rejects.toThrow(TransactionNotFoundError);
      expect(wakes).toEqual([]);
    });

    it('does not wake the delivery when the store fails to record the decision', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));
      store.failNextCommit = new Error('connection terminated');

      await expect(useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'REJECTED', 'fraud')).rejects.toThrow('connection terminated');

      expect(store.changes).toEqual([]);
      expect(wakes).toEqual([]);
    });

    it('lets exactly one of two analysts deciding at once win', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));

      const results = await Promise.allSettled([
        useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'ok'),
        useCase.byAnalyst('tx-1', { name: 'bob', role: 'analyst' }, 'REJECTED', 'not ok'),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(TransactionNotPendingError) });
      expect(store.changes).toHaveLength(1);
      expect(wakes).toEqual([1]);
    });
  });

  describe('byProvider on a transaction already final', () => {
    it('keeps the decision as a late one with its receipt, answers NOT_PENDING, and wakes the event worker when it disagrees', async () => {
      const store = RecordingReviewStore.holding(ReviewMother.pending({ transactionId: 'tx-1', state: 'APPROVED' }));
      store.raisesEvents = true;
      const events: number[] = [];
      const useCase = new DecideTransaction(store, {}, { now: () => NOW, onEventQueued: () => events.push(store.lateDecisions.length) });
      const receipt = { provider: 'flagright', eventId: 'e1' };

      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'REJECTED', reasons: [] }, receipt)).resolves.toBe('NOT_PENDING');
      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'REJECTED', reasons: [] }, receipt)).resolves.toBe('DUPLICATE');
      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'APPROVED', reasons: ['fine'] }, { provider: 'flagright', eventId: 'e2' })).resolves.toBe('NOT_PENDING');

      expect(store.lateDecisions).toEqual([
        { transactionId: 'tx-1', late: { provider: 'flagright', status: 'REJECTED', reasons: ['Decided by monitoring provider "flagright"'], at: NOW }, receipt },
        { transactionId: 'tx-1', late: { provider: 'flagright', status: 'APPROVED', reasons: ['fine'], at: NOW }, receipt: { provider: 'flagright', eventId: 'e2' } },
      ]);
      expect(store.changes).toEqual([]);
      expect(events).toEqual([1]);
    });

    it('still refuses a transaction whose screening is being recorded, keeping nothing', async () => {
      const store = RecordingReviewStore.holding(ReviewMother.pending({ transactionId: 'tx-1', state: 'SCREENING' }));
      const useCase = new DecideTransaction(store, {}, { now: () => NOW });

      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'REJECTED', reasons: [] })).rejects.toThrow(ScreeningInProgressError);
      expect(store.lateDecisions).toEqual([]);
    });
  });

  it('wakes the event worker after each decision that queued case.decided, an inbound alert included, and after nothing else', async () => {
    const store = RecordingReviewStore.holding(
      ReviewMother.pending({ transactionId: 'tx-1', amount: '50000' }),
      ReviewMother.pending({ transactionId: 'tx-2' }),
      ReviewMother.pending({ transactionId: 'tx-in', direction: 'INBOUND' }),
    );
    store.raisesEvents = true;
    const wakes: string[] = [];
    const useCase = new DecideTransaction(store, { threshold: Decimal.parse('50000') }, { now: () => NOW, onEventQueued: () => wakes.push(`event after ${store.changes.length}`) });

    await useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'APPROVED', 'first');
    expect(wakes).toEqual([]);
    await useCase.byAnalyst('tx-1', { name: 'bob', role: 'analyst' }, 'APPROVED', 'second');
    await expect(useCase.byAnalyst('tx-in', { name: 'alice', role: 'analyst' }, 'REJECTED', 'alert cleared')).resolves.toEqual({ kind: 'FINAL', status: 'REJECTED', notificationId: null });
    await useCase.byProvider('vendor', { transactionId: 'tx-2', status: 'REJECTED', reasons: [] }, { provider: 'vendor', eventId: 'e1' });
    await useCase.byProvider('vendor', { transactionId: 'tx-2', status: 'REJECTED', reasons: [] }, { provider: 'vendor', eventId: 'e1' });
    await useCase.noteStillPending('vendor', 'tx-2', ['late']);

    // Each wake saw its change already recorded.
    expect(wakes).toEqual(['event after 2', 'event after 3', 'event after 4']);
  });

  describe('byProvider', () => {
    it('applies a final verdict even above the four-eyes threshold, and wakes the delivery', async () => {
      const { store, useCase, wakes } = setUp(undefined, ReviewMother.pending({ transactionId: 'tx-1', amount: '1000000' }));

      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'APPROVED', reasons: ['case closed'] })).resolves.toBe('APPLIED');

      expect(store.changes[0]).toMatchObject({
        entry: { source: 'PROVIDER', decidedBy: 'flagright', final: true, reasons: ['case closed'] },
        final: { status: 'APPROVED', notice: { decidedBy: 'flagright', reason: 'case closed', decidedAt: NOW.toISOString() } },
      });
      expect(wakes).toEqual([1]);
    });

    it('gives a verdict without reasons a readable one', async () => {
      const { store, useCase } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));

      await useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'REJECTED', reasons: [] });

      const reasons = [`Decided by monitoring provider "flagright"`];
      expect(store.changes[0]).toMatchObject({ entry: { reasons }, final: { notice: { reason: reasons[0] } } });
    });

    it('answers NOT_PENDING for a transaction decided meanwhile, without waking anything', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));
      await useCase.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'REJECTED', 'fraud');

      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'APPROVED', reasons: ['fine'] })).resolves.toBe('NOT_PENDING');

      expect(store.changes).toHaveLength(1);
      expect(wakes).toEqual([1]);
    });

    it('refuses, for the provider to retry, a decision that overtakes the transaction screening', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1', state: 'SCREENING' }));
      const decision = { transactionId: 'tx-1', status: 'REJECTED' as const, reasons: ['confirmed fraud'] };
      const receipt = { provider: 'flagright', eventId: 'evt-1' };

      await expect(useCase.byProvider('flagright', decision, receipt)).rejects.toThrow(ScreeningInProgressError);
      expect(store.changes).toEqual([]);

      // Once the screening has held it, the same callback (same event id) applies.
      store.reviews.set('tx-1', { ...store.stateOf('tx-1')!, state: 'PENDING_EXTERNAL_APPROVAL' });
      await expect(useCase.byProvider('flagright', decision, receipt)).resolves.toBe('APPLIED');
      expect(wakes).toEqual([1]);
    });

    it('answers DUPLICATE for a replayed callback, with no second effect', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));
      const decision = { transactionId: 'tx-1', status: 'APPROVED' as const, reasons: ['fine'] };
      const receipt = { provider: 'flagright', eventId: 'evt-1' };

      await expect(useCase.byProvider('flagright', decision, receipt)).resolves.toBe('APPLIED');
      await expect(useCase.byProvider('flagright', decision, receipt)).resolves.toBe('DUPLICATE');

      expect(store.changes).toHaveLength(1);
      expect(wakes).toEqual([1]);
    });

    it("records one part's approval without deciding while another part holds, then decides on the last part's approval", async () => {
      const parts = [{ provider: 'flagright', status: 'PENDING_EXTERNAL_APPROVAL' as const }, { provider: 'rules', status: 'PENDING_EXTERNAL_APPROVAL' as const }];
      const screening = { ...ReviewMother.held(), decidedBy: 'flagright+rules' };
      const store = RecordingReviewStore.holding(ReviewMother.pending({ transactionId: 'tx-1', parts, history: [screening] }));
      const decided: string[] = [];
      let wakes = 0;
      const useCase = new DecideTransaction(store, {}, { now: () => NOW, onNotificationQueued: () => (wakes += 1), onDecided: (source, status) => decided.push(`${source}:${status}`) });

      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'APPROVED', reasons: ['false positive'] })).resolves.toBe('APPLIED');
      expect(store.changes[0]).toEqual({ transactionId: 'tx-1', entry: expect.objectContaining({ status: 'APPROVED', final: false, decidedBy: 'flagright' }), ruleSetVersion: undefined, notificationId: undefined });
      expect(store.stateOf('tx-1')!.state).toBe('PENDING_EXTERNAL_APPROVAL');
      expect([wakes, decided]).toEqual([0, []]);

      await expect(useCase.byProvider('rules', { transactionId: 'tx-1', status: 'APPROVED', reasons: ['cleared'] })).resolves.toBe('APPLIED');
      expect(store.changes[1]).toMatchObject({ entry: { final: true, decidedBy: 'rules' }, final: { status: 'APPROVED', notice: { decidedBy: 'rules', reason: 'cleared' } } });
      expect([wakes, decided]).toEqual([1, ['PROVIDER:APPROVED']]);
    });

    it('propagates what it cannot answer for: an unknown transaction, a store failure', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));

      await expect(useCase.byProvider('flagright', { transactionId: 'tx-404', status: 'APPROVED', reasons: [] })).rejects.toThrow(TransactionNotFoundError);
      store.failNextCommit = new Error('deadlock detected');
      await expect(useCase.byProvider('flagright', { transactionId: 'tx-1', status: 'APPROVED', reasons: [] })).rejects.toThrow('deadlock detected');

      expect(store.changes).toEqual([]);
      expect(wakes).toEqual([]);
    });
  });

  describe('noteStillPending', () => {
    it('keeps the provider reasons in the history, decides nothing and wakes nothing', async () => {
      const { store, useCase, wakes } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1' }));

      await expect(useCase.noteStillPending('rules', 'tx-1', ['still 12000'])).resolves.toBe('APPLIED');

      expect(store.changes).toEqual([
        {
          transactionId: 'tx-1',
          notificationId: undefined,
          entry: { status: 'PENDING_EXTERNAL_APPROVAL', final: false, source: 'PROVIDER', decidedBy: 'rules', reasons: ['still 12000'], decidedAt: NOW },
        },
      ]);
      expect(store.stateOf('tx-1')!.state).toBe('PENDING_EXTERNAL_APPROVAL');
      expect(wakes).toEqual([]);
    });

    it('answers NOT_PENDING once the transaction is decided', async () => {
      const { useCase } = setUp({}, ReviewMother.pending({ transactionId: 'tx-1', state: 'APPROVED' }));
      await expect(useCase.noteStillPending('rules', 'tx-1', ['late'])).resolves.toBe('NOT_PENDING');
    });
  });
});
