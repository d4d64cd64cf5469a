// What payment providers tell us about money moving, normalised, and the rules that keep their
// out-of-order, at-least-once deliveries from moving a payment or a mandate backwards.
import { Money } from './money';
import { PaymentCheck } from './payment-verification';
import { JsonObject } from './transaction';

/**
 * Where a payment stands, whatever the provider's own words: a payment only ever moves to a
 * higher rank, so an older event arriving late changes nothing.
 */
export type PaymentProgress = 'PENDING' | 'IN_PROGRESS' | 'SETTLED' | 'FAILED' | 'REVERSED';

const PROGRESS_RANK: Readonly<Record<PaymentProgress, number>> = {
  PENDING: 0,
  IN_PROGRESS: 1,
  SETTLED: 2,
  FAILED: 2,
  REVERSED: 3,
};

export interface PaymentState {
  readonly progress: PaymentProgress;
  /** The provider's own status word (`success`, `ACSC`, ...), shown to people. */
  readonly providerStatus: string;
}

/**
 * True when `next` moves the payment forward. Settled and failed are both final and rank
 * alike: whichever arrived first stands, and the other is kept only as an event. A reversal
 * comes after a settlement and outranks it.
 */
export function paymentAdvances(current: PaymentState | null, next: PaymentState): boolean {
  return current === null || PROGRESS_RANK[next.progress] > PROGRESS_RANK[current.progress];
}

/** PayTo mandate states (NPP Mandate Management Service). */
export type MandateStatus = 'CRTD' | 'ACTV' | 'SUSD' | 'CNCD';

export const MANDATE_STATUSES: readonly MandateStatus[] = ['CRTD', 'ACTV', 'SUSD', 'CNCD'];

export interface MandateState {
  readonly status: MandateStatus;
  /** When the provider produced the event that set it: orders ACTV ⇄ SUSD changes. */
  readonly at: Date;
}

/**
 * A mandate moves CRTD → ACTV → SUSD ⇄ ACTV → CNCD. Cancelled is final and created is only ever
 * the first state, so those two need no clock. Between active and suspended, which may
 * alternate, the later event wins; an equal time changes nothing, so a replay is harmless.
 */
export function mandateAdvances(current: MandateState | null, next: MandateState): boolean {
  if (current === null) return true;
  if (current.status === 'CNCD') return false;
  if (next.status === 'CNCD') return true;
  if (next.status === 'CRTD') return false;
  if (current.status === 'CRTD') return true;
  return next.at.getTime() > current.at.getTime();
}

/** What recording an event does, beyond keeping it. */
export type PaymentEffect =
  /** Money received: recorded as an INBOUND transaction and screened after the acknowledgement. */
  | {
      readonly kind: 'INBOUND_PAYMENT';
      readonly transactionId: string;
      readonly money: Money;
      readonly customerId?: string;
      readonly reference?: string;
      /** What the monitoring provider sees as the transaction's attributes. */
      readonly attributes: JsonObject;
      /** How to confirm it with the provider's API before it is screened. */
      readonly verify?: PaymentCheck;
    }
  /** A payment's progress (a transfer, a PayTo payment initiation), keyed by the provider's id for it. */
  | {
      readonly kind: 'PAYMENT_PROGRESS';
      readonly paymentKey: string;
      readonly state: PaymentState;
      readonly money?: Money;
      /** How to confirm it with the provider's API before it moves the payment (needs `money`). */
      readonly verify?: PaymentCheck;
    }
  | { readonly kind: 'MANDATE_STATUS'; readonly mandateId: string; readonly state: MandateState }
  /**
   * Something for an analyst to look at that is not a payment we screened (a PayTo query): opened
   * as an inbound alert in the review queue after the acknowledgement.
   */
  | { readonly kind: 'ALERT'; readonly transactionId: string; readonly money: Money; readonly reason: string; readonly attributes: JsonObject }
  /**
   * Money returned (a refund done), whatever the platform calls the event: kept and acknowledged,
   * and reconciliation counts the event's amount as refunded on the transaction it names.
   */
  | { readonly kind: 'REFUNDED' }
  /** Kept and acknowledged, nothing else. */
  | { readonly kind: 'NONE' };

export interface PaymentEvent {
  /** The adapter's name: `paystack`, `payto`. */
  readonly provider: string;
  /** The provider's event name (`charge.success`) or endpoint kind (`mpir.outcome`). */
  readonly eventType: string;
  /** The provider's own duplicate key: one effect per key, however often it is delivered. */
  readonly dedupeKey: string;
  /** The delivery's own id where the provider sends one (PayTo's X-Message-Id). */
  readonly messageId?: string;
  /**
   * Ids of transactions this event may be about, most likely first (a transfer's reference may
   * be Toqio's transactionId): the event is linked to the first one on record.
   */
  readonly transactionIds: readonly string[];
  /** The provider's status word for people (`success`, `ACSC`, `ACTV`). */
  readonly status?: string;
  readonly money?: Money;
  /** One line for people: what happened. */
  readonly summary: string;
  /** The verified payload as the provider sent it (decoded, for PayTo), for audit. */
  readonly payloadJson: string;
  readonly occurredAt?: Date;
  readonly effect: PaymentEffect;
  /**
   * Set when the event verified but could not be read (a field missing, a shape not expected):
   * it is kept with this reason, acknowledged so that its sender stops retrying, and does nothing.
   */
  readonly unparsedReason?: string;
}

/** What is known of a verified event that cannot be read: enough to keep it once and show it. */
export interface UnreadEvent {
  readonly provider: string;
  /** The event's name as far as it could be read, else `unknown`. */
  readonly eventType: string;
  readonly dedupeKey: string;
  readonly messageId?: string;
  readonly payloadJson: string;
}

/** A verified event kept as it came, with why it could not be read. */
export function unparsedEvent(unread: UnreadEvent, reason: string): PaymentEvent {
  return {
    ...unread,
    transactionIds: [],
    summary: `${unread.eventType}: kept unread (${reason})`,
    effect: { kind: 'NONE' },
    unparsedReason: reason,
  };
}

/** Effects that need work after the acknowledgement (screening, opening a case). */
export function needsFollowUp(effect: PaymentEffect): boolean {
  return effect.kind === 'INBOUND_PAYMENT' || effect.kind === 'ALERT';
}

/**
 * What recording an event did. APPLIED: it moved a payment or a mandate. STALE: it would have
 * moved one backwards (an older event arriving late) and changed nothing. FOLLOW_UP: work is
 * queued for after the acknowledgement. RECORDED: kept, nothing else to do. UNPARSED: verified
 * but unreadable, kept with its reason and nothing else.
 */
export type EffectOutcome = 'APPLIED' | 'STALE' | 'FOLLOW_UP' | 'RECORDED' | 'UNPARSED';

export const EFFECT_OUTCOMES: readonly EffectOutcome[] = ['APPLIED', 'STALE', 'FOLLOW_UP', 'RECORDED', 'UNPARSED'];

/** An effect that moves a payment or a mandate, whose outcome depends on the state on record. */
export type StateEffect = Extract<PaymentEffect, { kind: 'PAYMENT_PROGRESS' | 'MANDATE_STATUS' }>;

/** A payment's or a mandate's state on record: of the same kind as the effect that would move it. */
export type SubjectState = StateEffect['state'];

export type StateChangeEvent = PaymentEvent & { readonly effect: StateEffect };

export function changesState(event: PaymentEvent): event is StateChangeEvent {
  return event.effect.kind === 'PAYMENT_PROGRESS' || event.effect.kind === 'MANDATE_STATUS';
}

/** The outcome of an event that moves no payment or mandate. */
export function outcomeWithoutState(effect: PaymentEffect): Extract<EffectOutcome, 'FOLLOW_UP' | 'RECORDED'> {
  return needsFollowUp(effect) ? 'FOLLOW_UP' : 'RECORDED';
}

/** The outcomes of events kept without moving a payment or a mandate. */
export type KeptOutcome = Extract<EffectOutcome, 'FOLLOW_UP' | 'RECORDED' | 'UNPARSED'>;

/** Whether a state effect applies over the state on record (null: nothing on record yet). */
export function stateOutcome(effect: StateEffect, current: SubjectState | null): Extract<EffectOutcome, 'APPLIED' | 'STALE'> {
  const advances =
    effect.kind === 'PAYMENT_PROGRESS'
      ? paymentAdvances(onRecord(current, isPaymentState), effect.state)
      : mandateAdvances(onRecord(current, isMandateState), effect.state);
  return advances ? 'APPLIED' : 'STALE';
}

function isPaymentState(state: SubjectState): state is PaymentState {
  return 'progress' in state;
}

function isMandateState(state: SubjectState): state is MandateState {
  return 'at' in state;
}

function onRecord<S extends SubjectState>(current: SubjectState | null, is: (state: SubjectState) => state is S): S | null {
  if (current === null) return null;
  if (!is(current)) throw new TypeError('the state on record is not of the kind the effect moves');
  return current;
}
