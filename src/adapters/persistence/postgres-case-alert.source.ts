// PostgreSQL facts for case alerts: each batch marked as reported in the transaction that queues its events.
import { Pool, PoolClient } from 'pg';
import { CaseAlertSource } from '../../application/ports/case-alert-source.port';
import { CaseOnRecord, DeadNotificationOnRecord } from '../../domain/case-alerts';
import { OperatorEvent } from '../../domain/operator-event';
import { TransactionStatus } from '../../domain/transaction-status';
import { inTransaction } from './in-transaction';
import { enqueueOperatorEvents } from './postgres-operator-event.outbox';

/** The case's facts once marked: the screening's reasons are its chain's first entry (the transaction's own change with a decision). */
const CASE_FACTS = `
  SELECT m.transaction_id, m.direction, m.status, m.opened_at, t.amount::text AS amount, t.currency,
         coalesce((SELECT d.reasons FROM transaction_decisions d WHERE d.transaction_id = m.transaction_id ORDER BY d.sequence LIMIT 1), t.reasons) AS reasons
    FROM marked m JOIN transactions t ON t.id = m.transaction_id
   ORDER BY m.opened_at, m.transaction_id`;

const REPORT_OPENED = `
  WITH due AS (
    SELECT transaction_id FROM review_cases
     WHERE opened_reported_at IS NULL AND opened_at >= $1
     ORDER BY opened_at LIMIT $2
       FOR UPDATE SKIP LOCKED
  ), marked AS (
    UPDATE review_cases c SET opened_reported_at = clock_timestamp() FROM due WHERE c.transaction_id = due.transaction_id RETURNING c.*
  )
  ${CASE_FACTS}`;

/** Never reported and too old to be news (opened while the feature was off). */
const SKIP_STALE_OPENED = `
  UPDATE review_cases SET opened_reported_at = clock_timestamp()
   WHERE transaction_id IN (SELECT transaction_id FROM review_cases WHERE opened_reported_at IS NULL AND opened_at < $1 LIMIT 10000 FOR UPDATE SKIP LOCKED)`;

const REPORT_OVERDUE = `
  WITH due AS (
    SELECT transaction_id FROM review_cases
     WHERE status = 'PENDING_EXTERNAL_APPROVAL' AND overdue_reported_at IS NULL AND opened_at < $1
     ORDER BY opened_at LIMIT $2
       FOR UPDATE SKIP LOCKED
  ), marked AS (
    UPDATE review_cases c SET overdue_reported_at = clock_timestamp() FROM due WHERE c.transaction_id = due.transaction_id RETURNING c.*
  )
  ${CASE_FACTS}`;

const REPORT_DEAD = `
  WITH due AS (
    SELECT id FROM toqio_notifications
     WHERE state = 'DEAD' AND dead_reported_at IS NULL
     ORDER BY dead_at LIMIT $1
       FOR UPDATE SKIP LOCKED
  )
  UPDATE toqio_notifications n SET dead_reported_at = clock_timestamp() FROM due WHERE n.id = due.id
  RETURNING n.id, n.transaction_id, n.body::json->>'status' AS status, n.attempts, n.last_error, n.dead_at`;

interface CaseRow {
  transaction_id: string;
  direction: CaseOnRecord['direction'];
  status: TransactionStatus;
  opened_at: Date;
  amount: string;
  currency: string;
  reasons: string[];
}

interface DeadRow {
  id: string;
  transaction_id: string;
  status: TransactionStatus;
  attempts: number;
  last_error: string | null;
  dead_at: Date;
}

export class PostgresCaseAlertSource extends CaseAlertSource {
  constructor(private readonly pool: Pool) {
    super();
  }

  reportOpened(since: Date, limit: number, toEvents: (cases: readonly CaseOnRecord[]) => readonly OperatorEvent[]): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      await client.query(SKIP_STALE_OPENED, [since]);
      return report(client, REPORT_OPENED, [since, limit], toCase, toEvents);
    });
  }

  reportOverdue(openedBefore: Date, limit: number, toEvents: (cases: readonly CaseOnRecord[]) => readonly OperatorEvent[]): Promise<number> {
    return inTransaction(this.pool, (client) => report(client, REPORT_OVERDUE, [openedBefore, limit], toCase, toEvents));
  }

  reportDead(limit: number, toEvents: (notifications: readonly DeadNotificationOnRecord[]) => readonly OperatorEvent[]): Promise<number> {
    return inTransaction(this.pool, (client) => report(client, REPORT_DEAD, [limit], toDead, toEvents));
  }
}

async function report<Row extends object, Fact>(
  client: PoolClient,
  sql: string,
  values: unknown[],
  toFact: (row: Row) => Fact,
  toEvents: (facts: readonly Fact[]) => readonly OperatorEvent[],
): Promise<number> {
  const { rows } = await client.query<Row>(sql, values);
  if (rows.length === 0) return 0;
  await enqueueOperatorEvents(client, toEvents(rows.map(toFact)));
  return rows.length;
}

function toCase(row: CaseRow): CaseOnRecord {
  return { transactionId: row.transaction_id, direction: row.direction, status: row.status, amount: row.amount, currency: row.currency, reasons: row.reasons, openedAt: row.opened_at };
}

function toDead(row: DeadRow): DeadNotificationOnRecord {
  return { notificationId: row.id, transactionId: row.transaction_id, status: row.status, attempts: row.attempts, lastError: row.last_error, deadAt: row.dead_at };
}
