// PostgreSQL read model of the review: the queue, one transaction in full, and pending counts.
import { Pool } from 'pg';
import {
  AttachmentView,
  NoteView,
  ClaimEventView,
  HistoryEntry,
  NotificationView,
  PaymentEventView,
  PaymentView,
  QueuePage,
  QueueQuery,
  ReviewReadModel,
  TransactionDetail,
} from '../../application/ports/review-read-model.port';
import { Direction } from '../../domain/transaction';
import { TransactionState } from '../../domain/transaction-status';
import { queuePage } from './postgres-case-search';
import { DETAIL } from './postgres-review.queries';

export class PostgresReviewReadModel extends ReviewReadModel {
  constructor(private readonly pool: Pool) {
    super();
  }

  listCases(query: QueueQuery): Promise<QueuePage> {
    return queuePage(this.pool, query);
  }

  async findDetail(transactionId: string): Promise<TransactionDetail | null> {
    const { rows } = await this.pool.query<DetailRow>(DETAIL, [transactionId]);
    const row = rows[0];
    if (!row) return null;
    return {
      transactionId: row.id,
      direction: row.direction,
      status: row.state,
      amount: row.amount,
      currency: row.currency,
      payloadJson: row.payload_json,
      reasons: row.reasons,
      receivedAt: row.received_at,
      screening: {
        provider: row.provider,
        outcome: row.screening_outcome,
        providerStatus: row.provider_status,
        providerReasons: row.provider_reasons,
        durationMs: row.screening_ms,
        ruleSetVersion: row.rule_set_version,
        screenedAt: row.screened_at,
      },
      review: row.opened_at ? { pendingSince: row.opened_at, decidedAt: row.decided_at } : null,
      assignee: row.assignee,
      claimedUntil: row.claimed_until,
      claimHistory: row.claim_history.map((e) => ({ ...e, at: new Date(e.at as unknown as string), claimedUntil: date(e.claimedUntil) })),
      decisions: row.decisions.map((d) => ({ ...d, decidedAt: new Date(d.decidedAt as unknown as string) })),
      notes: row.notes.map((n) => ({ ...n, at: new Date(n.at as unknown as string) })),
      attachments: row.attachments.map((a) => ({ ...a, at: new Date(a.at as unknown as string) })),
      notifications: row.notifications.map(toNotificationView),
      paymentEvents: row.payment_events.map((e) => ({ ...e, receivedAt: new Date(e.receivedAt as unknown as string) })),
      payments: row.payments.map((p) => ({ ...p, updatedAt: new Date(p.updatedAt as unknown as string) })),
    };
  }

  async countPending(overdueBefore: Date | null): Promise<{ pending: number; overdue: number }> {
    const { rows } = await this.pool.query<{ pending: number; overdue: number }>(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE opened_at < $1)::int AS overdue
         FROM review_cases WHERE status = 'PENDING_EXTERNAL_APPROVAL'`,
      [overdueBefore],
    );
    return rows[0]!;
  }
}

interface DetailRow {
  payment_events: PaymentEventView[];
  payments: PaymentView[];
  id: string;
  direction: Direction;
  state: TransactionState;
  amount: string;
  currency: string;
  payload_json: string;
  reasons: string[];
  received_at: Date;
  provider: string | null;
  screening_outcome: string | null;
  provider_status: string | null;
  provider_reasons: string[] | null;
  screening_ms: number | null;
  rule_set_version: number | null;
  screened_at: Date | null;
  opened_at: Date | null;
  decided_at: Date | null;
  assignee: string | null;
  claimed_until: Date | null;
  claim_history: ClaimEventView[];
  decisions: HistoryEntry[];
  notes: NoteView[];
  attachments: AttachmentView[];
  notifications: Record<string, unknown>[];
}

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

export function toNotificationView(json: Record<string, unknown>): NotificationView {
  const attempts = json['attempts'] as Record<string, unknown>[];
  return {
    id: json['id'] as string,
    transactionId: json['transactionId'] as string,
    state: json['state'] as NotificationView['state'],
    body: json['body'] as NotificationView['body'],
    createdAt: date(json['createdAt'])!,
    nextAttemptAt: date(json['nextAttemptAt']),
    deliveredAt: date(json['deliveredAt']),
    deadAt: date(json['deadAt']),
    lastError: (json['lastError'] as string | null) ?? null,
    redeliveredBy: (json['redeliveredBy'] as string | null) ?? null,
    redeliveredAt: date(json['redeliveredAt']),
    attempts: attempts.map((a) => ({
      attempt: a['attempt'] as number,
      startedAt: date(a['startedAt'])!,
      durationMs: a['durationMs'] as number,
      outcome: a['outcome'] as string,
      httpStatus: (a['httpStatus'] as number | null) ?? null,
      error: (a['error'] as string | null) ?? null,
    })),
  };
}
