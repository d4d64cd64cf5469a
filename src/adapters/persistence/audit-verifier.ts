// Walks every transaction's hash-chained decision history and the append-only triggers, and says what is broken.
import { DecisionSource } from '../../domain/decision';
import { TransactionState } from '../../domain/transaction-status';
import { CaseRecord } from '../../domain/case-record';
import { AuditedTransaction, ChainEntry, checkTransaction, ProblemKind } from './audit-chain-check';
import { assertSchema, AuditDatabase, query } from './audit-database';
import { BrokenPlace, Tally } from './audit-findings';
import { checkTriggers, TRIGGER_PROBLEM, TriggerCheck } from './audit-triggers';

export { AuditUnavailableError } from './audit-database';
export type { AuditProblem, ProblemKind } from './audit-chain-check';
export type { BrokenPlace } from './audit-findings';
export type { TriggerCheck, TriggerState } from './audit-triggers';

/*
 * The scan pages through `transactions` by primary key and reads each page's entries with it in
 * one statement. A transaction's state and its entries are written together (one statement at
 * validate, one database transaction in the review store), so every page is a consistent snapshot
 * of the transactions it covers even while the service keeps writing, without holding one
 * snapshot (and vacuum) for the whole run. Memory holds one page and the next one being fetched.
 */

export interface AuditReport {
  readonly intact: boolean;
  readonly entriesChecked: number;
  readonly transactionsChecked: number;
  readonly durationMs: number;
  readonly triggers: readonly TriggerCheck[];
  /** The broken entry with the lowest id, else the first broken transaction; null if none. */
  readonly firstBroken: BrokenPlace | null;
  /** Every problem found, triggers included. */
  readonly problemCount: number;
  readonly problemsByKind: Partial<Record<ProblemKind, number>>;
}

export interface AuditProgress {
  readonly entriesChecked: number;
  readonly transactionsChecked: number;
}

export interface AuditOptions {
  /** Transactions per page; a page also carries all their entries. */
  readonly batchSize?: number;
  /** Called after every page. */
  readonly onProgress?: (progress: AuditProgress) => void;
}

/** Verifies every chain and the append-only triggers; throws only when it cannot run at all. */
export async function verifyAuditTrail(db: AuditDatabase, options: AuditOptions = {}): Promise<AuditReport> {
  const started = process.hrtime.bigint();
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  await assertSchema(db);

  const tally = new Tally();
  const triggers = await checkTriggers(db);
  for (const trigger of triggers) {
    if (trigger.state !== 'ENABLED') tally.countOnly(TRIGGER_PROBLEM[trigger.state]);
  }

  let entriesChecked = 0;
  let transactionsChecked = 0;
  let page = fetchPage(db, null, batchSize);
  for (;;) {
    const rows = await page;
    if (rows.length === 0) break;
    // Ask for the next page before checking this one: hashing overlaps the database's work.
    page = fetchPage(db, rows[rows.length - 1]!.transaction_id, batchSize);
    // Its failure is seen at the next await; until then it must not count as unhandled.
    page.catch(() => undefined);
    for (const { transaction, entries } of groupByTransaction(rows)) {
      for (const finding of checkTransaction(transaction, entries)) tally.add(finding);
      entriesChecked += entries.length;
      transactionsChecked += 1;
    }
    options.onProgress?.({ entriesChecked, transactionsChecked });
  }

  return {
    intact: tally.count === 0,
    entriesChecked,
    transactionsChecked,
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    triggers,
    firstBroken: tally.first(),
    problemCount: tally.count,
    problemsByKind: tally.byKind,
  };
}

interface PageRow extends CaseRecordColumns {
  transaction_id: string;
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

/*
 * A page of transactions by primary key, each with its entries (none: one row of nulls). The
 * entries are read as one range of the (transaction_id, sequence) index bounded by the page's
 * first and last id: a plain join or LATERAL is planned as a scan of the whole table per page.
 * Decisions and case records (notes, attachments) are one chain: read together, in sequence.
 * An attachment's bytes are hashed by PostgreSQL, so only their digest crosses the wire.
 */
const PAGE = (lowerBound: string) => {
  const range = `WHERE ${lowerBound ? `transaction_id > ${lowerBound} AND ` : ''}transaction_id <= (SELECT max(id) FROM t)`;
  return `
  WITH t AS MATERIALIZED (
    SELECT id, state, amount::text AS amount, currency FROM transactions ${lowerBound ? `WHERE id > ${lowerBound}` : ''} ORDER BY id LIMIT $1
  )
  SELECT t.id AS transaction_id, t.state, t.amount, t.currency,
         d.id::text AS entry_id, d.sequence, d.status, d.final, d.source, d.decided_by, d.reasons, d.decided_at, d.prev_hash, d.hash,
         d.kind, d.author, d.at, d.text, d.attachment_id, d.filename, d.content_type, d.size, d.sha256, d.content_sha256
    FROM t
    LEFT JOIN (SELECT id, transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash,
                      NULL::text AS kind, NULL::text AS author, NULL::timestamptz AS at, NULL::text AS text, NULL::text AS attachment_id,
                      NULL::text AS filename, NULL::text AS content_type, NULL::int AS size, NULL::text AS sha256, NULL::text AS content_sha256
                 FROM transaction_decisions ${range}
               UNION ALL
               SELECT id, transaction_id, sequence, NULL, NULL, NULL, NULL, NULL, NULL, prev_hash, hash,
                      kind, author, at, text, attachment_id::text, filename, content_type, size, sha256, encode(sha256(content), 'hex')
                 FROM case_entries ${range}) d
           ON d.transaction_id = t.id
   ORDER BY t.id, d.sequence, d.id`;
};
const FIRST_PAGE = PAGE('');
const NEXT_PAGE = PAGE('$2');

async function fetchPage(db: AuditDatabase, after: string | null, batchSize: number): Promise<PageRow[]> {
  const { rows } = after === null ? await query<PageRow>(db, FIRST_PAGE, [batchSize]) : await query<PageRow>(db, NEXT_PAGE, [batchSize, after]);
  return rows;
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

function* groupByTransaction(rows: readonly PageRow[]): Generator<{ transaction: AuditedTransaction; entries: ChainEntry[] }> {
  let index = 0;
  while (index < rows.length) {
    const head = rows[index]!;
    const transaction: AuditedTransaction = { id: head.transaction_id, state: head.state, amount: head.amount, currency: head.currency };
    const entries: ChainEntry[] = [];
    for (; index < rows.length && rows[index]!.transaction_id === head.transaction_id; index += 1) {
      const row = rows[index]!;
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
    yield { transaction, entries };
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
