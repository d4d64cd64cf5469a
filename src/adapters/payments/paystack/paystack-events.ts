// Turns a verified Paystack webhook into the service's payment event: dedupe key, links and effect.
import { createHash } from 'node:crypto';
import { WebhookMalformedError } from '../../../domain/domain-error';
import { Money } from '../../../domain/money';
import { PaymentEffect, PaymentEvent, PaymentProgress } from '../../../domain/payment-event';
import { isStorableInstant } from '../../../domain/storable-instant';
import { JsonObject } from '../../../domain/transaction';
import { isUsableId, MAX_TRANSACTION_ID_LENGTH } from '../../../domain/transaction-id';
import { knownCode } from '../../../domain/known-code';
import { parseKeepingNumbers } from '../exact-json';
import { webhookMoney } from './paystack-money';

export const PAYSTACK = 'paystack';

const TRANSFER_PROGRESS: Readonly<Record<string, PaymentProgress>> = {
  'transfer.success': 'SETTLED',
  'transfer.failed': 'FAILED',
  'transfer.reversed': 'REVERSED',
};

/** The id an inbound Paystack charge has as a transaction: its reference, in Paystack's namespace. */
export function inboundTransactionId(reference: string): string {
  return `${PAYSTACK}:${reference}`;
}

/** Far beyond any of Paystack's names; the name is part of the dedupe key, which an index holds. */
const MAX_EVENT_NAME_LENGTH = 200;

type EventBase = Pick<PaymentEvent, 'provider' | 'eventType' | 'payloadJson'>;

/** Throws WebhookMalformedError when an event the service acts on lacks what acting needs. */
export function toPaymentEvent(body: unknown, rawBody: string): PaymentEvent {
  if (!isObject(body) || typeof body.event !== 'string' || body.event === '' || body.event.length > MAX_EVENT_NAME_LENGTH || !isObject(body.data)) {
    throw new WebhookMalformedError('A Paystack event is {"event": "<name>", "data": {...}}', 'event');
  }
  const name = body.event;
  const base: EventBase = { provider: PAYSTACK, eventType: name, payloadJson: rawBody };
  const data = withExactIdAndAmount(body.data, rawBody);
  if (name === 'charge.success') return chargeEvent(base, data);
  const progress = knownCode(TRANSFER_PROGRESS, name);
  if (progress) return transferEvent(base, data, progress);
  if (name.startsWith('refund.')) return refundEvent(base, data);
  return recordedEvent(base, data, rawBody);
}

/**
 * `data` with its `id` and `amount` as the digits Paystack sent, where they were numbers: JSON.parse
 * reads 5000.000000000000001 as 5000 and 5.0000000000000001 as 5, which would take a fractional
 * amount for a whole one and give another event's dedupe key. A numeric id that is not a whole
 * number is left out (no id); an amount keeps its text, which the amount's own check refuses.
 * The rest of `data` is as parsed.
 */
function withExactIdAndAmount(data: JsonObject, rawBody: string): JsonObject {
  if (typeof data.id !== 'number' && typeof data.amount !== 'number') return data;
  const exact = (parseKeepingNumbers(rawBody) as { data: JsonObject }).data;
  const id = typeof data.id !== 'number' ? data.id : WHOLE_ID.test(String(exact.id)) ? exact.id : undefined;
  return { ...data, id, amount: typeof data.amount === 'number' ? exact.amount : data.amount };
}

const WHOLE_ID = /^\d{1,200}$/;

function chargeEvent(base: EventBase, data: JsonObject): PaymentEvent {
  const id = idOf(data, 'id');
  const reference = text(data, 'reference');
  const transactionId = inboundTransactionId(reference);
  // Prefixed, it must still pass the id rule: the charge is decided through the analyst API by this id.
  if (!isUsableId(transactionId)) {
    throw new WebhookMalformedError(`data.reference must be 1 to ${MAX_TRANSACTION_ID_LENGTH - inboundTransactionId('').length} characters, with no control characters`, 'data.reference');
  }
  const money = subunits(data);
  const customer = isObject(data.customer) ? data.customer : {};
  const customerCode = optionalText(customer, 'customer_code');
  const effect: PaymentEffect = {
    kind: 'INBOUND_PAYMENT',
    transactionId,
    money,
    customerId: customerCode,
    reference,
    attributes: chargeAttributes(data, reference, money, customerCode),
    // A disagreeing API opens the alert on the inbound transaction itself, in place of its screening.
    verify: { kind: 'CHARGE', lookup: reference, reference, status: 'success', alertTransactionId: transactionId },
  };
  return {
    ...base,
    dedupeKey: `${base.eventType}:${id}`,
    transactionIds: [transactionId],
    status: optionalText(data, 'status') ?? 'success',
    money,
    summary: `Charge ${reference} of ${money.toString()} received${customerCode ? ` from ${customerCode}` : ''}`,
    occurredAt: optionalDate(data, 'paid_at'),
    effect,
  };
}

function transferEvent(base: EventBase, data: JsonObject, progress: PaymentProgress): PaymentEvent {
  const name = base.eventType;
  const transferCode = text(data, 'transfer_code');
  const reference = text(data, 'reference');
  const money = subunits(data);
  const outcome = name.slice('transfer.'.length);
  const alertTransactionId = transferAlertId(name, transferCode);
  return {
    ...base,
    dedupeKey: `${name}:${transferCode}`,
    transactionIds: [reference],
    status: optionalText(data, 'status') ?? outcome,
    money,
    summary: `Transfer ${reference} (${transferCode}) of ${money.toString()}: ${outcome}`,
    occurredAt: optionalDate(data, 'updatedAt'),
    effect: {
      kind: 'PAYMENT_PROGRESS',
      paymentKey: `transfer:${reference}`,
      state: { progress, providerStatus: outcome },
      money,
      verify: { kind: 'TRANSFER', lookup: transferCode, reference, status: outcome, alertTransactionId },
    },
  };
}

/** The inbound alert a transfer event opens when Paystack's API disagrees with it: one per event. */
/** The namespace of the alerts a transfer's verification raises: `paystack-check:<event>:<transfer code>`. */
export const PAYSTACK_CHECK = `${PAYSTACK}-check`;

export function transferAlertId(eventName: string, transferCode: string): string {
  const prefix = `${PAYSTACK_CHECK}:${eventName}:`;
  const id = `${prefix}${transferCode}`;
  if (!isUsableId(id)) throw new WebhookMalformedError(`data.transfer_code must be at most ${MAX_TRANSACTION_ID_LENGTH - prefix.length} characters, with no control characters`, 'data.transfer_code');
  return id;
}

function refundEvent(base: EventBase, data: JsonObject): PaymentEvent {
  const id = idOf(data, 'id');
  const transaction = isObject(data.transaction) ? data.transaction : {};
  const chargeReference = optionalText(data, 'transaction_reference') ?? optionalText(transaction, 'reference');
  const money = optionalSubunits(data);
  const status = optionalText(data, 'status') ?? base.eventType.slice('refund.'.length);
  return {
    ...base,
    dedupeKey: `${base.eventType}:${id}`,
    // A refund returns a charge we received, or a payment made by reference to Toqio's id.
    transactionIds: chargeReference ? [inboundTransactionId(chargeReference), chargeReference] : [],
    status,
    money,
    summary: `Refund ${id}${money ? ` of ${money.toString()}` : ''} for ${chargeReference ?? 'an unnamed charge'}: ${status}`,
    // Only refund.processed is money returned; pending, processing and failed refunds are kept for the record.
    effect: base.eventType === 'refund.processed' ? { kind: 'REFUNDED' } : { kind: 'NONE' },
  };
}

/**
 * Stored and acknowledged, keyed by the raw body's digest: an identical redelivery is a duplicate,
 * while a second notice about the same object (a dispute's reminder, an invoice updated again)
 * carries the same data.id and is a new fact all the same.
 */
function recordedEvent(base: EventBase, data: JsonObject, rawBody: string): PaymentEvent {
  const reference = optionalText(data, 'reference');
  return {
    ...base,
    dedupeKey: `${base.eventType}:${createHash('sha256').update(rawBody).digest('hex')}`,
    transactionIds: reference ? [inboundTransactionId(reference), reference] : [],
    status: optionalText(data, 'status'),
    summary: `${base.eventType}${reference ? ` for ${reference}` : ''} (recorded, not acted on)`,
    effect: { kind: 'NONE' },
  };
}

/** What the monitoring provider sees of an inbound charge; never the card itself. */
function chargeAttributes(data: JsonObject, reference: string, money: Money, customerCode: string | undefined): JsonObject {
  const authorization = isObject(data.authorization) ? data.authorization : {};
  const customer = isObject(data.customer) ? data.customer : {};
  return {
    source: PAYSTACK,
    event: 'charge.success',
    reference,
    amount: money.amount.toString(),
    currency: money.currency,
    channel: optionalText(data, 'channel'),
    paidAt: optionalText(data, 'paid_at'),
    customerCode,
    customerEmail: optionalText(customer, 'email'),
    payer: {
      country: optionalText(authorization, 'country_code'),
      bank: optionalText(authorization, 'bank'),
      cardType: optionalText(authorization, 'card_type'),
      accountName: optionalText(authorization, 'account_name'),
    },
    metadata: isObject(data.metadata) ? data.metadata : undefined,
  };
}

function subunits(data: JsonObject): Money {
  const money = optionalSubunits(data);
  if (!money) throw new WebhookMalformedError('data.amount (integer subunits) and data.currency are required', 'data.amount');
  return money;
}

function optionalSubunits(data: JsonObject): Money | undefined {
  return webhookMoney(data.amount, data.currency);
}

function idOf(data: JsonObject, field: string): string {
  const value = data[field];
  if (typeof value === 'string' && value !== '' && value.length <= 200) return value;
  throw new WebhookMalformedError(`data.${field} is required: a whole number, or text of 1 to 200 characters`, `data.${field}`);
}

function text(data: JsonObject, field: string): string {
  const value = optionalText(data, field);
  if (value === undefined) throw new WebhookMalformedError(`data.${field} is required`, `data.${field}`);
  return value;
}

function optionalText(data: JsonObject, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' && value !== '' && value.length <= 500 ? value : undefined;
}

function optionalDate(data: JsonObject, field: string): Date | undefined {
  const value = optionalText(data, field);
  if (value === undefined) return undefined;
  const date = new Date(value);
  return isStorableInstant(date) ? date : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
