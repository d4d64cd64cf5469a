// The hash chain over each transaction's decision history: what is hashed, and how.
import { hash } from 'node:crypto';
import { CaseRecord } from '../../domain/case-record';
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
 *
 * Analysts' notes and attachments (case_entries) take their places in the same chain: one
 * sequence per transaction across both tables, each entry linked to the one before it whatever
 * its kind. Their canonical JSON carries a `kind`, which a decision's never has, so no note can
 * hash like a decision. An attachment's entry holds the SHA-256 of its bytes, not the bytes.
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

export type ChainedCaseRecord = CaseRecord & { readonly transactionId: string; readonly sequence: number };

export function caseRecordHash(prevHash: string, record: ChainedCaseRecord): string {
  const position = { transactionId: record.transactionId, sequence: record.sequence, kind: record.kind, author: record.author, at: record.at.toISOString() };
  if (record.kind === 'NOTE') return sha256(prevHash + canonicalJson({ ...position, text: record.text }));
  const { attachmentId, filename, contentType, size, sha256: digest } = record;
  return sha256(prevHash + canonicalJson({ ...position, attachmentId, filename, contentType, size, sha256: digest }));
}

/** One shot (crypto.hash): no Hash object a call. */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
