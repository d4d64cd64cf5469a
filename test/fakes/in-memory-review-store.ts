// Hand-written fake of the ReviewStore port, with the decision semantics of PostgresReviewStore.
import { randomUUID } from 'node:crypto';
import { CaseSummary, Direction, HistoryEntry, NotificationView, QueuePage, QueueQuery, ReviewReadModel, ReviewStatus, TransactionDetail } from '../../src/application/ports/review-read-model.port';
import { CallbackReceipt, ChangeRecorded, LateDecisionRecorded, ReviewChange, ReviewStore } from '../../src/application/ports/review-store.port';
import { CaseClaimStore } from '../../src/application/ports/case-claim-store.port';
import { activeClaim, CaseClaim, ClaimChange, ClaimEvent, ClaimState } from '../../src/domain/case-claim';
import { entryHash, genesisHash } from '../../src/adapters/persistence/decision-chain';
import { PartVerdictOnRecord } from '../../src/domain/combined-hold';
import { DecisionEntry, DecisionSource, noticeBody, ReviewState } from '../../src/domain/decision';
import { ScreeningInProgressError, TransactionNotFoundError } from '../../src/domain/domain-error';
import { decisionContradicted, LateProviderDecision, lateDecisionNote } from '../../src/domain/late-provider-decision';
import { CaseNote } from '../../src/domain/case-record';
import { OperatorEvent } from '../../src/domain/operator-event';
import { Money } from '../../src/domain/money';
import { TransactionState } from '../../src/domain/transaction-status';

/** A transaction as validate left it; everything but the id and money has a plausible default. */
export interface SeededTransaction {
  readonly transactionId: string;
  readonly amount?: string;
  readonly currency?: string;
  /** PENDING_EXTERNAL_APPROVAL (default) opens a review case; SCREENING has no history yet. */
  readonly status?: TransactionState;
  /** Of validate's entry: PROVIDER (default) or FALLBACK (the provider failed). */
  readonly source?: Extract<DecisionSource, 'PROVIDER' | 'FALLBACK'>;
  readonly provider?: string;
  readonly reasons?: readonly string[];
  readonly direction?: Direction;
  readonly beneficiary?: Record<string, unknown> | null;
  readonly receivedAt?: Date;
  /** Each part's own verdict, when a combination screened it (PostgreSQL's provider_verdicts). */
  readonly parts?: readonly PartVerdictOnRecord[];
}

interface Row {
  readonly transactionId: string;
  readonly direction: Direction;
  readonly amount: string;
  readonly currency: string;
  readonly beneficiary: Record<string, unknown> | null;
  readonly receivedAt: Date;
  readonly provider: string;
  readonly source: DecisionSource;
  readonly parts: readonly PartVerdictOnRecord[];
  state: TransactionState;
  reasons: readonly string[];
  readonly history: HistoryEntry[];
  reviewCase: { status: ReviewStatus; openedAt: Date; decidedAt: Date | null; firstApproval: { by: string; at: Date } | null } | null;
  claim: CaseClaim | null;
  readonly claimEvents: ClaimEvent[];
}

/*
 * What PostgresReviewStore guarantees and this fake keeps: a change is all or nothing (a rule that
 * throws leaves no trace, not even the callback receipt); a receipt already on record answers
 * `duplicate` before the transaction is even looked up; an unknown id throws
 * TransactionNotFoundError; a final change closes the transaction and its case and queues exactly
 * one notification (a second one for the same transaction fails like the unique constraint).
 * The rule runs with no await between reading and writing, which is what the row lock gives.
 */
export class InMemoryReviewStore extends ReviewStore implements ReviewReadModel, CaseClaimStore {
  private readonly rows = new Map<string, Row>();
  private readonly receipts = new Map<string, string>();
  /** Every notification queued, in order. */
  readonly notifications: NotificationView[] = [];
  /** Late provider decisions kept, as the notes the real store appends to the chain, and the events it would queue. */
  readonly lateNotes: { transactionId: string; note: CaseNote }[] = [];
  readonly lateEvents: OperatorEvent[] = [];
  /** Every applyChange call, with what it answered or threw. */
  readonly calls: { transactionId: string; receipt?: CallbackReceipt; outcome: ChangeRecorded | Error }[] = [];
  now: () => Date = () => new Date();

  /** Seeds a transaction as validate would have recorded it. */
  add(seed: SeededTransaction): this {
    const status = seed.status ?? 'PENDING_EXTERNAL_APPROVAL';
    const source = seed.source ?? 'PROVIDER';
    const provider = seed.provider ?? 'rules';
    const amount = seed.amount ?? '12000.00';
    const currency = seed.currency ?? 'GBP';
    const receivedAt = seed.receivedAt ?? this.now();
    const reasons = seed.reasons ?? (status === 'PENDING_EXTERNAL_APPROVAL' ? ['Amount is 10,000 or more'] : []);
    Money.of(amount, currency); // the same validation the real store's callers went through
    const row: Row = {
      transactionId: seed.transactionId,
      direction: seed.direction ?? 'OUTBOUND',
      amount,
      currency,
      beneficiary: seed.beneficiary === undefined ? { name: 'Ada', country: 'GB' } : seed.beneficiary,
      receivedAt,
      provider,
      source,
      parts: seed.parts ?? [],
      state: status,
      reasons,
      history: [],
      claim: null,
      claimEvents: [],
      reviewCase: status === 'PENDING_EXTERNAL_APPROVAL' ? { status, openedAt: receivedAt, decidedAt: null, firstApproval: null } : null,
    };
    if (status !== 'SCREENING') {
      this.append(row, { status, final: status !== 'PENDING_EXTERNAL_APPROVAL', source, decidedBy: provider, reasons, decidedAt: receivedAt });
    }
    this.rows.set(seed.transactionId, row);
    return this;
  }

  async applyChange(transactionId: string, rule: (review: ReviewState) => ReviewChange, receipt?: CallbackReceipt): Promise<ChangeRecorded> {
    // A real store answers later; let callers' concurrent calls interleave here, never below.
    await Promise.resolve();
    try {
      const outcome = this.applyAtomically(transactionId, rule, receipt);
      this.calls.push({ transactionId, receipt, outcome });
      return outcome;
    } catch (error) {
      this.calls.push({ transactionId, receipt, outcome: error as Error });
      throw error;
    }
  }

  async recordLateDecision(transactionId: string, late: LateProviderDecision, receipt?: CallbackReceipt): Promise<LateDecisionRecorded> {
    await Promise.resolve();
    if (receipt && this.receipts.has(receiptKey(receipt))) return { recorded: false, duplicate: true };
    const row = this.rows.get(transactionId);
    if (!row) throw new TransactionNotFoundError(transactionId);
    if (row.state === 'SCREENING') throw new ScreeningInProgressError(transactionId);
    const { state: status } = row;
    if (status !== 'APPROVED' && status !== 'REJECTED') throw new Error(`transaction ${transactionId} is ${status}: a late decision is for a final one`);
    if (receipt) this.receipts.set(receiptKey(receipt), transactionId);
    const onRecord = { transactionId, direction: row.direction, status, amount: row.amount, currency: row.currency };
    this.lateNotes.push({ transactionId, note: lateDecisionNote(onRecord, late) });
    const event = decisionContradicted(onRecord, late);
    if (event) this.lateEvents.push(event);
    return { recorded: true, eventQueued: event !== null };
  }

  async changeClaim(transactionId: string, rule: (current: ClaimState) => ClaimChange): Promise<CaseClaim | null> {
    await Promise.resolve();
    const row = this.rows.get(transactionId);
    if (!row) throw new TransactionNotFoundError(transactionId);
    const change = rule({ transactionId, state: row.state, claim: row.claim });
    if (change.event === null) return row.claim;
    this.recordClaim(row, change);
    return change.claim;
  }

  /** Every claim event of the transaction, oldest first. */
  claimEventsOf(transactionId: string): readonly ClaimEvent[] {
    return this.rows.get(transactionId)?.claimEvents ?? [];
  }

  async listCases(query: QueueQuery): Promise<QueuePage> {
    const after = query.after;
    const now = this.now();
    const cases = [...this.rows.values()]
      .filter((row) => row.reviewCase !== null)
      .filter((row) => query.assignee === undefined || (activeClaim(row.claim, now)?.assignee ?? null) === query.assignee)
      .filter((row) => query.status === undefined || row.reviewCase!.status === query.status)
      .filter((row) => query.direction === undefined || row.direction === query.direction)
      .sort((a, b) => comparePosition(positionOf(a), positionOf(b)))
      .filter((row) => after === undefined || comparePosition(positionOf(row), after) > 0);
    const page = cases.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map((row) => toSummary(row, now)), next: cases.length > query.limit && last ? positionOf(last) : null };
  }

  async findDetail(transactionId: string): Promise<TransactionDetail | null> {
    const row = this.rows.get(transactionId);
    if (!row) return null;
    const first = row.history[0];
    return {
      transactionId: row.transactionId,
      direction: row.direction,
      status: row.state,
      amount: row.amount,
      currency: row.currency,
      payloadJson: JSON.stringify({ transactionId: row.transactionId, amount: row.amount, currency: row.currency, beneficiary: row.beneficiary ?? undefined }),
      reasons: [...row.reasons],
      receivedAt: row.receivedAt,
      screening: {
        provider: first ? row.provider : null,
        outcome: first ? (row.source === 'FALLBACK' ? 'ERROR' : 'DECIDED') : null,
        providerStatus: first && row.source === 'PROVIDER' ? first.status : null,
        providerReasons: first && row.source === 'PROVIDER' ? [...first.reasons] : null,
        durationMs: first ? 0 : null,
        screenedAt: first ? first.decidedAt : null,
        ruleSetVersion: null,
      },
      review: row.reviewCase ? { pendingSince: row.reviewCase.openedAt, decidedAt: row.reviewCase.decidedAt } : null,
      assignee: activeClaim(row.claim, this.now())?.assignee ?? null,
      claimedUntil: activeClaim(row.claim, this.now())?.claimedUntil ?? null,
      claimHistory: row.claimEvents.map((event) => ({ ...event })),
      decisions: row.history.map((entry) => ({ ...entry })),
      notes: [],
      attachments: [],
      notifications: this.notifications.filter((n) => n.transactionId === transactionId),
      paymentEvents: [],
      payments: [],
    };
  }

  async countPending(overdueBefore: Date | null): Promise<{ pending: number; overdue: number }> {
    const pending = [...this.rows.values()].filter((row) => row.reviewCase?.status === 'PENDING_EXTERNAL_APPROVAL');
    // As in SQL, `opened_at < NULL` holds for nobody.
    const overdue = overdueBefore === null ? 0 : pending.filter((row) => row.reviewCase!.openedAt < overdueBefore).length;
    return { pending: pending.length, overdue };
  }

  /** The transaction's state, or undefined for an unknown id. */
  stateOf(transactionId: string): TransactionState | undefined {
    return this.rows.get(transactionId)?.state;
  }

  historyOf(transactionId: string): readonly HistoryEntry[] {
    return this.rows.get(transactionId)?.history ?? [];
  }

  notificationsOf(transactionId: string): readonly NotificationView[] {
    return this.notifications.filter((n) => n.transactionId === transactionId);
  }

  hasReceipt(receipt: CallbackReceipt): boolean {
    return this.receipts.has(receiptKey(receipt));
  }

  private applyAtomically(transactionId: string, rule: (review: ReviewState) => ReviewChange, receipt?: CallbackReceipt): ChangeRecorded {
    if (receipt && this.receipts.has(receiptKey(receipt))) return { recorded: false, duplicate: true };
    const row = this.rows.get(transactionId);
    if (!row) throw new TransactionNotFoundError(transactionId);
    const change = rule({
      transactionId,
      direction: row.direction,
      state: row.state,
      money: Money.of(row.amount, row.currency),
      history: row.history.map(withoutChain),
      claim: row.claim,
      parts: row.parts,
    });
    // Checked before anything is written, so that the failure leaves nothing behind.
    if (change.final && this.notifications.some((n) => n.transactionId === transactionId)) {
      throw new Error('duplicate key value violates unique constraint "toqio_notifications_transaction_id_key"');
    }

    if (receipt) this.receipts.set(receiptKey(receipt), transactionId);
    const { entry } = change;
    this.append(row, entry);
    if (change.claim) this.recordClaim(row, change.claim);
    if (!change.final) {
      if (entry.source === 'ANALYST' && entry.status === 'APPROVED' && row.reviewCase) row.reviewCase.firstApproval = { by: entry.decidedBy, at: entry.decidedAt };
      return { recorded: true };
    }
    row.state = change.final.status;
    row.reasons = [...entry.reasons];
    if (row.reviewCase) {
      row.reviewCase.status = change.final.status;
      row.reviewCase.decidedAt = entry.decidedAt;
    }
    if (!change.final.notice) return { recorded: true };
    const createdAt = this.now();
    const notification: NotificationView = {
      id: randomUUID(),
      transactionId,
      state: 'QUEUED',
      // A copy with the contract's keys only: the real store keeps the JSON text it will send.
      body: JSON.parse(noticeBody(change.final.notice)) as NotificationView['body'],
      createdAt,
      nextAttemptAt: createdAt,
      deliveredAt: null,
      deadAt: null,
      lastError: null,
      redeliveredBy: null,
      redeliveredAt: null,
      attempts: [],
    };
    this.notifications.push(notification);
    return { recorded: true, notificationId: notification.id };
  }

  private recordClaim(row: Row, change: ClaimChange): void {
    row.claim = change.claim;
    if (change.event) row.claimEvents.push(change.event);
  }

  private append(row: Row, entry: DecisionEntry): void {
    const previous = row.history[row.history.length - 1];
    const sequence = (previous?.sequence ?? 0) + 1;
    const prevHash = previous?.hash ?? genesisHash(row.transactionId, row.amount, row.currency);
    const stored: DecisionEntry = { ...entry, reasons: [...entry.reasons], decidedAt: new Date(entry.decidedAt.getTime()) };
    row.history.push({ ...stored, sequence, hash: entryHash(prevHash, { ...stored, transactionId: row.transactionId, sequence }) });
  }
}

function receiptKey(receipt: CallbackReceipt): string {
  return JSON.stringify([receipt.provider, receipt.eventId]);
}

function withoutChain(entry: HistoryEntry): DecisionEntry {
  const { sequence: _sequence, hash: _hash, ...rest } = entry;
  return rest;
}

/** Microseconds since 1970 as text, as the real store's cursor carries it. */
function positionOf(row: Row): { openedAt: string; transactionId: string } {
  return { openedAt: String(BigInt(row.reviewCase!.openedAt.getTime()) * 1000n), transactionId: row.transactionId };
}

function comparePosition(a: { openedAt: string; transactionId: string }, b: { openedAt: string; transactionId: string }): number {
  const byTime = BigInt(a.openedAt) - BigInt(b.openedAt);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  return a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0;
}

function toSummary(row: Row, now: Date): CaseSummary {
  const reviewCase = row.reviewCase!;
  const claim = activeClaim(row.claim, now);
  return {
    transactionId: row.transactionId,
    direction: row.direction,
    status: reviewCase.status,
    amount: row.amount,
    currency: row.currency,
    beneficiary: row.beneficiary,
    reasons: [...row.reasons],
    pendingSince: reviewCase.openedAt,
    decidedAt: reviewCase.decidedAt,
    firstApproval: reviewCase.status === 'PENDING_EXTERNAL_APPROVAL' ? reviewCase.firstApproval : null,
    assignee: claim?.assignee ?? null,
    claimedUntil: claim?.claimedUntil ?? null,
  };
}
