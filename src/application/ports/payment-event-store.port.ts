// Port to the durable record of payment providers' events and the work each one leaves to do.
import { PaymentEffect, PaymentEvent } from '../../domain/payment-event';

/**
 * APPLIED: the effect changed a payment or mandate. STALE: it would have moved one backwards
 * (an older event arriving late) and changed nothing. FOLLOW_UP: work is queued for after the
 * acknowledgement. RECORDED: kept, nothing else to do.
 */
export type EffectOutcome = 'APPLIED' | 'STALE' | 'FOLLOW_UP' | 'RECORDED';

export type RecordedEvent =
  | { readonly duplicate: false; readonly eventId: string; readonly outcome: EffectOutcome }
  | { readonly duplicate: true; readonly eventId: string };

/** Work an event left for after its acknowledgement: screening money received, opening an alert. */
export interface FollowUp {
  readonly eventId: string;
  readonly provider: string;
  readonly effect: Extract<PaymentEffect, { kind: 'INBOUND_PAYMENT' | 'ALERT' }>;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly queuedAt: Date;
}

export abstract class PaymentEventStore {
  /**
   * In one database transaction: keeps the event under (provider, dedupeKey), applies its
   * effect on payments and mandates, and queues its follow-up. A key already on record changes
   * nothing and answers `duplicate`, also when two deliveries race.
   */
  abstract record(event: PaymentEvent): Promise<RecordedEvent>;

  /** Claims due follow-ups for `leaseMs`; a worker that dies releases them when its lease ends. */
  abstract claimFollowUps(limit: number, leaseMs: number): Promise<FollowUp[]>;

  abstract completeFollowUp(eventId: string): Promise<void>;

  abstract retryFollowUp(eventId: string, retryAt: Date, error: string): Promise<void>;
}
