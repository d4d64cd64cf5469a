import { hang, ScriptedMonitoringProvider } from '../../test/fakes/scripted-monitoring-provider';
import { TransactionMother } from '../../test/mothers/transaction.mother';
import { ProviderRole } from './ports/provider-health.port';
import { ProviderVerdictRecord, ProviderVerdictStore, ShadowProviderReport, ShadowVerdictView } from './ports/provider-verdict-store.port';
import { ShadowScreening } from './shadow-screening.use-case';
import { NO_HISTORY } from '../domain/screening-context';

class RecordingVerdictStore extends ProviderVerdictStore {
  readonly records: ProviderVerdictRecord[] = [];
  private waiters: (() => void)[] = [];
  async record(records: readonly ProviderVerdictRecord[]): Promise<void> {
    this.records.push(...records);
    this.waiters.splice(0).forEach((wake) => wake());
  }
  async verdicts(_transactionId: string, _role: ProviderRole): Promise<readonly ShadowVerdictView[]> {
    return [];
  }
  async shadowReport(): Promise<readonly ShadowProviderReport[]> {
    return [];
  }
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

const context = NO_HISTORY;

describe('ShadowScreening', () => {
  it('returns at once and records the challenger verdict later', async () => {
    const store = new RecordingVerdictStore();
    // The challenger answers only when the test says so: start must not wait for it.
    let answer!: () => void;
    const challenger = new ScriptedMonitoringProvider(() => new Promise((resolve) => (answer = () => resolve({ status: 'REJECTED', reasons: ['no'] }))));
    const shadow = new ShadowScreening(challenger, store, { timeoutMs: 60_000, maxInFlight: 10 });
    const transaction = TransactionMother.create();

    expect(shadow.start(transaction, context)).toBeUndefined();
    // Not even asked yet: the call starts on the next turn of the event loop, after validate's own.
    expect(challenger.calls).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(challenger.calls).toEqual([transaction]);
    expect(store.records).toEqual([]);

    const recorded = store.next();
    answer();
    await recorded;
    expect(store.records).toEqual([expect.objectContaining({ transactionId: transaction.id, provider: 'scripted', role: 'SHADOW', status: 'REJECTED', reasons: ['no'] })]);
  });

  it('records a failure or a timeout as a verdict without status', async () => {
    const store = new RecordingVerdictStore();
    new ShadowScreening(ScriptedMonitoringProvider.failing('boom'), store, { timeoutMs: 1_000, maxInFlight: 10 }).start(TransactionMother.create(), context);
    await store.next();
    new ShadowScreening(new ScriptedMonitoringProvider(hang), store, { timeoutMs: 20, maxInFlight: 10 }).start(TransactionMother.create(), context);
    await store.next();
    expect(store.records.map((record) => [record.status, record.error])).toEqual([
      [null, 'boom'],
      [null, 'did not answer within 20 ms'],
    ]);
  });

  it('abandons calls in flight at stop and waits for their records', async () => {
    const store = new RecordingVerdictStore();
    const challenger = new ScriptedMonitoringProvider(hang);
    const shadow = new ShadowScreening(challenger, store, { timeoutMs: 60_000, maxInFlight: 10 });
    shadow.start(TransactionMother.create(), context);
    await new Promise((resolve) => setImmediate(resolve));
    await shadow.stop();
    expect(challenger.abortedCalls).toHaveLength(1);
    expect(store.records).toEqual([expect.objectContaining({ status: null, error: 'interrupted by shutdown' })]);
  });
});
