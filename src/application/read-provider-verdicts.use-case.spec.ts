import { ProviderRole } from './ports/provider-health.port';
import { ProviderVerdictRecord, ProviderVerdictStore, ShadowProviderReport, ShadowVerdictView } from './ports/provider-verdict-store.port';
import { ReadProviderVerdicts } from './read-provider-verdicts.use-case';

const verdict = (provider: string): ShadowVerdictView => ({ provider, status: 'APPROVED', reasons: [], durationMs: 12, screenedAt: new Date('2026-11-30T10:00:00Z') });

/** Answers by role, and remembers which transaction each question was about. */
class VerdictsByRole extends ProviderVerdictStore {
  readonly asked: [string, ProviderRole][] = [];
  constructor(private readonly report: readonly ShadowProviderReport[] = []) {
    super();
  }
  async record(_records: readonly ProviderVerdictRecord[]): Promise<void> {}
  async verdicts(transactionId: string, role: ProviderRole): Promise<readonly ShadowVerdictView[]> {
    this.asked.push([transactionId, role]);
    return role === 'LIVE' ? [verdict('rules'), verdict('flagright')] : [verdict('marble')];
  }
  async shadowReport(): Promise<readonly ShadowProviderReport[]> {
    return this.report;
  }
}

describe('ReadProviderVerdicts', () => {
  it('gives one transaction its live and its shadow verdicts apart', async () => {
    const store = new VerdictsByRole();
    const verdicts = await new ReadProviderVerdicts(store).ofTransaction('t-1');
    expect(verdicts.live.map((v) => v.provider)).toEqual(['rules', 'flagright']);
    expect(verdicts.shadow.map((v) => v.provider)).toEqual(['marble']);
    expect(store.asked.sort()).toEqual([
      ['t-1', 'LIVE'],
      ['t-1', 'SHADOW'],
    ]);
  });

  it('passes the shadow report on as the store counts it', async () => {
    const report: ShadowProviderReport[] = [{ provider: 'marble', compared: 3, agreements: 2, disagreements: 1, shadowFailures: 0, awaitingLive: 0, pairs: [] }];
    await expect(new ReadProviderVerdicts(new VerdictsByRole(report)).shadowReport()).resolves.toEqual(report);
  });
});
