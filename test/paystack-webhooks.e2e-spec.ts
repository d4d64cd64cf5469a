// Paystack webhooks over real HTTP on a real database: verified, recorded once, then acted on.
import { createHmac, randomUUID } from 'node:crypto';
import { chargeSuccess, deliver, SECRET, transfer } from './support/paystack-events';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { ScriptedMonitoringProvider } from './fakes/scripted-monitoring-provider';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

describe('Paystack webhooks', () => {
  let t: TestApp;
  const toqio = new FakeToqioWebhook();

  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({ env: { PAYSTACK_SECRET_KEY: SECRET, ANALYST_TOKENS, TOQIO_WEBHOOK_URL: toqio.url, NOTIFICATION_POLL_MS: '100' } });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  const eventCount = async (dedupeKey: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payment_events WHERE dedupe_key = $1`, [dedupeKey]))[0]!.n;
  const stateOf = async (transactionId: string) => (await t.db.query<{ state: string; direction: string }>(`SELECT state, direction FROM transactions WHERE id = $1`, [transactionId]))[0];
  const detail = (transactionId: string) => analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(transactionId)}`, { token: ANALYSTS.alice });

  it('records a small charge as an inbound payment, screens it after the answer, and approves it', async () => {
    const reference = `ch-${randomUUID()}`;
    const call = await deliver(t.server, chargeSuccess(reference, 250_050));
    expect(call.status).toBe(200);
    expect(call.body).toEqual({ received: true, eventId: expect.any(String), duplicate: false });

    const id = `paystack:${reference}`;
    const stored = await readUntil(() => stateOf(id), (row) => row?.state === 'APPROVED');
    expect(stored).toEqual({ state: 'APPROVED', direction: 'INBOUND' });
    const [row] = await t.db.query<{ amount: string; currency: string }>(`SELECT amount::text AS amount, currency FROM transactions WHERE id = $1`, [id]);
    expect(row).toEqual({ amount: '2500.5', currency: 'NGN' });
    const shown = await detail(id);
    expect(shown.body.paymentEvents).toEqual([expect.objectContaining({ provider: 'paystack', eventType: 'charge.success', amount: '2500.5', currency: 'NGN', outcome: 'FOLLOW_UP' })]);
    expect(shown.body.payload).toEqual(expect.objectContaining({ source: 'paystack', customerCode: 'CUS_xnxdt6s1zg1f4nx' }));
    expect(JSON.stringify(shown.body.payload)).not.toContain('539999');
  });

  it('puts a charge the provider does not approve in the queue as an inbound alert, which analysts decide without telling Toqio', async () => {
    const reference = `big-${randomUUID()}`;
    expect((await deliver(t.server, chargeSuccess(reference, 2_500_000_00))).status).toBe(200);
    const id = `paystack:${reference}`;
    await readUntil(() => stateOf(id), (row) => row?.state === 'PENDING_EXTERNAL_APPROVAL');

    const queue = await analystCall(t.server, 'GET', '/transactions?direction=INBOUND&status=PENDING_EXTERNAL_APPROVAL&limit=200', { token: ANALYSTS.alice });
    expect(queue.body.items).toContainEqual(expect.objectContaining({ transactionId: id, direction: 'INBOUND', amount: '2500000', currency: 'NGN' }));
    const outbound = await analystCall(t.server, 'GET', '/transactions?direction=OUTBOUND&limit=200', { token: ANALYSTS.alice });
    expect(outbound.body.items.map((item: { transactionId: string }) => item.transactionId)).not.toContain(id);

    const decision = await decide(t.server, id, 'bob', 'REJECTED', 'Payer on an internal watch list');
    expect(decision.status).toBe(200);
    expect(decision.body).toEqual(expect.objectContaining({ status: 'REJECTED', notifications: [] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(toqio.received.filter((r) => r.body.transactionId === id)).toEqual([]);
    const notifications = await t.db.query(`SELECT 1 FROM toqio_notifications WHERE transaction_id = $1`, [id]);
    expect(notifications).toHaveLength(0);
  });

  it('acts on a delivery once, also when identical deliveries arrive at the same instant', async () => {
    const reference = `dup-${randomUUID()}`;
    const body = chargeSuccess(reference, 10_000, 4242);
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(t.server, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
    const again = await deliver(t.server, body);
    expect(again.body).toEqual({ received: true, eventId: answers[0]!.body.eventId, duplicate: true });
    expect(await eventCount('charge.success:4242')).toBe(1);
    await readUntil(() => stateOf(`paystack:${reference}`), (row) => row?.state === 'APPROVED');
    const decisions = await t.db.query(`SELECT 1 FROM transaction_decisions WHERE transaction_id = $1`, [`paystack:${reference}`]);
    expect(decisions).toHaveLength(1);
  });

  it.each([
    ['a signature made with another key', { secret: 'sk_test_someone_else_entirely_0000000000' }],
    ['no signature header', { signature: null }],
    ['a truncated signature', { signature: 'abc123' }],
    ['an upper-cased valid signature of another body', { signature: createHmac('sha512', SECRET).update('{}').digest('hex').toUpperCase() }],
    ['a body changed after signing', { tamper: (text: string) => text.replace('"amount":777000', '"amount":778000') }],
  ])('refuses %s with 401 and records nothing', async (_what, options) => {
    const reference = `forged-${randomUUID()}`;
    const call = await deliver(t.server, chargeSuccess(reference, 777_000, 9_000_001), options);
    expect(call.status).toBe(401);
    expect(call.contentType).toContain('application/problem+json');
    expect(call.body).toEqual(expect.objectContaining({ status: 401, title: 'Webhook not authentic' }));
    expect(await eventCount('charge.success:9000001')).toBe(0);
    expect(await stateOf(`paystack:${reference}`)).toBeUndefined();
  });

  it('keeps a signed event it cannot read as UNPARSED and answers 200; only a body that is not JSON is refused', async () => {
    const body = chargeSuccess(`bad-${randomUUID()}`, '12.5', 9_000_002);
    const call = await deliver(t.server, body);
    expect(call.status).toBe(200);
    expect(call.body).toEqual({ received: true, eventId: expect.any(String), duplicate: false, unparsed: 'data.amount must be a whole number of subunits' });
    expect(await eventCount('charge.success:9000002')).toBe(0);
    const [kept] = await t.db.query<{ outcome: string; reason: string; event_type: string }>(`SELECT outcome, reason, event_type FROM payment_events WHERE id = $1`, [call.body.eventId]);
    expect(kept).toEqual({ outcome: 'UNPARSED', reason: 'data.amount must be a whole number of subunits', event_type: 'charge.success' });
    expect((await deliver(t.server, body)).body).toEqual({ received: true, eventId: call.body.eventId, duplicate: true, unparsed: expect.any(String) });
    const notJson = await deliver(t.server, 'event=charge.success', { headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
  });

  it('reads the amount from the digits signed, and keeps a number PostgreSQL cannot hold as UNPARSED, answering 200', async () => {
    const reference = `exact-${randomUUID()}`;
    // JSON.parse reads this amount as 5000, a whole number of kobo: it is not one.
    const fractional = JSON.stringify(chargeSuccess(reference, 100_000, 9_000_003)).replace('"amount":100000', '"amount":5000.000000000000001');
    const first = await deliver(t.server, fractional);
    expect([first.status, first.body.unparsed]).toEqual([200, expect.stringContaining('data.amount must be a whole number of subunits')]);
    expect(await stateOf(`paystack:${reference}`)).toBeUndefined();

    // More digits than PostgreSQL numeric holds before the point: the event is kept whole, as base64 of its text.
    const huge = JSON.stringify(chargeSuccess(`huge-${randomUUID()}`, 100_000, 9_000_004)).replace('"fees":', `"n":${'9'.repeat(140_000)},"fees":`);
    const call = await deliver(t.server, huge);
    expect([call.status, call.body.unparsed]).toEqual([200, expect.stringContaining('out of the supported range')]);
    const [kept] = await t.db.query<{ outcome: string; base64: string }>(`SELECT outcome, payload ->> 'base64' AS base64 FROM payment_events WHERE id = $1`, [call.body.eventId]);
    expect(kept!.outcome).toBe('UNPARSED');
    expect(Buffer.from(kept!.base64, 'base64').toString('utf8')).toBe(huge);
  });

  it("screens a charge whose payer's text holds a NUL or a lone surrogate, kept with U+FFFD in their place, rather than leaving it unread", async () => {
    const reference = `nul-${randomUUID()}`;
    const text = JSON.stringify(chargeSuccess(reference, 250_050)).replace('"first_name":"Ada"', '"first_name":"Ada\\u0000"').replace('"metadata":null', '"metadata":{"note":"\\ud800 gift"}');
    const call = await deliver(t.server, text);
    expect(call.status).toBe(200);
    expect(call.body).toEqual({ received: true, eventId: expect.any(String), duplicate: false });
    const id = `paystack:${reference}`;
    expect(await readUntil(() => stateOf(id), (row) => row?.state === 'APPROVED')).toEqual({ state: 'APPROVED', direction: 'INBOUND' });
    const [kept] = await t.db.query<{ outcome: string; first: string; note: string }>(
      `SELECT outcome, payload #>> '{data,customer,first_name}' AS first, payload #>> '{data,customer,metadata,note}' AS note FROM payment_events WHERE id = $1`,
      [call.body.eventId],
    );
    expect(kept).toEqual({ outcome: 'FOLLOW_UP', first: 'Ada\ufffd', note: '\ufffd gift' });
  });

  it('moves the payment of the transaction named by a transfer reference forward only', async () => {
    const transactionId = `tr-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 1000, currency: 'NGN', beneficiary: { name: 'Jekanmo Padie', country: 'NG' } })).body.status).toBe('APPROVED');
    const code = `TRF_${randomUUID().slice(0, 12)}`;
    expect((await deliver(t.server, transfer('transfer.success', transactionId, code))).status).toBe(200);
    expect((await deliver(t.server, transfer('transfer.failed', transactionId, code))).status).toBe(200); // same rank: the first stands
    expect((await deliver(t.server, transfer('transfer.reversed', transactionId, code))).status).toBe(200);
    expect((await deliver(t.server, transfer('transfer.success', transactionId, code))).body.duplicate).toBe(true);

    const shown = await detail(transactionId);
    expect(shown.body.payments).toEqual([expect.objectContaining({ provider: 'paystack', paymentKey: `transfer:${transactionId}`, progress: 'REVERSED', providerStatus: 'reversed' })]);
    expect(shown.body.paymentEvents.map((e: { eventType: string; outcome: string }) => [e.eventType, e.outcome])).toEqual([
      ['transfer.success', 'APPLIED'],
      ['transfer.failed', 'STALE'],
      ['transfer.reversed', 'APPLIED'],
    ]);
    expect(shown.body.status).toBe('APPROVED');
  });

  it('records a refund against its charge and stores events it does not act on', async () => {
    const reference = `rf-${randomUUID()}`;
    await deliver(t.server, chargeSuccess(reference, 50_000));
    await readUntil(() => stateOf(`paystack:${reference}`), (row) => row?.state === 'APPROVED');
    const refund = { event: 'refund.processed', data: { id: 1_234_567, status: 'processed', transaction_reference: reference, amount: '20000', currency: 'NGN', refund_reference: 'RF_1' } };
    expect((await deliver(t.server, refund)).status).toBe(200);
    const shown = await detail(`paystack:${reference}`);
    expect(shown.body.paymentEvents.map((e: { eventType: string }) => e.eventType)).toEqual(['charge.success', 'refund.processed']);
    expect(shown.body.paymentEvents[1]).toEqual(expect.objectContaining({ amount: '200', outcome: 'RECORDED' }));

    const other = { event: 'subscription.create', data: { subscription_code: 'SUB_vsyqdmlzble3uii', status: 'active' } };
    const first = await deliver(t.server, other);
    expect(first.body.duplicate).toBe(false);
    expect((await deliver(t.server, other)).body.duplicate).toBe(true);
  });
});

describe('Paystack webhooks: source allowlist', () => {
  let t: TestApp;
  let trusting: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { PAYSTACK_SECRET_KEY: SECRET, PAYSTACK_ALLOWED_IPS: '52.31.139.75,52.49.173.169' } });
    trusting = await startTestApp({ env: { PAYSTACK_SECRET_KEY: SECRET, PAYSTACK_ALLOWED_IPS: '52.31.139.75', TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(async () => {
    await t.close();
    await trusting.close();
  });

  it('refuses other sources with 403, and ignores forwarding headers unless the proxy is trusted', async () => {
    const body = chargeSuccess(`ip-${randomUUID()}`, 1_000, 9_100_001);
    const direct = await deliver(t.server, body);
    expect(direct.status).toBe(403);
    expect(direct.contentType).toContain('application/problem+json');
    const spoofed = await deliver(t.server, body, { headers: { 'x-forwarded-for': '52.31.139.75' } });
    expect(spoofed.status).toBe(403);
    expect(await t.db.query(`SELECT 1 FROM payment_events`)).toHaveLength(0);

    const viaProxy = await deliver(trusting.server, body, { headers: { 'x-forwarded-for': '52.31.139.75' } });
    expect(viaProxy.status).toBe(200);
    const viaProxyFromElsewhere = await deliver(trusting.server, chargeSuccess(`ip-${randomUUID()}`, 1_000), { headers: { 'x-forwarded-for': '10.9.8.7' } });
    expect(viaProxyFromElsewhere.status).toBe(403);
  });
});

describe('Paystack webhooks: the monitoring provider down, then back after a restart', () => {
  it('acknowledges while the provider fails, holds the payment, and applies the verdict the provider gives after a restart', async () => {
    const env = { PAYSTACK_SECRET_KEY: SECRET, ANALYST_TOKENS, NOTIFICATION_POLL_MS: '100' };
    const down = ScriptedMonitoringProvider.failing('connection refused');
    const first = await startTestApp({ env, monitoringProvider: down });
    const reference = `down-${randomUUID()}`;
    const id = `paystack:${reference}`;
    try {
      const started = Date.now();
      const call = await deliver(first.baseUrl, chargeSuccess(reference, 5_000));
      expect(call.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      const held = await readUntil(() => first.db.query<{ state: string; reasons: string[] }>(`SELECT state, reasons FROM transactions WHERE id = $1`, [id]), (rows) => rows[0]?.state === 'PENDING_EXTERNAL_APPROVAL');
      expect(held[0]!.reasons[0]).toContain('failed');
      expect(await first.db.query(`SELECT 1 FROM screening_retries WHERE transaction_id = $1`, [id])).toHaveLength(1);
    } finally {
      await first.app.close();
    }

    const back = await startTestApp({ env, db: first.db, monitoringProvider: ScriptedMonitoringProvider.answering({ status: 'APPROVED', reasons: [] }) });
    try {
      const cleared = await readUntil(() => back.db.query<{ state: string }>(`SELECT state FROM transactions WHERE id = $1`, [id]), (rows) => rows[0]?.state === 'APPROVED', 15_000);
      expect(cleared[0]!.state).toBe('APPROVED');
      expect(await back.db.query(`SELECT 1 FROM toqio_notifications WHERE transaction_id = $1`, [id])).toHaveLength(0);
    } finally {
      await back.close();
      await first.db.drop();
    }
  });
});
