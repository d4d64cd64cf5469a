// What analysts read: the review queue and one transaction in full, with overdue marks from the SLA.
import { InvalidCursorError, TransactionNotFoundError } from '../domain/domain-error';
import { isUsableId } from '../domain/transaction-id';
import { CaseSummary, Direction, QueuePosition, ReviewStatus, ReviewStore, TransactionDetail } from './ports/review-store.port';

export interface Overdue {
  /** When the pending transaction reaches its SLA (overdue just after); null without an SLA or once decided. */
  readonly dueAt: Date | null;
  readonly overdue: boolean;
}

export interface ListQuery {
  readonly status?: ReviewStatus;
  readonly direction?: Direction;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ReviewQueuePolicy {
  /** PENDING_SLA_MINUTES; unset means nothing is ever overdue. */
  readonly pendingSlaMinutes?: number;
}

export class ReviewQueue {
  private readonly now: () => Date;

  constructor(
    private readonly store: ReviewStore,
    private readonly policy: ReviewQueuePolicy,
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  /** `cursor` is the opaque `next` of the previous page. */
  async list(query: ListQuery): Promise<{ items: (CaseSummary & Overdue)[]; next: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await this.store.listCases({ status: query.status, direction: query.direction, limit: query.limit, after });
    const now = this.now();
    return {
      items: page.items.map((item) => ({ ...item, ...this.overdue(item.status, item.pendingSince, now) })),
      next: page.next ? encodeCursor(page.next) : null,
    };
  }

  async detail(transactionId: string): Promise<TransactionDetail & Overdue> {
    const detail = await this.store.findDetail(transactionId);
    if (!detail) throw new TransactionNotFoundError(transactionId);
    return { ...detail, ...this.overdue(detail.status, detail.review?.pendingSince ?? null, this.now()) };
  }

  /** Pending count and overdue count, for metrics. */
  pendingCounts(): Promise<{ pending: number; overdue: number }> {
    const minutes = this.policy.pendingSlaMinutes;
    return this.store.countPending(minutes === undefined ? null : new Date(this.now().getTime() - minutes * 60_000));
  }

  private overdue(status: string, pendingSince: Date | null, now: Date): Overdue {
    const minutes = this.policy.pendingSlaMinutes;
    if (minutes === undefined || status !== 'PENDING_EXTERNAL_APPROVAL' || pendingSince === null) return { dueAt: null, overdue: false };
    const dueAt = new Date(pendingSince.getTime() + minutes * 60_000);
    // Overdue means pending longer than the SLA: strictly after dueAt, as the store counts it for metrics.
    return { dueAt, overdue: now.getTime() > dueAt.getTime() };
  }
}

const POSITION_KEY = /^-?\d{1,17}$/;

function encodeCursor(position: QueuePosition): string {
  return Buffer.from(JSON.stringify([position.openedAt, position.transactionId]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): QueuePosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(value) || value.length !== 2) throw new InvalidCursorError();
  const [openedAt, transactionId] = value as unknown[];
  // Decoded from client input: held to the id rule like a path id, so nothing unstorable reaches SQL.
  if (typeof openedAt !== 'string' || !POSITION_KEY.test(openedAt) || !isUsableId(transactionId)) {
    throw new InvalidCursorError();
  }
  return { openedAt, transactionId };
}
