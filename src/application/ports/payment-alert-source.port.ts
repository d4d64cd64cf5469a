// Port to the durable facts that payment alerts are raised from: failed payments, API disagreements, money moved unscreened.

/** A payment a provider reports failed. */
export interface FailedPayment {
  /** The event that moved it to FAILED (a payment fails once): the alert's key. */
  readonly eventId: string;
  readonly provider: string;
  readonly paymentKey: string;
  readonly transactionId: string | null;
  readonly providerStatus: string;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly failedAt: Date;
}

/** An event its provider's API contradicted; an inbound alert was opened in place of its effect. */
export interface VerificationMismatch {
  readonly eventId: string;
  readonly provider: string;
  readonly eventType: string;
  /** The transaction the event names, when one is on record. */
  readonly transactionId: string | null;
  readonly alertTransactionId: string | null;
  readonly amount: string | null;
  readonly currency: string | null;
  readonly disagreements: readonly string[];
  readonly verifiedAt: Date;
}

/** Money a provider reports moved that no screening covers. */
export interface UnscreenedMovement {
  /** The event that reported the movement: the alert's key. */
  readonly eventId: string;
  readonly provider: string;
  /** The payment's key, or the inbound event's dedupe key. */
  readonly paymentKey: string;
  readonly progress: 'SETTLED' | 'REVERSED' | 'RECEIVED';
  readonly amount: string | null;
  readonly currency: string | null;
  readonly at: Date;
}

export interface PaymentAlertFacts {
  readonly failed: readonly FailedPayment[];
  readonly mismatches: readonly VerificationMismatch[];
  readonly unscreened: readonly UnscreenedMovement[];
}

export abstract class PaymentAlertSource {
  /**
   * Facts recorded since `since` that no alert was raised for yet (the outbox holds no event of
   * their type and key), oldest first, up to `limit` of each kind. Money received counts as
   * unscreened once its screening has waited since before `unscreenedBefore`.
   */
  abstract notYetRaised(since: Date, unscreenedBefore: Date, limit: number): Promise<PaymentAlertFacts>;
}
