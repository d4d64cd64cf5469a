import { ProviderRole } from '../../../application/ports/provider-health.port';
import { ProviderVerdictRecord, ProviderVerdictStore, ShadowProviderReport, ShadowVerdictView } from '../../../application/ports/provider-verdict-store.port';
import { TransactionMother } from '../../../../test/mothers/transaction.mother';
import { PartVerdict } from './combined-monitoring.provider';
import { recordParts } from './record-parts';

/** A hand-written fake store: keeps what it is given, or refuses it. */
class FakeVerdictStore extends ProviderVerdictStore {
  readonly recorded: ProviderVerdictRecord[][] = [];
  failWith: Error | undefined;

  record(records: readonly ProviderVerdictRecord[]): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.recorded.push([...records]);
    return Promise.resolve();
  }
  verdicts(_transactionId: string, _role: ProviderRole): Promise<readonly ShadowVerdictView[]> {
    return Promise.resolve([]);
  }
  shadowReport(): Promise<readonly ShadowProviderReport[]> {
    return Promise.resolve([]);
  }
}

const parts: PartVerdict[] = [
  { provider: 'rules', status: 'REJECTED', reasons: ['Beneficiary country KP is under comprehensive sanctions'], durationMs: 3, ruleSetVersion: 1 },
  { provider: 'http', status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['unusual pattern'], durationMs: 154 },
];

describe('recordParts', () => {
  afterEach(() => jest.useRealTimers());

  it("stores every part's own verdict for the transaction and role", async () => {
    const store = new FakeVerdictStore();
    const transaction = TransactionMother.create();
    recordParts(store, 'LIVE', () => undefined)(transaction, parts);
    await Promise.resolve();
    expect(store.recorded).toEqual([
      [
        expect.objectContaining({ transactionId: transaction.id, role: 'LIVE', provider: 'rules', status: 'REJECTED', durationMs: 3 }),
        expect.objectContaining({ transactionId: transaction.id, role: 'LIVE', provider: 'http', reasons: ['unusual pattern'], durationMs: 154 }),
      ],
    ]);
  });

  it('gives the parts of one screening one screenedAt, even when the clock ticks between them', () => {
    jest.useFakeTimers({ now: new Date('2026-12-02T15:35:05.797Z') });
    const store = new FakeVerdictStore();
    // The clock moves on a millisecond while the second part is read, as it did in CI.
    const ticking = new Proxy(parts, {
      get(target, key, receiver) {
        if (key === '1') jest.setSystemTime(Date.now() + 1);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    recordParts(store, 'LIVE', () => undefined)(TransactionMother.create(), ticking);
    const times = store.recorded[0]!.map((record) => record.screenedAt.toISOString());
    expect(times).toEqual(['2026-12-02T15:35:05.797Z', '2026-12-02T15:35:05.797Z']);
  });

  it('only warns when the store refuses them: the answer has already gone', async () => {
    const store = new FakeVerdictStore();
    store.failWith = new Error('connection terminated');
    const warnings: string[] = [];
    const transaction = TransactionMother.create();
    recordParts(store, 'LIVE', (message) => warnings.push(message))(transaction, parts);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([`per-provider verdicts of ${transaction.id} not recorded: connection terminated`]);
  });
});
