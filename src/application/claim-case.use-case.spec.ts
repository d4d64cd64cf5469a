// Unit spec of ClaimCase against the in-memory review store: claims, their lapse, releases, and decisions meeting them.
import { InMemoryReviewStore } from '../../test/fakes/in-memory-review-store';
import { at } from '../../test/mothers/review.mother';
import { CaseClaimedError, RoleForbiddenError, TransactionNotFoundError, TransactionNotPendingError } from '../domain/domain-error';
import { ClaimCase } from './claim-case.use-case';
import { DecideTransaction } from './decide-transaction.use-case';

const MINUTE = 60_000;

function setUp() {
  const clock = { now: at(0) };
  const store = new InMemoryReviewStore();
  store.now = () => clock.now;
  store.add({ transactionId: 'tx-1' });
  const claims = new ClaimCase(store, { ttlMinutes: 30 }, () => clock.now);
  const decisions = new DecideTransaction(store, {}, { now: () => clock.now });
  return { clock, store, claims, decisions };
}

describe('ClaimCase', () => {
  it('gives the claim with its end, shows it in the queue, and keeps the event', async () => {
    const { store, claims } = setUp();

    await expect(claims.claim('tx-1', { name: 'alice', role: 'analyst' })).resolves.toEqual({ assignee: 'alice', claimedUntil: at(30 * MINUTE) });

    await expect(store.listCases({ limit: 10, assignee: 'alice' })).resolves.toMatchObject({ items: [{ transactionId: 'tx-1', assignee: 'alice', claimedUntil: at(30 * MINUTE) }] });
    await expect(store.listCases({ limit: 10, assignee: null })).resolves.toMatchObject({ items: [] });
    expect(store.claimEventsOf('tx-1')).toEqual([{ action: 'CLAIMED', by: 'alice', assignee: 'alice', at: at(0), claimedUntil: at(30 * MINUTE) }]);
  });

  it("refuses another analyst until the claim lapses, then lets them take it", async () => {
    const { clock, claims } = setUp();
    await claims.claim('tx-1', { name: 'alice', role: 'analyst' });

    clock.now = at(30 * MINUTE - 1);
    await expect(claims.claim('tx-1', { name: 'bob', role: 'analyst' })).rejects.toBeInstanceOf(CaseClaimedError);
    clock.now = at(30 * MINUTE);
    await expect(claims.claim('tx-1', { name: 'bob', role: 'analyst' })).resolves.toMatchObject({ assignee: 'bob' });
  });

  it('lets exactly one of two analysts claiming at once win', async () => {
    const { claims } = setUp();
    const results = await Promise.allSettled([claims.claim('tx-1', { name: 'alice', role: 'analyst' }), claims.claim('tx-1', { name: 'bob', role: 'analyst' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(CaseClaimedError)]);
  });

  it("releases one's own claim; refuses an analyst releasing another's, lets a supervisor", async () => {
    const { store, claims } = setUp();
    await claims.claim('tx-1', { name: 'alice', role: 'analyst' });

    await expect(claims.release('tx-1', { name: 'bob', role: 'analyst' })).rejects.toBeInstanceOf(RoleForbiddenError);
    await claims.release('tx-1', { name: 'sue', role: 'supervisor' });
    await claims.release('tx-1', { name: 'bob', role: 'analyst' }); // nothing holds now: no error, nothing recorded

    await expect(store.listCases({ limit: 10, assignee: null })).resolves.toMatchObject({ items: [{ transactionId: 'tx-1', assignee: null }] });
    expect(store.claimEventsOf('tx-1').map((e) => `${e.action}:${e.by}:${e.assignee}`)).toEqual(['CLAIMED:alice:alice', 'RELEASED:sue:alice']);
  });

  it("holds another analyst's decision back, lets the assignee decide, and the decision ends the claim", async () => {
    const { store, claims, decisions } = setUp();
    await claims.claim('tx-1', { name: 'alice', role: 'analyst' });

    await expect(decisions.byAnalyst('tx-1', { name: 'bob', role: 'analyst' }, 'REJECTED', 'no')).rejects.toBeInstanceOf(CaseClaimedError);
    expect(store.stateOf('tx-1')).toBe('PENDING_EXTERNAL_APPROVAL');
    await decisions.byAnalyst('tx-1', { name: 'alice', role: 'analyst' }, 'REJECTED', 'checked');

    expect(store.claimEventsOf('tx-1').map((e) => e.action)).toEqual(['CLAIMED', 'DECIDED']);
    await expect(store.findDetail('tx-1')).resolves.toMatchObject({ status: 'REJECTED', assignee: null });
    await expect(claims.claim('tx-1', { name: 'alice', role: 'analyst' })).rejects.toBeInstanceOf(TransactionNotPendingError);
  });

  it('says an unknown id is not found', async () => {
    const { claims } = setUp();
    await expect(claims.claim('tx-x', { name: 'alice', role: 'analyst' })).rejects.toBeInstanceOf(TransactionNotFoundError);
    await expect(claims.release('tx-x', { name: 'alice', role: 'analyst' })).rejects.toBeInstanceOf(TransactionNotFoundError);
  });
});
