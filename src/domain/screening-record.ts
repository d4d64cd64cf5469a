// What a screening at validate means once recorded: the first entry of the decision history, and what it leaves to do.
import { DecisionEntry, DecisionSource } from './decision';
import { Screening } from './verdict';

export interface ScreeningRecord {
  /** The first entry of the transaction's decision history. */
  readonly entry: DecisionEntry & { readonly source: Extract<DecisionSource, 'PROVIDER' | 'FALLBACK'> };
  /** Held: the transaction enters the review queue. */
  readonly opensReview: boolean;
  /** Held because the provider failed or ran out of time: the provider is asked again in the background. */
  readonly retry: boolean;
}

/**
 * A screening decides the transaction unless it holds it for review. The entry is the provider's
 * when it answered in time, else the fallback's; only a transaction held by the fallback is worth
 * asking the provider about again, since a provider that asked for review has already answered.
 */
export function screeningRecord(screening: Screening, decidedAt: Date): ScreeningRecord {
  const held = screening.status === 'PENDING_EXTERNAL_APPROVAL';
  const answered = screening.outcome === 'DECIDED';
  return {
    entry: {
      status: screening.status,
      final: !held,
      source: answered ? 'PROVIDER' : 'FALLBACK',
      decidedBy: screening.provider,
      reasons: screening.reasons,
      decidedAt,
    },
    opensReview: held,
    retry: held && !answered,
  };
}
