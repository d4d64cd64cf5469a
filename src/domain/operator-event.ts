// Events pushed to operators on the outgoing event webhook: every type's name, the shape of its data, and the envelope sent.
import { Direction } from './transaction';
import { TransactionStatus } from './transaction-status';

/*
 * ADDING AN EVENT TYPE is a change to this file only: a line in OperatorEventData (its name and
 * the shape of its `data`) and the same name in OPERATOR_EVENT_NAMES (the compiler refuses the one
 * without the other). Whoever raises the event builds it with `operatorEvent(...)` and hands it to
 * the OperatorEventOutbox port; storage, signing, retries, metrics and the API need no change.
 * See docs/extending.md. Amounts are exact decimal strings, times ISO 8601 strings.
 */

/** A held transaction as an operator needs it in an alert. */
export interface CaseFacts {
  readonly transactionId: string;
  readonly direction: Direction;
  /** The case's status when the event was raised. */
  readonly status: TransactionStatus;
  /** Exact decimal in major units, e.g. "48250.00". */
  readonly amount: string;
  readonly currency: string;
  /** Why it was held (the screening's reasons). */
  readonly reasons: readonly string[];
  readonly openedAt: string;
  /** Path of the case in the review console, relative to the service's address. */
  readonly consolePath: string;
}

export interface OperatorEventData {
  /** A transaction was held for review (PENDING_EXTERNAL_APPROVAL). */
  'case.opened': CaseFacts;
  /** A case is still pending PENDING_SLA_MINUTES after it opened; sent once per case. */
  'case.overdue': CaseFacts & { readonly slaMinutes: number; readonly overdueSince: string };
  /** A held case got its final decision (from an analyst or the provider). */
  'case.decided': CaseFacts & {
    readonly decidedBy: string;
    readonly decisionSource: 'ANALYST' | 'PROVIDER' | 'FALLBACK';
    readonly decisionReasons: readonly string[];
    readonly decidedAt: string;
  };
  /**
   * A provider decided a transaction after it was final, otherwise than its final status: nothing changes
   * (Toqio's answer stands), but money may have moved against the provider's verdict. Sent once per
   * transaction, provider and verdict.
   */
  'decision.contradicted': {
    readonly transactionId: string;
    readonly direction: Direction;
    /** The final status on record, which stands. */
    readonly status: TransactionStatus;
    readonly amount: string;
    readonly currency: string;
    readonly provider: string;
    readonly providerStatus: TransactionStatus;
    readonly providerReasons: readonly string[];
    readonly receivedAt: string;
    readonly consolePath: string;
  };
  /** A decision to Toqio was given up on after its retries: Toqio has not been told. */
  'notification.dead': {
    readonly notificationId: string;
    readonly transactionId: string;
    /** The decision the notification carries. */
    readonly status: TransactionStatus;
    readonly attempts: number;
    readonly lastError: string | null;
    readonly deadAt: string;
    readonly consolePath: string;
  };
  // Payment alerts (issue 14), raised from the payment tables by PushPaymentAlerts.
  /** A payment a provider reports failed (a transfer, a PayTo payment initiation); sent once per payment. */
  'payment.failed': {
    readonly provider: string;
    readonly paymentKey: string;
    /** The transaction it pays, when one of ours. */
    readonly transactionId: string | null;
    readonly providerStatus: string;
    readonly amount: string | null;
    readonly currency: string | null;
    readonly consolePath: string | null;
  };
  /** A provider's API contradicted its webhook: the event was not applied and an inbound alert opened instead. */
  'payment.verification_mismatch': {
    readonly provider: string;
    readonly eventType: string;
    readonly transactionId: string | null;
    readonly alertTransactionId: string | null;
    readonly amount: string | null;
    readonly currency: string | null;
    readonly disagreements: readonly string[];
    readonly consolePath: string | null;
  };
  /** Money settled or received that no screening covers (no transaction of ours, or its screening still waiting). */
  'payment.moved_unscreened': {
    readonly provider: string;
    readonly paymentKey: string;
    readonly progress: 'SETTLED' | 'REVERSED' | 'RECEIVED';
    readonly amount: string | null;
    readonly currency: string | null;
  };
}

export type OperatorEventType = keyof OperatorEventData;

const OPERATOR_EVENT_NAMES: Record<OperatorEventType, true> = {
  'case.opened': true,
  'case.overdue': true,
  'case.decided': true,
  'decision.contradicted': true,
  'notification.dead': true,
  'payment.failed': true,
  'payment.verification_mismatch': true,
  'payment.moved_unscreened': true,
};

export const OPERATOR_EVENT_TYPES = Object.keys(OPERATOR_EVENT_NAMES) as readonly OperatorEventType[];

export function isOperatorEventType(value: unknown): value is OperatorEventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OPERATOR_EVENT_NAMES, value);
}

/** One event of one type: `dedupeKey` makes it unique within its type, so it is queued at most once. */
export interface OperatorEventOf<T extends OperatorEventType> {
  readonly type: T;
  readonly dedupeKey: string;
  /** When it happened: the envelope's timestamp. */
  readonly occurredAt: Date;
  readonly data: OperatorEventData[T];
}

/** Any event: a union discriminated by `type`. */
export type OperatorEvent = { readonly [T in OperatorEventType]: OperatorEventOf<T> }[OperatorEventType];

export const MAX_DEDUPE_KEY_LENGTH = 300;

export function operatorEvent<T extends OperatorEventType>(type: T, dedupeKey: string, occurredAt: Date, data: OperatorEventData[T]): OperatorEventOf<T> {
  if (dedupeKey.length === 0 || dedupeKey.length > MAX_DEDUPE_KEY_LENGTH) throw new RangeError(`an operator event's dedupe key must be 1 to ${MAX_DEDUPE_KEY_LENGTH} characters`);
  if (Number.isNaN(occurredAt.getTime())) throw new RangeError('an operator event needs a valid time');
  return { type, dedupeKey, occurredAt, data };
}

/** The body of the webhook, as Standard Webhooks recommends: `{ type, timestamp, data }`. */
export interface OperatorEventEnvelope {
  readonly type: string;
  readonly timestamp: string;
  readonly data: unknown;
}

export function envelopeOf(event: { readonly type: string; readonly occurredAt: Date; readonly data: unknown }): OperatorEventEnvelope {
  return { type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data };
}

/** Where a transaction's case opens in the review console. */
export function consolePathOf(transactionId: string): string {
  return `/console/#/transactions/${encodeURIComponent(transactionId)}`;
}
