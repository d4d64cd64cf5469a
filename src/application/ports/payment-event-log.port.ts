// Port to the stored payment events as a log to read: every event kept, whatever it did, newest first.
import { EffectOutcome } from '../../domain/payment-event';

/** Where a page ends: the last event's arrival (microseconds, ISO 8601 UTC) and id. */
export interface PaymentEventPosition {
  readonly receivedAt: string;
  readonly id: string;
}

export interface PaymentEventQuery {
  readonly provider?: string;
  readonly outcome?: EffectOutcome;
  /** Received at or after. */
  readonly from?: Date;
  /** Received before. */
  readonly to?: Date;
  /** Only events older than this position (the previous page's last). */
  readonly before?: PaymentEventPosition;
  readonly limit: number;
}

export interface StoredPaymentEvent {
  readonly id: string;
  readonly provider: string;
  readonly eventType: string;
  readonly dedupeKey: string;
  readonly messageId: string | null;
  readonly transactionId: string | null;
  readonly status: string | null;
  /** Exact decimal. */
  readonly amount: string | null;
  readonly currency: string | null;
  readonly summary: string;
  readonly outcome: EffectOutcome;
  /** Why an UNPARSED event could not be read. */
  readonly reason: string | null;
  readonly occurredAt: Date | null;
  /** ISO 8601 UTC with microseconds: also the paging position. */
  readonly receivedAt: string;
  /** The event as kept, JSON text exactly as PostgreSQL holds it. */
  readonly payloadJson: string;
}

export abstract class PaymentEventLog {
  /** Up to `limit` events matching the query, newest first (received_at, then id). */
  abstract list(query: PaymentEventQuery): Promise<StoredPaymentEvent[]>;
}
