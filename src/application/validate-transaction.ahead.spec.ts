import { InMemoryTransactionStore } from '../../test/fakes/in-memory-transaction-store';
import { LAST_MINUTE, ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { AggregateQuery } from '../domain/aggregate';
import { Transaction } from '../domain/transaction';
import { ClaimResult } from './ports/transaction-store.port';
import { ValidateTransaction } from './validate-transaction.use-case';

/** A store whose claims wait for the test, and remember what the provider had been asked by then. */
class GatedClaims extends InMemoryTransactionStore {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  failWith?: Error;
  callsWhenClaimed: number[] = [];

  constructor(private readonly provider: ScriptedMonitoringProvider) {
    super();
  }

  override async claim(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<ClaimResult> {
    await this.gate;
    this.callsWhenClaimed.push(this.provider.calls.length);
    if (this.failWith) throw this.failWith;
    return super.claim(transaction, aggregates);
  }

  release(): void {
    this.open();
  }
}

/** The generic http engine's shape: no history asked, a repeated id is the same question. */
function engine(): ScriptedMonitoringProvider {
  const provider = ScriptedMonitoringProvider.answering({ status: 'REJECTED', reasons: ['engine said no'] });
  provider.askedFor = [];
  provider.sameQuestion = true;
  return provider;
}

function setUp(provider: ScriptedMonitoringProvider) {
  const store = new GatedClaims(provider);
  const useCase = new ValidateTransaction(store, provider, { decisionTimeoutMs: 1_000, fallbackStatus: 'PENDING_EXTERNAL_APPROVAL' });
  return { store, useCase };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ValidateTransaction with a provider it may ask before the claim is written', () => {
  it('asks while the claim is written, and records and answers the verdict once the claim holds', async () => {
    const provider = engine();
    const { store, useCase } = setUp(provider);
    const transaction = TransactionMother.create({ id: 'tx-ahead' });

    const answer = useCase.execute(transaction);
    await tick();
    expect(provider.calls).toHaveLength(1); // the claim has not been written yet
    store.release();

    await expect(answer).resolves.toEqual({ transactionId: 'tx-ahead', status: 'REJECTED', reasons: ['engine said no'], replayed: false, decidedBy: 'PROVIDER' });
    expect(store.callsWhenClaimed).toEqual([1]);
    expect(store.screeningsOf('tx-ahead')).toMatchObject([{ outcome: 'DECIDED', status: 'REJECTED' }]);
  });

  it('answers a repeat from the store, letting the early question finish unheeded and recording nothing more', async () => {
    const provider = engine();
    const { store, useCase } = setUp(provider);
    store.release();
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
  });

  it('fails as the claim did when the database cannot take it, and records nothing', async () => {
    const provider = engine();
    const { store, useCase } = setUp(provider);
    store.failWith = new Error('connect ECONNREFUSED 127.0.0.1:5432'); // as pg fails
    store.release();

    await expect(useCase.execute(TransactionMother.create({ id: 'tx-2' }))).rejects.toBe(store.failWith);
    expect(provider.calls).toHaveLength(1);
    expect(store.rows.has('tx-2')).toBe(false);
  });

  it.each([
    ['a vendor that records each call', (provider: ScriptedMonitoringProvider) => (provider.sameQuestion = false)],
    ['a provider that needs history from the claim', (provider: ScriptedMonitoringProvider) => (provider.askedFor = [LAST_MINUTE])],
  ])('asks %s only once the claim holds', async (_name, change) => {
    const provider = engine();
    change(provider);
    const { store, useCase } = setUp(provider);

    const answer = useCase.execute(TransactionMother.create());
    await tick();
    expect(provider.calls).toHaveLength(0);
    store.release();

    await expect(answer).resolves.toMatchObject({ status: 'REJECTED', replayed: false });
    expect(store.callsWhenClaimed).toEqual([0]);
  });
});
