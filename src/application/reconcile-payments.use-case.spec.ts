// Unit spec of ReconcilePayments: paging, the summary on the first page only, and each due day's report stored once with its cap.
import { emptyCounts, ReconciliationPosition, ReconciliationRow, ReconciliationSummary } from '../domain/reconciliation';
import { ReconciliationQuery, ReconciliationStore, StoredDailyReport } from './ports/reconciliation-store.port';
import { ReconcilePayments } from './reconcile-payments.use-case';

const row = (n: number): ReconciliationRow => ({
  transactionId: `tx-${n}`,
  direction: 'OUTBOUND',
  decision: 'APPROVED',
  amount: '10',
  currency: 'NGN',
  at: `2026-03-01T00:00:0${n}.000000Z`,
  provider: null,
  paymentKey: null,
  paymentProgress: null,
  providerStatus: null,
  providerAmount: null,
  providerCurrency: null,
  refundedAmount: null,
  disagreements: [],
  classes: ['APPROVED_NOT_SETTLED'],
});

/** Five rows; remembers what it was asked and stores reports in memory. */
class FakeReconciliationStore extends ReconciliationStore {
  readonly all = [1, 2, 3, 4, 5].map(row);
  readonly queries: ReconciliationQuery[] = [];
  readonly stored = new Map<string, Omit<StoredDailyReport, 'day' | 'generatedAt'>>();
  summaries = 0;

  async rows(query: ReconciliationQuery, after: ReconciliationPosition | undefined, limit: number): Promise<ReconciliationRow[]> {
    this.queries.push(query);
    return this.all.filter((r) => !after || r.at > after.at).slice(0, limit);
  }

  async summary(): Promise<ReconciliationSummary> {
    this.summaries += 1;
    return { counts: { ...emptyCounts(), APPROVED_NOT_SETTLED: this.all.length }, totals: [] };
  }

  async storeDailyOnce(day: string, build: () => Promise<Omit<StoredDailyReport, 'day' | 'generatedAt'>>): Promise<boolean> {
    if (this.stored.has(day)) return false;
    this.stored.set(day, await build());
    return true;
  }

  async dailyReports(): Promise<Omit<StoredDailyReport, 'rows'>[]> {
    return [];
  }
}

const NOW = new Date('2026-03-02T00:05:00Z');
const range = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') };

describe('ReconcilePayments', () => {
  it('pages with a cursor at the last row shown, and gives the summary on the first page only', async () => {
    const store = new FakeReconciliationStore();
    const reconcile = new ReconcilePayments(store, { settleHours: 24, dailyRowCap: 10 }, { now: () => NOW });

    const first = await reconcile.page(range, undefined, 2);
    expect(first.items.map((r) => r.transactionId)).toEqual(['tx-1', 'tx-2']);
    expect(first.next).toEqual({ at: row(2).at, key: 'tx-2' });
    expect(first.summary?.counts.APPROVED_NOT_SETTLED).toBe(5);

    const last = await reconcile.page(range, { at: row(4).at, key: 'tx-4' }, 2);
    expect(last.items.map((r) => r.transactionId)).toEqual(['tx-5']);
    expect(last.next).toBeNull();
    expect(last.summary).toBeNull();
    expect(store.summaries).toBe(1);
    expect(store.queries[0]!.settleBefore).toEqual(new Date('2026-03-01T00:05:00Z'));
  });

  it('leaves the summary out of a first page asked for without it', async () => {
    const store = new FakeReconciliationStore();
    const reconcile = new ReconcilePayments(store, { settleHours: 24, dailyRowCap: 10 }, { now: () => NOW });

    const rowsOnly = await reconcile.page(range, undefined, 2, false);
    expect(rowsOnly.items.map((r) => r.transactionId)).toEqual(['tx-1', 'tx-2']);
    expect(rowsOnly.summary).toBeNull();
    expect(store.summaries).toBe(0);
  });

  it('stores a due day once, cut to the cap and marked truncated, and reports its counts once', async () => {
    const store = new FakeReconciliationStore();
    const stored: string[] = [];
    const now = new Date('2026-03-03T00:05:00Z');
    const reconcile = new ReconcilePayments(store, { settleHours: 24, dailyRowCap: 3 }, { now: () => now, onDailyStored: (day, counts) => stored.push(`${day}:${counts.APPROVED_NOT_SETTLED}`) });

    await expect(reconcile.storeDueDailyReports()).resolves.toHaveLength(7);
    await expect(reconcile.storeDueDailyReports()).resolves.toEqual([]);

    const report = store.stored.get('2026-03-01');
    expect(report?.rows).toHaveLength(3);
    expect(report?.truncated).toBe(true);
    expect(report?.settleHours).toBe(24);
    expect(stored).toHaveLength(7);
    expect(stored.at(-1)).toBe('2026-03-01:5');
  });

  it('reports a day once it ended settleHours ago, so that every approval of it has had its time to settle', async () => {
    const store = new FakeReconciliationStore();
    let now = new Date('2026-03-02T00:05:00Z');
    const reconcile = new ReconcilePayments(store, { settleHours: 24, dailyRowCap: 10 }, { now: () => now });

    // 1 March ended five minutes ago: its afternoon's approvals have not had 24 hours yet.
    expect((await reconcile.storeDueDailyReports()).at(-1)).toBe('2026-02-28');
    expect(store.stored.has('2026-03-01')).toBe(false);

    now = new Date('2026-03-03T00:05:00Z');
    store.queries.length = 0;
    await expect(reconcile.storeDueDailyReports()).resolves.toEqual(['2026-03-01']);
    expect(store.queries[0]!.range).toEqual(range);
    expect(store.queries[0]!.settleBefore.getTime()).toBeGreaterThanOrEqual(range.to.getTime());
  });

  it('stores the days missed while no replica ran, within the last seven due days, oldest first', async () => {
    const store = new FakeReconciliationStore();
    let now = new Date('2026-03-01T12:00:00Z');
    const reconcile = new ReconcilePayments(store, { settleHours: 30, dailyRowCap: 10 }, { now: () => now });
    await expect(reconcile.storeDueDailyReports()).resolves.toEqual(['2026-02-21', '2026-02-22', '2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27']);

    // Down for three days: 28 February to 2 March are due at once; 3 March ended less than 30 hours ago.
    now = new Date('2026-03-04T12:00:00Z');
    await expect(reconcile.storeDueDailyReports()).resolves.toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);

    // Down for longer than the look-back: the days before it are left out.
    now = new Date('2026-03-20T12:00:00Z');
    await expect(reconcile.storeDueDailyReports()).resolves.toEqual(['2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15', '2026-03-16', '2026-03-17', '2026-03-18']);
  });
});
