// Port to the durable record of payment providers' events and the work each one leaves to do.
import { EffectOutcome, PaymentEffect, PaymentEvent, StateChangeEvent, SubjectState } from '../../domain/payment-event';

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
   * Keeps an event that moves no payment or mandate under (provider, dedupeKey) with `outcome`,
   * and with FOLLOW_UP queues its follow-up in the same database transaction. A key already on
   * record changes nothing and answers `duplicate`, also when two deliveries race.
   */
  abstract record(event: PaymentEvent, outcome: Extract<EffectOutcome, 'FOLLOW_UP' | 'RECORDED'>): Promise<RecordedEvent>;

  /**
   * Keeps an event that moves a payment or a mandate, serialised per payment or mandate: in one
   * database transaction it reads the state on record, asks `rule` for the outcome, keeps the
   * event with it and, only when the event is new and APPLIED, moves the state to the effect's.
   * A key already on record changes nothing and answers `duplicate`.
   */
  abstract recordStateChange(event: StateChangeEvent, rule: (current: SubjectState | null) => Extract<EffectOutcome, 'APPLIED' | 'STALE'>): Promise<RecordedEvent>;

  /** Claims due follow-ups for `leaseMs`; a worker that dies releases them when its lease ends. */
  abstract claimFollowUps(limit: number, leaseMs: number): Promise<FollowUp[]>;

  abstract completeFollowUp(eventId: string): Promise<void>;

  abstract retryFollowUp(eventId: string, retryAt: Date, error: string): Promise<void>;
}
