// Property, per inbound webhook: whatever a correctly signed peer sends, no 5xx and nothing half-written.
import fc from 'fast-check';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { Webhook } from 'standardwebhooks';
import { FakeVendorApi } from './fakes/fake-vendor-api';
import { FUZZ_TIMEOUT_MS, fuzzRoute } from './support/fuzz';
import { EXAMPLE_PLATFORMS_FILE, EXAMPLE_SECRET } from './support/platform-events';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { inParallel } from './support/waiting';

const PAYSTACK_SECRET = 'sk_test_fuzz_0123456789abcdef0123456789abcdef';
const PAYTO_KEY = 'payto-fuzz-key-0123456789abcdef';
const CALLBACK_SECRET = `whsec_${Buffer.from('fuzz-callback-secret-0123456789ab').toString('base64')}`;
const anz = generateKeyPairSync('rsa', { modulusLength: 2048 });

// Text as peers might send it: ordinary, any UTF-16 (lone surrogates), controls, too long, or a few shared values so that duplicates meet.
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', 'ref-1', 'ref-2', 'a\u0007b', 'a\u0000b', '\uFEFFx', '中'.repeat(130), 'x'.repeat(600), '%2F..%2F', ' '),
);
const someJson = fc.jsonValue({ maxDepth: 3 });
const isoDate = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
/** Mostly what the contract expects, else any text: deep enough to reach the effects, wide enough to find the edges. */
const usually = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid as fc.Arbitrary<T | string> }, text);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary }, { weight: 1, arbitrary: someJson });

const paystackEvent = fc.record(
  {
    event: fc.oneof(fc.constantFrom('charge.success', 'transfer.success', 'transfer.failed', 'transfer.reversed', 'refund.processed', 'refund.failed', 'subscription.create'), fc.string({ maxLength: 20 })),
    data: maybe(
      fc.record(
        {
          id: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer(), fc.string({ maxLength: 210 })),
          reference: text,
          amount: fc.oneof(fc.integer({ min: -5, max: 10_000_000_000 }), fc.stringMatching(/^\d{0,22}$/), fc.double(), fc.string({ maxLength: 8 })),
          currency: fc.oneof(fc.constantFrom('NGN', 'GHS', 'ZAR', 'KES', 'USD', 'XOF', 'EGP', 'RWF', 'JPY', 'ngn'), fc.string({ maxLength: 4 })),
          transfer_code: text,
          transaction_reference: text,
          status: text,
          paid_at: usually(isoDate),
          updatedAt: usually(isoDate),
          customer: maybe(fc.record({ customer_code: text, email: text }, { requiredKeys: [] })),
          authorization: someJson,
          metadata: someJson,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** The platform (config/payment-platforms.example.yaml): its events and fields, and what else a peer might send. */
const platformEvent = fc.record(
  {
    event: fc.oneof(fc.constantFrom('payment.success', 'payment.failed', 'refund.processed', 'transfer.success', 'subscription.renew'), text),
    data: maybe(
      fc.record(
        {
          transaction_id: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...['r-1', 'r-2']) }, text, fc.integer()),
          amount: fc.oneof(fc.integer({ min: -5, max: 10_000_000_000 }), fc.stringMatching(/^\d{0,22}$/), fc.double(), text),
          currency: fc.oneof(fc.constantFrom('NGN', 'USD', 'JPY', 'ngn'), text),
          status: text,
          customer: maybe(fc.record({ name: text, email: text }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const amountObject = maybe(fc.record({ currency: usually(fc.constantFrom('AUD', 'ZZZ')), amount: usually(fc.stringMatching(/^\d{1,17}\.\d{2}$/)) }, { requiredKeys: [] }));
const paytoCommon = { creation_date_time: usually(isoDate), mps_user_id: text };
const paytoPayloads = {
  'mandates/outcomes': fc.record({ ...paytoCommon, request_id: usually(fc.constantFrom('r1', 'r2')), status: usually(fc.constantFrom('SUCC', 'RJCT')), mandate_identification: usually(fc.constantFrom('m1', 'm2')), mandate_status: usually(fc.constantFrom('CRTD', 'ACTV', 'SUSD', 'CNCD')), action_type: text }, { requiredKeys: [] }),
  'mandates/notifications': fc.record(
    {
      ...paytoCommon,
      action_identification: usually(fc.constantFrom('a1', 'a2')),
      mandate_identification: usually(fc.constantFrom('m1', 'm2')),
      trigger: usually(fc.constantFrom('MCRC', 'MSCH', 'MAMD')),
      action_status: usually(fc.constant('CMPL')),
      mandate_status: usually(fc.constantFrom('CRTD', 'ACTV', 'SUSD', 'CNCD')),
      details: maybe(fc.record({ status_change: maybe(fc.record({ change: usually(fc.constantFrom('SUSP', 'RELS', 'CNCL')) })) })),
    },
    { requiredKeys: [] },
  ),
  'mpirs/outcomes': fc.record(
    {
      ...paytoCommon,
      transaction_status: usually(fc.constantFrom('PDNG', 'ACSP', 'ACSC', 'RJCT')),
      transaction_status_reason_code: text,
      instruction_identification: usually(fc.constantFrom('i1', 'i2')),
      uetr: text,
      original_transaction_reference: maybe(fc.record({ original_instruction_identification: text, instructed_amount: amountObject }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
  queries: fc.record(
    {
      ...paytoCommon,
      case_id: usually(fc.constantFrom('case-1', 'case-2')),
      narrative: text,
      case_type: text,
      reminder_count: usually(fc.constantFrom('0', '1')),
      re_open_case_indication: fc.oneof(fc.boolean(), someJson),
      payment_details: maybe(fc.record({ original_transaction_amount: amountObject }, { requiredKeys: [] })),
      mandate_details: maybe(fc.record({ mandate_identification: text, payment_information: maybe(fc.record({ maximum_amount: amountObject }, { requiredKeys: [] })) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
};

describe('webhooks under random, correctly signed input', () => {
  let t: TestApp;
  const held: string[] = [];
  const engine = new FakeVendorApi((request) => ({ status: 200, body: { status: Number(request.body?.amount) >= 10_000 ? 'PENDING_EXTERNAL_APPROVAL' : 'APPROVED', reasons: ['fuzz engine'] } }));

  beforeAll(async () => {
    await engine.start();
    t = await startTestApp({
      env: {
        MONITORING_PROVIDER: 'http',
        MONITORING_HTTP_URL: `${engine.url}/screen`,
        MONITORING_WEBHOOK_SECRET: CALLBACK_SECRET,
        PAYSTACK_SECRET_KEY: PAYSTACK_SECRET,
        PAYTO_API_KEY: PAYTO_KEY,
        PAYTO_SIGNING_PUBLIC_KEY: anz.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        PAYMENT_PLATFORMS_FILE: EXAMPLE_PLATFORMS_FILE,
        EXAMPLE_PAY_WEBHOOK_SECRET: EXAMPLE_SECRET,
      },
    });
    await inParallel(Array.from({ length: 40 }, (_, i) => i), 8, async (i) => {
      const transactionId = `fz-${i}-${randomUUID()}`;
      if ((await postValidate(t.server, { transactionId, amount: 25_000, currency: 'GBP' })).body.status === 'PENDING_EXTERNAL_APPROVAL') held.push(transactionId);
    });
  });
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  it('Paystack: no 5xx, nothing half-written', async () => {
    const bodies = fc.oneof({ weight: 9, arbitrary: fc.tuple(paystackEvent, fc.boolean()).map(([event, bom]) => `${bom ? '\uFEFF' : ''}${JSON.stringify(event)}`) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) });
    await fuzzRoute('POST /webhooks/paystack', bodies, [200, 400, 413], (body) => {
      const signature = createHmac('sha512', PAYSTACK_SECRET).update(body).digest('hex');
      return fetch(`${t.baseUrl}/webhooks/paystack`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-paystack-signature': signature }, body });
    }, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('Paystack: no correctly signed JSON document is answered 4xx (or 5xx)', async () => {
    const documents = fc.oneof({ weight: 4, arbitrary: paystackEvent as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown> });
    const bodies = fc.tuple(documents, fc.boolean()).map(([document, bom]) => `${bom ? '\uFEFF' : ''}${JSON.stringify(document)}`);
    await fuzzRoute('POST /webhooks/paystack (signed JSON)', bodies, [200], (body) => {
      const signature = createHmac('sha512', PAYSTACK_SECRET).update(body).digest('hex');
      return fetch(`${t.baseUrl}/webhooks/paystack`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-paystack-signature': signature }, body });
    }, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('declared platform: no correctly signed JSON document is answered 4xx (or 5xx)', async () => {
    const documents = fc.oneof({ weight: 4, arbitrary: platformEvent as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown> });
    const bodies = fc.tuple(documents, fc.boolean()).map(([document, bom]) => `${bom ? '\uFEFF' : ''}${JSON.stringify(document)}`);
    await fuzzRoute('POST /webhooks/platforms/example-pay (signed JSON)', bodies, [200], (body) => {
      const signature = createHmac('sha512', EXAMPLE_SECRET).update(body).digest('hex');
      return fetch(`${t.baseUrl}/webhooks/platforms/example-pay`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-example-signature': signature }, body });
    }, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('PayTo (all four endpoints): no verified payload is answered 4xx (or 5xx)', async () => {
    const deliveries = fc.oneof(...Object.entries(paytoPayloads).map(([path, payload]) => fc.tuple(fc.constant(path), fc.oneof({ weight: 4, arbitrary: payload as fc.Arbitrary<Record<string, unknown>> }, { weight: 1, arbitrary: fc.dictionary(text, someJson, { maxKeys: 4 }) }))));
    await fuzzRoute('POST /webhooks/payto/* (signed)', deliveries, [200], async ([path, payload]) => {
      const body = JSON.stringify({ secured_payload: await new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(anz.privateKey) });
      return fetch(`${t.baseUrl}/webhooks/payto/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', apikey: PAYTO_KEY, 'x-message-id': randomUUID() }, body });
    }, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('PayTo (all four endpoints): no 5xx, nothing half-written', async () => {
    const deliveries = fc.oneof(...Object.entries(paytoPayloads).map(([path, payload]) => fc.tuple(fc.constant(path), payload as fc.Arbitrary<Record<string, unknown>>, fc.boolean())));
    await fuzzRoute('POST /webhooks/payto/*', deliveries, [200, 400], async ([path, payload, withIat]) => {
      const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'RS256' });
      if (withIat) jwt.setIssuedAt();
      const body = JSON.stringify({ secured_payload: await jwt.sign(anz.privateKey) });
      return fetch(`${t.baseUrl}/webhooks/payto/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', apikey: PAYTO_KEY, 'x-message-id': randomUUID() }, body });
    }, t.db);
  }, FUZZ_TIMEOUT_MS);

  it('provider callbacks (Standard Webhooks): no 5xx, nothing half-written', async () => {
    const webhook = new Webhook(CALLBACK_SECRET);
    const event = fc.record(
      {
        type: fc.oneof({ weight: 6, arbitrary: fc.constant('transaction.decided') }, text),
        timestamp: usually(isoDate),
        data: maybe(
          fc.record(
            {
              transactionId: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...held) }, { weight: 1, arbitrary: text }),
              status: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('APPROVED', 'REJECTED') }, fc.constant('PENDING_EXTERNAL_APPROVAL'), text),
              reasons: fc.oneof({ weight: 4, arbitrary: fc.array(text, { maxLength: 4 }) }, fc.constant(null), someJson),
            },
            { requiredKeys: ['transactionId', 'status'] },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    const deliveries = fc.tuple(event, fc.oneof(fc.constantFrom('msg_1', 'msg_2'), fc.uuid().map((id) => `msg_${id}`)), fc.boolean());
    await fuzzRoute('POST /webhooks/monitoring/http', deliveries, [200, 400, 404], ([value, id, bom]) => {
      const body = `${bom ? '\uFEFF' : ''}${JSON.stringify(value)}`;
      const now = new Date();
      const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': webhook.sign(id, now, body) };
      return fetch(`${t.baseUrl}/webhooks/monitoring/http`, { method: 'POST', headers, body });
    }, t.db);
  }, FUZZ_TIMEOUT_MS);
});
