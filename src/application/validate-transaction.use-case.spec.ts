import { InMemoryTransactionStore } from '../../test/fakes/in-memory-transaction-store';
import { ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { onTestClock } from '../../test/support/test-clock';
import { ScreeningInProgressError, TransactionConflictError } from '../domain/domain-error';
import { SCREENING } from '../domain/transaction-status';
import { ValidateTransaction, ValidationPolicy } from './validate-transaction.use-case';
import { sourceAccountCount, sourceAccountCountIn } from '../../test/mothers/screening-context.mother';
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';

const policy: ValidationPolicy = { decisionTimeoutMs: 100, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL', replayPollMs: 5 };

function setUp(provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }), overrides: Partial<ValidationPolicy> = {}) {
  const store = new InMemoryTransactionStore();
  const useCase = new ValidateTransaction(store, provider, { ...policy, ...overrides });
  return { store, provider, useCase };
}

describe('ValidateTransaction', () => {
  it("answers the provider's verdict and records it", async () => {
    const { store, useCase } = setUp(ScriptedMonitoringProvider.answering({ status: 'REJECTED', reasons: ['sanctioned'] }));
    const transaction = TransactionMother.create();

    await expect(useCase.execute(transaction)).resolves.toEqual({
      transactionId: transaction.id,
      status: 'REJECTED',
      reasons: ['sanctioned'],
      replayed: false,
      decidedBy: 'PROVIDER',
    });
    const [screening] = store.screeningsOf(transaction.id);
    expect(screening).toMatchObject({ provider: 'scripted', outcome: 'DECIDED', status: 'REJECTED', verdict: { status: 'REJECTED' } });
  });

  it('answers a repeat from the store without asking the provider again', async () => {
    const { provider, useCase } = setUp(ScriptedMonitoringProvider.answering({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['large'] }));
    const transaction = TransactionMother.create({ id: 'tx-1' });
    await useCase.execute(transaction);

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1' }))).resolves.toEqual({
      transactionId: 'tx-1',
      status: 'PENDING_EXTERNAL_APPROVAL',
      reasons: ['large'],
      replayed: true,
    });
    expect(provider.calls).toHaveLength(1);
  });

  it('refuses a repeat whose amount differs, and changes nothing', async () => {
    const { store, provider, useCase } = setUp();
    await useCase.execute(TransactionMother.create({ id: 'tx-1', amount: '100' }));

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1', amount: '100.01' }))).rejects.toThrow(TransactionConflictError);
    expect(provider.calls).toHaveLength(1);
    expect(store.rows.get('tx-1')?.stored.money.amount.toString()).toBe('100');
  });

  it("hands the provider the source account's activity over the windows it asked for", async () => {
    const { store, provider, useCase } = setUp();
    await store.claim(TransactionMother.create({ sourceAccountId: 'acc-7' }), []);

    await useCase.execute(TransactionMother.create({ sourceAccountId: 'acc-7' }));

    expect(sourceAccountCountIn(provider.contexts[0]!, 60)).toBe(2);
  });

  it('screens identical concurrent requests once and gives both the same answer', async () => {
    const { provider, useCase } = setUp(ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }, 30));
    const [first, second] = await Promise.all([
      useCase.execute(TransactionMother.create({ id: 'tx-1' })),
      useCase.execute(TransactionMother.create({ id: 'tx-1' })),
    ]);
    expect(provider.calls).toHaveLength(1);
    expect(first.status).toBe(second.status);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
  });

  it('refuses a concurrent request with the same id but different content', async () => {
    const { useCase } = setUp(ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }, 30));
    const results = await Promise.allSettled([
      useCase.execute(TransactionMother.create({ id: 'tx-1', currency: 'GBP' })),
      useCase.execute(TransactionMother.create({ id: 'tx-1', currency: 'EUR' })),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(TransactionConflictError) });
  });

  it('answers a faithful repeat from what is stored while a repeat with other content is in flight, which alone is refused', async () => {
    const { provider, useCase } = setUp();
    await useCase.execute(TransactionMother.create({ id: 'tx-1', currency: 'GBP' }));
    const [other, same] = await Promise.allSettled([
      useCase.execute(TransactionMother.create({ id: 'tx-1', currency: 'EUR' })),
      useCase.execute(TransactionMother.create({ id: 'tx-1', currency: 'GBP' })),
    ]);
    expect(other).toMatchObject({ status: 'rejected', reason: expect.any(TransactionConflictError) });
    expect(same).toMatchObject({ status: 'fulfilled', value: { status: 'APPROVED', replayed: true } });
    expect(provider.calls).toHaveLength(1);
  });

  it('waits for a claim held by another replica and answers what it recorded', async () => {
    const { store, provider, useCase } = setUp();
    const transaction = TransactionMother.create({ id: 'tx-1' });
    await store.claim(transaction, []); // another replica claimed it and is screening
    setTimeout(() => void store.recordScreening(transaction, { provider: 'other', outcome: 'DECIDED', status: 'REJECTED', reasons: ['r'], durationMs: 1 }), 20);

    await expect(useCase.execute(transaction)).resolves.toMatchObject({ status: 'REJECTED', reasons: ['r'], replayed: true });
    expect(provider.calls).toHaveLength(0);
  });

  it('takes over a claim whose claimant died', async () => {
    const { store, provider, useCase } = setUp(undefined, { staleClaimMs: 1_000 });
    const transaction = TransactionMother.create({ id: 'tx-1' });
    await store.claim(transaction, []);
    store.now = () => Date.now() + 5_000; // the claim is now five seconds old

    await expect(useCase.execute(transaction)).resolves.toMatchObject({ status: 'APPROVED', replayed: false });
    expect(provider.calls).toHaveLength(1);
  });

  it('gives up with a retryable error when the other claimant never finishes in time', async () => {
    const { store, useCase } = setUp(undefined, { decisionTimeoutMs: 10, staleClaimMs: 60_000 });
    const transaction = TransactionMother.create({ id: 'tx-1' });
    await store.claim(transaction, []);

    await expect(useCase.execute(transaction)).rejects.toThrow(ScreeningInProgressError);
    expect(store.rows.get('tx-1')?.stored.state).toBe(SCREENING);
  });

  it('still says "in progress", not "deadline exceeded", when its polls are slow to come back', async () => {
    // Each poll takes 150 ms, as under load: a poll started shortly before the deadline must not be begun.
    class SlowReads extends InMemoryTransactionStore {
      override async findById(transactionId: string) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return super.findById(transactionId);
      }
    }
    const store = new SlowReads();
    const useCase = new ValidateTransaction(store, ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }), {
      ...policy,
      decisionTimeoutMs: 10,
      replayPollMs: 20,
      staleClaimMs: 60_000,
    });
    const transaction = TransactionMother.create({ id: 'tx-1' });
    await store.claim(transaction, []);

    // On the test's clock: a machine pausing between polls must not decide which timer wins.
    await onTestClock(async () => {
      const outcome = useCase.execute(transaction).catch((error: unknown) => error);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await outcome).toBeInstanceOf(ScreeningInProgressError);
    });
  });

  describe('when the provider does not answer properly', () => {
    it('answers the fallback within the budget when the provider hangs, and aborts it', async () => {
      const { store, provider, useCase } = setUp(ScriptedMonitoringProvider.hanging());
      const transaction = TransactionMother.create();
      const started = Date.now();

      await expect(useCase.execute(transaction)).resolves.toMatchObject({
        status: 'PENDING_EXTERNAL_APPROVAL',
        reasons: ['Monitoring provider "scripted" did not answer within 100 ms; held for manual review'],
      });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(provider.abortedCalls).toHaveLength(1);
      expect(store.screeningsOf(transaction.id)[0]).toMatchObject({ outcome: 'TIMEOUT' });
      expect(store.screeningsOf(transaction.id)[0]?.verdict).toBeUndefined();
    });

    it('answers the fallback when the provider throws, keeping the error for operators', async () => {
      const { store, useCase } = setUp(ScriptedMonitoringProvider.failing('HTTP 502 from vendor'), { fallbackStatus: 'REJECTED' });
      const transaction = TransactionMother.create();

      await expect(useCase.execute(transaction)).resolves.toMatchObject({
        status: 'REJECTED',
        reasons: ['Monitoring provider "scripted" failed; rejected by the fallback policy, and held for review'],
        decidedBy: 'FALLBACK',
      });
      expect(store.screeningsOf(transaction.id)[0]).toMatchObject({ outcome: 'ERROR', error: 'HTTP 502 from vendor' });
    });

    it('never passes on a status word Toqio does not know', async () => {
      const provider = ScriptedMonitoringProvider.answering({ status: 'ALLOW' as never, reasons: [] });
      const { useCase } = setUp(provider);

      await expect(useCase.execute(TransactionMother.create())).resolves.toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL' });
    });
  });
  it('tells the shadow challenger about each transaction it screens, after the live verdict, and never about a repeat', async () => {
    const store = new InMemoryTransactionStore();
    const provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] });
    const told: { id: string; providerCallsBefore: number }[] = [];
    const challenger = { aggregates: [], start: (transaction: Transaction) => told.push({ id: transaction.id, providerCallsBefore: provider.calls.length }) };
    const useCase = new ValidateTransaction(store, provider, policy, challenger);
    await useCase.execute(TransactionMother.create({ id: 'tx-shadow' }));
    await useCase.execute(TransactionMother.create({ id: 'tx-shadow' }));
    expect(told).toEqual([{ id: 'tx-shadow', providerCallsBefore: 1 }]);
  });

  it.each([
    ['claims first', false],
    ['asks before storing', true],
  ])("gathers the history a challenger asks for besides the live provider's, when the live provider %s", async (_, idempotent) => {
    const store = new InMemoryTransactionStore();
    const provider = ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] });
    provider.askedFor = []; // a vendor: no history of its own
    provider.sameQuestion = idempotent;
    const contexts: ScreeningContext[] = [];
    const challenger = { aggregates: [sourceAccountCount(60)], start: (_transaction: Transaction, context: ScreeningContext) => contexts.push(context) };
    const useCase = new ValidateTransaction(store, provider, policy, challenger);

    for (const id of ['tx-1', 'tx-2', 'tx-3']) await useCase.execute(TransactionMother.create({ id, sourceAccountId: 'acc-shadowed' }));

    expect(contexts.map((context) => sourceAccountCountIn(context, 60))).toEqual([1, 2, 3]);
  });
});
