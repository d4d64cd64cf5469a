import { InMemoryTransactionStore } from '../../test/fakes/in-memory-transaction-store';
import { LAST_MINUTE, ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { AggregateQuery, aggregateKey } from '../domain/aggregate';
import { DeadlineExceededError, TransactionConflictError } from '../domain/domain-error';
import { Transaction } from '../domain/transaction';
import { Screening } from '../domain/verdict';
import { ClaimResult, LookUpResult } from './ports/transaction-store.port';
import { ValidateTransaction } from './validate-transaction.use-case';

/** A store that logs each call with how many questions the provider had been asked by then. */
class LoggingStore extends InMemoryTransactionStore {
  readonly log: string[] = [];
  failWith?: Error;
  /** Stored by "another replica" just before this one's insert. */
  storedMeanwhile?: Transaction;

  constructor(private readonly provider: ScriptedMonitoringProvider) {
    super();
  }

  override async claim(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<ClaimResult> {
    this.log.push(`claim after ${this.provider.calls.length}`);
    return super.claim(transaction, aggregates);
  }

  override async lookUp(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<LookUpResult> {
    this.log.push(`look-up after ${this.provider.calls.length}`);
    return super.lookUp(transaction, aggregates);
  }

  override async recordNew(transaction: Transaction, screening: Screening, receivedAt: number): Promise<boolean> {
    this.log.push(`store after ${this.provider.calls.length}`);
    if (this.failWith) throw this.failWith;
    if (this.storedMeanwhile) await super.recordNew(this.storedMeanwhile, { ...screening, status: 'APPROVED', reasons: ['the other replica'] }, receivedAt);
    return super.recordNew(transaction, screening, receivedAt);
  }
}

/** The generic http engine's shape: no history asked, a repeated id is the same question. */
function engine(provider = ScriptedMonitoringProvider.answering({ status: 'REJECTED', reasons: ['engine said no'] })): ScriptedMonitoringProvider {
  provider.askedFor = [];
  provider.sameQuestion = true;
  return provider;
}

function setUp(provider: ScriptedMonitoringProvider) {
  const store = new LoggingStore(provider);
  const shadowed: string[] = [];
  const useCase = new ValidateTransaction(
    store,
    provider,
    { decisionTimeoutMs: 1_000, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL' },
    { aggregates: [], start: (transaction) => shadowed.push(transaction.id) },
  );
  return { store, useCase, shadowed };
}

describe('ValidateTransaction with a provider it may ask before anything is written', () => {
  it('asks first, then stores the transaction once, with its verdict: no claim, never SCREENING', async () => {
    const provider = engine();
    const { store, useCase, shadowed } = setUp(provider);

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-ahead' }))).resolves.toEqual({
      transactionId: 'tx-ahead',
      status: 'REJECTED',
      reasons: ['engine said no'],
      replayed: false,
      decidedBy: 'PROVIDER',
    });
    expect(store.log).toEqual(['store after 1']);
    expect(store.rows.get('tx-ahead')?.stored.state).toBe('REJECTED');
    expect(store.screeningsOf('tx-ahead')).toMatchObject([{ outcome: 'DECIDED', status: 'REJECTED' }]);
    expect(shadowed).toEqual(['tx-ahead']);
  });

  it('answers a repeat from the store, dropping its own verdict and recording nothing more', async () => {
    const provider = engine();
    const { store, useCase, shadowed } = setUp(provider);
    await useCase.execute(TransactionMother.create({ id: 'tx-1' }));

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-1' }))).resolves.toEqual({
      transactionId: 'tx-1',
      status: 'REJECTED',
      reasons: ['engine said no'],
      replayed: true,
    });
    expect(provider.calls).toHaveLength(2);
    expect(provider.abortedCalls).toEqual([]); // an abort would cost the engine's kept-alive connection
    expect(store.screeningsOf('tx-1')).toHaveLength(1);
    expect(shadowed).toEqual(['tx-1']); // the challenger hears of each stored transaction once
  });

  it('gives the answer another replica stored first, and refuses other content under that id', async () => {
    const provider = engine();
    const { store, useCase } = setUp(provider);
    store.storedMeanwhile = TransactionMother.create({ id: 'tx-raced' });
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-raced' }))).resolves.toEqual({
      transactionId: 'tx-raced',
      status: 'APPROVED',
      reasons: ['the other replica'],
      replayed: true,
    });

    store.storedMeanwhile = TransactionMother.create({ id: 'tx-other' });
    await expect(useCase.execute(TransactionMother.create({ id: 'tx-other', amount: '999.99' }))).rejects.toBeInstanceOf(TransactionConflictError);
    expect(store.screeningsOf('tx-other')).toMatchObject([{ reasons: ['the other replica'] }]);
  });

  it('fails as the write did when the database cannot take it, and stores nothing', async () => {
    const provider = engine();
    const { store, useCase, shadowed } = setUp(provider);
    store.failWith = new Error('connect ECONNREFUSED 127.0.0.1:5432'); // as pg fails

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-2' }))).rejects.toBe(store.failWith);
    expect(provider.calls).toHaveLength(1);
    expect(store.rows.has('tx-2')).toBe(false);
    expect(shadowed).toEqual([]);
  });

  it('reads the history a provider needs with a look-up that writes nothing, and screens with it', async () => {
    const provider = engine();
    provider.askedFor = [LAST_MINUTE];
    const { store, useCase } = setUp(provider);
    await useCase.execute(TransactionMother.create({ id: 'tx-a', sourceAccountId: 'acc-1' }));
    await useCase.execute(TransactionMother.create({ id: 'tx-b', sourceAccountId: 'acc-1' }));

    expect(store.log).toEqual(['look-up after 0', 'store after 1', 'look-up after 1', 'store after 2']);
    // Each counts itself, as a claim's aggregates do.
    expect(provider.contexts.map((context) => context.aggregates.get(aggregateKey(LAST_MINUTE))?.toString())).toEqual(['1', '2']);
  });

  it('answers an id the look-up finds stored without asking the provider', async () => {
    const provider = engine();
    provider.askedFor = [LAST_MINUTE];
    const { store, useCase } = setUp(provider);
    await useCase.execute(TransactionMother.create({ id: 'tx-3' }));

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-3' }))).resolves.toMatchObject({ status: 'REJECTED', replayed: true });
    expect(provider.calls).toHaveLength(1);
    expect(store.log).toEqual(['look-up after 0', 'store after 1', 'look-up after 1']);
  });

  it('stores nothing once the deadline has passed, so that Toqio\'s retry is screened afresh', async () => {
    // The engine answers after the deadline's aim (400 - 20 ms from arrival), within its 1,000 ms budget.
    const provider = engine(ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }, 300));
    const store = new LoggingStore(provider);
    const useCase = new ValidateTransaction(store, provider, { decisionTimeoutMs: 1_000, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL', deadlineMs: 400 });

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-late' }), Date.now() - 200)).rejects.toBeInstanceOf(DeadlineExceededError);
    await new Promise((resolve) => setTimeout(resolve, 400)); // the screening has ended meanwhile
    expect(provider.calls).toHaveLength(1);
    expect(store.log).toEqual([]);
    expect(store.rows.has('tx-late')).toBe(false);
  });

  it('answers the fallback in time and stores it pending review when the provider fails', async () => {
    const provider = engine(ScriptedMonitoringProvider.failing('engine down'));
    const store = new LoggingStore(provider);
    const useCase = new ValidateTransaction(store, provider, { decisionTimeoutMs: 1_000, fallbackStatus: 'REJECTED' });

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-fallback' }))).resolves.toMatchObject({ status: 'REJECTED', decidedBy: 'FALLBACK' });
    expect(store.rows.get('tx-fallback')?.stored.state).toBe('PENDING_EXTERNAL_APPROVAL');
  });

  it('asks a vendor that records each call only about a transaction claimed first', async () => {
    const provider = engine();
    provider.sameQuestion = false;
    const { store, useCase } = setUp(provider);

    await expect(useCase.execute(TransactionMother.create())).resolves.toMatchObject({ status: 'REJECTED', replayed: false });
    expect(store.log).toEqual(['claim after 0']);
  });
});
