// Payment alerts on the operators' event webhook: failed payments, API disagreements and money moved unscreened, each sent once.
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeEventReceiver } from './fakes/fake-event-receiver';
import { FakePaystackApi } from './fakes/fake-paystack-api';
import { ANALYST_TOKENS } from './support/analyst-api';
import { chargeSuccess, deliver, SECRET, transfer } from './support/paystack-events';
import { postValidate, startTestApp, TestApp } from './support/test-app';

const EVENTS_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('payment alerts on the event webhook', () => {
  let t: TestApp;
  const paystack = new FakePaystackApi(SECRET);
  const receiver = new FakeEventReceiver(EVENTS_SECRET);

  beforeAll(async () => {
    await Promise.all([paystack.start(), receiver.start()]);
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        PAYSTACK_SECRET_KEY: SECRET,
        PAYSTACK_VERIFY: 'true',
        PAYSTACK_API_URL: paystack.url,
        NOTIFICATION_POLL_MS: '100',
        EVENTS_WEBHOOK_URL: receiver.url,
        EVENTS_WEBHOOK_SECRET: EVENTS_SECRET,
        EVENTS_POLL_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([paystack.stop(), receiver.stop()]);
  });

  const about = (type: string, key: string, value: string) => receiver.ofType(type).filter((event) => event.envelope?.data[key] === value);
  /** Several sweeps after the first delivery: a second copy would have arrived by then. */
  const afterMoreSweeps = () => new Promise((resolve) => setTimeout(resolve, 1_000));

  it('pushes a failed payment once, with its transaction and exact amount', async () => {
    const transactionId = `alert-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: '1000', currency: 'NGN', beneficiary: { name: 'P', country: 'NG' } })).body.status).toBe('APPROVED');
    const code = `TRF_${randomUUID()}`;
    paystack.transfers.set(code, { reference: transactionId, amount: 100_000, currency: 'NGN', status: 'failed' });
    expect((await deliver(t.server, transfer('transfer.failed', transactionId, code))).status).toBe(200);

    await receiver.waitFor('payment.failed', () => about('payment.failed', 'transactionId', transactionId).length > 0);
    await afterMoreSweeps();
    const [event, ...more] = about('payment.failed', 'transactionId', transactionId);
    expect(more).toEqual([]);
    expect(event!.envelope!.data).toMatchObject({ provider: 'paystack', paymentKey: `transfer:${transactionId}`, providerStatus: 'failed', amount: '1000', currency: 'NGN' });
    expect(event!.envelope!.data.consolePath).toContain(encodeURIComponent(transactionId));
  });

  it("pushes a disagreement of Paystack's API with its webhook once, naming each difference", async () => {
    const reference = `alert-ch-${randomUUID()}`;
    paystack.charges.set(reference, { amount: 49_900, currency: 'NGN', status: 'success' });
    expect((await deliver(t.server, chargeSuccess(reference, 50_000))).status).toBe(200);

    const alertId = `paystack:${reference}`;
    await receiver.waitFor('payment.verification_mismatch', () => about('payment.verification_mismatch', 'alertTransactionId', alertId).length > 0);
    await afterMoreSweeps();
    const events = about('payment.verification_mismatch', 'alertTransactionId', alertId);
    expect(events).toHaveLength(1);
    expect(events[0]!.envelope!.data).toMatchObject({ provider: 'paystack', eventType: 'charge.success', amount: '500', disagreements: ['amount: the webhook says 500, the API says 499'] });
  });

  it('pushes money that moved with no transaction of ours once', async () => {
    const reference = `nobody-${randomUUID()}`;
    const code = `TRF_${randomUUID()}`;
    paystack.transfers.set(code, { reference, amount: 7_777, currency: 'NGN', status: 'success' });
    expect((await deliver(t.server, transfer('transfer.success', reference, code, 7_777))).status).toBe(200);

    const key = `transfer:${reference}`;
    await receiver.waitFor('payment.moved_unscreened', () => about('payment.moved_unscreened', 'paymentKey', key).length > 0);
    await afterMoreSweeps();
    const events = about('payment.moved_unscreened', 'paymentKey', key);
    expect(events).toHaveLength(1);
    expect(events[0]!.envelope!.data).toEqual({ provider: 'paystack', paymentKey: key, progress: 'SETTLED', amount: '77.77', currency: 'NGN' });
  });
});
