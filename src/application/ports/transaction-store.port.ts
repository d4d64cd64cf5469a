// Port to the durable record of transactions and their screening.
import { AggregateQuery } from '../../domain/aggregate';
import { ScreeningContext } from '../../domain/screening-context';
import { Direction, Transaction, TransactionContent } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { Screening } from '../../domain/verdict';

export interface StoredTransaction extends TransactionContent {
  readonly id: string;
  readonly direction: Direction;
  readonly state: TransactionState;
  /** Reasons for the current state, as answered to Toqio. */
  readonly reasons: readonly string[];
}

export type ClaimResult =
  | { readonly claimed: true; readonly context: ScreeningContext }
  | { readonly claimed: false; readonly existing: StoredTransaction };

/** A claim taken over from a claimant that never recorded its screening. */
export interface StaleClaim {
  readonly transaction: Transaction;
  /** Aggregates as they stood when the transaction arrived. */
  readonly context: ScreeningContext;
}

export abstract class TransactionStore {
  /**
   * Durably records a new transaction in the SCREENING state, or reports the one already
   * stored under its id. Exactly one caller, across all replicas, gets `claimed: true`, with
   * the `aggregates` computed over history (this one included).
   */
  abstract claim(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<ClaimResult>;

  /**
   * Moves a SCREENING transaction to the screening's status and appends the verdict to its
   * decision history, atomically; a pending one enters the review queue, and one pending because
   * the provider failed is queued to be screened again later. Returns false when the transaction was no longer SCREENING.
   */
  abstract recordScreening(transaction: Transaction, screening: Screening): Promise<boolean>;

  abstract findById(transactionId: string): Promise<StoredTransaction | null>;

  /**
   * Takes over a claim left SCREENING for longer than `staleAfterMs` (its claimant died).
   * Exactly one caller gets the context to screen it with; the others get null.
   */
  abstract reclaimStale(transaction: Transaction, staleAfterMs: number, aggregates: readonly AggregateQuery[]): Promise<ScreeningContext | null>;

  /**
   * Takes over up to `limit` claims left SCREENING for longer than `staleAfterMs` (their claimant
   * died, or lost the database before recording); each is handed to one caller only, across replicas.
   */
  abstract takeStaleClaims(staleAfterMs: number, limit: number, aggregates: readonly AggregateQuery[]): Promise<StaleClaim[]>;
}
