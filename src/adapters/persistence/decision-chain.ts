// The hash chain over each transaction's decision history: what is hashed, and how.
import { createHash } from 'node:crypto';
import { DecisionEntry } from '../../domain/decision';
import { Decimal } from '../../domain/decimal';
import { canonicalJson } from '../../domain/transaction';

/*
 * Every transaction's history is its own chain. Entry n stores prev_hash (entry n-1's hash, or
 * for the first entry a genesis hash over the transaction's id, amount and currency) and
 * hash = SHA-256(prev_hash || canonical JSON of its own content and position). Editing any
 * hashed field, the amount, or the order of entries breaks the chain from that entry on.
 *
 * A single chain across all transactions would also order them globally, but every decision of
 * every replica, validate's included, would then queue on one lock: per-transaction chains
 * keep the hot path free of it. `npm run audit:verify` adds the global checks: sequences
 * without gaps, and every transaction's state agreeing with its last final entry.
 */

export interface ChainedEntry extends DecisionEntry {
  readonly transactionId: string;
  readonly sequence: number;
}

export function genesisHash(transactionId: string, amount: string, currency: string): string {
  // Through Decimal so that "125.50" and "125.5" (numeric keeps the scale it was given) agree.
  return sha256(canonicalJson({ transactionId, amount: Decimal.parse(amount).toString(), currency }));
}

export function entryHash(prevHash: string, entry: ChainedEntry): string {
  return sha256(
    prevHash +
      canonicalJson({
        transactionId: entry.transactionId,
        sequence: entry.sequence,
        status: entry.status,
        final: entry.final,
        source: entry.source,
        decidedBy: entry.decidedBy,
        reasons: entry.reasons,
        // Millisecond precision: what a JavaScript Date carries through the pg driver.
        decidedAt: entry.decidedAt.toISOString(),
      }),
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
