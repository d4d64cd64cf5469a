// Walks every transaction's hash-chained decision history and the append-only triggers, and says what is broken.
import { Client, Pool, PoolClient, QueryResultRow } from 'pg';
import { DecisionEntry, DecisionSource } from '../../domain/decision';
import { TransactionState } from '../../domain/transaction-status';
import { entryHash, genesisHash } from './decision-chain';

/*
 * The scan pages through `transactions` by primary key and reads each page's entries with it in
 * one statement. A transaction's state and its entries are written together (one statement at
 * validate, one database transaction in the review store), so every page is a consistent snapshot
 * of the transactions it covers even while the service keeps writing, without holding one
 * snapshot (and vacuum) for the whole run. Memory holds one page and the next one being fetched.
 *
 * Each entry is checked against its own stored prev_hash, so an edited row is named by itself
 * instead of breaking every entry after it; the link to the previous entry is a separate check.
 */

export type ProblemKind =
  | 'SEQUENCE_GAP'
  | 'SEQUENCE_REPEAT'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'MISSING_HISTORY'
  | 'STATE_MISMATCH'
  | 'TRIGGER_MISSING'
  | 'TRIGGER_DISABLED'
  | 'TRIGGER_ALTERED';

export interface Problem {
  readonly kind: ProblemKind;
  readonly message: string;
}

/** Where the first problem is: an entry, or a transaction as a whole (entryId null). */
export interface BrokenPlace {
  readonly transactionId: string;
  readonly entryId: string | null;
  readonly sequence: number | null;
  readonly problems: readonly Problem[];
}

export type TriggerState = 'ENABLED' | 'DISABLED' | 'REPLICA_ONLY' | 'MISSING' | 'ALTERED';

export interface TriggerCheck {
  readonly table: string;
  readonly trigger: string;
  readonly state: TriggerState;
}

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

/** The verification could not run at all (schema missing or not migrated). */
export class AuditUnavailableError extends Error {}

type Database = Pool | PoolClient | Client;

/** The triggers that make history append-only; disabling one is how history would be rewritten. */
// tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
const ROW_REWRITES = 1 | 2 | 8 | 16;
// TRUNCATE fires no row trigger, so each table has a statement-level guard for it too.
const TRUNCATION = 2 | 32;

export const APPEND_ONLY_TRIGGERS = [
  { table: 'transaction_decisions', trigger: 'transaction_decisions_append_only', required: ROW_REWRITES },
  { table: 'transaction_decisions', trigger: 'transaction_decisions_no_truncate', required: TRUNCATION },
  { table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_append_only', required: ROW_REWRITES },
  { table: 'toqio_notification_attempts', trigger: 'toqio_notification_attempts_no_truncate', required: TRUNCATION },
] as const;

/** One decision entry as stored, with what the checks need. */
export interface StoredEntry extends DecisionEntry {
  readonly id: string;
  readonly sequence: number;
  readonly prevHash: string;
  readonly hash: string;
}

export interface StoredTransaction {
  readonly id: string;
  readonly state: TransactionState;
  readonly amount: string;
  readonly currency: string;
}

export interface Finding extends Problem {
  readonly transactionId: string;
  readonly entryId: string | null;
  readonly sequence: number | null;
}

/**
 * Every problem of one transaction and its entries, in sequence order. Pure, so that the rules
 * can be tested without a database; `entries` must be ordered by sequence (then id).
 */
export function checkTransaction(transaction: StoredTransaction, entries: readonly StoredEntry[]): Finding[] {
  const findings: Finding[] = [];
  const at = (entry: StoredEntry | null, kind: ProblemKind, message: string) =>
    findings.push({ kind, message, transactionId: transaction.id, entryId: entry?.id ?? null, sequence: entry?.sequence ?? null });

  let genesis: string | undefined;
  const genesisOf = (): string => {
    if (genesis === undefined) {
      try {
        genesis = genesisHash(transaction.id, transaction.amount, transaction.currency);
      } catch {
        // An amount the service could never have accepted: no entry can chain to it.
        genesis = '';
      }
    }
    return genesis;
  };

  let previous: StoredEntry | null = null;
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

    // entryHash reads only the hashed fields, so the stored entry can be given as it is.
    const recomputed = entryHash(entry.prevHash, { ...entry, transactionId: transaction.id });
    if (recomputed !== entry.hash) {
      at(entry, 'HASH_MISMATCH', `hash does not match the entry's content: a hashed column was changed after it was written`);
    }

    if (entry.final) lastFinal = entry;
    previous = entry;
  }

  if (entries.length === 0) {
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

/** Verifies every chain and the append-only triggers; throws only when it cannot run at all. */
export async function verifyAuditTrail(db: Database, options: AuditOptions = {}): Promise<AuditReport> {
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

const TRIGGER_PROBLEM: Record<Exclude<TriggerState, 'ENABLED'>, ProblemKind> = {
  DISABLED: 'TRIGGER_DISABLED',
  REPLICA_ONLY: 'TRIGGER_DISABLED',
  MISSING: 'TRIGGER_MISSING',
  ALTERED: 'TRIGGER_ALTERED',
};

/**
 * Counts every finding but keeps only those of the first broken place: the entry with the lowest
 * id (the earliest write), or failing any, the first transaction-level finding in scan order.
 */
class Tally {
  count = 0;
  readonly byKind: Partial<Record<ProblemKind, number>> = {};
  private firstEntry: Finding[] = [];
  private firstTransaction: Finding[] = [];

  countOnly(kind: ProblemKind): void {
    this.count += 1;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
  }

  add(finding: Finding): void {
    this.countOnly(finding.kind);
    if (finding.entryId !== null) {
      const current = this.firstEntry[0]?.entryId;
      if (current === undefined || BigInt(finding.entryId) < BigInt(current!)) this.firstEntry = [finding];
      else if (current === finding.entryId) this.firstEntry.push(finding);
    } else {
      const current = this.firstTransaction[0]?.transactionId;
      if (current === undefined) this.firstTransaction = [finding];
      else if (current === finding.transactionId) this.firstTransaction.push(finding);
    }
  }

  first(): BrokenPlace | null {
    const findings = this.firstEntry.length > 0 ? this.firstEntry : this.firstTransaction;
    const head = findings[0];
    if (!head) return null;
    return {
      transactionId: head.transactionId,
      entryId: head.entryId,
      sequence: head.sequence,
      problems: findings.map(({ kind, message }) => ({ kind, message })),
    };
  }
}

interface PageRow {
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
 */
const PAGE = (lowerBound: string) => `
  WITH t AS MATERIALIZED (
    SELECT id, state, amount::text AS amount, currency FROM transactions ${lowerBound ? `WHERE id > ${lowerBound}` : ''} ORDER BY id LIMIT $1
  )
  SELECT t.id AS transaction_id, t.state, t.amount, t.currency,
         d.id::text AS entry_id, d.sequence, d.status, d.final, d.source, d.decided_by, d.reasons, d.decided_at, d.prev_hash, d.hash
    FROM t
    LEFT JOIN (SELECT * FROM transaction_decisions
                WHERE ${lowerBound ? `transaction_id > ${lowerBound} AND ` : ''}transaction_id <= (SELECT max(id) FROM t)) d
           ON d.transaction_id = t.id
   ORDER BY t.id, d.sequence, d.id`;
const FIRST_PAGE = PAGE('');
const NEXT_PAGE = PAGE('$2');

async function fetchPage(db: Database, after: string | null, batchSize: number): Promise<PageRow[]> {
  const { rows } = after === null ? await query<PageRow>(db, FIRST_PAGE, [batchSize]) : await query<PageRow>(db, NEXT_PAGE, [batchSize, after]);
  return rows;
}

function* groupByTransaction(rows: readonly PageRow[]): Generator<{ transaction: StoredTransaction; entries: StoredEntry[] }> {
  let index = 0;
  while (index < rows.length) {
    const head = rows[index]!;
    const transaction: StoredTransaction = { id: head.transaction_id, state: head.state, amount: head.amount, currency: head.currency };
    const entries: StoredEntry[] = [];
    for (; index < rows.length && rows[index]!.transaction_id === head.transaction_id; index += 1) {
      const row = rows[index]!;
      if (row.entry_id === null) continue;
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

async function assertSchema(db: Database): Promise<void> {
  const { rows } = await query<{ table_name: string; column_name: string }>(
    db,
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name IN ('transactions', 'transaction_decisions')`,
    [],
  );
  const columns = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  if (!columns.has('transactions.id')) throw new AuditUnavailableError('this database has no transactions table: is it the service\'s database?');
  const missing = ['sequence', 'final', 'prev_hash', 'hash'].filter((column) => !columns.has(`transaction_decisions.${column}`));
  if (missing.length > 0) {
    throw new AuditUnavailableError(`transaction_decisions has no ${missing.join(', ')} column: the hash chain's migration is not applied yet (start the service once to migrate)`);
  }
}

/**
 * Each trigger must exist on its table, be enabled for ordinary sessions ('O' or 'A'), fire
 * BEFORE UPDATE OR DELETE FOR EACH ROW on every row and column (or BEFORE TRUNCATE for the
 * statement-level guards), and call a function that still raises: recreating it with a WHEN clause or a harmless function disarms it as surely as
 * disabling it.
 */
async function checkTriggers(db: Database): Promise<TriggerCheck[]> {
  const { rows } = await query<{ table_name: string; trigger: string; enabled: string; type: number; unconditional: boolean; body: string }>(
    db,
    `SELECT c.relname AS table_name, tg.tgname AS trigger, tg.tgenabled::text AS enabled, tg.tgtype::int AS type,
            tg.tgqual IS NULL AND coalesce(array_length(tg.tgattr::int2[], 1), 0) = 0 AS unconditional, p.prosrc AS body
       FROM pg_trigger tg
       JOIN pg_class c ON c.oid = tg.tgrelid
       JOIN pg_proc p ON p.oid = tg.tgfoid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND NOT tg.tgisinternal`,
    [APPEND_ONLY_TRIGGERS.map((t) => t.table)],
  );
  return APPEND_ONLY_TRIGGERS.map(({ table, trigger, required }): TriggerCheck => {
    const row = rows.find((r) => r.table_name === table && r.trigger === trigger);
    if (!row) return { table, trigger, state: 'MISSING' };
    const raises = /\braise\s+exception\b/i.test(row.body.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, ''));
    if ((row.type & required) !== required || !row.unconditional || !raises) return { table, trigger, state: 'ALTERED' };
    if (row.enabled === 'D') return { table, trigger, state: 'DISABLED' };
    if (row.enabled === 'R') return { table, trigger, state: 'REPLICA_ONLY' };
    return { table, trigger, state: 'ENABLED' };
  });
}

function query<R extends QueryResultRow>(db: Database, text: string, values: unknown[]) {
  return (db as Pool).query<R>(text, values);
}
