// Unit spec of toPlatformEvent: the platform, each effect, exact amounts, dedupe keys, and what cannot be read.
import { WebhookMalformedError } from '../../../domain/domain-error';
import { Platform } from './platform-definition';
import { toPlatformEvent } from './platform-events';

const platform: Platform = {
  name: 'example-pay',
  secretEnv: 'S',
  secret: 'x',
  signature: { scheme: 'hmac-sha512', encoding: 'hex', header: 'x-sig', prefix: '' },
  fields: { event: ['event'], reference: ['data', 'transaction_id'], amount: ['data', 'amount'], currency: ['data', 'currency'], counterpartyName: ['data', 'customer', 'name'], status: ['data', 'status'] },
  amountUnit: 'minor',
  minorUnitDigits: { JPY: 0 },
  events: new Map([
    ['payment.success', 'inbound'],
    ['payment.failed', 'failed'],
    ['refund.processed', 'refunded'],
    ['transfer.success', 'settled'],
    ['subscription.renew', 'record'],
  ]),
};

/** The example body, with the event and the fields changed as given. */
function body(event: string, data: Record<string, unknown> = {}): string {
  return JSON.stringify({ event, data: { transaction_id: '123456789', amount: 5000, currency: 'NGN', status: 'success', customer: { email: 'customer@example.com', name: 'John Doe' }, ...data } });
}

describe('toPlatformEvent', () => {
  it('makes payment.success an inbound payment to screen, with the payer named and the minor units converted exactly', () => {
    const event = toPlatformEvent(platform, body('payment.success'));
    expect(event).toMatchObject({ provider: 'example-pay', eventType: 'payment.success', transactionIds: ['example-pay:123456789'], status: 'success' });
    expect(event.money?.toString()).toBe('50 NGN');
    expect(event.effect).toMatchObject({ kind: 'INBOUND_PAYMENT', transactionId: 'example-pay:123456789', reference: '123456789', attributes: { source: 'example-pay', payer: { name: 'John Doe' }, amount: '50' } });
    expect(event.dedupeKey).toMatch(/^payment\.success:sha256:[0-9a-f]{64}$/);
    expect(toPlatformEvent(platform, body('payment.success')).dedupeKey).toBe(event.dedupeKey);
  });

  it.each([
    ['transfer.success', 'SETTLED'],
    ['payment.failed', 'FAILED'],
  ])('makes %s move the payment of the Toqio transaction the reference names', (name, progress) => {
    const event = toPlatformEvent(platform, body(name, { transaction_id: 'tx-1' }));
    expect(event.transactionIds).toEqual(['tx-1']);
    expect(event.effect).toEqual({ kind: 'PAYMENT_PROGRESS', paymentKey: 'payment:tx-1', state: { progress, providerStatus: 'success' }, money: expect.anything() });
  });

  it.each([
    ['refund.processed', 'REFUNDED'],
    ['subscription.renew', 'NONE'],
    ['something.new', 'NONE'],
  ])('keeps %s, linked to what it names, with the effect %s and nothing else', (name, kind) => {
    const event = toPlatformEvent(platform, body(name));
    expect(event.effect).toEqual({ kind });
    expect(event.transactionIds).toEqual(['example-pay:123456789', '123456789']);
  });

  it('reads amounts exactly: major units keep every digit, minor units follow the currency, ids keep theirs', () => {
    const major = { ...platform, amountUnit: 'major' as const, fields: { ...platform.fields, eventId: ['id'] } };
    const text = '{"id":12345678901234567890,"event":"payment.success","data":{"transaction_id":"r1","amount":1234567890123.456789,"currency":"USD"}}';
    const event = toPlatformEvent(major, text);
    expect(event.money?.amount.toString()).toBe('1234567890123.456789');
    expect(event.dedupeKey).toBe('payment.success:12345678901234567890');
    expect(toPlatformEvent(platform, body('payment.success', { amount: '5000', currency: 'JPY' })).money?.toString()).toBe('5000 JPY');
    expect(toPlatformEvent(platform, body('payment.success', { amount: 1, currency: 'KWD' })).money?.toString()).toBe('0.01 KWD');
  });

  it.each([
    ['no event name', '{"data":{}}', "event (the event's name) is required"],
    ['an inbound payment without a reference', body('payment.success', { transaction_id: null }), 'data.transaction_id is required'],
    ['an inbound payment without an amount', body('payment.success', { amount: null }), 'data.amount is required'],
    ['a fractional minor amount', body('payment.success', { amount: 50.5 }), 'data.amount must be a whole number of minor units'],
    ['a zero amount', body('transfer.success', { amount: 0 }), 'data.amount: amount must be greater than 0'],
    ['an amount without a currency', body('refund.processed', { currency: null }), 'data.currency is required with an amount'],
    ['a lower-case currency', body('payment.success', { currency: 'ngn' }), 'data.currency: currency must be 3 to 12 upper-case letters'],
    // The digits table is a plain object: an inherited name once read a function as the digits.
    ['a currency named constructor', body('payment.success', { currency: 'constructor' }), 'data.currency: currency must be 3 to 12 upper-case letters'],
    ['a reference too long for an id', body('payment.success', { transaction_id: 'r'.repeat(190) }), 'data.transaction_id must be 1 to'],
  ])('refuses %s as unreadable, naming the field', (_what, text, message) => {
    expect(() => toPlatformEvent(platform, text)).toThrow(WebhookMalformedError);
    expect(() => toPlatformEvent(platform, text)).toThrow(message);
  });
});
