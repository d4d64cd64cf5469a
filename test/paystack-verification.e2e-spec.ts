// Paystack events confirmed with Paystack's API (a fake on loopback) before they are screened or move a payment.
import { randomUUID } from 'node:crypto';
import { FakePaystackApi } from './fakes/fake-paystack-api';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { chargeSuccess, deliver, SECRET, transfer } from './support/paystack-events';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

describe('Paystack verification against its API', () => {
  let t: TestApp;
  const paystack = new FakePaystackApi(SECRET);

  beforeAll(async () => {
    await paystack.start();
    t = await startTestApp({
      env: {
        PAYSTACK_SECRET_KEY: SECRET,
        PAYSTACK_VERIFY: 'true',
        PAYSTACK_API_URL: paystack.url,
        PAYSTACK_API_TIMEOUT_MS: '300',
        ANALYST_TOKENS,
        NOTIFICATION_POLL_MS: '100',
        INBOUND_RETRY_BASE_MS: '50',
        INBOUND_RETRY_MAX_DELAY_SECONDS: '1',
      },
    });
  });
  afterEach(() => {
    paystack.outage = undefined;
  });
  afterAll(async () => {
    await t.close();
    await paystack.stop();
  });

  const transactionOf = async (id: string) =>
    (await t.db.query<{ state: string; direction: string; reasons: string[] }>(`SELECT state, direction, reasons FROM transactions WHERE id = $1`, [id]))[0];
  const verificationOf = async (dedupeKey: string) =>
    (
      await t.db.query<{ agrees: boolean; outcome: string; disagreements: string[]; alert_transaction_id: string | null }>(
        `SELECT v.agrees, v.outcome, v.disagreements, v.alert_transaction_id FROM payment_verifications v JOIN payment_events e ON e.id = v.event_id WHERE e.dedupe_key = $1`,
        [dedupeKey],
      )
    )[0];
  // A follow-up stores what it decided (an alert, a screening, a payment) before its verification
  // row, in the same pass: wait for the row rather than read it the moment the effect shows.
  const recordedVerification = (dedupeKey: string) => readUntil(() => verificationOf(dedupeKey), (row) => row !== undefined);
  const followUpOf = async (dedupeKey: string) =>
    (
      await t.db.query<{ attempts: number; last_error: string | null }>(
        `SELECT f.attempts, f.last_error FROM payment_follow_ups f JOIN payment_events e ON e.id = f.event_id WHERE e.dedupe_key = $1`,
        [dedupeKey],
      )
    )[0];
  const paymentOf = async (transactionId: string) =>
    (await t.db.query<{ progress: string }>(`SELECT progress FROM payments WHERE transaction_id = $1`, [transactionId]))[0];
  const approvedOutbound = async () => {
    const transactionId = `tr-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 1000, currency: 'NGN', beneficiary: { name: 'Jekanmo Padie', country: 'NG' } })).body.status).toBe('APPROVED');
    return transactionId;
  };

  it('screens a charge the API confirms, asking with the secret key', async () => {
    const reference = `ok-${randomUUID()}`;
    paystack.charges.set(reference, { amount: 250_050, currency: 'NGN', status: 'success' });
    const body = chargeSuccess(reference, 250_050);
    expect((await deliver(t.server, body)).status).toBe(200);

    const id = `paystack:${reference}`;
    expect(await readUntil(() => transactionOf(id), (row) => row?.state === 'APPROVED')).toMatchObject({ state: 'APPROVED', direction: 'INBOUND' });
    expect(await recordedVerification(`charge.success:${body.data.id}`)).toEqual({ agrees: true, outcome: 'SCREENED', disagreements: [], alert_transaction_id: null });
    const asked = paystack.requests.filter((request) => request.path === `/transaction/verify/${reference}`);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('opens an alert instead of screening a charge whose amount the API contradicts', async () => {
    const reference = `amount-${randomUUID()}`;
    paystack.charges.set(reference, { amount: 90_000, currency: 'NGN', status: 'success' });
    const body = chargeSuccess(reference, 100_000);
    expect((await deliver(t.server, body)).status).toBe(200);

    const id = `paystack:${reference}`;
    const held = await readUntil(() => transactionOf(id), (row) => row?.state === 'PENDING_EXTERNAL_APPROVAL');
    expect(held?.state).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(held?.reasons.join(' ')).toContain('amount: the webhook says 1000, the API says 900');
    expect(await recordedVerification(`charge.success:${body.data.id}`)).toMatchObject({ agrees: false, outcome: 'ALERT', alert_transaction_id: id });
    const queue = await analystCall(t.server, 'GET', '/transactions?direction=INBOUND&status=PENDING_EXTERNAL_APPROVAL&limit=200', { token: ANALYSTS.alice });
    expect(queue.body.items).toContainEqual(expect.objectContaining({ transactionId: id }));
  });

  it('opens an alert for a charge the API has never heard of', async () => {
    const reference = `unknown-${randomUUID()}`;
    expect((await deliver(t.server, chargeSuccess(reference, 5_000))).status).toBe(200);
    const held = await readUntil(() => transactionOf(`paystack:${reference}`), (row) => row?.state === 'PENDING_EXTERNAL_APPROVAL');
    expect(held?.reasons.join(' ')).toContain(`the provider has no charge ${reference}`);
  });

  it('moves the payment once the API confirms the transfer', async () => {
    const transactionId = await approvedOutbound();
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    paystack.transfers.set(code, { reference: transactionId, amount: 100_000, currency: 'NGN', status: 'success' });
    const call = await deliver(t.server, transfer('transfer.success', transactionId, code));
    expect(call.status).toBe(200);

    expect(await readUntil(() => paymentOf(transactionId), (row) => row?.progress === 'SETTLED')).toEqual({ progress: 'SETTLED' });
    expect(await recordedVerification(`transfer.success:${code}`)).toMatchObject({ agrees: true, outcome: 'APPLIED' });
  });

  it.each([
    ['currency', { amount: 100_000, currency: 'GHS', status: 'success' }, 'currency: the webhook says NGN, the API says GHS'],
    ['status', { amount: 100_000, currency: 'NGN', status: 'failed' }, 'status: the webhook says success, the API says failed'],
    ['amount', { amount: 100_001, currency: 'NGN', status: 'success' }, 'amount: the webhook says 1000, the API says 1000.01'],
  ])('leaves the payment alone and opens an alert when the API contradicts the transfer on %s', async (_what, record, problem) => {
    const transactionId = await approvedOutbound();
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    paystack.transfers.set(code, { reference: transactionId, ...record });
    expect((await deliver(t.server, transfer('transfer.success', transactionId, code))).status).toBe(200);

    const alertId = `paystack-check:transfer.success:${code}`;
    const alert = await readUntil(() => transactionOf(alertId), (row) => row?.state === 'PENDING_EXTERNAL_APPROVAL');
    expect(alert).toMatchObject({ state: 'PENDING_EXTERNAL_APPROVAL', direction: 'INBOUND' });
    expect(alert?.reasons.join(' ')).toContain(problem);
    expect(alert?.reasons.join(' ')).toContain(transactionId);
    expect(await paymentOf(transactionId)).toBeUndefined();
    expect(await recordedVerification(`transfer.success:${code}`)).toMatchObject({ agrees: false, outcome: 'ALERT', alert_transaction_id: alertId });
  });

  it('leaves the alert out of reconciliation: the transfer counts once, as a MISMATCH on its own transaction', async () => {
    const transactionId = await approvedOutbound();
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    paystack.transfers.set(code, { reference: transactionId, amount: 100_000, currency: 'NGN', status: 'failed' });
    expect((await deliver(t.server, transfer('transfer.success', transactionId, code))).status).toBe(200);
    const alertId = `paystack-check:transfer.success:${code}`;
    // The alert is opened first, then the verification that disagreed is recorded.
    expect(await readUntil(() => verificationOf(`transfer.success:${code}`), (row) => row?.outcome === 'ALERT')).toMatchObject({ alert_transaction_id: alertId });
    // A day of their own, apart from the other tests' transactions.
    await t.db.query(`UPDATE transactions SET received_at = '2026-02-10T12:00:00Z' WHERE id = ANY($1)`, [[transactionId, alertId]]);

    const report = await analystCall(t.server, 'GET', '/reconciliation?from=2026-02-10&to=2026-02-11', { token: ANALYSTS.alice });
    expect(report.status).toBe(200);
    expect(report.body.items).toEqual([expect.objectContaining({ transactionId, classes: ['APPROVED_NOT_SETTLED', 'MISMATCH'] })]);
    expect(report.body.totals).toEqual([expect.objectContaining({ currency: 'NGN', transactions: 1, approved: '1000', pending: '0' })]);
  });

  it('accepts a success that the API already reports reversed, and the reversal after it', async () => {
    const transactionId = await approvedOutbound();
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    paystack.transfers.set(code, { reference: transactionId, amount: 100_000, currency: 'NGN', status: 'reversed' });
    expect((await deliver(t.server, transfer('transfer.success', transactionId, code))).status).toBe(200);
    expect((await deliver(t.server, transfer('transfer.reversed', transactionId, code))).status).toBe(200);
    expect(await readUntil(() => paymentOf(transactionId), (row) => row?.progress === 'REVERSED')).toEqual({ progress: 'REVERSED' });
    expect(await recordedVerification(`transfer.success:${code}`)).toMatchObject({ agrees: true });
  });

  it('shows a confirmed transfer event that came after the later state as STALE, and the one that moved the payment as APPLIED', async () => {
    const transactionId = await approvedOutbound();
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    paystack.transfers.set(code, { reference: transactionId, amount: 100_000, currency: 'NGN', status: 'reversed' });
    // The reversal arrives first; the success it followed arrives late and can only be stale.
    expect((await deliver(t.server, transfer('transfer.reversed', transactionId, code))).status).toBe(200);
    await readUntil(() => paymentOf(transactionId), (row) => row?.progress === 'REVERSED');
    expect((await deliver(t.server, transfer('transfer.success', transactionId, code))).status).toBe(200);
    expect(await recordedVerification(`transfer.success:${code}`)).toMatchObject({ outcome: 'STALE' });

    const listed = await analystCall(t.server, 'GET', '/payment-events?provider=paystack&limit=200', { token: ANALYSTS.alice });
    const outcomes = (listed.body.items as { dedupeKey: string; outcome: string }[]).filter((e) => e.dedupeKey.endsWith(code)).map((e) => [e.dedupeKey, e.outcome]);
    expect(outcomes.sort()).toEqual([[`transfer.reversed:${code}`, 'APPLIED'], [`transfer.success:${code}`, 'STALE']]);
    const stale = await analystCall(t.server, 'GET', '/payment-events?provider=paystack&outcome=STALE&limit=200', { token: ANALYSTS.alice });
    expect((stale.body.items as { dedupeKey: string }[]).map((e) => e.dedupeKey)).toContain(`transfer.success:${code}`);
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
    expect((detail.body.paymentEvents as { eventType: string; outcome: string }[]).map((e) => [e.eventType, e.outcome]).sort()).toEqual([
      ['transfer.reversed', 'APPLIED'],
      ['transfer.success', 'STALE'],
    ]);
  });

  it.each([
    ['unreachable', async () => paystack.stop(), async () => paystack.start()],
    ['answering 5xx', async () => void (paystack.outage = { status: 503, body: { status: false, message: 'Service unavailable' } }), async () => void (paystack.outage = undefined)],
    ['out of time', async () => void (paystack.outage = { delayMs: 2_000, status: 200, body: {} }), async () => void (paystack.outage = undefined)],
  ])('delays a charge while the API is %s, and screens it once the API answers', async (_what, breakIt, repair) => {
    const reference = `later-${randomUUID()}`;
    paystack.charges.set(reference, { amount: 700_000, currency: 'NGN', status: 'success' });
    await breakIt();
    const body = chargeSuccess(reference, 700_000);
    expect((await deliver(t.server, body)).status).toBe(200);

    const waiting = await readUntil(() => followUpOf(`charge.success:${body.data.id}`), (row) => (row?.attempts ?? 0) >= 2 && row?.last_error !== null, 15_000);
    expect(waiting?.last_error).toBeTruthy();
    expect(await transactionOf(`paystack:${reference}`)).toBeUndefined();

    await repair();
    expect(await readUntil(() => transactionOf(`paystack:${reference}`), (row) => row?.state === 'APPROVED', 15_000)).toMatchObject({ state: 'APPROVED' });
    // The follow-up is finished just after the screening is recorded.
    expect(await readUntil(() => followUpOf(`charge.success:${body.data.id}`), (row) => row === undefined)).toBeUndefined();
    expect(await recordedVerification(`charge.success:${body.data.id}`)).toMatchObject({ agrees: true, outcome: 'SCREENED' });
  });

  it("links a refund that comes while its charge's follow-up waits for the API to the charge's transaction", async () => {
    const reference = `refund-early-${randomUUID()}`;
    paystack.charges.set(reference, { amount: 50_000, currency: 'NGN', status: 'success' });
    paystack.outage = { status: 503, body: { status: false, message: 'Service unavailable' } };
    const charge = chargeSuccess(reference, 50_000);
    expect((await deliver(t.server, charge)).status).toBe(200);
    await readUntil(() => followUpOf(`charge.success:${charge.data.id}`), (row) => (row?.attempts ?? 0) >= 1, 15_000);
    const id = `paystack:${reference}`;
    expect(await transactionOf(id)).toBeUndefined();

    const refundId = Math.floor(Math.random() * 1e9);
    const refund = { event: 'refund.processed', data: { id: refundId, status: 'processed', transaction_reference: reference, amount: '20000', currency: 'NGN' } };
    expect((await deliver(t.server, refund)).status).toBe(200);
    const linked = await t.db.query<{ transaction_id: string | null }>(`SELECT transaction_id FROM payment_events WHERE dedupe_key = $1`, [`refund.processed:${refundId}`]);
    expect(linked).toEqual([{ transaction_id: id }]);

    paystack.outage = undefined;
    await readUntil(() => transactionOf(id), (row) => row?.state === 'APPROVED', 15_000);
    const shown = await analystCall(t.server, 'GET', `/transactions/${id}`, { token: ANALYSTS.alice });
    expect(shown.body.paymentEvents.map((e: { eventType: string }) => e.eventType)).toEqual(['charge.success', 'refund.processed']);
  });

  it('delays a transfer while the API is down instead of moving the payment unconfirmed', async () => {
    const transactionId = await approvedOutbound();
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    paystack.transfers.set(code, { reference: transactionId, amount: 100_000, currency: 'NGN', status: 'failed' });
    paystack.outage = { status: 502, body: {} };
    expect((await deliver(t.server, transfer('transfer.failed', transactionId, code))).status).toBe(200);
    await readUntil(() => followUpOf(`transfer.failed:${code}`), (row) => (row?.attempts ?? 0) >= 2, 15_000);
    expect(await paymentOf(transactionId)).toBeUndefined();

    paystack.outage = undefined;
    expect(await readUntil(() => paymentOf(transactionId), (row) => row?.progress === 'FAILED', 15_000)).toEqual({ progress: 'FAILED' });
  });
});
