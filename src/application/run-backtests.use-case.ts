// Runs queued backtests one at a time: the candidate screens every stored transaction of the range, streamed, with the counts its rules need rebuilt on the way.
import { storableError } from '../domain/storable-text';
import { inboundStatus } from '../domain/transaction-status';
import { BacktestTally } from './backtest-tally';
import { HistoryAggregates } from './history-aggregates';
import { BacktestJob, BacktestStore } from './ports/backtest-store.port';
import { CandidateRuleSet, RuleSetEvaluator } from './ports/rule-set-evaluator.port';
import { TransactionHistory } from './ports/transaction-history.port';

/** A job whose worker stopped reporting this long ago is taken over (its replica died). */
export const BACKTEST_STALE_MS = 30_000;
const MAX_ATTEMPTS = 3;
/** Screened between two yields to the event loop, so that validate on this replica keeps its latency. */
const SLICE = 500;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class RunBacktests {
  constructor(
    private readonly store: BacktestStore,
    private readonly history: TransactionHistory,
    private readonly evaluator: RuleSetEvaluator,
  ) {}

  /** Runs the next job, if any; `stop` hands it back to the queue between two pages. */
  async runOnce(stop: AbortSignal): Promise<'again' | 'sleep'> {
    const job = await this.store.claimNext(BACKTEST_STALE_MS);
    if (!job) return 'sleep';
    if (job.attempts > MAX_ATTEMPTS) {
      await this.store.fail(job.id, `gave up after ${MAX_ATTEMPTS} attempts (each replica running it stopped)`);
      return 'again';
    }
    try {
      const finished = await this.run(job, stop);
      if (!finished) await this.store.release(job.id);
    } catch (error) {
      await this.store.fail(job.id, storableError(error));
    }
    return 'again';
  }

  private async run(job: BacktestJob, stop: AbortSignal): Promise<boolean> {
    const candidate = this.evaluator.compile(job.candidateSource);
    if ('problems' in candidate) throw new Error(`the rule set cannot be used: ${candidate.problems.join('; ')}`);
    const release = await candidate.hold();
    try {
      return await this.screenRange(job, candidate, stop);
    } finally {
      release();
    }
  }

  private async screenRange(job: BacktestJob, candidate: CandidateRuleSet, stop: AbortSignal): Promise<boolean> {
    await this.store.progress(job.id, 0, await this.history.count(job.from, job.to));
    const tally = new BacktestTally();
    const history = new HistoryAggregates(candidate.aggregates);
    // Aggregating starts a window early, so that the first transactions of the range get full values.
    const warmUp = new Date(job.from.getTime() - history.longestWindowMs);
    let stopped = false;
    await this.history.stream(warmUp, job.to, async (page) => {
      for (let i = 0; i < page.length; i += 1) {
        const row = page[i]!;
        const context = history.record(row.transaction, row.receivedAt);
        if (row.receivedAt < job.from) continue;
        if (row.answered === null) tally.skip();
        else {
          const { verdict, fired } = candidate.screen(row.transaction, context);
          // As the live path would have answered: money received is held, never rejected.
          const answer = row.transaction.direction === 'INBOUND' ? { ...verdict, status: inboundStatus(verdict.status) } : verdict;
          tally.add({ ...row, answered: row.answered }, answer, fired);
        }
        if (i % SLICE === SLICE - 1) await yieldToEventLoop();
      }
      if (page.length > 0) history.sweep(page[page.length - 1]!.receivedAt);
      await this.store.progress(job.id, tally.processed);
      stopped = stop.aborted;
      return !stopped;
    });
    if (stopped) return false;
    await this.store.finish(job.id, tally.result());
    return true;
  }
}
