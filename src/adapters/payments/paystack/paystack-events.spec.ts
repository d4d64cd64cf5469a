// Unit spec of the Paystack normaliser: exact subunit amounts, dedupe keys, links and effects.
import { createHash } from 'node:crypto';
import { WebhookMalformedError } from '../../../domain/domain-error';
import { JsonObject } from '../../../domain/transaction';
import { inboundTransactionId, toPaymentEvent } from './paystack-events';

/** Shaped like Paystack's published charge.success example; the values are this spec's own. */
function chargeSuccess(data: JsonObject = {}): JsonObject {
  return {
    event: 'charge.success',
    data: {
      id: 5120349871,
      domain: 'test',
      status: 'success',
      reference: 'inv-2026-0042',
      amount: 100000,
      message: null,
      gateway_response: 'Successful',
      paid_at: '2026-03-02T10:15:30.000Z',
      created_at: '2026-03-02T10:15:01.000Z',
      channel: 'card',
      currency: 'NGN',
      ip_address: '198.51.100.23',
      metadata: { invoice: 'INV-42' },
      fees: 1500,
      customer: { id: 99881, first_name: 'Chidi', last_name: 'Okafor', email: 'chidi@example.test', customer_code: 'CUS_q8w7e6r5t4y3', phone: null, metadata: null, risk_action: 'default' },
      authorization: {
        authorization_code: 'AUTH_zz11yy22xx',
        bin: '539983',
        last4: '8381',
        exp_month: '09',
        exp_year: '2031',
        channel: 'card',
        card_type: 'mastercard',
        bank: 'Guaranty Trust Bank',
        country_code: 'NG',
        brand: 'mastercard',
        reusable: true,
        signature: 'SIG_aa99bb88cc77',
        account_name: null,
      },
      ...data,
    },
  };
}

/** Shaped like Paystack's transfer-successful.json (doc-code-snippets); values are this spec's own. */
function transfer(event: 'transfer.success' | 'transfer.failed' | 'transfer.reversed', data: JsonObject = {}): JsonObject {
  return {
    event,
    data: {
      amount: 250075,
      createdAt: '2026-03-02T11:00:00.000Z',
      currency: 'NGN',
      domain: 'test',
      failures: null,
      id: 771234001,
      integration: { id: 4001, is_live: false, business_name: 'Spec Ltd' },
      reason: 'Supplier payout',
      reference: 'toqio-tx-7f3a',
      source: 'balance',
      source_details: null,
      status: event.slice('transfer.'.length),
      titan_code: null,
      transfer_code: 'TRF_spec0001abcd',
      transferred_at: null,
      updatedAt: '2026-03-02T11:00:05.000Z',
      recipient: { name: 'Ngozi Adebayo', recipient_code: 'RCP_spec0001', type: 'nuban', details: { account_number: '0123456789', bank_code: '058', bank_name: 'GTBank' } },
      session: { provider: null, id: null },
      fee_charged: 0,
      gateway_response: null,
      ...data,
    },
  };
}

function refund(event: string, data: JsonObject = {}): JsonObject {
  return {
    event,
    data: {
      id: 'rf_9001',
      status: event.slice('refund.'.length),
      transaction_reference: 'inv-2026-0042',
      refund_reference: 'RFD_spec_01',
      amount: 5000,
      currency: 'NGN',
      processor: 'card',
      customer: { email: 'chidi@example.test', first_name: 'Chidi', last_name: 'Okafor' },
      integration: 4001,
      domain: 'test',
      ...data,
    },
  };
}

const normalise = (body: unknown) => toPaymentEvent(body, JSON.stringify(body));

function malformed(body: unknown, field?: string): void {
  let thrown: unknown;
  try {
    normalise(body);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WebhookMalformedError);
  if (field !== undefined) expect(thrown).toMatchObject({ code: 'WEBHOOK_MALFORMED', field });
}

describe('Paystack toPaymentEvent', () => {
  describe('charge.success', () => {
    it('records money received as an INBOUND payment of the exact amount, linked by reference', () => {
      const body = chargeSuccess();
      const raw = JSON.stringify(body);
      const event = toPaymentEvent(body, raw);

      expect(event).toMatchObject({
        provider: 'paystack',
        eventType: 'charge.success',
        dedupeKey: 'charge.success:5120349871',
        transactionIds: ['paystack:inv-2026-0042'],
        status: 'success',
        payloadJson: raw,
        occurredAt: new Date('2026-03-02T10:15:30.000Z'),
      });
      expect(event.money?.amount.toString()).toBe('1000');
      expect(event.money?.currency).toBe('NGN');
      expect(event.effect).toMatchObject({ kind: 'INBOUND_PAYMENT', transactionId: 'paystack:inv-2026-0042', customerId: 'CUS_q8w7e6r5t4y3', reference: 'inv-2026-0042' });
      expect(event.summary).toContain('inv-2026-0042');
      expect(event.summary).toContain('1000 NGN');
    });

    it.each([
      [100000, '1000'],
      [1, '0.01'],
      [10, '0.1'],
      [150, '1.5'],
      [123456789, '1234567.89'],
      [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
      ['12345678901234567890', '123456789012345678.9'],
      ['99999999999999999999', '999999999999999999.99'],
      ['000125', '1.25'],
    ])('converts %p subunits to exactly %s units', (amount, units) => {
      const event = normalise(chargeSuccess({ amount }));
      expect(event.money?.amount.toString()).toBe(units);
      expect(event.effect.kind === 'INBOUND_PAYMENT' && event.effect.attributes.amount).toBe(units);
    });

    // Paystack's exponent, not ISO 4217's (0 for XOF and RWF): see SUBUNITS_PER_UNIT for the source.
    it.each(['GHS', 'ZAR', 'KES', 'USD', 'EGP', 'XOF', 'RWF'])('takes %s in hundredths too', (currency) => {
      expect(normalise(chargeSuccess({ amount: 2550, currency })).money?.toString()).toBe(`25.5 ${currency}`);
    });

    it('shows the monitoring provider who paid and how, but never the card itself', () => {
      const event = normalise(chargeSuccess());
      if (event.effect.kind !== 'INBOUND_PAYMENT') throw new Error('expected an inbound payment');
      expect(event.effect.attributes).toMatchObject({
        source: 'paystack',
        reference: 'inv-2026-0042',
        amount: '1000',
        currency: 'NGN',
        channel: 'card',
        customerCode: 'CUS_q8w7e6r5t4y3',
        customerEmail: 'chidi@example.test',
        payer: { country: 'NG', bank: 'Guaranty Trust Bank', cardType: 'mastercard' },
        metadata: { invoice: 'INV-42' },
      });
      const attributes = JSON.stringify(event.effect.attributes);
      for (const secret of ['539983', '8381', 'AUTH_zz11yy22xx', 'SIG_aa99bb88cc77']) expect(attributes).not.toContain(secret);
    });

    it("carries what Paystack's API is asked to confirm: the charge by its reference, alerting on the inbound transaction", () => {
      expect(normalise(chargeSuccess()).effect).toMatchObject({
        verify: { kind: 'CHARGE', lookup: 'inv-2026-0042', reference: 'inv-2026-0042', status: 'success', alertTransactionId: 'paystack:inv-2026-0042' },
      });
    });
    it('keys duplicates by the charge id: the same charge redelivered shares a key, another charge does not', () => {
      const first = normalise(chargeSuccess());
      const again = normalise(chargeSuccess({ gateway_response: 'Approved' }));
      const other = normalise(chargeSuccess({ id: 5120349872 }));
      expect(again.dedupeKey).toBe(first.dedupeKey);
      expect(other.dedupeKey).not.toBe(first.dedupeKey);
    });

    it('takes a string id as Paystack may send one', () => {
      expect(normalise(chargeSuccess({ id: '5120349871' })).dedupeKey).toBe('charge.success:5120349871');
    });

    it('reads the amount and the id from the digits sent, not from the float JSON.parse makes of them', () => {
      // JSON.parse reads both numbers below as 5000 and 5: a fractional amount and another charge's key.
      const raw = JSON.stringify(chargeSuccess()).replace('"amount":100000', '"amount":5000.000000000000001');
      expect(() => toPaymentEvent(JSON.parse(raw), raw)).toThrow(expect.objectContaining({ code: 'WEBHOOK_MALFORMED', field: 'data.amount' }));
      const idOnly = JSON.stringify(chargeSuccess()).replace('"id":5120349871', '"id":5.0000000000000001');
      expect(() => toPaymentEvent(JSON.parse(idOnly), idOnly)).toThrow(expect.objectContaining({ field: 'data.id' }));
      const big = JSON.stringify(chargeSuccess()).replace('"id":5120349871', '"id":9007199254740993');
      expect(toPaymentEvent(JSON.parse(big), big).dedupeKey).toBe('charge.success:9007199254740993');
      // An amount past 2^53 is exact too: its digits, not the float.
      const large = JSON.stringify(chargeSuccess()).replace('"amount":100000', '"amount":9007199254740993');
      expect(toPaymentEvent(JSON.parse(large), large).money?.amount.toString()).toBe('90071992547409.93');
    });

    it('accepts a reference whose transaction id fits the id rule (119 characters) and refuses longer ones or control characters', () => {
      const ok = '中'.repeat(119);
      expect(normalise(chargeSuccess({ reference: ok })).transactionIds).toEqual([inboundTransactionId(ok)]);
      malformed(chargeSuccess({ reference: 'r'.repeat(120) }), 'data.reference');
      malformed(chargeSuccess({ reference: 'ref\u0007x' }), 'data.reference');
    });

    it.each([
      ['a fractional amount', { amount: 100.5 }, 'data.amount'],
      ['a fractional amount as text', { amount: '100.5' }, 'data.amount'],
      ['a negative amount', { amount: -100 }, 'data.amount'],
      ['a zero amount', { amount: 0 }, 'data.amount'],
      ['an amount in exponent notation', { amount: '1e5' }, 'data.amount'],
      ['an amount of 21 digits', { amount: '123456789012345678901' }, 'data.amount'],
      ['a boolean amount', { amount: true }, 'data.amount'],
      ['no amount', { amount: undefined }, 'data.amount'],
      ['an unknown currency', { currency: 'JPY' }, 'data.currency'],
      ['a currency named like an inherited property', { currency: 'constructor' }, 'data.currency'],
      ['a lower-case currency', { currency: 'ngn' }, 'data.currency'],
      ['no currency', { currency: undefined }, 'data.currency'],
      ['no id', { id: undefined }, 'data.id'],
      ['an empty id', { id: '' }, 'data.id'],
      ['a fractional id', { id: 1.5 }, 'data.id'],
      ['no reference', { reference: undefined }, 'data.reference'],
      ['an empty reference', { reference: '' }, 'data.reference'],
    ])('refuses %s', (_what, data, field) => {
      malformed(chargeSuccess(data), field);
    });
  });

  describe('transfer.*', () => {
    it.each([
      ['transfer.success', 'SETTLED', 'success'],
      ['transfer.failed', 'FAILED', 'failed'],
      ['transfer.reversed', 'REVERSED', 'reversed'],
    ] as const)('%s moves the payment named by the reference to %s', (name, progress, providerStatus) => {
      const event = normalise(transfer(name));
      expect(event).toMatchObject({
        eventType: name,
        dedupeKey: `${name}:TRF_spec0001abcd`,
        transactionIds: ['toqio-tx-7f3a'],
        status: providerStatus,
        occurredAt: new Date('2026-03-02T11:00:05.000Z'),
        effect: { kind: 'PAYMENT_PROGRESS', paymentKey: 'transfer:toqio-tx-7f3a', state: { progress, providerStatus } },
      });
      expect(event.money?.toString()).toBe('2500.75 NGN');
      expect(event.effect.kind === 'PAYMENT_PROGRESS' && event.effect.money?.toString()).toBe('2500.75 NGN');
    });

    it("carries what Paystack's API is asked to confirm: the transfer by its code, with an alert id of the event's own", () => {
      expect(normalise(transfer('transfer.reversed')).effect).toMatchObject({
        verify: { kind: 'TRANSFER', lookup: 'TRF_spec0001abcd', reference: 'toqio-tx-7f3a', status: 'reversed', alertTransactionId: 'paystack-check:transfer.reversed:TRF_spec0001abcd' },
      });
      malformed(transfer('transfer.success', { transfer_code: `TRF_${'x'.repeat(120)}` }), 'data.transfer_code');
    });
    it('keys duplicates by event and transfer code: a redelivery shares a key, a later outcome of the same transfer does not', () => {
      const success = normalise(transfer('transfer.success'));
      expect(normalise(transfer('transfer.success', { id: 771234999 })).dedupeKey).toBe(success.dedupeKey);
      expect(normalise(transfer('transfer.reversed')).dedupeKey).not.toBe(success.dedupeKey);
      expect(normalise(transfer('transfer.success', { transfer_code: 'TRF_other' })).dedupeKey).not.toBe(success.dedupeKey);
    });

    it('keys the payment by reference, so that every outcome of one transfer meets on it', () => {
      const keys = (['transfer.success', 'transfer.failed', 'transfer.reversed'] as const).map((name) => {
        const effect = normalise(transfer(name)).effect;
        return effect.kind === 'PAYMENT_PROGRESS' ? effect.paymentKey : undefined;
      });
      expect(new Set(keys)).toEqual(new Set(['transfer:toqio-tx-7f3a']));
    });

    it.each([
      ['no transfer code', { transfer_code: undefined }, 'data.transfer_code'],
      ['no reference', { reference: undefined }, 'data.reference'],
      ['no amount', { amount: undefined }, 'data.amount'],
      ['a fractional amount', { amount: 100.5 }, 'data.amount'],
      ['an unknown currency', { currency: 'EUR' }, 'data.currency'],
    ])('refuses a transfer with %s', (_what, data, field) => {
      malformed(transfer('transfer.failed', data), field);
    });
  });

  describe('refund.*', () => {
    it.each([
      ['refund.pending', 'NONE'],
      ['refund.processing', 'NONE'],
      ['refund.processed', 'REFUNDED'],
      ['refund.failed', 'NONE'],
    ])('%s is recorded against the charge it returns, as money returned only once processed (%s)', (name, kind) => {
      const event = normalise(refund(name));
      expect(event).toMatchObject({
        eventType: name,
        dedupeKey: `${name}:rf_9001`,
        // The inbound charge first, then a transaction Toqio named by the same reference.
        transactionIds: ['paystack:inv-2026-0042', 'inv-2026-0042'],
        status: name.slice('refund.'.length),
        effect: { kind },
      });
      expect(event.money?.toString()).toBe('50 NGN');
    });

    it("falls back on the embedded transaction's reference", () => {
      const event = normalise(refund('refund.processed', { transaction_reference: undefined, transaction: { id: 5120349871, reference: 'inv-77' } }));
      expect(event.transactionIds).toEqual(['paystack:inv-77', 'inv-77']);
    });

    it('links nothing when it names no charge, and needs no amount', () => {
      const event = normalise(refund('refund.failed', { transaction_reference: undefined, amount: undefined }));
      expect(event.transactionIds).toEqual([]);
      expect(event.money).toBeUndefined();
    });

    it('refuses a refund without an id, or with a fractional amount', () => {
      malformed(refund('refund.processed', { id: undefined }), 'data.id');
      malformed(refund('refund.processed', { amount: 12.34 }), 'data.amount');
    });
  });

  describe('other events', () => {
    it('are kept and acknowledged, keyed by the digest of their raw body', () => {
      const event = normalise({ event: 'subscription.create', data: { id: 31337, subscription_code: 'SUB_x1', status: 'active' } });
      expect(event).toMatchObject({ eventType: 'subscription.create', dedupeKey: expect.stringMatching(/^subscription\.create:[0-9a-f]{64}$/), transactionIds: [], status: 'active', effect: { kind: 'NONE' } });
      expect(event.money).toBeUndefined();
    });

    it('keep a second notice about the same object: a dispute reminded twice is two events', () => {
      const first = '{"event":"charge.dispute.remind","data":{"id":8421,"reference":"inv-1","due_at":"2026-12-05T00:00:00.000Z"}}';
      const second = first.replace('2026-12-05', '2026-12-06');
      expect(toPaymentEvent(JSON.parse(first), first).dedupeKey).not.toBe(toPaymentEvent(JSON.parse(second), second).dedupeKey);
      expect(toPaymentEvent(JSON.parse(first), first).dedupeKey).toBe(toPaymentEvent(JSON.parse(first), first).dedupeKey);
    });

    it('link to a reference when they carry one', () => {
      const event = normalise({ event: 'charge.dispute.create', data: { id: 'dsp_1', reference: 'inv-2026-0042' } });
      expect(event.transactionIds).toEqual(['paystack:inv-2026-0042', 'inv-2026-0042']);
      expect(event.effect).toEqual({ kind: 'NONE' });
    });

    it('without an id, are keyed by the digest of the raw body: an identical redelivery is a duplicate, any other body is not', () => {
      const raw = '{"event":"customeridentification.success","data":{"customer_code":"CUS_1","email":"a@b.test"}}';
      const event = toPaymentEvent(JSON.parse(raw), raw);
      expect(event.dedupeKey).toBe(`customeridentification.success:${createHash('sha256').update(raw).digest('hex')}`);
      expect(toPaymentEvent(JSON.parse(raw), raw).dedupeKey).toBe(event.dedupeKey);
      const other = raw.replace('CUS_1', 'CUS_2');
      expect(toPaymentEvent(JSON.parse(other), other).dedupeKey).not.toBe(event.dedupeKey);
    });
  });

  describe('envelope', () => {
    it.each([
      ['null', null],
      ['an array', [{ event: 'charge.success', data: {} }]],
      ['a string', 'charge.success'],
      ['no event', { data: { id: 1 } }],
      ['an empty event', { event: '', data: { id: 1 } }],
      ['a numeric event', { event: 7, data: { id: 1 } }],
      ['no data', { event: 'charge.success' }],
      ['data as an array', { event: 'charge.success', data: [] }],
      ['data as null', { event: 'transfer.success', data: null }],
    ])('refuses %s', (_what, body) => {
      malformed(body, 'event');
    });
  });
});
