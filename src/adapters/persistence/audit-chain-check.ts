// The rules that judge one transaction's hash-chained decision history, without a database.
import { CaseRecord } from '../../domain/case-record';
import { DecisionEntry } from '../../domain/decision';
import { Direction } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { caseRecordHash, entryHash, genesisHash } from './decision-chain';

/*
 * Each entry is checked against its own stored prev_hash, so an edited row is named by itself
 * instead of breaking every entry after it; the link to the previous entry is a separate check.
 */

export type ProblemKind =
  | 'SEQUENCE_GAP'
  | 'SEQUENCE_REPEAT'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'CONTENT_MISMATCH'
  | 'MISSING_HISTORY'
  | 'STATE_MISMATCH'
  | 'NOTIFICATION_MISMATCH'
  | 'NOTIFICATION_WITHOUT_DECISION'
  | 'NOTIFICATION_MISSING'
  | 'TRIGGER_MISSING'
  | 'TRIGGER_DISABLED'
  | 'TRIGGER_ALTERED'
  | 'CHECKPOINT_SIGNATURE'
  | 'CHECKPOINT_LINK'
  | 'CHECKPOINT_HEAD_MISMATCH'
  | 'CHECKPOINT_HEAD_MISSING';

export interface AuditProblem {
  readonly kind: ProblemKind;
  readonly message: string;
}

/** One decision entry as stored, with what the checks need. */
export interface StoredEntry extends DecisionEntry {
  readonly id: string;
  readonly sequence: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** A note or attachment as stored; `contentSha256` is the digest of the bytes stored today, when read. */
export type StoredCaseRecord = CaseRecord & {
  readonly id: string;
  readonly sequence: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly contentSha256?: string | null;
};

/** Any entry of a chain: a decision, a note or an attachment. */
export type ChainEntry = StoredEntry | StoredCaseRecord;

export function isCaseRecord(entry: ChainEntry): entry is StoredCaseRecord {
  const kind = (entry as { kind?: unknown }).kind;
  return kind === 'NOTE' || kind === 'ATTACHMENT';
}

export interface AuditedTransaction {
  readonly id: string;
  /** OUTBOUND: a payment Toqio asked about, told of every later final decision; INBOUND: an alert of the service's own. */
  readonly direction: Direction;
  readonly state: TransactionState;
  readonly amount: string;
  readonly currency: string;
}

export interface Finding extends AuditProblem {
  readonly transactionId: string;
  readonly entryId: string | null;
  readonly sequence: number | null;
}

function safeGenesis(transaction: AuditedTransaction): string {
  try {
    return genesisHash(transaction.id, transaction.amount, transaction.currency);
  } catch {
    // An amount the service could never have accepted: no entry can chain to it.
    return '';
  }
}

/**
 * Every problem of one transaction and its entries, in sequence order. Pure, so that the rules
 * can be tested without a database; `entries` must be ordered by sequence (then id).
 */
export function checkTransaction(transaction: AuditedTransaction, entries: readonly ChainEntry[]): Finding[] {
  const findings: Finding[] = [];
  const at = (entry: ChainEntry | null, kind: ProblemKind, message: string) =>
    findings.push({ kind, message, transactionId: transaction.id, entryId: entry?.id ?? null, sequence: entry?.sequence ?? null });

  let genesis: string | undefined;
  const genesisOf = (): string => (genesis ??= safeGenesis(transaction));

  let previous: ChainEntry | null = null;
  let decisions = 0;
  let lastFinal: StoredEntry | null = null;
  for (const entry of entries) {
    const expected = (previous?.sequence ?? 0) + 1;
    if (entry.sequence > expected) {
      const missing = expected === entry.sequence - 1 ? `${expected} is` : `${expected} to ${entry.sequence - 1} are`;
      at(entry, 'SEQUENCE_GAP', `sequence ${entry.sequence} ${previous ? `follows ${previous.sequence}` : 'comes first'}: entry ${missing} missing`);
    } else if (entry.sequence < expected) {
      at(entry, 'SEQUENCE_REPEAT', `sequence ${entry.sequence} appears again (entry ${previous!.id} has it)`);
    }

    if (previous === null) {
      if (entry.prevHash !== genesisOf()) {
        at(entry, 'PREV_HASH_MISMATCH', `prev_hash of the first entry is not the genesis hash of the transaction (id, amount ${transaction.amount}, currency ${transaction.currency})`);
      }
    } else if (entry.prevHash !== previous.hash) {
      at(entry, 'PREV_HASH_MISMATCH', `prev_hash is not the hash of the entry before it (id ${previous.id}, sequence ${previous.sequence})`);
    }

    // The hash functions read only the hashed fields, so the stored entry can be given as it is.
    const recomputed = isCaseRecord(entry) ? caseRecordHash(entry.prevHash, { ...entry, transactionId: transaction.id }) : entryHash(entry.prevHash, { ...entry, transactionId: transaction.id });
    if (recomputed !== entry.hash) {
      at(entry, 'HASH_MISMATCH', `hash does not match the entry's content: a hashed column was changed after it was written`);
    }

    if (isCaseRecord(entry)) {
      if (entry.kind === 'ATTACHMENT' && entry.contentSha256 !== undefined && entry.contentSha256 !== entry.sha256) {
        at(entry, 'CONTENT_MISMATCH', `the bytes of attachment ${entry.attachmentId} are not those whose digest the chain holds: they were replaced`);
      }
    } else {
      decisions += 1;
      if (entry.final) lastFinal = entry;
    }
    previous = entry;
  }

  if (decisions === 0) {
    if (transaction.state !== 'SCREENING') at(null, 'MISSING_HISTORY', `state is ${transaction.state} but the transaction has no decision entry`);
  } else {
    const expectedState = lastFinal?.status ?? 'PENDING_EXTERNAL_APPROVAL';
    if (transaction.state !== expectedState) {
      const because = lastFinal ? `its last final entry (id ${lastFinal.id}, sequence ${lastFinal.sequence}) says ${expectedState}` : `no entry is final, so it should be ${expectedState}`;
      at(null, 'STATE_MISMATCH', `state is ${transaction.state} but ${because}`);
    }
  }
  return findings;
}

