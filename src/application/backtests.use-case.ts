// Backtests of a candidate rule set (a stored version or one given inline) over stored transactions: started here, run by the backtest worker.
import { BacktestNotFoundError, InvalidRuleSetError, RuleSetVersionNotFoundError } from '../domain/rules-errors';
import { isStorableText } from '../domain/storable-text';
import { BacktestResult } from './backtest-tally';
import { BacktestJob, BacktestState, BacktestStore } from './ports/backtest-store.port';

export type { BacktestState };
import { RuleSetEvaluator } from './ports/rule-set-evaluator.port';
import { RuleSetStore } from './ports/rule-set-store.port';
import { MAX_RULE_SET_LENGTH } from './manage-rule-sets.use-case';

export interface StartBacktest {
  /** Exactly one of the two: a stored version, or a rule set's text. */
  readonly version?: number;
  readonly ruleSet?: string;
  readonly from: Date;
  readonly to: Date;
}

export interface BacktestView {
  readonly id: string;
  readonly state: BacktestState;
  readonly candidateVersion: number | null;
  readonly from: string;
  readonly to: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly total: number | null;
  readonly processed: number;
  readonly result: BacktestResult | null;
  readonly error: string | null;
}

export class Backtests {
  constructor(
    private readonly store: BacktestStore,
    private readonly ruleSets: RuleSetStore,
    private readonly evaluator: RuleSetEvaluator,
    /** Tells this replica's worker that a job waits. */
    private readonly wake: () => void = () => undefined,
  ) {}

  async start(request: StartBacktest, by: string): Promise<BacktestView> {
    const candidateSource = await this.candidateOf(request);
    const job = await this.store.create({ candidateVersion: request.version, candidateSource, from: request.from, to: request.to, requestedBy: by });
    this.wake();
    return viewOf(job);
  }

  async get(id: string): Promise<BacktestView> {
    const job = await this.store.get(id);
    if (!job) throw new BacktestNotFoundError(id);
    return viewOf(job);
  }

  private async candidateOf(request: StartBacktest): Promise<string> {
    if (request.version !== undefined) {
      const stored = await this.ruleSets.get(request.version);
      if (!stored) throw new RuleSetVersionNotFoundError(request.version);
      return stored.source;
    }
    const source = request.ruleSet ?? '';
    if (source.length > MAX_RULE_SET_LENGTH) throw new InvalidRuleSetError([`ruleSet: at most ${MAX_RULE_SET_LENGTH} characters`]);
    if (!isStorableText(source)) throw new InvalidRuleSetError(['ruleSet: must not contain NUL characters or unpaired surrogates']);
    const compiled = this.evaluator.compile(source);
    if ('problems' in compiled) throw new InvalidRuleSetError(compiled.problems);
    return source;
  }
}

function viewOf(job: BacktestJob): BacktestView {
  return {
    id: job.id,
    state: job.state,
    candidateVersion: job.candidateVersion ?? null,
    from: job.from.toISOString(),
    to: job.to.toISOString(),
    requestedBy: job.requestedBy,
    requestedAt: job.requestedAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    total: job.total ?? null,
    processed: job.processed,
    result: job.result ?? null,
    error: job.error ?? null,
  };
}
