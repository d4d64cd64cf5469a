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

/** What is known of a transaction's id before anything is written: the stored one, or the history it would be screened with. */
export type LookUpResult =
  | { readonly existing: StoredTransaction; readonly context?: undefined }
  | { readonly existing?: undefined; readonly context: ScreeningContext };

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

  /**
   * Writes nothing: the transaction already stored under this id, or the `aggregates` computed
   * over history as a claim made now would compute them (this transaction included).
   */
  abstract lookUp(transaction: Transaction, aggregates: readonly AggregateQuery[]): Promise<LookUpResult>;

  /**
   * Stores a new transaction already screened, in one atomic write: the row in the screening's
   * state, its first decision entry, and the review case and retry recordScreening would add.
   * Nothing is written and false is returned when the id is already stored (on any replica).
   * `receivedAt` (epoch ms, this process's clock) is when the request arrived: the row's
   * `received_at` is that long before the database's now.
   */
  abstract recordNew(transaction: Transaction, screening: Screening, receivedAt: number): Promise<boolean>;

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
