// PostgreSQL record of review decisions: each under the transaction's row lock, with its chained entry and notice.
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { CallbackReceipt, ChangeRecorded, LateDecisionRecorded, ReviewChange, ReviewStore } from '../../application/ports/review-store.port';
import { caseDecided } from '../../domain/case-alerts';
import { PartVerdictOnRecord } from '../../domain/combined-hold';
import { DecisionEntry, DecisionSource, noticeBody, ReviewState } from '../../domain/decision';
import { ScreeningInProgressError, TransactionNotFoundError } from '../../domain/domain-error';
import { decisionContradicted, LateProviderDecision, lateDecisionNote } from '../../domain/late-provider-decision';
import { Money } from '../../domain/money';
import { Direction } from '../../domain/transaction';
import { SCREENING, TransactionState } from '../../domain/transaction-status';
import { entryHash, genesisHash } from './decision-chain';
import { inTransaction } from './in-transaction';
import { enqueueOperatorEvents } from './postgres-operator-event.outbox';
import { claimOnRecord, recordClaimChange } from './postgres-case-claim.store';
import { appendCaseRecord, CHAIN_HEAD } from './postgres-case-record.store';

interface LockedTransaction {
  id: string;
  direction: Direction;
  state: TransactionState;
  amount: string;
  currency: string;
}

interface EntryRow {
  sequence: number;
  status: TransactionState;
  final: boolean;
  source: DecisionSource;
  decided_by: string;
  reasons: string[];
  decided_at: Date;
  hash: string;
}

const LOCK_TRANSACTION = `SELECT id, direction, state, amount::text AS amount, currency FROM transactions WHERE id = $1 FOR UPDATE`;
const HISTORY = `
  SELECT sequence, status, final, source, decided_by, reasons, decided_at, hash
    FROM transaction_decisions WHERE transaction_id = $1 ORDER BY sequence`;
/** A combination's parts, each with its own verdict at screening (null when it failed). */
const PARTS = `SELECT provider, status FROM provider_verdicts WHERE transaction_id = $1 AND role = 'LIVE'`;
const RECORD_CALLBACK = `
  INSERT INTO monitoring_callbacks (provider, event_id, transaction_id) VALUES ($1, $2, $3)
  ON CONFLICT DO NOTHING RETURNING event_id`;
const APPEND_ENTRY = `
  INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`;
const CLOSE_TRANSACTION = `UPDATE transactions SET state = $2, reasons = $3, updated_at = clock_timestamp() WHERE id = $1`;
const CLOSE_CASE = `UPDATE review_cases SET status = $2, decided_at = $3 WHERE transaction_id = $1 RETURNING opened_at`;
const NOTE_FIRST_APPROVAL = `UPDATE review_cases SET first_approved_by = $2, first_approved_at = $3 WHERE transaction_id = $1`;
/** A decided transaction needs no late verdict; the queue's claim also skips such rows, as a safety net. */
const DROP_LATE_SCREENING = `DELETE FROM screening_retries WHERE transaction_id = $1`;
const RECORD_RULE_SET_VERSION = `UPDATE transactions SET rule_set_version = $2 WHERE id = $1`;
const QUEUE_NOTIFICATION = `
  INSERT INTO toqio_notifications (id, transaction_id, decision_id, body, state, next_attempt_at, queued_at)
  VALUES ($1, $2, $3, $4, 'QUEUED', clock_timestamp(), clock_timestamp())`;

export interface ReviewStoreOptions {
  /** The event webhook is on: a final decision queues its case.decided event in its own transaction. */
  readonly raiseEvents?: boolean;
}

export class PostgresReviewStore extends ReviewStore {
  constructor(
    private readonly pool: Pool,
    private readonly options: ReviewStoreOptions = {},
  ) {
    super();
  }

  async applyChange(transactionId: string, rule: (review: ReviewState) => ReviewChange, receipt?: CallbackReceipt): Promise<ChangeRecorded> {
    return inTransaction(this.pool, async (client) => {
      const transaction = await receiveAndLock(client, transactionId, receipt);
      if (transaction === 'DUPLICATE') return { recorded: false, duplicate: true };
      const { rows: history } = await client.query<EntryRow>(HISTORY, [transactionId]);
      // Its own statement after the lock (see CLAIM_ON_RECORD): a claim committed while we waited counts.
      const claim = await claimOnRecord(client, transactionId);
      const { rows: parts } = await client.query<PartVerdictOnRecord>(PARTS, [transactionId]);

      const change = rule({
        transactionId,
        direction: transaction.direction,
        state: transaction.state,
        money: Money.of(transaction.amount, transaction.currency),
        history: history.map(toEntry),
        claim,
        parts,
      });

      // Notes and attachments share the chain: the entry before this one may be one of them.
      const { rows: heads } = await client.query<{ sequence: number; hash: string }>(CHAIN_HEAD, [transactionId]);
      const previous = heads[0];
      const sequence = (previous?.sequence ?? 0) + 1;
      const prevHash = previous?.hash ?? genesisHash(transactionId, transaction.amount, transaction.currency);
      const { entry } = change;
      const hash = entryHash(prevHash, { ...entry, transactionId, sequence });
      const { rows: appended } = await client.query<{ id: string }>(APPEND_ENTRY, [
        transactionId,
        sequence,
        entry.status,
        entry.final,
        entry.source,
        entry.decidedBy,
        JSON.stringify(entry.reasons),
        entry.decidedAt,
        prevHash,
        hash,
      ]);

      if (change.claim) await recordClaimChange(client, transactionId, change.claim);
      if (change.ruleSetVersion !== undefined) await client.query(RECORD_RULE_SET_VERSION, [transactionId, change.ruleSetVersion]);
      if (!change.final) {
        if (entry.source === 'ANALYST' && entry.status === 'APPROVED') await client.query(NOTE_FIRST_APPROVAL, [transactionId, entry.decidedBy, entry.decidedAt]);
        return { recorded: true };
      }
      const eventQueued = await this.close(client, transaction, change.final, entry, history[0]?.reasons ?? []);
      await client.query(DROP_LATE_SCREENING, [transactionId]);
      if (!change.final.notice) return { recorded: true, eventQueued };
      const notificationId = randomUUID();
      await client.query(QUEUE_NOTIFICATION, [notificationId, transactionId, appended[0]!.id, noticeBody(change.final.notice)]);
      return { recorded: true, notificationId, eventQueued };
    });
  }

  async recordLateDecision(transactionId: string, late: LateProviderDecision, receipt?: CallbackReceipt): Promise<LateDecisionRecorded> {
    return inTransaction(this.pool, async (client) => {
      const transaction = await receiveAndLock(client, transactionId, receipt);
      if (transaction === 'DUPLICATE') return { recorded: false, duplicate: true };
      if (transaction.state === SCREENING) throw new ScreeningInProgressError(transactionId);
      const { state } = transaction;
      if (state !== 'APPROVED' && state !== 'REJECTED') throw new Error(`transaction ${transactionId} is ${state}: a late decision is for a final one`);
      const onRecord = { transactionId, direction: transaction.direction, status: state, amount: transaction.amount, currency: transaction.currency };
      await appendCaseRecord(client, transactionId, lateDecisionNote(onRecord, late));
      const event = this.options.raiseEvents ? decisionContradicted(onRecord, late) : null;
      return { recorded: true, eventQueued: event !== null && (await enqueueOperatorEvents(client, [event])) > 0 };
    });
  }

  /**
   * Closes the transaction and its case; with the event webhook on, queues case.decided in the same
   * transaction. Says whether it queued the event.
   */
  private async close(client: PoolClient, transaction: LockedTransaction, final: NonNullable<ReviewChange['final']>, entry: DecisionEntry, heldFor: readonly string[]): Promise<boolean> {
    await client.query(CLOSE_TRANSACTION, [transaction.id, final.status, JSON.stringify(entry.reasons)]);
    const { rows: closed } = await client.query<{ opened_at: Date }>(CLOSE_CASE, [transaction.id, final.status, entry.decidedAt]);
    if (!this.options.raiseEvents || !closed[0]) return false;
    const { id: transactionId, direction, amount, currency } = transaction;
    const event = caseDecided(
      { transactionId, direction, status: final.status, amount, currency, reasons: heldFor, openedAt: closed[0].opened_at },
      // Four-eyes approvals name both analysts, as Toqio is told.
      { decidedBy: final.notice?.decidedBy ?? entry.decidedBy, source: entry.source, reasons: entry.reasons, decidedAt: entry.decidedAt },
    );
    return (await enqueueOperatorEvents(client, [event])) > 0;
  }
}

/**
 * Records the callback's receipt (DUPLICATE when it is on record already), then locks the
 * transaction's row for the rest of the database transaction. Throws TransactionNotFoundError.
 */
async function receiveAndLock(client: PoolClient, transactionId: string, receipt: CallbackReceipt | undefined): Promise<LockedTransaction | 'DUPLICATE'> {
  if (receipt) {
    const { rowCount } = await client.query(RECORD_CALLBACK, [receipt.provider, receipt.eventId, transactionId]);
    if (rowCount === 0) return 'DUPLICATE';
  }
  const { rows: locked } = await client.query<LockedTransaction>(LOCK_TRANSACTION, [transactionId]);
  if (!locked[0]) throw new TransactionNotFoundError(transactionId);
  return locked[0];
}

function toEntry(row: EntryRow): DecisionEntry {
  return { status: row.status, final: row.final, source: row.source, decidedBy: row.decided_by, reasons: row.reasons, decidedAt: row.decided_at };
}
