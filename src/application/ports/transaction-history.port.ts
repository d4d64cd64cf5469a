// Port to the stored transactions as a backtest reads them: streamed in order of arrival, in pages, away from validate's connections.
import { Transaction } from '../../domain/transaction';
import { TransactionStatus } from '../../domain/transaction-status';

export interface HistoricTransaction {
  readonly transaction: Transaction;
  readonly receivedAt: Date;
  /** The status answered at validate (the first decision), or null while it is still being screened. */
  readonly answered: TransactionStatus | null;
  /** The rule-set version that gave that answer, when the rules engine did. */
  readonly answeredVersion: number | null;
}

export abstract class TransactionHistory {
  /** Transactions received in [from, to), count first. */
  abstract count(from: Date, to: Date): Promise<number>;
  /**
   * Every transaction received in [from, to), oldest first, handed to `visit` page by page;
   * stops early when `visit` answers false.
   */
  abstract stream(from: Date, to: Date, visit: (page: readonly HistoricTransaction[]) => Promise<boolean>): Promise<void>;
}
