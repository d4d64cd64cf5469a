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
    const shadow = new ShadowScreening(ScriptedMonitoringProvider.answering({ status: 'REJECTED', reasons: ['no'] }, 50), store, { timeoutMs: 1_000, maxInFlight: 10 });
    const transaction = TransactionMother.create();
    const started = performance.now();
    shadow.start(transaction, context);
    expect(performance.now() - started).toBeLessThan(5);
    expect(store.records).toEqual([]);
    await store.next();
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
