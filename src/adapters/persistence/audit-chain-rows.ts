// How the audit reads chains: the SQL that gives every entry of a chain, and its notifications, in one row shape, and what it makes of them.
import { CaseRecord } from '../../domain/case-record';
import { DecisionSource } from '../../domain/decision';
import { Direction } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { AuditedTransaction, ChainEntry } from './audit-chain-check';
import { StoredNotification } from './audit-notification-check';

/** The columns of a chain's entries (`d`), beside the transaction's own. */
export const CHAIN_COLUMNS = `
  d.id::text AS entry_id, d.sequence, d.status, d.final, d.source, d.decided_by, d.reasons, d.decided_at, d.prev_hash, d.hash,
  d.kind, d.author, d.at, d.text, d.attachment_id, d.filename, d.content_type, d.size, d.sha256, d.content_sha256,
  d.notification_id, d.decision_id, d.body`;

/**
 * Decisions and case records (notes, attachments) of the transactions `where` selects, and their
 * notifications to Toqio, as one relation with one row shape. A notification's row has neither
 * id nor sequence, so it sorts after the entries. An attachment's bytes are hashed by
 * PostgreSQL, so only their digest crosses the wire.
 */
export function chainEntries(where: string): string {
  return `(SELECT id, transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash,
                  NULL::text AS kind, NULL::text AS author, NULL::timestamptz AS at, NULL::text AS text, NULL::text AS attachment_id,
                  NULL::text AS filename, NULL::text AS content_type, NULL::int AS size, NULL::text AS sha256, NULL::text AS content_sha256,
                  NULL::text AS notification_id, NULL::text AS decision_id, NULL::text AS body
             FROM transaction_decisions ${where}
           UNION ALL
           SELECT id, transaction_id, sequence, NULL, NULL, NULL, NULL, NULL, NULL, prev_hash, hash,
                  kind, author, at, text, attachment_id::text, filename, content_type, size, sha256, encode(sha256(content), 'hex'),
                  NULL, NULL, NULL
             FROM case_entries ${where}
           UNION ALL
           SELECT NULL, transaction_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  id::text, decision_id::text, body
             FROM toqio_notifications ${where})`;
}

export interface PageRow extends CaseRecordColumns, NotificationColumns {
  transaction_id: string;
  direction: Direction;
  state: TransactionState;
  amount: string;
  currency: string;
  entry_id: string | null;
  sequence: number;
  status: TransactionState;
  final: boolean;
  source: DecisionSource;
  decided_by: string;
  reasons: string[];
  decided_at: Date;
  prev_hash: string;
  hash: string;
}

/** The columns of a notification to Toqio; null on an entry's row. */
interface NotificationColumns {
  notification_id: string | null;
  decision_id: string | null;
  body: string | null;
}

/** The columns of a note or attachment; null on a decision's row. */
export interface CaseRecordColumns {
  kind: CaseRecord['kind'] | null;
  author: string | null;
  at: Date | null;
  text: string | null;
  attachment_id: string | null;
  filename: string | null;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  content_sha256: string | null;
}

export interface AuditedChain {
  readonly transaction: AuditedTransaction;
  readonly entries: ChainEntry[];
  readonly notifications: StoredNotification[];
}

export function* groupByTransaction(rows: readonly PageRow[]): Generator<AuditedChain> {
  let index = 0;
  while (index < rows.length) {
    const head = rows[index]!;
    const transaction: AuditedTransaction = { id: head.transaction_id, direction: head.direction, state: head.state, amount: head.amount, currency: head.currency };
    const entries: ChainEntry[] = [];
    const notifications: StoredNotification[] = [];
    for (; index < rows.length && rows[index]!.transaction_id === head.transaction_id; index += 1) {
      const row = rows[index]!;
      if (row.notification_id !== null) {
        notifications.push({ id: row.notification_id, decisionId: row.decision_id!, body: row.body! });
        continue;
      }
      if (row.entry_id === null) continue;
      if (row.kind !== null) {
        entries.push(caseRecordOf(row, row.entry_id));
        continue;
      }
      entries.push({
        id: row.entry_id,
        sequence: row.sequence,
        status: row.status,
        final: row.final,
        source: row.source,
        decidedBy: row.decided_by,
        reasons: row.reasons,
        decidedAt: row.decided_at,
        prevHash: row.prev_hash,
        hash: row.hash,
      });
    }
    yield { transaction, entries, notifications };
  }
}

/** A note or attachment from its columns (shared by the audit and the evidence pack). */
export function caseRecordOf(row: CaseRecordColumns & { sequence: number; prev_hash: string; hash: string }, id: string): ChainEntry {
  const position = { id, sequence: row.sequence, prevHash: row.prev_hash, hash: row.hash, author: row.author!, at: row.at! };
  if (row.kind === 'NOTE') return { kind: 'NOTE', ...position, text: row.text! };
  return {
    kind: 'ATTACHMENT',
    ...position,
    attachmentId: row.attachment_id!,
    filename: row.filename!,
    contentType: row.content_type!,
    size: row.size!,
    sha256: row.sha256!,
    contentSha256: row.content_sha256,
  };
}
