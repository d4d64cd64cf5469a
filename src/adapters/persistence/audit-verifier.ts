// Walks every transaction's hash-chained decision history, its notifications to Toqio and the append-only triggers, and says what is broken.
import { KeyObject } from 'node:crypto';
import { checkTransaction, ProblemKind } from './audit-chain-check';
import { CHAIN_COLUMNS, chainEntries, groupByTransaction, PageRow } from './audit-chain-rows';
import { assertSchema, AuditDatabase, query } from './audit-database';
import { checkCheckpoints, CheckpointReport } from './audit-checkpoint-check';
import { BrokenPlace, Tally } from './audit-findings';
import { checkNotifications } from './audit-notification-check';
import { checkTriggers, TRIGGER_PROBLEM, TriggerCheck } from './audit-triggers';

export { AuditUnavailableError } from './audit-database';
export type { AuditProblem, ProblemKind } from './audit-chain-check';
export type { BrokenPlace } from './audit-findings';
export type { CheckpointReport } from './audit-checkpoint-check';
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
  /** Notifications to Toqio whose body was held against the decision it carries. */
  readonly notificationsChecked: number;
  readonly durationMs: number;
  readonly triggers: readonly TriggerCheck[];
  /** The broken entry with the lowest id, else the first broken transaction; null if none. */
  readonly firstBroken: BrokenPlace | null;
  /** Every problem found, triggers included. */
  readonly problemCount: number;
  readonly problemsByKind: Partial<Record<ProblemKind, number>>;
  /** With public keys given: the signed checkpoints checked against today's chains; else null. */
  readonly checkpoints: CheckpointReport | null;
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
  /** Ed25519 public keys of AUDIT_SIGNING_KEY (current and earlier ones): checks every signed checkpoint too. */
  readonly publicKeys?: readonly KeyObject[];
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
  let notificationsChecked = 0;
  let page = fetchPage(db, null, batchSize);
  for (;;) {
    const rows = await page;
    if (rows.length === 0) break;
    // Ask for the next page before checking this one: hashing overlaps the database's work.
    page = fetchPage(db, rows[rows.length - 1]!.transaction_id, batchSize);
    // Its failure is seen at the next await; until then it must not count as unhandled.
    page.catch(() => undefined);
    for (const { transaction, entries, notifications } of groupByTransaction(rows)) {
      const findings = checkTransaction(transaction, entries);
      findings.push(...checkNotifications(transaction, entries, notifications, findings));
      for (const finding of findings) tally.add(finding);
      entriesChecked += entries.length;
      transactionsChecked += 1;
      notificationsChecked += notifications.length;
    }
    options.onProgress?.({ entriesChecked, transactionsChecked });
  }

  const checkpoints = options.publicKeys ? await checkCheckpoints(db, options.publicKeys, tally) : null;

  return {
    intact: tally.count === 0,
    entriesChecked,
    transactionsChecked,
    notificationsChecked,
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    triggers,
    firstBroken: tally.first(),
    problemCount: tally.count,
    problemsByKind: tally.byKind,
    checkpoints,
  };
}

/*
 * A page of transactions by primary key, each with its entries (none: one row of nulls). The
 * entries are read as one range of the (transaction_id, sequence) index bounded by the page's
 * first and last id: a plain join or LATERAL is planned as a scan of the whole table per page.
 * Decisions and case records (notes, attachments) are one chain: read together, in sequence.
 * Notifications to Toqio come in the same statement (a range of their transaction_id index), so
 * each is read in the same snapshot as the final entry written with it.
 */
const PAGE = (lowerBound: string) => {
  const range = `WHERE ${lowerBound ? `transaction_id > ${lowerBound} AND ` : ''}transaction_id <= (SELECT max(id) FROM t)`;
  return `
  WITH t AS MATERIALIZED (
    SELECT id, direction, state, amount::text AS amount, currency FROM transactions ${lowerBound ? `WHERE id > ${lowerBound}` : ''} ORDER BY id LIMIT $1
  )
  SELECT t.id AS transaction_id, t.direction, t.state, t.amount, t.currency, ${CHAIN_COLUMNS}
    FROM t
    LEFT JOIN ${chainEntries(range)} d ON d.transaction_id = t.id
   ORDER BY t.id, d.sequence, d.id`;
};
const FIRST_PAGE = PAGE('');
const NEXT_PAGE = PAGE('$2');

async function fetchPage(db: AuditDatabase, after: string | null, batchSize: number): Promise<PageRow[]> {
  const { rows } = after === null ? await query<PageRow>(db, FIRST_PAGE, [batchSize]) : await query<PageRow>(db, NEXT_PAGE, [batchSize, after]);
  return rows;
}

