// Hand-written fake of the ReviewStore port that records every change, for the decision and queue specs.
import { randomUUID } from 'node:crypto';
import { CaseSummary, QueuePage, QueuePosition, QueueQuery, ReviewReadModel, TransactionDetail } from '../../src/application/ports/review-read-model.port';
import { CallbackReceipt, ChangeRecorded, LateDecisionRecorded, ReviewChange, ReviewStore } from '../../src/application/ports/review-store.port';
import { LateProviderDecision } from '../../src/domain/late-provider-decision';
import { ReviewState } from '../../src/domain/decision';
import { ScreeningInProgressError, TransactionNotFoundError } from '../../src/domain/domain-error';

export interface RecordedChange extends ReviewChange {
  readonly transactionId: string;
  readonly notificationId?: string;
}

/**
 * Keeps the port's promises that the use cases rely on: the rule sees the state as last recorded,
 * whatever it throws records nothing, a known receipt short-cuts to `duplicate`, and a final
 * change queues exactly one notification.
 */
export class RecordingReviewStore extends ReviewStore implements ReviewReadModel {
  readonly reviews = new Map<string, ReviewState>();
  readonly changes: RecordedChange[] = [];
  readonly receipts = new Set<string>();
  readonly cases: CaseSummary[] = [];
  readonly details = new Map<string, TransactionDetail>();
  readonly queueQueries: QueueQuery[] = [];
  readonly countQueries: (Date | null)[] = [];
  /** Set to make the next applyChange fail after the rule ran, like a commit that never happens. */
  failNextCommit: Error | undefined;
  /** Set to answer as the store does with the event webhook on: a final change queues case.decided too. */
  raisesEvents = false;

  static holding(...reviews: ReviewState[]): RecordingReviewStore {
    const store = new RecordingReviewStore();
    for (const review of reviews) store.reviews.set(review.transactionId, review);
    return store;
  }

  async applyChange(transactionId: string, rule: (review: ReviewState) => ReviewChange, receipt?: CallbackReceipt): Promise<ChangeRecorded> {
    const receiptKey = receipt ? `${receipt.provider}\u0000${receipt.eventId}` : undefined;
    if (receiptKey !== undefined && this.receipts.has(receiptKey)) return { recorded: false, duplicate: true };
    const review = this.reviews.get(transactionId);
    if (!review) throw new TransactionNotFoundError(transactionId);

    const change = rule(review);
    const failure = this.failNextCommit;
    if (failure) {
      this.failNextCommit = undefined;
      throw failure;
    }

    if (receiptKey !== undefined) this.receipts.add(receiptKey);
    // An inbound alert's decision has no notice: Toqio is not told.
    const notificationId = change.final?.notice ? randomUUID() : undefined;
    this.reviews.set(transactionId, {
      ...review,
      state: change.final?.status ?? review.state,
      history: [...review.history, change.entry],
    });
    this.changes.push({ ...change, transactionId, notificationId });
    const eventQueued = this.raisesEvents && change.final !== undefined;
    return { recorded: true, ...(notificationId ? { notificationId } : {}), ...(eventQueued ? { eventQueued } : {}) };
  }

  /** Late provider decisions kept, as the port was asked. */
  readonly lateDecisions: { transactionId: string; late: LateProviderDecision; receipt?: CallbackReceipt }[] = [];

  async recordLateDecision(transactionId: string, late: LateProviderDecision, receipt?: CallbackReceipt): Promise<LateDecisionRecorded> {
    const receiptKey = receipt ? `${receipt.provider}\u0000${receipt.eventId}` : undefined;
    if (receiptKey !== undefined && this.receipts.has(receiptKey)) return { recorded: false, duplicate: true };
    const review = this.reviews.get(transactionId);
    if (!review) throw new TransactionNotFoundError(transactionId);
    if (review.state === 'SCREENING') throw new ScreeningInProgressError(transactionId);
    if (receiptKey !== undefined) this.receipts.add(receiptKey);
    this.lateDecisions.push({ transactionId, late, ...(receipt ? { receipt } : {}) });
    return { recorded: true, eventQueued: this.raisesEvents && late.status !== review.state };
  }

  async listCases(query: QueueQuery): Promise<QueuePage> {
    this.queueQueries.push(query);
    const matching = this.cases
      .filter((c) => (query.status === undefined || c.status === query.status) && (query.direction === undefined || c.direction === query.direction))
      .filter((c) => query.assignee === undefined || c.assignee === query.assignee)
      .sort(byQueueOrder)
      .filter((c) => query.after === undefined || comparePositions(positionOf(c), query.after) > 0);
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page, next: matching.length > query.limit && last ? positionOf(last) : null };
  }

  async findDetail(transactionId: string): Promise<TransactionDetail | null> {
    return this.details.get(transactionId) ?? null;
  }

  async countPending(overdueBefore: Date | null): Promise<{ pending: number; overdue: number }> {
    this.countQueries.push(overdueBefore);
    const pending = this.cases.filter((c) => c.status === 'PENDING_EXTERNAL_APPROVAL');
    // "since before": strictly earlier, as the port says.
    const overdue = overdueBefore === null ? 0 : pending.filter((c) => c.pendingSince.getTime() < overdueBefore.getTime()).length;
    return { pending: pending.length, overdue };
  }

  stateOf(transactionId: string): ReviewState | undefined {
    return this.reviews.get(transactionId);
  }
}

/** Microseconds since 1970 as text, as the Postgres store keys its positions. */
function positionOf(summary: CaseSummary): QueuePosition {
  return { openedAt: String(BigInt(summary.pendingSince.getTime()) * 1000n), transactionId: summary.transactionId };
}

function comparePositions(a: QueuePosition, b: QueuePosition): number {
  const byTime = BigInt(a.openedAt) - BigInt(b.openedAt);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  return a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0;
}

function byQueueOrder(a: CaseSummary, b: CaseSummary): number {
  return comparePositions(positionOf(a), positionOf(b));
}
