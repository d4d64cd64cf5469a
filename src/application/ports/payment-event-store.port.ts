// Port to the durable record of payment providers' events and the work each one leaves to do.
import { EffectOutcome, KeptOutcome, PaymentEffect, PaymentEvent, StateChangeEvent, SubjectState } from '../../domain/payment-event';
import { ProviderReport } from '../../domain/payment-verification';

export type RecordedEvent =
  | { readonly duplicate: false; readonly eventId: string; readonly outcome: EffectOutcome }
  | { readonly duplicate: true; readonly eventId: string };

/**
 * Work an event left for after its acknowledgement: screening money received, opening an alert,
 * or moving a payment once the provider's API has confirmed the event.
 */
export interface FollowUp {
  readonly eventId: string;
  readonly provider: string;
  readonly effect: Extract<PaymentEffect, { kind: 'INBOUND_PAYMENT' | 'ALERT' | 'PAYMENT_PROGRESS' }>;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly queuedAt: Date;
}

/** What the provider's API said about an event, and what was done with the event then. */
export interface Verification {
  readonly report: ProviderReport;
  /** Empty when the API agrees with the webhook. */
  readonly disagreements: readonly string[];
  /** The inbound alert opened in place of the event's effect, when they disagree. */
  readonly alertTransactionId?: string;
}

/** What a verified (or unverified) follow-up did: moved the payment, found it already further, screened, or alerted. */
export type VerifiedOutcome = 'APPLIED' | 'STALE' | 'SCREENED' | 'ALERT';

export abstract class PaymentEventStore {
  /**
   * Keeps an event that moves no payment or mandate (or could not be read: UNPARSED, with its
   * `unparsedReason`) under (provider, dedupeKey) with `outcome`, and with FOLLOW_UP queues its follow-up in the same database transaction. A key already on
   * record changes nothing and answers `duplicate`, also when two deliveries race.
   */
  abstract record(event: PaymentEvent, outcome: KeptOutcome): Promise<RecordedEvent>;

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

  /**
   * Applies a payment's progress that waited for its follow-up (the provider's confirmation), as
   * recordStateChange does for one applied at once: serialised per payment, moved only when
   * `rule` says APPLIED. With `verification`, keeps it with the outcome, in the same database
   * transaction. Doing it twice changes nothing the second time (the payment is already there).
   */
  abstract applyFollowUpState(
    followUp: FollowUp & { readonly effect: Extract<PaymentEffect, { kind: 'PAYMENT_PROGRESS' }> },
    rule: (current: SubjectState | null) => Extract<EffectOutcome, 'APPLIED' | 'STALE'>,
    verification: Verification | undefined,
  ): Promise<Extract<EffectOutcome, 'APPLIED' | 'STALE'>>;

  /** Keeps what the provider's API said about an event; the first record of an event stands. */
  abstract recordVerification(eventId: string, provider: string, verification: Verification, outcome: VerifiedOutcome): Promise<void>;

  abstract retryFollowUp(eventId: string, retryAt: Date, error: string): Promise<void>;
}
