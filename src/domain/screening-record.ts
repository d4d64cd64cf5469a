// What a screening at validate means once recorded: the first entry of the decision history, and what it leaves to do.
import { DecisionEntry, DecisionSource } from './decision';
import { TransactionStatus } from './transaction-status';
import { Screening } from './verdict';

export interface ScreeningRecord {
  /** The first entry of the transaction's decision history: what validate answered. */
  readonly entry: DecisionEntry & { readonly source: Extract<DecisionSource, 'PROVIDER' | 'FALLBACK'> };
  /** The transaction's status once recorded: the answer's, or pending while it waits for review. */
  readonly state: TransactionStatus;
  /** Held: the transaction enters the review queue. */
  readonly opensReview: boolean;
  /** Held because the provider failed or ran out of time: the provider is asked again in the background. */
  readonly retry: boolean;
}

/**
 * A screening decides the transaction unless it holds it for review. The entry is the provider's
 * when it answered in time, else the fallback's; only a transaction held by the fallback is worth
 * asking the provider about again, since a provider that asked for review has already answered.
 * A fallback is always held: "the transaction is then treated as pending review", whatever
 * FALLBACK_STATUS answered. With REJECTED, Toqio is told REJECTED at once (the entry says so, not
 * final), while the transaction waits in the queue, pending, for an analyst or the provider's late
 * verdict, whose decision Toqio then receives like any other.
 */
export function screeningRecord(screening: Screening, decidedAt: Date): ScreeningRecord {
  const answered = screening.outcome === 'DECIDED';
  const held = screening.status === 'PENDING_EXTERNAL_APPROVAL' || (!answered && screening.status === 'REJECTED');
  return {
    entry: {
      status: screening.status,
      final: !held,
      source: answered ? 'PROVIDER' : 'FALLBACK',
      decidedBy: screening.provider,
      reasons: screening.reasons,
      decidedAt,
    },
    state: held ? 'PENDING_EXTERNAL_APPROVAL' : screening.status,
    opensReview: held,
    retry: held && !answered,
  };
}
