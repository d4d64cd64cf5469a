// Port to the backtest jobs in PostgreSQL: queued, claimed by one replica's worker, their progress and result kept so that they survive restarts.
import { BacktestResult } from '../backtest-tally';

export type BacktestState = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface BacktestRequest {
  /** The stored version tried, or undefined for a rule set given inline. */
  readonly candidateVersion?: number;
  /** The candidate's text (a stored version's is copied, so the job does not depend on it). */
  readonly candidateSource: string;
  readonly from: Date;
  readonly to: Date;
  readonly requestedBy: string;
}

export interface BacktestJob extends BacktestRequest {
  readonly id: string;
  readonly state: BacktestState;
  readonly requestedAt: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  readonly attempts: number;
  /** Transactions in the range, counted when the run started. */
  readonly total?: number;
  readonly processed: number;
  readonly result?: BacktestResult;
  readonly error?: string;
}

export abstract class BacktestStore {
  /** Queues the job under a new id. */
  abstract create(request: BacktestRequest): Promise<BacktestJob>;
  abstract get(id: string): Promise<BacktestJob | undefined>;
  /** The oldest job waiting, or one whose worker stopped reporting for `staleMs`, now RUNNING for this caller. */
  abstract claimNext(staleMs: number): Promise<BacktestJob | undefined>;
  abstract progress(id: string, processed: number, total?: number): Promise<void>;
  abstract finish(id: string, result: BacktestResult): Promise<void>;
  abstract fail(id: string, error: string): Promise<void>;
  /** Hands a RUNNING job back to the queue (this replica is stopping). */
  abstract release(id: string): Promise<void>;
}
