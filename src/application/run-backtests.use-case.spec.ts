import { TransactionMother } from '../../test/mothers/transaction.mother';
import { BacktestResult } from './backtest-tally';
import { BacktestJob, BacktestStore } from './ports/backtest-store.port';
import { CandidateRuleSet, RuleSetEvaluator } from './ports/rule-set-evaluator.port';
import { HistoricTransaction, TransactionHistory } from './ports/transaction-history.port';
import { RunBacktests } from './run-backtests.use-case';
import { TransactionStatus } from '../domain/transaction-status';

/** One queued job; what the worker reports about it is kept. */
class OneJobStore extends BacktestStore {
  result?: BacktestResult;
  error?: string;
  private taken = false;
  constructor(private readonly job: BacktestJob) {
    super();
  }
  async claimNext(): Promise<BacktestJob | undefined> {
    if (this.taken) return undefined;
    this.taken = true;
    return this.job;
  }
  async finish(_id: string, result: BacktestResult): Promise<void> {
    this.result = result;
  }
  async fail(_id: string, error: string): Promise<void> {
    this.error = error;
  }
  async progress(): Promise<void> {}
  async release(): Promise<void> {}
  create(): Promise<BacktestJob> {
    throw new Error('not used');
  }
  get(): Promise<BacktestJob | undefined> {
    throw new Error('not used');
  }
}

class ListedHistory extends TransactionHistory {
  constructor(private readonly rows: readonly HistoricTransaction[]) {
    super();
  }
  async count(): Promise<number> {
    return this.rows.length;
  }
  async stream(_from: Date, _to: Date, visit: (page: readonly HistoricTransaction[]) => Promise<boolean>): Promise<void> {
    await visit(this.rows);
  }
}

/** A candidate answering one status for everything, through the rule `always`. */
class OneAnswer extends RuleSetEvaluator {
  constructor(private readonly status: TransactionStatus) {
    super();
  }
  compile(): CandidateRuleSet {
    return {
      aggregates: [],
      hold: async () => () => undefined,
      screen: () => ({ verdict: { status: this.status, reasons: ['always'] }, fired: ['always'] }),
    };
  }
}

const at = new Date('2026-11-02T10:00:00Z');
const job: BacktestJob = {
  id: 'job-1',
  state: 'RUNNING',
  candidateSource: 'rules: []',
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-03T00:00:00Z'),
  requestedBy: 'alice',
  requestedAt: at,
  attempts: 1,
  processed: 0,
};

describe('RunBacktests', () => {
  it('answers money received as the live path does: a rejection holds it for review, so holding it again is no change', async () => {
    const store = new OneJobStore(job);
    const rows: HistoricTransaction[] = [
      { transaction: TransactionMother.create({ id: 'in-1', direction: 'INBOUND' }), receivedAt: at, answered: 'PENDING_EXTERNAL_APPROVAL', answeredVersion: 1 },
      { transaction: TransactionMother.create({ id: 'out-1', direction: 'OUTBOUND' }), receivedAt: at, answered: 'APPROVED', answeredVersion: 1 },
    ];
    await new RunBacktests(store, new ListedHistory(rows), new OneAnswer('REJECTED')).runOnce(new AbortController().signal);

    expect(store.error).toBeUndefined();
    expect(store.result).toMatchObject({
      transactions: 2,
      changed: 1,
      statuses: { PENDING_EXTERNAL_APPROVAL: { PENDING_EXTERNAL_APPROVAL: 1, REJECTED: 0 }, APPROVED: { REJECTED: 1 } },
    });
    expect(store.result!.samples.map((sample) => sample.transactionId)).toEqual(['out-1']);
  });
});
