// Unit spec of the PayTo normaliser: the four ANZ Fileactive endpoints, their dedupe keys and effects.
import { WebhookMalformedError } from '../../../domain/domain-error';
import { JsonObject } from '../../../domain/transaction';
import { alertTransactionId, MAX_CASE_ID_LENGTH, PaytoEndpoint, toPaymentEvent } from './payto-events';

// Payloads shaped like ANZ's published schemas (payto-api-webhook.yaml); the values are this spec's own.
const MANDATE = '3c1d2e40c3a911edafa10242ac120002';
const MESSAGE_ID = '6f0f2a3e-9b1c-4e5d-8a7b-1c2d3e4f5a6b';

function mandateOutcome(overrides: JsonObject = {}): JsonObject {
  return {
    creation_date_time: '2026-03-02T09:15:20.246Z',
    status: 'SUCC',
    mps_user_id: '10002005',
    request_id: '0a6b4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d',
    mandate_identification: MANDATE,
    mandate_registration_date_time: '2026-03-02T09:15:19.000Z',
    mandate_status: 'CRTD',
    action_identification: '91a2b3c4c3a911edafa10242ac120002',
    action_type: 'CREA',
    action_status: 'PEND',
    bilateral: true,
    ...overrides,
  };
}

function mandateNotification(overrides: JsonObject = {}): JsonObject {
  return {
    creation_date_time: '2026-03-02T09:20:00.000Z',
    trigger: 'MCRC',
    mps_user_id: '10002005',
    mandate_identification: MANDATE,
    mandate_status: 'ACTV',
    action_identification: 'a1b2c3d4c3a911edafa10242ac120002',
    action_type: 'CREA',
    action_status: 'CMPL',
    ...overrides,
  };
}

function mpirOutcome(overrides: JsonObject = {}): JsonObject {
  return {
    creation_date_time: '2026-03-02T10:00:00.000Z',
    transaction_status: 'ACSC',
    mps_user_id: '10002005',
    instruction_identification: 'ANZBAU3LXXXI20260302900000000077700',
    uetr: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed',
    account_servicer_reference: 'MPS000777',
    clearing_system_reference: 'CUSCAU2SXXXN20260302000777000001900',
    acceptance_date_time: '2026-03-02T09:59:58.000Z',
    original_transaction_reference: {
      original_instruction_identification: 'toqio-tx-payto-77',
      instructed_amount: { currency: 'AUD', amount: '562.89' },
      mandate_identification: MANDATE,
      creditor_name: 'SPEC BILLER PTY LTD',
    },
    ...overrides,
  };
}

function query(overrides: JsonObject = {}): JsonObject {
  return {
    creation_date_time: '2026-03-03T08:00:00.000Z',
    case_id: 'ANZAU260303-00017',
    investigation_type_code: 'INV14',
    case_type: 'Mandate Query Payments',
    reminder_count: '0',
    re_open_case_indication: false,
    narrative: `/MandateID/${MANDATE}//Reason/Payer does not recognise this debit/`,
    payment_details: {
      transaction_identification: 'CUSCAU2SXXXN20260302000777000001900',
      instruction_identification: 'ANZBAU3LXXXI20260302900000000077700',
      transaction_date: '2026-03-02',
      original_transaction_amount: { currency: 'AUD', amount: '562.89' },
    },
    mandate_details: {
      mps_user_id: '10002005',
      mandate_identification: MANDATE,
      establishment_scheme: 'AUPM',
      mandate_purpose_code: 'RETL',
      description: 'Gym membership',
      debtor_information: { party_name: 'Barney Rubble', account_identification_type_code: 'BBAN', account_identification: '013010XXXXX8937' },
      payment_information: { payment_frequency: 'MNTH', payment_amount_type: 'FIXE', amount: { currency: 'AUD', amount: '49.95' } },
    },
    ...overrides,
  };
}

function malformed(endpoint: PaytoEndpoint, payload: JsonObject, field?: string): void {
  let thrown: unknown;
  try {
    toPaymentEvent(endpoint, payload, MESSAGE_ID);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WebhookMalformedError);
  if (field !== undefined) expect(thrown).toMatchObject({ code: 'WEBHOOK_MALFORMED', field });
}

describe('PayTo toPaymentEvent', () => {
  it('keeps the message id, the decoded payload and the creation time on every event', () => {
    const payload = mandateOutcome();
    const event = toPaymentEvent('mandate-outcome', payload, MESSAGE_ID);
    expect(event).toMatchObject({ provider: 'payto', messageId: MESSAGE_ID, occurredAt: new Date('2026-03-02T09:15:20.246Z') });
    expect(JSON.parse(event.payloadJson)).toEqual(payload);
  });

  describe('mandate-outcome (MandateActionOutcome)', () => {
    it('a successful action sets the mandate status it reports, keyed by request_id', () => {
      const event = toPaymentEvent('mandate-outcome', mandateOutcome(), MESSAGE_ID);
      expect(event).toMatchObject({
        eventType: 'mandate.outcome',
        dedupeKey: 'mandate.outcome:0a6b4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d',
        transactionIds: [],
        status: 'CRTD',
        effect: { kind: 'MANDATE_STATUS', mandateId: MANDATE, state: { status: 'CRTD', at: new Date('2026-03-02T09:15:20.246Z') } },
      });
      expect(event.summary).toContain(MANDATE);
    });

    it('a redelivery shares the key whatever its message id; another request does not', () => {
      const first = toPaymentEvent('mandate-outcome', mandateOutcome(), MESSAGE_ID);
      expect(toPaymentEvent('mandate-outcome', mandateOutcome({ creation_date_time: '2026-03-02T09:16:00.000Z' }), 'another-message').dedupeKey).toBe(first.dedupeKey);
      expect(toPaymentEvent('mandate-outcome', mandateOutcome({ request_id: '1a6b4c1e-5d2f-4a3b-9c8d-7e6f5a4b3c2d' }), MESSAGE_ID).dedupeKey).not.toBe(first.dedupeKey);
    });

    it('a rejected action changes no mandate', () => {
      const event = toPaymentEvent(
        'mandate-outcome',
        mandateOutcome({ status: 'RJCT', mandate_identification: undefined, mandate_status: undefined, error: { code: 'MD01', severity: 'FATL', text: 'Invalid account' } }),
        MESSAGE_ID,
      );
      expect(event).toMatchObject({ status: 'RJCT', effect: { kind: 'NONE' } });
      expect(event.summary).toContain('rejected');
    });

    it('a rejected status change that still names a status changes no mandate', () => {
      expect(toPaymentEvent('mandate-outcome', mandateOutcome({ status: 'RJCT', mandate_status: 'CNCD' }), MESSAGE_ID).effect).toEqual({ kind: 'NONE' });
    });

    it('a success that names no mandate or no status changes none', () => {
      expect(toPaymentEvent('mandate-outcome', mandateOutcome({ mandate_status: undefined }), MESSAGE_ID).effect).toEqual({ kind: 'NONE' });
      expect(toPaymentEvent('mandate-outcome', mandateOutcome({ mandate_identification: undefined }), MESSAGE_ID).effect).toEqual({ kind: 'NONE' });
    });

    it.each([
      ['no request_id', { request_id: undefined }, 'request_id'],
      ['no status', { status: undefined }, 'status'],
      ['no creation time', { creation_date_time: undefined }, 'creation_date_time'],
      ['a creation time that is not ISO', { creation_date_time: 'Mon, 02 Mar 2026 09:15:20 GMT' }, 'creation_date_time'],
      ['an unknown mandate status', { mandate_status: 'PAUS' }, 'mandate_status'],
    ])('refuses %s', (_what, overrides, field) => {
      malformed('mandate-outcome', mandateOutcome(overrides), field);
    });
  });

  describe('mandate-notification (MandateNotification)', () => {
    it('sets the mandate_status it carries, keyed by action_identification', () => {
      const event = toPaymentEvent('mandate-notification', mandateNotification(), MESSAGE_ID);
      expect(event).toMatchObject({
        eventType: 'mandate.notification',
        dedupeKey: 'mandate.notification:a1b2c3d4c3a911edafa10242ac120002',
        status: 'ACTV',
        effect: { kind: 'MANDATE_STATUS', mandateId: MANDATE, state: { status: 'ACTV', at: new Date('2026-03-02T09:20:00.000Z') } },
      });
    });

    it('implies ACTV from a completed create confirmation (MCRC) without mandate_status', () => {
      const event = toPaymentEvent('mandate-notification', mandateNotification({ mandate_status: undefined }), MESSAGE_ID);
      expect(event.effect).toMatchObject({ kind: 'MANDATE_STATUS', state: { status: 'ACTV' } });
    });

    it.each([
      ['SUSP', 'SUSD'],
      ['RELS', 'ACTV'],
      ['CNCL', 'CNCD'],
    ])('implies the status a completed payer status change %s leaves (%s)', (change, status) => {
      const payload = mandateNotification({
        trigger: 'MSCH',
        action_type: 'STCH',
        mandate_status: undefined,
        details: { status_change: { change, reason_code: 'MD16', reason_description: 'Requested By Customer' } },
      });
      const event = toPaymentEvent('mandate-notification', payload, MESSAGE_ID);
      expect(event).toMatchObject({ status, effect: { kind: 'MANDATE_STATUS', mandateId: MANDATE, state: { status } } });
    });

    it('implies nothing from an action that is not completed', () => {
      for (const actionStatus of ['PEND', 'DECL', 'TIMO', 'RECL']) {
        const payload = mandateNotification({ mandate_status: undefined, action_status: actionStatus, details: { status_change: { change: 'CNCL' } } });
        const event = toPaymentEvent('mandate-notification', payload, MESSAGE_ID);
        expect(event.effect).toEqual({ kind: 'NONE' });
        expect(event.status).toBe('MCRC');
      }
    });

    it('implies nothing from triggers that do not change the status (declined, expired, amended)', () => {
      for (const trigger of ['MCRD', 'MCRX', 'MAMN', 'MAMC']) {
        const event = toPaymentEvent('mandate-notification', mandateNotification({ trigger, mandate_status: undefined }), MESSAGE_ID);
        expect(event.effect).toEqual({ kind: 'NONE' });
        expect(event.status).toBe(trigger);
      }
    });

    it('prefers the mandate_status it carries over what the trigger implies', () => {
      const payload = mandateNotification({ trigger: 'MSCH', mandate_status: 'SUSD', details: { status_change: { change: 'CNCL' } } });
      expect(toPaymentEvent('mandate-notification', payload, MESSAGE_ID).effect).toMatchObject({ state: { status: 'SUSD' } });
    });

    it.each([
      ['no action_identification', { action_identification: undefined }, 'action_identification'],
      ['no mandate_identification', { mandate_identification: undefined }, 'mandate_identification'],
      ['no trigger', { trigger: undefined }, 'trigger'],
      ['an unknown mandate status', { mandate_status: 'actv' }, 'mandate_status'],
      ['no creation time', { creation_date_time: undefined }, 'creation_date_time'],
    ])('refuses %s', (_what, overrides, field) => {
      malformed('mandate-notification', mandateNotification(overrides), field);
    });
  });

  describe('mpir-outcome (MPIRActionOutcome)', () => {
    it.each([
      ['PDNG', 'PENDING'],
      ['ACSP', 'IN_PROGRESS'],
      ['ACSC', 'SETTLED'],
      ['RJCT', 'FAILED'],
    ])('%s moves the payment to %s, keyed by ANZ instruction id and linked to the biller instruction', (transactionStatus, progress) => {
      const event = toPaymentEvent('mpir-outcome', mpirOutcome({ transaction_status: transactionStatus }), MESSAGE_ID);
      expect(event).toMatchObject({
        eventType: 'mpir.outcome',
        transactionIds: ['toqio-tx-payto-77'],
        status: transactionStatus,
        effect: { kind: 'PAYMENT_PROGRESS', paymentKey: 'mpir:ANZBAU3LXXXI20260302900000000077700', state: { progress, providerStatus: transactionStatus } },
      });
      expect(event.money?.toString()).toBe('562.89 AUD');
    });

    it('keys duplicates by instruction, status and reason: only a repeat of all three is a duplicate', () => {
      const key = (overrides: JsonObject) => toPaymentEvent('mpir-outcome', mpirOutcome(overrides), MESSAGE_ID).dedupeKey;
      const rejected = key({ transaction_status: 'RJCT', transaction_status_reason_code: 'AM04' });
      expect(rejected).toBe('mpir.outcome:ANZBAU3LXXXI20260302900000000077700:RJCT:AM04');
      expect(key({ transaction_status: 'RJCT', transaction_status_reason_code: 'AM04', creation_date_time: '2026-03-02T10:05:00.000Z' })).toBe(rejected);
      expect(key({ transaction_status: 'RJCT', transaction_status_reason_code: 'AC04' })).not.toBe(rejected);
      expect(key({ transaction_status: 'ACSC' })).not.toBe(key({ transaction_status: 'ACSP' }));
      expect(key({ instruction_identification: 'ANZBAU3LXXXI20260302900000000077701' })).not.toBe(key({}));
    });

    it('falls back on the uetr when ANZ sends no instruction id', () => {
      const event = toPaymentEvent('mpir-outcome', mpirOutcome({ instruction_identification: undefined }), MESSAGE_ID);
      expect(event.effect).toMatchObject({ paymentKey: 'mpir:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed' });
    });

    it('links nothing and shows no money when the original reference is absent', () => {
      const event = toPaymentEvent('mpir-outcome', mpirOutcome({ original_transaction_reference: undefined }), MESSAGE_ID);
      expect(event.transactionIds).toEqual([]);
      expect(event.money).toBeUndefined();
    });

    it.each([
      ['an unknown status', { transaction_status: 'ACCP' }, 'transaction_status'],
      ['a status named like an inherited property', { transaction_status: 'toString' }, 'transaction_status'],
      ['no status', { transaction_status: undefined }, 'transaction_status'],
      ['neither instruction id nor uetr', { instruction_identification: undefined, uetr: undefined }, 'instruction_identification'],
      // Keys PostgreSQL indexes: past 200 characters an entry could pass the index's limit (2,704 bytes).
      ['an instruction id of 2,048 characters', { instruction_identification: 'é'.repeat(2048) }, 'instruction_identification'],
      ['an instruction id of 201 characters, though the uetr is fine', { instruction_identification: 'i'.repeat(201) }, 'instruction_identification'],
      ['a reason code of 201 characters', { transaction_status: 'RJCT', transaction_status_reason_code: 'r'.repeat(201) }, 'transaction_status_reason_code'],
      [
        'an amount that is not two decimal places',
        { original_transaction_reference: { original_instruction_identification: 'x', instructed_amount: { currency: 'AUD', amount: '562.8' } } },
        'instructed_amount.amount',
      ],
      [
        'an amount as a float-like text',
        { original_transaction_reference: { original_instruction_identification: 'x', instructed_amount: { currency: 'AUD', amount: '5.6289e2' } } },
        'instructed_amount.amount',
      ],
    ])('refuses %s', (_what, overrides, field) => {
      malformed('mpir-outcome', mpirOutcome(overrides), field);
    });
  });

  describe('query (QueryNotification)', () => {
    it('opens an inbound alert for the case, for the amount of the payment queried', () => {
      const event = toPaymentEvent('query', query(), MESSAGE_ID);
      const transactionId = alertTransactionId('ANZAU260303-00017', false);
      expect(transactionId).toBe('payto-query:ANZAU260303-00017');
      expect(event).toMatchObject({
        eventType: 'query',
        dedupeKey: 'query:ANZAU260303-00017:0:false',
        transactionIds: [transactionId],
        status: 'OPEN',
        effect: { kind: 'ALERT', transactionId, attributes: { source: 'payto', caseId: 'ANZAU260303-00017', caseType: 'Mandate Query Payments', reopened: false, mandateId: MANDATE } },
      });
      expect(event.money?.toString()).toBe('562.89 AUD');
      expect(event.effect.kind === 'ALERT' && event.effect.money.toString()).toBe('562.89 AUD');
      const reason = event.effect.kind === 'ALERT' ? event.effect.reason : '';
      expect(reason).toContain('ANZAU260303-00017');
      expect(reason).toContain('Payer does not recognise this debit');
      expect(reason).toContain(MANDATE);
    });

    it("takes the mandate's own amount when the query is about the mandate, not a payment", () => {
      const event = toPaymentEvent('query', query({ case_type: 'Mandate Query Case', payment_details: undefined }), MESSAGE_ID);
      expect(event.effect).toMatchObject({ kind: 'ALERT' });
      expect(event.money?.toString()).toBe('49.95 AUD');
    });

    it("takes a variable mandate's maximum amount", () => {
      const mandateDetails = { ...(query().mandate_details as JsonObject), payment_information: { payment_frequency: 'MNTH', payment_amount_type: 'VARI', maximum_amount: { currency: 'AUD', amount: '300.00' } } };
      const event = toPaymentEvent('query', query({ payment_details: undefined, mandate_details: mandateDetails }), MESSAGE_ID);
      expect(event.money?.toString()).toBe('300 AUD');
    });

    it('records a query with no amount to screen without opening an alert', () => {
      const mandateDetails = { ...(query().mandate_details as JsonObject), payment_information: { payment_frequency: 'ADHO', payment_amount_type: 'USGB' } };
      const event = toPaymentEvent('query', query({ payment_details: undefined, mandate_details: mandateDetails }), MESSAGE_ID);
      expect(event.effect).toEqual({ kind: 'NONE' });
      expect(event.transactionIds).toEqual(['payto-query:ANZAU260303-00017']);
    });

    it('records reminders against the same alert under their own keys', () => {
      const first = toPaymentEvent('query', query(), MESSAGE_ID);
      const reminder = toPaymentEvent('query', query({ reminder_count: '2' }), MESSAGE_ID);
      expect(reminder.dedupeKey).not.toBe(first.dedupeKey);
      expect(reminder.status).toBe('REMINDER 2');
      expect(reminder.transactionIds).toEqual(first.transactionIds);
      expect(reminder.effect.kind === 'ALERT' && reminder.effect.transactionId).toBe(first.effect.kind === 'ALERT' && first.effect.transactionId);
      expect(toPaymentEvent('query', query({ reminder_count: '2' }), 'other-message').dedupeKey).toBe(reminder.dedupeKey);
    });

    it('opens a second alert for a reopened case', () => {
      const first = toPaymentEvent('query', query(), MESSAGE_ID);
      const reopened = toPaymentEvent('query', query({ re_open_case_indication: true }), MESSAGE_ID);
      expect(reopened.dedupeKey).toBe('query:ANZAU260303-00017:0:true');
      expect(reopened.status).toBe('REOPENED');
      expect(reopened.effect).toMatchObject({ kind: 'ALERT', transactionId: 'payto-query:ANZAU260303-00017:reopened' });
      expect(reopened.effect.kind === 'ALERT' && reopened.effect.transactionId).not.toBe(first.effect.kind === 'ALERT' && first.effect.transactionId);
    });

    it('keeps at most 500 characters of the narrative in the reason', () => {
      const event = toPaymentEvent('query', query({ narrative: 'n'.repeat(2048) }), MESSAGE_ID);
      const reason = event.effect.kind === 'ALERT' ? event.effect.reason : '';
      expect(reason).toContain('n'.repeat(500));
      expect(reason).not.toContain('n'.repeat(501));
    });

    it.each([
      ['no case_id', { case_id: undefined }, 'case_id'],
      ['a case_id too long for an alert id', { case_id: 'c'.repeat(MAX_CASE_ID_LENGTH + 1) }, 'case_id'],
      ['a case_id with a control character', { case_id: 'case\u0001' }, 'case_id'],
      ['no narrative', { narrative: undefined }, 'narrative'],
      ['no creation time', { creation_date_time: undefined }, 'creation_date_time'],
      [
        'a payment amount with three decimals',
        { payment_details: { transaction_identification: 't', instruction_identification: 'i', transaction_date: '2026-03-02', original_transaction_amount: { currency: 'AUD', amount: '1.005' } } },
        'original_transaction_amount.amount',
      ],
    ])('refuses %s', (_what, overrides, field) => {
      malformed('query', query(overrides), field);
    });
  });
});
