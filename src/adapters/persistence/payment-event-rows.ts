// How a payment event and its effect are written into, and read back from, the payment-event tables.
import { FollowUp } from '../../application/ports/payment-event-store.port';
import { Money } from '../../domain/money';
import { EffectOutcome, PaymentEffect, PaymentEvent, PaymentProgress } from '../../domain/payment-event';
import { PaymentCheck } from '../../domain/payment-verification';
import { JsonObject } from '../../domain/transaction';

/** Money as exact text inside the stored effect. */
export type StoredEffect =
  | { kind: 'INBOUND_PAYMENT'; transactionId: string; amount: string; currency: string; customerId?: string; reference?: string; attributes: JsonObject; verify?: PaymentCheck }
  | { kind: 'ALERT'; transactionId: string; amount: string; currency: string; reason: string; attributes: JsonObject }
  | { kind: 'PAYMENT_PROGRESS'; paymentKey: string; progress: string; providerStatus: string; amount?: string; currency?: string; verify?: PaymentCheck }
  | { kind: 'MANDATE_STATUS' | 'REFUNDED' | 'NONE'; [key: string]: unknown };

export interface RecordRow {
  position: number;
  new: boolean;
  transaction_id: string | null;
}

/** One event as a row of RECORD_EVENTS's input. */
export function eventRowJson(position: number, id: string, event: PaymentEvent, outcome: EffectOutcome): string {
  const { effect } = event;
  const fields = {
    position,
    id,
    provider: event.provider,
    event_type: event.eventType,
    dedupe_key: event.dedupeKey,
    message_id: event.messageId ?? null,
    candidates: event.transactionIds,
    own_transaction: effect.kind === 'INBOUND_PAYMENT' || effect.kind === 'ALERT' ? effect.transactionId : null,
    status: event.status ?? null,
    amount: event.money?.amount.toString() ?? null,
    currency: event.money?.currency ?? null,
    summary: event.summary,
    effect: storedEffect(effect),
    outcome,
    reason: event.unparsedReason ?? null,
    occurred_at: event.occurredAt?.toISOString() ?? null,
    follow_up: outcome === 'FOLLOW_UP',
  };
  // The payload is embedded as the text it arrived as (already valid JSON), so that its numbers keep every digit.
  return `${JSON.stringify(fields).slice(0, -1)},"payload":${event.payloadJson}}`;
}

function storedEffect(effect: PaymentEffect): StoredEffect {
  switch (effect.kind) {
    case 'INBOUND_PAYMENT':
      return {
        kind: effect.kind,
        transactionId: effect.transactionId,
        amount: effect.money.amount.toString(),
        currency: effect.money.currency,
        customerId: effect.customerId,
        reference: effect.reference,
        attributes: effect.attributes,
        verify: effect.verify,
      };
    case 'ALERT':
      return { kind: effect.kind, transactionId: effect.transactionId, amount: effect.money.amount.toString(), currency: effect.money.currency, reason: effect.reason, attributes: effect.attributes };
    case 'PAYMENT_PROGRESS':
      return { kind: effect.kind, paymentKey: effect.paymentKey, ...effect.state, amount: effect.money?.amount.toString(), currency: effect.money?.currency, verify: effect.verify };
    case 'MANDATE_STATUS':
      return { kind: effect.kind, mandateId: effect.mandateId, status: effect.state.status, at: effect.state.at.toISOString() };
    case 'REFUNDED':
    case 'NONE':
      return { kind: effect.kind };
  }
}

export function toFollowUpEffect(stored: StoredEffect): FollowUp['effect'] {
  if (stored.kind === 'INBOUND_PAYMENT') {
    return {
      kind: 'INBOUND_PAYMENT',
      transactionId: stored.transactionId,
      money: Money.of(stored.amount, stored.currency),
      customerId: stored.customerId,
      reference: stored.reference,
      attributes: stored.attributes,
      verify: stored.verify,
    };
  }
  if (stored.kind === 'ALERT') {
    return { kind: 'ALERT', transactionId: stored.transactionId, money: Money.of(stored.amount, stored.currency), reason: stored.reason, attributes: stored.attributes };
  }
  if (stored.kind === 'PAYMENT_PROGRESS') {
    return {
      kind: 'PAYMENT_PROGRESS',
      paymentKey: stored.paymentKey,
      state: { progress: stored.progress as PaymentProgress, providerStatus: stored.providerStatus },
      money: stored.amount !== undefined && stored.currency !== undefined ? Money.of(stored.amount, stored.currency) : undefined,
      verify: stored.verify,
    };
  }
  throw new Error(`a ${stored.kind} effect has no follow-up`);
}
