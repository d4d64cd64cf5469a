// Turns a verified webhook of a declared platform into the service's payment event, by the file's field paths and event mapping.
import { createHash } from 'node:crypto';
import { Decimal } from '../../../domain/decimal';
import { DomainError, WebhookMalformedError } from '../../../domain/domain-error';
import { Money } from '../../../domain/money';
import { PaymentEffect, PaymentEvent } from '../../../domain/payment-event';
import { knownCode } from '../../../domain/known-code';
import { JsonObject } from '../../../domain/transaction';
import { isUsableId, MAX_TRANSACTION_ID_LENGTH } from '../../../domain/transaction-id';
import { parseKeepingNumbers } from '../exact-json';
import { DEFAULT_MINOR_DIGITS, FieldPath, Platform, PlatformEffect } from './platform-definition';

const MAX_TEXT_LENGTH = 200;
const MAX_AMOUNT_LENGTH = 40;

/** What the event's fields say, each read once. */
interface Read {
  readonly name: string;
  readonly effect: PlatformEffect | undefined;
  readonly reference?: string;
  readonly money?: Money;
  readonly counterpartyName?: string;
  readonly status?: string;
}

/** Throws WebhookMalformedError when the body lacks what the event's effect needs. */
export function toPlatformEvent(platform: Platform, jsonText: string): PaymentEvent {
  const body = parseKeepingNumbers(jsonText);
  const { fields } = platform;
  const name = text(body, fields.event);
  if (name === undefined) throw new WebhookMalformedError(`${dotted(fields.event)} (the event's name) is required`, dotted(fields.event));
  const read: Read = {
    name,
    effect: platform.events.get(name),
    reference: text(body, fields.reference),
    money: money(platform, body),
    counterpartyName: text(body, fields.counterpartyName, 300),
    status: text(body, fields.status),
  };
  const eventId = text(body, fields.eventId);
  return {
    provider: platform.name,
    eventType: name,
    // Without an id of the platform's own, the same bytes again are the same event.
    dedupeKey: `${name}:${eventId ?? `sha256:${createHash('sha256').update(jsonText).digest('hex')}`}`,
    transactionIds: linksOf(platform, read),
    status: read.status,
    money: read.money,
    summary: summaryOf(read),
    payloadJson: jsonText,
    effect: effectOf(platform, read),
  };
}

/** The event's name in a body parsed the ordinary way, for an event kept unread. */
export function eventNameIn(platform: Platform, body: unknown): unknown {
  return at(body, platform.fields.event);
}

function effectOf(platform: Platform, read: Read): PaymentEffect {
  switch (read.effect) {
    case 'inbound': {
      const reference = required(read.reference, platform.fields.reference);
      const money = required(read.money, platform.fields.amount);
      const transactionId = `${platform.name}:${reference}`;
      // Prefixed, it must still pass the id rule: the payment is decided through the analyst API by this id.
      if (!isUsableId(transactionId)) {
        throw new WebhookMalformedError(`${dotted(platform.fields.reference!)} must be 1 to ${MAX_TRANSACTION_ID_LENGTH - platform.name.length - 1} characters, with no control characters`, dotted(platform.fields.reference!));
      }
      const attributes: JsonObject = { source: platform.name, event: read.name, reference, amount: money.amount.toString(), currency: money.currency, status: read.status, payer: { name: read.counterpartyName } };
      return { kind: 'INBOUND_PAYMENT', transactionId, money, reference, attributes };
    }
    case 'settled':
    case 'failed': {
      const reference = required(read.reference, platform.fields.reference);
      const progress = read.effect === 'settled' ? 'SETTLED' : 'FAILED';
      return { kind: 'PAYMENT_PROGRESS', paymentKey: `payment:${reference}`, state: { progress, providerStatus: read.status ?? read.name }, money: read.money };
    }
    case 'refunded':
      return { kind: 'REFUNDED' };
    default:
      return { kind: 'NONE' };
  }
}

/** An inbound payment is its own transaction; anything else may name Toqio's transaction, or a payment received. */
function linksOf(platform: Platform, read: Read): string[] {
  if (read.reference === undefined) return [];
  if (read.effect === 'inbound') return [`${platform.name}:${read.reference}`];
  if (read.effect === 'settled' || read.effect === 'failed') return [read.reference];
  return [`${platform.name}:${read.reference}`, read.reference];
}

function summaryOf(read: Read): string {
  const what = read.effect === undefined ? 'not in the platform\'s mapping, recorded' : read.effect;
  const money = read.money ? ` of ${read.money.toString()}` : '';
  const party = read.counterpartyName ? ` (${read.counterpartyName})` : '';
  return `${read.name}${read.reference ? ` ${read.reference}` : ''}${money}${party}: ${what}`;
}

/** The amount in the file's unit, converted exactly; undefined when the body carries none. */
function money(platform: Platform, body: unknown): Money | undefined {
  const { amount: amountPath, currency: currencyPath } = platform.fields;
  const raw = amountPath ? at(body, amountPath) : undefined;
  if (raw === undefined || raw === null) return undefined;
  const where = dotted(amountPath!);
  const currency = currencyPath ? text(body, currencyPath) : undefined;
  if (currency === undefined) throw new WebhookMalformedError(`${currencyPath ? dotted(currencyPath) : 'the currency'} is required with an amount`, currencyPath ? dotted(currencyPath) : where);
  if (typeof raw !== 'string' || raw.length > MAX_AMOUNT_LENGTH) throw new WebhookMalformedError(`${where} must be a number`, where);
  try {
    if (platform.amountUnit === 'major') return Money.of(raw, currency);
    if (!/^\d+$/.test(raw)) throw new WebhookMalformedError(`${where} must be a whole number of minor units`, where);
    return Money.of(Decimal.parse(`${raw}e-${knownCode(platform.minorUnitDigits, currency) ?? DEFAULT_MINOR_DIGITS}`).toString(), currency);
  } catch (error) {
    if (error instanceof DomainError && !(error instanceof WebhookMalformedError)) throw new WebhookMalformedError(`${error.field === 'currency' ? dotted(currencyPath!) : where}: ${error.message}`, where);
    throw error;
  }
}

function required<T>(value: T | undefined, path: FieldPath | undefined): T {
  if (value === undefined) throw new WebhookMalformedError(`${path ? dotted(path) : 'a field'} is required`, path ? dotted(path) : undefined);
  return value;
}

/** The text (or number, as its text) at `path`, when it is short enough to be a name or a key. */
function text(body: unknown, path: FieldPath | undefined, maxLength = MAX_TEXT_LENGTH): string | undefined {
  const value = path ? at(body, path) : undefined;
  return typeof value === 'string' && value.trim() !== '' && value.length <= maxLength ? value : undefined;
}

function at(body: unknown, path: FieldPath): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const dotted = (path: FieldPath) => path.join('.');
