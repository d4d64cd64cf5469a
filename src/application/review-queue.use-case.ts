// What analysts read: the review queue and one transaction in full, with overdue marks from the SLA.
import { TransactionNotFoundError } from '../domain/domain-error';
import { CaseFilters, CaseSummary, Direction, QueuePosition, ReviewStatus, ReviewReadModel, TransactionDetail } from './ports/review-read-model.port';

export interface Overdue {
  /** When the pending transaction reaches its SLA (overdue just after); null without an SLA or once decided. */
  readonly dueAt: Date | null;
  readonly overdue: boolean;
}

export interface ListQuery extends CaseFilters {
  readonly status?: ReviewStatus;
  readonly direction?: Direction;
  /** Only cases this analyst's claim holds; null: only cases nobody's claim holds. */
  readonly assignee?: string | null;
  readonly limit: number;
  /** Start after this position: the previous page's `next`. */
  readonly after?: QueuePosition;
}

export interface ReviewQueuePolicy {
  /** PENDING_SLA_MINUTES; unset means nothing is ever overdue. */
  readonly pendingSlaMinutes?: number;
}

export class ReviewQueue {
  private readonly now: () => Date;

  constructor(
    private readonly readModel: ReviewReadModel,
    private readonly policy: ReviewQueuePolicy,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  async list(query: ListQuery): Promise<{ items: (CaseSummary & Overdue)[]; next: QueuePosition | null }> {
    const page = await this.readModel.listCases(query);
    const now = this.now();
    return {
      items: page.items.map((item) => ({ ...item, ...this.overdue(item.status, item.pendingSince, now) })),
      next: page.next,
    };
  }

  async detail(transactionId: string): Promise<TransactionDetail & Overdue> {
    const detail = await this.readModel.findDetail(transactionId);
    if (!detail) throw new TransactionNotFoundError(transactionId);
    return { ...detail, ...this.overdue(detail.status, detail.review?.pendingSince ?? null, this.now()) };
  }

  /** Pending count and overdue count, for metrics. */
  pendingCounts(): Promise<{ pending: number; overdue: number }> {
    const minutes = this.policy.pendingSlaMinutes;
    return this.readModel.countPending(minutes === undefined ? null : new Date(this.now().getTime() - minutes * 60_000));
  }

  private overdue(status: string, pendingSince: Date | null, now: Date): Overdue {
    const minutes = this.policy.pendingSlaMinutes;
    if (minutes === undefined || status !== 'PENDING_EXTERNAL_APPROVAL' || pendingSince === null) return { dueAt: null, overdue: false };
    const dueAt = new Date(pendingSince.getTime() + minutes * 60_000);
    // Overdue means pending longer than the SLA: strictly after dueAt, as the store counts it for metrics.
    return { dueAt, overdue: now.getTime() > dueAt.getTime() };
  }
}
