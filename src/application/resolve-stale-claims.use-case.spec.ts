import { InMemoryTransactionStore } from '../../test/fakes/in-memory-transaction-store';
import { ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { SCREENING } from '../domain/transaction-status';
import { ResolveStaleClaims } from './resolve-stale-claims.use-case';
import { sourceAccountCount } from '../../test/mothers/screening-context.mother';

const policy = { staleClaimMs: 1_000, timeoutMs: 50, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL' as const };

function setUp(provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] })) {
  const store = new InMemoryTransactionStore();
  let now = 1_000_000;
  store.now = () => now;
  const advance = (ms: number) => (now += ms);
  return { store, provider, advance, sweeper: new ResolveStaleClaims(store, provider, policy) };
}

describe('ResolveStaleClaims', () => {
  it('leaves a fresh claim to its claimant', async () => {
    const { store, sweeper, provider } = setUp();
    await store.claim(TransactionMother.create({ id: 'tx-fresh' }), [sourceAccountCount(60)]);

    await expect(sweeper.runOnce(10)).resolves.toBe(0);
    expect(store.rows.get('tx-fresh')!.stored.state).toBe(SCREENING);
    expect(provider.calls).toHaveLength(0);
  });

  it("records the provider's verdict on a stale claim, once", async () => {
    const { store, sweeper, advance, provider } = setUp(ScriptedMonitoringProvider.answering({ status: 'REJECTED', reasons: ['sanctioned'] }));
    await store.claim(TransactionMother.create({ id: 'tx-stale' }), [sourceAccountCount(60)]);
    advance(1_001);

    await expect(sweeper.runOnce(10)).resolves.toBe(1);
    expect(store.rows.get('tx-stale')!.stored).toMatchObject({ state: 'REJECTED', reasons: ['sanctioned'] });
    expect(store.screeningsOf('tx-stale')).toHaveLength(1);
    await expect(sweeper.runOnce(10)).resolves.toBe(0);
    expect(provider.calls.map((t) => t.id)).toEqual(['tx-stale']);
  });

  it('records the fallback, to be screened again later, when the provider fails too', async () => {
    const { store, sweeper, advance } = setUp(ScriptedMonitoringProvider.hanging());
    await store.claim(TransactionMother.create({ id: 'tx-stale' }), [sourceAccountCount(60)]);
    advance(1_001);

    await expect(sweeper.runOnce(10)).resolves.toBe(1);
    expect(store.screeningsOf('tx-stale')[0]).toMatchObject({ outcome: 'TIMEOUT', status: 'PENDING_EXTERNAL_APPROVAL' });
  });

  it('takes no more than the limit per pass', async () => {
    const { store, sweeper, advance } = setUp();
    for (const id of ['a', 'b', 'c']) await store.claim(TransactionMother.create({ id }), []);
    advance(1_001);

    await expect(sweeper.runOnce(2)).resolves.toBe(2);
    await expect(sweeper.runOnce(2)).resolves.toBe(1);
  });
});
