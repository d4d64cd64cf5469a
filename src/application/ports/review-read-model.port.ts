// Port to what analysts read of the review: the queue, one transaction in full, and pending counts.
import { CaseFilters, CaseSummary, Direction, QueuePosition, ReviewStatus, TransactionDetail } from '../review-views';

export type { CaseFilters, Direction, ReviewStatus, QueuePosition, CaseSummary, HistoryEntry, DeliveryAttemptView, NotificationState, NotificationView, PaymentEventView, PaymentView, TransactionDetail, NoteView, AttachmentView, ClaimEventView } from '../review-views';

export interface QueueQuery extends CaseFilters {
  readonly status?: ReviewStatus;
  readonly direction?: Direction;
  /** Only cases this analyst's claim holds; null: only cases nobody's claim holds. */
  readonly assignee?: string | null;
  readonly limit: number;
  /** Start after this position (the previous page's `next`). */
  readonly after?: QueuePosition;
}

export interface QueuePage {
  readonly items: readonly CaseSummary[];
  readonly next: QueuePosition | null;
}

export abstract class ReviewReadModel {
  /** Review cases oldest first, by the time they became pending. */
  abstract listCases(query: QueueQuery): Promise<QueuePage>;

  abstract findDetail(transactionId: string): Promise<TransactionDetail | null>;

  /** Pending cases and how many have waited since before `overdueBefore`. */
  abstract countPending(overdueBefore: Date | null): Promise<{ readonly pending: number; readonly overdue: number }>;
}
