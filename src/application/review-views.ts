// What analysts read of the review, declared once: the read model returns it, the use cases pass it on, HTTP answers it as JSON.
import { DecisionEntry, DecisionNotice } from '../domain/decision';
import { Direction } from '../domain/transaction';
import { TransactionState } from '../domain/transaction-status';

export type { Direction } from '../domain/transaction';
export type ReviewStatus = Exclude<TransactionState, 'SCREENING'>;

/** A case's place in the queue: when it became pending (microseconds since 1970, as text), then its id. */
export interface QueuePosition {
  readonly openedAt: string;
  readonly transactionId: string;
}

/** What an analyst can narrow the queue to, besides status and direction; every field optional, all must hold. */
export interface CaseFilters {
  /** A substring of the id, reference, beneficiary name or IBAN, or a name similar to the beneficiary's (3 characters or more). */
  readonly q?: string;
  readonly sourceAccountId?: string;
  readonly customerId?: string;
  /** Compared without spaces and case. */
  readonly beneficiaryIban?: string;
  /** Exact decimal text, inclusive. */
  readonly minAmount?: string;
  /** Exact decimal text, inclusive. */
  readonly maxAmount?: string;
  readonly currency?: string;
  /** When the case was held: from inclusive, to exclusive. */
  readonly from?: Date;
  readonly to?: Date;
}

export interface CaseSummary {
  readonly transactionId: string;
  readonly direction: Direction;
  readonly status: ReviewStatus;
  /** Exact decimal text. */
  readonly amount: string;
  readonly currency: string;
  readonly beneficiary: Record<string, unknown> | null;
  readonly reasons: readonly string[];
  readonly pendingSince: Date;
  readonly decidedAt: Date | null;
  /** Four-eyes: the analyst whose approval waits for a second one. */
  readonly firstApproval: { readonly by: string; readonly at: Date } | null;
  /** The analyst whose claim holds the case now; null when nobody's does (none, or lapsed). */
  readonly assignee: string | null;
  readonly claimedUntil: Date | null;
}

export interface HistoryEntry extends DecisionEntry {
  readonly sequence: number;
  readonly hash: string;
}

export interface DeliveryAttemptView {
  readonly attempt: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outcome: string;
  readonly httpStatus: number | null;
  readonly error: string | null;
}

export type NotificationState = 'QUEUED' | 'DELIVERED' | 'DEAD';

export interface NotificationView {
  readonly id: string;
  readonly transactionId: string;
  readonly state: NotificationState;
  readonly body: DecisionNotice;
  readonly createdAt: Date;
  readonly nextAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly deadAt: Date | null;
  readonly lastError: string | null;
  readonly redeliveredBy: string | null;
  readonly redeliveredAt: Date | null;
  readonly attempts: readonly DeliveryAttemptView[];
}

/** A payment provider's event about this transaction, as recorded. */
export interface PaymentEventView {
  readonly id: string;
  readonly provider: string;
  readonly eventType: string;
  readonly receivedAt: Date;
  /** The provider's status word carried by the event (`success`, `ACSC`). */
  readonly state: string | null;
  /** Exact decimal text. */
  readonly amount: string | null;
  readonly currency: string | null;
  readonly summary: string;
  /** What recording it did: APPLIED, STALE (older than the state on record), FOLLOW_UP, RECORDED. */
  readonly outcome: string;
}

/** Where a payment linked to this transaction stands, as its provider last reported it. */
export interface PaymentView {
  readonly provider: string;
  readonly paymentKey: string;
  readonly progress: string;
  readonly providerStatus: string;
  readonly updatedAt: Date;
}

/** An analyst's note on the case. */
export interface NoteView {
  readonly author: string;
  readonly text: string;
  readonly at: Date;
}

/** A file attached to the case; its bytes are fetched on their own. */
export interface AttachmentView {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes, as entered in the chain. */
  readonly sha256: string;
  readonly by: string;
  readonly at: Date;
}

/** A change of hands of the case: claimed, released, or ended by a decision. */
export interface ClaimEventView {
  readonly action: 'CLAIMED' | 'RELEASED' | 'DECIDED';
  readonly by: string;
  readonly assignee: string;
  readonly at: Date;
  readonly claimedUntil: Date | null;
}

export interface TransactionDetail {
  readonly transactionId: string;
  readonly direction: Direction;
  readonly status: TransactionState;
  readonly amount: string;
  readonly currency: string;
  /** The stored payload as JSON text, so that its numbers keep every digit on the way out. */
  readonly payloadJson: string;
  readonly reasons: readonly string[];
  readonly receivedAt: Date;
  readonly screening: {
    readonly provider: string | null;
    readonly outcome: string | null;
    readonly providerStatus: string | null;
    readonly providerReasons: readonly string[] | null;
    readonly durationMs: number | null;
    readonly screenedAt: Date | null;
    /** The embedded engine's rule-set version whose verdict was answered; null otherwise. */
    readonly ruleSetVersion: number | null;
  };
  readonly review: { readonly pendingSince: Date; readonly decidedAt: Date | null } | null;
  /** The analyst whose claim holds the case now; null when nobody's does. */
  readonly assignee: string | null;
  readonly claimedUntil: Date | null;
  /** Every claim, release and claim ended by a decision, oldest first. */
  readonly claimHistory: readonly ClaimEventView[];
  readonly decisions: readonly HistoryEntry[];
  readonly notes: readonly NoteView[];
  readonly attachments: readonly AttachmentView[];
  readonly notifications: readonly NotificationView[];
  readonly paymentEvents: readonly PaymentEventView[];
  readonly payments: readonly PaymentView[];
}
