// Unit spec of ReviewQueue with a fake store and a fixed clock: overdue marks, paging cursors, counts.
import { RecordingReviewStore } from '../../test/fakes/recording-review-store';
import { QueuePosition } from './ports/review-read-model.port';
import { at, ReviewMother, T0 } from '../../test/mothers/review.mother';
import { TransactionNotFoundError } from '../domain/domain-error';
import { ReviewQueue, ReviewQueuePolicy } from './review-queue.use-case';

const SLA_MINUTES = 30;
const SLA_MS = SLA_MINUTES * 60_000;

function setUp(policy: ReviewQueuePolicy = { pendingSlaMinutes: SLA_MINUTES }) {
  const store = new RecordingReviewStore();
  const clock = { now: T0 };
  const queue = new ReviewQueue(store, policy, () => clock.now);
  return { store, clock, queue };
}

describe('ReviewQueue', () => {
  describe('overdue marks', () => {
    it('marks a pending case overdue once it has waited longer than the SLA, not a millisecond before', async () => {
      const { store, clock, queue } = setUp();
      store.cases.push(ReviewMother.caseSummary({ transactionId: 'tx-1', pendingSince: T0 }));
      const dueAt = at(SLA_MS);

      clock.now = at(SLA_MS - 1);
      await expect(queue.list({ limit: 10 })).resolves.toMatchObject({ items: [{ transactionId: 'tx-1', dueAt, overdue: false }] });
      clock.now = at(SLA_MS);
      await expect(queue.list({ limit: 10 })).resolves.toMatchObject({ items: [{ dueAt, overdue: false }] });
      clock.now = at(SLA_MS + 1);
      await expect(queue.list({ limit: 10 })).resolves.toMatchObject({ items: [{ dueAt, overdue: true }] });
    });

    it('agrees with the overdue count at, and just after, the boundary', async () => {
      const { store, clock, queue } = setUp();
      store.cases.push(ReviewMother.caseSummary({ pendingSince: T0 }));

      for (const elapsed of [SLA_MS - 1, SLA_MS, SLA_MS + 1]) {
        clock.now = at(elapsed);
        const { items } = await queue.list({ limit: 10 });
        const counts = await queue.pendingCounts();
        expect({ elapsed, overdue: counts.overdue }).toEqual({ elapsed, overdue: items.filter((item) => item.overdue).length });
      }
    });

    it('never marks anything overdue without an SLA', async () => {
      const { store, clock, queue } = setUp({});
      store.cases.push(ReviewMother.caseSummary({ pendingSince: T0 }));
      clock.now = at(365 * 24 * 3_600_000);

      await expect(queue.list({ limit: 10 })).resolves.toMatchObject({ items: [{ dueAt: null, overdue: false }] });
      await expect(queue.pendingCounts()).resolves.toEqual({ pending: 1, overdue: 0 });
      expect(store.countQueries).toEqual([null]);
    });

    it('never marks a decided case overdue, however long it waited', async () => {
      const { store, clock, queue } = setUp();
      store.cases.push(
        ReviewMother.caseSummary({ transactionId: 'tx-a', status: 'APPROVED', pendingSince: T0, decidedAt: at(SLA_MS * 5) }),
        ReviewMother.caseSummary({ transactionId: 'tx-r', status: 'REJECTED', pendingSince: T0, decidedAt: at(SLA_MS * 5) }),
      );
      clock.now = at(SLA_MS * 10);

      const { items } = await queue.list({ limit: 10 });

      expect(items.map(({ transactionId, dueAt, overdue }) => ({ transactionId, dueAt, overdue }))).toEqual([
        { transactionId: 'tx-a', dueAt: null, overdue: false },
        { transactionId: 'tx-r', dueAt: null, overdue: false },
      ]);
    });

    it('asks the store for the cases held before now minus the SLA', async () => {
      const { store, clock, queue } = setUp();
      clock.now = at(SLA_MS * 3);
      await queue.pendingCounts();
      expect(store.countQueries).toEqual([at(SLA_MS * 2)]);
    });
  });

  describe('detail', () => {
    it('marks a pending transaction from when it was held', async () => {
      const { store, clock, queue } = setUp();
      store.details.set('tx-1', ReviewMother.detail({ transactionId: 'tx-1', review: { pendingSince: T0, decidedAt: null } }));
      clock.now = at(SLA_MS + 1);

      await expect(queue.detail('tx-1')).resolves.toMatchObject({ transactionId: 'tx-1', dueAt: at(SLA_MS), overdue: true });
    });

    it('does not mark a decided transaction, nor one that was never held', async () => {
      const { store, clock, queue } = setUp();
      store.details.set('tx-d', ReviewMother.detail({ transactionId: 'tx-d', status: 'REJECTED', review: { pendingSince: T0, decidedAt: at(1) } }));
      store.details.set('tx-v', ReviewMother.detail({ transactionId: 'tx-v', status: 'APPROVED', review: null }));
      clock.now = at(SLA_MS * 10);

      await expect(queue.detail('tx-d')).resolves.toMatchObject({ dueAt: null, overdue: false });
      await expect(queue.detail('tx-v')).resolves.toMatchObject({ dueAt: null, overdue: false });
    });

    it('throws TransactionNotFound for an unknown id', async () => {
      const { queue } = setUp();
      await expect(queue.detail('tx-404')).rejects.toThrow(TransactionNotFoundError);
    });
  });

  describe('paging', () => {
    it('walks the whole queue oldest first, page after page, each case exactly once', async () => {
      const { store, queue } = setUp();
      // Two cases share an instant, so the id must break the tie.
      const since = [at(5), at(1), at(3), at(3), at(2)];
      since.forEach((pendingSince, i) => store.cases.push(ReviewMother.caseSummary({ transactionId: `tx-${i}`, pendingSince })));

      const seen: string[] = [];
      let pages = 0;
      let after: QueuePosition | undefined;
      do {
        const page = await queue.list({ limit: 2, after });
        seen.push(...page.items.map((item) => item.transactionId));
        pages += 1;
        after = page.next ?? undefined;
      } while (after !== undefined);

      expect(seen).toEqual(['tx-1', 'tx-4', 'tx-2', 'tx-3', 'tx-0']);
      expect(pages).toBe(3);
    });

    it('hands the store back exactly the position it gave', async () => {
      const { store, queue } = setUp();
      store.cases.push(ReviewMother.caseSummary({ transactionId: 'tx-a', pendingSince: at(1) }), ReviewMother.caseSummary({ transactionId: 'tx-b', pendingSince: at(2) }));

      const first = await queue.list({ status: 'PENDING_EXTERNAL_APPROVAL', direction: 'OUTBOUND', limit: 1 });
      await queue.list({ status: 'PENDING_EXTERNAL_APPROVAL', direction: 'OUTBOUND', limit: 1, after: first.next! });

      expect(store.queueQueries[1]).toEqual({
        status: 'PENDING_EXTERNAL_APPROVAL',
        direction: 'OUTBOUND',
        limit: 1,
        after: { openedAt: String(BigInt(at(1).getTime()) * 1000n), transactionId: 'tx-a' },
      });
    });
  });
});
