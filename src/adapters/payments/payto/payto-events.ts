// Turns a verified ANZ PayTo payload into the service's payment event, per endpoint, with ANZ's dedupe keys.
import { storableText } from '../../../domain/storable-text';
import { DomainError, WebhookMalformedError } from '../../../domain/domain-error';
import { Money } from '../../../domain/money';
import { MANDATE_STATUSES, MandateStatus, PaymentEffect, PaymentEvent, PaymentProgress } from '../../../domain/payment-event';
import { isStorableInstant } from '../../../domain/storable-instant';
import { JsonObject } from '../../../domain/transaction';
import { isUsableId, MAX_TRANSACTION_ID_LENGTH } from '../../../domain/transaction-id';
import { knownCode } from '../../../domain/known-code';

export const PAYTO = 'payto';

/** The four webhook endpoints ANZ calls, by the last part of their path. */
export type PaytoEndpoint = 'mandate-outcome' | 'mandate-notification' | 'mpir-outcome' | 'query';

const MPIR_PROGRESS: Readonly<Record<string, PaymentProgress>> = { PDNG: 'PENDING', ACSP: 'IN_PROGRESS', ACSC: 'SETTLED', RJCT: 'FAILED' };

/** A payer's unilateral status change, once completed, and what it leaves the mandate in. */
const STATUS_CHANGES: Readonly<Record<string, MandateStatus>> = { SUSP: 'SUSD', RELS: 'ACTV', CNCL: 'CNCD' };

/** The namespace of the alerts a payer's query raises: `payto-query:<case id>`. */
export const PAYTO_QUERY = `${PAYTO}-query`;

export function alertTransactionId(caseId: string, reopened: boolean): string {
  return `${PAYTO_QUERY}:${caseId}${reopened ? ':reopened' : ''}`;
}

/** The longest case_id whose alert id (reopened too) still fits the service's id rule. */
export const MAX_CASE_ID_LENGTH = MAX_TRANSACTION_ID_LENGTH - alertTransactionId('', true).length;

export function toPaymentEvent(endpoint: PaytoEndpoint, payload: JsonObject, messageId: string): PaymentEvent {
  const payloadJson = JSON.stringify(payload);
  const occurredAt = dateField(payload, 'creation_date_time');
  const base = { provider: PAYTO, messageId, payloadJson, occurredAt };
  switch (endpoint) {
    case 'mandate-outcome':
      return mandateOutcome(payload, base);
    case 'mandate-notification':
      return mandateNotification(payload, base);
    case 'mpir-outcome':
      return mpirOutcome(payload, base);
    case 'query':
      return query(payload, base);
  }
}

type Base = Pick<PaymentEvent, 'provider' | 'messageId' | 'payloadJson' | 'occurredAt'> & { occurredAt: Date };

/** The outcome of a mandate action the biller asked for; duplicates share `request_id`. */
function mandateOutcome(payload: JsonObject, base: Base): PaymentEvent {
  const requestId = identifier(payload, 'request_id');
  const status = text(payload, 'status');
  const mandateId = optionalIdentifier(payload, 'mandate_identification');
  const mandateStatus = optionalMandateStatus(payload);
  const effect: PaymentEffect =
    status === 'SUCC' && mandateId && mandateStatus ? { kind: 'MANDATE_STATUS', mandateId, state: { status: mandateStatus, at: base.occurredAt } } : { kind: 'NONE' };
  const action = optionalText(payload, 'action_type') ?? 'action';
  return {
    ...base,
    eventType: 'mandate.outcome',
    dedupeKey: `mandate.outcome:${requestId}`,
    transactionIds: [],
    status: mandateStatus ?? status,
    summary: `Mandate ${action} ${status === 'SUCC' ? 'succeeded' : 'was rejected'}${mandateId ? ` for ${mandateId}` : ''}${mandateStatus ? `: now ${mandateStatus}` : ''}`,
    effect,
  };
}

/** The payer acted on a mandate; duplicates share `action_identification`. */
function mandateNotification(payload: JsonObject, base: Base): PaymentEvent {
  const actionId = identifier(payload, 'action_identification');
  const mandateId = identifier(payload, 'mandate_identification');
  const trigger = text(payload, 'trigger');
  const actionStatus = optionalText(payload, 'action_status');
  const status = optionalMandateStatus(payload) ?? impliedStatus(payload, trigger, actionStatus);
  return {
    ...base,
    eventType: 'mandate.notification',
    dedupeKey: `mandate.notification:${actionId}`,
    transactionIds: [],
    status: status ?? trigger,
    summary: `Mandate ${mandateId}: ${trigger}${actionStatus ? ` (${actionStatus})` : ''}${status ? `, now ${status}` : ''}`,
    effect: status ? { kind: 'MANDATE_STATUS', mandateId, state: { status, at: base.occurredAt } } : { kind: 'NONE' },
  };
}

/** Where mandate_status is left out (it is optional): what a completed action implies. */
function impliedStatus(payload: JsonObject, trigger: string, actionStatus: string | undefined): MandateStatus | undefined {
  if (actionStatus !== 'CMPL') return undefined;
  if (trigger === 'MCRC') return 'ACTV';
  const details = object(payload, 'details');
  const change = details ? object(details, 'status_change') : undefined;
  const code = change ? optionalText(change, 'change') : undefined;
  return code ? knownCode(STATUS_CHANGES, code) : undefined;
}

/**
 * The outcome of a payment initiation. Duplicates share the instruction and its status (and
 * reason); the payment is keyed by ANZ's instruction id, and linked to the transaction whose id
 * the biller used as its own instruction id.
 */
function mpirOutcome(payload: JsonObject, base: Base): PaymentEvent {
  const transactionStatus = text(payload, 'transaction_status');
  const progress = knownCode(MPIR_PROGRESS, transactionStatus);
  if (!progress) throw new WebhookMalformedError(`transaction_status "${transactionStatus}" is not one of ACSC, ACSP, PDNG, RJCT`, 'transaction_status');
  const instruction = optionalIdentifier(payload, 'instruction_identification') ?? optionalIdentifier(payload, 'uetr');
  if (!instruction) throw new WebhookMalformedError('instruction_identification or uetr is required', 'instruction_identification');
  const reasonCode = optionalIdentifier(payload, 'transaction_status_reason_code');
  const original = object(payload, 'original_transaction_reference') ?? {};
  const billerInstruction = optionalText(original, 'original_instruction_identification');
  const money = amount(original, 'instructed_amount');
  return {
    ...base,
    eventType: 'mpir.outcome',
    dedupeKey: `mpir.outcome:${instruction}:${transactionStatus}:${reasonCode ?? ''}`,
    transactionIds: billerInstruction ? [billerInstruction] : [],
    status: transactionStatus,
    money,
    summary: `Payment ${billerInstruction ?? instruction}${money ? ` of ${money.toString()}` : ''}: ${transactionStatus}${reasonCode ? ` (${reasonCode})` : ''}`,
    effect: { kind: 'PAYMENT_PROGRESS', paymentKey: `mpir:${instruction}`, state: { progress, providerStatus: transactionStatus }, money },
  };
}

/**
 * A payer's query about a mandate or a payment, for an analyst to answer through ANZ's PayTo
 * API. Each case opens one inbound alert (a reopened case one more); reminders are recorded
 * against it without opening another.
 */
function query(payload: JsonObject, base: Base): PaymentEvent {
  const caseId = text(payload, 'case_id');
  // The alert is decided through the analyst API, so its id must pass the id rule; ISO 20022 case ids are 35 characters.
  if (!isUsableId(alertTransactionId(caseId, true))) {
    throw new WebhookMalformedError(`case_id must be 1 to ${MAX_CASE_ID_LENGTH} characters, with no control characters`, 'case_id');
  }
  const narrative = text(payload, 'narrative');
  const caseType = optionalText(payload, 'case_type') ?? 'PayTo query';
  const reminder = optionalIdentifier(payload, 'reminder_count') ?? '0';
  const reopened = payload.re_open_case_indication === true;
  const payment = object(payload, 'payment_details');
  const mandate = object(payload, 'mandate_details');
  const paymentInformation = mandate ? object(mandate, 'payment_information') : undefined;
  // The payment's amount when the query is about one; otherwise the mandate's own amount.
  const money =
    (payment && amount(payment, 'original_transaction_amount')) ??
    (paymentInformation && (amount(paymentInformation, 'amount') ?? amount(paymentInformation, 'maximum_amount') ?? amount(paymentInformation, 'first_payment_amount')));
  const transactionId = alertTransactionId(caseId, reopened);
  const mandateId = mandate ? optionalText(mandate, 'mandate_identification') : undefined;
  const reason = `PayTo query ${caseId} (${caseType}${mandateId ? `, mandate ${mandateId}` : ''}): ${storableText(narrative, 500)}`;
  const effect: PaymentEffect = money
    ? { kind: 'ALERT', transactionId, money, reason, attributes: { source: PAYTO, event: 'query', caseId, caseType, reopened, mandateId, narrative } }
    : { kind: 'NONE' };
  return {
    ...base,
    eventType: 'query',
    dedupeKey: `query:${caseId}:${reminder}:${reopened}`,
    transactionIds: [transactionId],
    status: reopened ? 'REOPENED' : reminder === '0' ? 'OPEN' : `REMINDER ${reminder}`,
    money,
    summary: money ? reason : `${reason} (no amount to open an alert with: recorded only)`,
    effect,
  };
}

function amount(data: JsonObject, field: string): Money | undefined {
  const value = object(data, field);
  if (!value) return undefined;
  const figure = optionalText(value, 'amount');
  const currency = optionalText(value, 'currency');
  if (figure === undefined || currency === undefined || currency === 'ZZZ') return undefined;
  if (!/^\d{1,16}\.\d{2}$/.test(figure)) throw new WebhookMalformedError(`${field}.amount "${figure.slice(0, 40)}" is not a decimal with two places`, `${field}.amount`);
  try {
    return Money.of(figure, currency);
  } catch (error) {
    if (error instanceof DomainError) return undefined; // zero: nothing to screen or show as money
    throw error;
  }
}

function optionalMandateStatus(payload: JsonObject): MandateStatus | undefined {
  const value = optionalText(payload, 'mandate_status');
  if (value === undefined) return undefined;
  if (!(MANDATE_STATUSES as readonly string[]).includes(value)) throw new WebhookMalformedError(`mandate_status "${value}" is not one of ${MANDATE_STATUSES.join(', ')}`, 'mandate_status');
  return value as MandateStatus;
}

function dateField(payload: JsonObject, field: string): Date {
  const value = text(payload, field);
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !isStorableInstant(date)) throw new WebhookMalformedError(`${field} is not an ISO date-time in the years 1 to 9999`, field);
  return date;
}

function text(data: JsonObject, field: string): string {
  const value = optionalText(data, field);
  if (value === undefined) throw new WebhookMalformedError(`${field} is required`, field);
  return value;
}

/**
 * A field that becomes part of a key PostgreSQL indexes (a dedupe key, a payment or mandate key).
 * ISO 20022 identifiers are at most 35 characters; past 200, the event is not read (kept UNPARSED)
 * rather than failing the insert with an index entry over PostgreSQL's limit.
 */
const MAX_IDENTIFIER_LENGTH = 200;

function identifier(data: JsonObject, field: string): string {
  const value = optionalIdentifier(data, field);
  if (value === undefined) throw new WebhookMalformedError(`${field} is required`, field);
  return value;
}

function optionalIdentifier(data: JsonObject, field: string): string | undefined {
  const value = data[field];
  if (typeof value === 'string' && value.length > MAX_IDENTIFIER_LENGTH) throw new WebhookMalformedError(`${field} must be at most ${MAX_IDENTIFIER_LENGTH} characters`, field);
  return optionalText(data, field);
}

function optionalText(data: JsonObject, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' && value !== '' && value.length <= 2048 ? value : undefined;
}

function object(data: JsonObject, field: string): JsonObject | undefined {
  const value = data[field];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}
