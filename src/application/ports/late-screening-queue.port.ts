// Port to the durable list of transactions whose provider failed at validate and is asked again.
import { AggregateQuery } from '../../domain/aggregate';
import { ScreeningContext } from '../../domain/screening-context';
import { Transaction } from '../../domain/transaction';

export interface LateScreening {
  readonly transaction: Transaction;
  /** Activity as it stood when the transaction arrived, so the verdict is the one it would have had. */
  readonly context: ScreeningContext;
  /** Attempts made after validate's own; 1 for the first retry. */
  readonly attempt: number;
  readonly queuedAt: Date;
}

export abstract class LateScreeningQueue {
  /**
   * Claims due retries for `leaseMs` (a worker that dies releases them when the lease ends);
   * retries whose transaction was decided meanwhile are dropped instead of returned.
   */
  abstract claimDue(limit: number, leaseMs: number, aggregates: readonly AggregateQuery[]): Promise<LateScreening[]>;

  abstract reschedule(transactionId: string, retryAt: Date, error: string): Promise<void>;

  /** Removes the retry: a verdict was applied, the transaction was decided meanwhile, or we gave up. */
  abstract finish(transactionId: string): Promise<void>;
}
