// Declared payment platforms over real HTTP on a real database: the shipped example platform, and the other signature schemes.
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { deliverToPlatform, EXAMPLE_PLATFORMS_FILE, EXAMPLE_SECRET, examplePlatformBody } from './support/platform-events';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';
import { temporaryDirectory } from './support/temp-dir';

describe('the shipped example platform (POST /webhooks/platforms/example-pay)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { PAYMENT_PLATFORMS_FILE: EXAMPLE_PLATFORMS_FILE, EXAMPLE_PAY_WEBHOOK_SECRET: EXAMPLE_SECRET, ANALYST_TOKENS } });
  });
  afterAll(() => t.close());

  const stateOf = async (id: string) => (await t.db.query<{ state: string; direction: string; amount: string }>(`SELECT state, direction, amount::text AS amount FROM transactions WHERE id = $1`, [id]))[0];
  const eventOf = async (id: string) => (await t.db.query<{ outcome: string; event_type: string; reason: string | null }>(`SELECT outcome, event_type, reason FROM payment_events WHERE id = $1`, [id]))[0];
  const count = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payment_events WHERE provider = 'example-pay'`))[0]!.n;

  it('screens payment.success as money received, the payer named, the kobo converted exactly', async () => {
    const reference = `ps-${randomUUID()}`;
    const call = await deliverToPlatform(t.server, examplePlatformBody('payment.success', reference, 5000));
    expect(call.status).toBe(200);
    expect(call.body).toEqual({ received: true, eventId: expect.any(String), duplicate: false });
    const id = `example-pay:${reference}`;
    expect(await readUntil(() => stateOf(id), (row) => row?.state === 'APPROVED')).toEqual({ state: 'APPROVED', direction: 'INBOUND', amount: '50' });
    const shown = await analystCall(t.server, 'GET', `/transactions/${encodeURIComponent(id)}`, { token: ANALYSTS.alice });
    expect(shown.body.payload).toEqual(expect.objectContaining({ source: 'example-pay', payer: { name: 'John Doe' } }));
    expect(shown.body.paymentEvents).toEqual([expect.objectContaining({ provider: 'example-pay', eventType: 'payment.success', amount: '50', currency: 'NGN', outcome: 'FOLLOW_UP' })]);
  });

  it("keeps Toqio's ids out of the platform's namespace, where a payment received will be screened", async () => {
    const reference = `ps-${randomUUID()}`;
    const taken = await postValidate(t.server, { transactionId: `example-pay:${reference}`, amount: '50', currency: 'NGN' });
    expect(taken).toMatchObject({ status: 400, body: { errors: [{ field: 'transactionId' }] } });
    expect((await deliverToPlatform(t.server, examplePlatformBody('payment.success', reference, 5000))).status).toBe(200);
    expect(await readUntil(() => stateOf(`example-pay:${reference}`), (row) => row?.state === 'APPROVED')).toMatchObject({ direction: 'INBOUND' });
  });

  it('moves the payment of a Toqio transaction on transfer.success, never back on a later payment.failed', async () => {
    const transactionId = `pl-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: 50, currency: 'NGN' })).body.status).toBe('APPROVED');
    expect((await deliverToPlatform(t.server, examplePlatformBody('transfer.success', transactionId))).status).toBe(200);
    expect((await deliverToPlatform(t.server, examplePlatformBody('payment.failed', transactionId))).status).toBe(200);
    const shown = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
    expect(shown.body.payments).toEqual([expect.objectContaining({ provider: 'example-pay', paymentKey: `payment:${transactionId}`, progress: 'SETTLED' })]);
    expect(shown.body.paymentEvents.map((e: { eventType: string; outcome: string }) => [e.eventType, e.outcome])).toEqual([
      ['transfer.success', 'APPLIED'],
      ['payment.failed', 'STALE'],
    ]);
  });

  it('acts on a delivery once, also when identical deliveries arrive at the same instant (keyed by the body without an event id)', async () => {
    const body = examplePlatformBody('payment.success', `dup-${randomUUID()}`, 700);
    const answers = await Promise.all(Array.from({ length: 6 }, () => deliverToPlatform(t.server, body)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
  });

  it('stores refund.processed, subscription.renew and an event not in the mapping, and does nothing else', async () => {
    for (const name of ['refund.processed', 'subscription.renew', 'customer.updated']) {
      const call = await deliverToPlatform(t.server, examplePlatformBody(name, `rec-${randomUUID()}`));
      expect(call.status).toBe(200);
      expect(await eventOf(call.body.eventId)).toEqual({ outcome: 'RECORDED', event_type: name, reason: null });
    }
  });

  it('keeps a signed event it cannot read as UNPARSED, answered 200 with the reason', async () => {
    const before = await t.db.query(`SELECT 1 FROM transactions WHERE id LIKE 'example-pay:%'`);
    for (const [body, reason] of [
      [examplePlatformBody('payment.success', `np-${randomUUID()}`, null as unknown as number), 'data.amount is required'],
      [examplePlatformBody('payment.success', `np-${randomUUID()}`, 12.5), 'data.amount must be a whole number of minor units'],
      [{ data: { amount: 1 } }, "event (the event's name) is required"],
      [[1, 2, 3], "event (the event's name) is required"],
      // A NUL alone is read without it (the event then lacks its data); nesting past 32 levels keeps it unread.
      [`{"event":"payment.success","note":"nul\\u0000${randomUUID()}"}`, 'data.transaction_id is required'],
      [`{"event":"payment.success","note":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'The JSON document is nested deeper than 32 levels'],
    ] as const) {
      const call = await deliverToPlatform(t.server, body);
      expect([call.status, call.body.unparsed]).toEqual([200, reason]);
      expect(await eventOf(call.body.eventId)).toEqual(expect.objectContaining({ outcome: 'UNPARSED', reason }));
    }
    expect(await t.db.query(`SELECT 1 FROM transactions WHERE id LIKE 'example-pay:%'`)).toHaveLength(before.length);
    const listed = await analystCall(t.server, 'GET', '/payment-events?provider=example-pay&outcome=UNPARSED&limit=5', { token: ANALYSTS.vic });
    expect(listed.body.items).toHaveLength(5);
  });

  it.each([
    ['no signature', { signature: null }],
    ['a signature by another key', { secret: 'someone-else-entirely-0123456789' }],
    ['a signature of another body', { signature: createHmac('sha512', EXAMPLE_SECRET).update('{}').digest('hex') }],
  ])('refuses %s with 401 and records nothing', async (_what, options) => {
    const before = await count();
    const call = await deliverToPlatform(t.server, examplePlatformBody('payment.success', `forged-${randomUUID()}`), options);
    expect(call.status).toBe(401);
    expect(call.contentType).toContain('application/problem+json');
    expect(await count()).toBe(before);
  });

  it('refuses a body that is not JSON (400) and a platform the file does not declare (404)', async () => {
    expect((await deliverToPlatform(t.server, 'event=payment.success')).status).toBe(400);
    const unknown = await deliverToPlatform(t.server, examplePlatformBody('payment.success', 'x'), { platform: 'nobody-pay' });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toContain('application/problem+json');
  });

  it('counts what it took in tm_webhook_events_total under the platform name', async () => {
    const metrics = (await httpCall(t.server, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^tm_webhook_events_total\{provider="example-pay",outcome="accepted"\} [1-9]/m);
    expect(metrics).toMatch(/^tm_webhook_events_total\{provider="example-pay",outcome="unparsed"\} [1-9]/m);
    expect(metrics).toMatch(/^tm_webhook_events_total\{provider="example-pay",outcome="bad_signature"\} [1-9]/m);
  });
});

describe('declared platforms signing with Standard Webhooks, or HMAC over a timestamp', () => {
  let t: TestApp;
  const WHSEC = `whsec_${Buffer.from('standard-webhooks-platform-key-0').toString('base64')}`;
  const TS_SECRET = 'timestamped-platform-secret-0123456789';

  beforeAll(async () => {
    const file = join(temporaryDirectory('platforms-e2e'), 'platforms.yaml');
    writeFileSync(
      file,
      `platforms:
  - name: sw-pay
    secretEnv: SW_PAY_SECRET
    signature: { scheme: standard-webhooks }
    fields: { event: type, eventId: id, reference: data.ref, amount: data.amount, currency: data.currency }
    amountUnit: major
    events: { payout.paid: settled }
  - name: ts-pay
    secretEnv: TS_PAY_SECRET
    signature: { scheme: hmac-sha256, encoding: base64, header: x-ts-signature, prefix: "v1=", timestamp: { header: x-ts-time, toleranceSeconds: 60 } }
    fields: { event: kind, eventId: id }
    events: { ping: record }
`,
    );
    t = await startTestApp({ env: { PAYMENT_PLATFORMS_FILE: file, SW_PAY_SECRET: WHSEC, TS_PAY_SECRET: TS_SECRET } });
  });
  afterAll(() => t.close());

  const post = (platform: string, body: string, headers: Record<string, string>) => httpCall(t.server, 'POST', `/webhooks/platforms/${platform}`, { headers: { 'content-type': 'application/json', ...headers }, body });

  it('takes a Standard Webhooks delivery, dedupes by the event id, and refuses one signed for another id', async () => {
    const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'payout.paid', data: { ref: `sw-${randomUUID()}`, amount: '10.25', currency: 'EUR' } });
    const now = new Date();
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(WHSEC).sign('msg_1', now, body) };
    const first = await post('sw-pay', body, headers);
    expect(first.body).toEqual({ received: true, eventId: expect.any(String), duplicate: false });
    expect((await post('sw-pay', body, headers)).body.duplicate).toBe(true);
    const [row] = await t.db.query<{ dedupe_key: string; amount: string; outcome: string }>(`SELECT dedupe_key, amount::text AS amount, outcome FROM payment_events WHERE id = $1`, [first.body.eventId]);
    expect(row).toEqual({ dedupe_key: `payout.paid:${JSON.parse(body).id}`, amount: '10.25', outcome: 'APPLIED' });
    expect((await post('sw-pay', body, { ...headers, 'webhook-id': 'msg_2' })).status).toBe(401);
  });

  it('takes an HMAC over "<timestamp>.<body>" within the tolerance only', async () => {
    const body = JSON.stringify({ id: randomUUID(), kind: 'ping' });
    const signed = (seconds: number) => ({ 'x-ts-time': String(seconds), 'x-ts-signature': `v1=${createHmac('sha256', TS_SECRET).update(`${seconds}.${body}`).digest('base64')}` });
    const now = Math.floor(Date.now() / 1000);
    expect((await post('ts-pay', body, signed(now))).status).toBe(200);
    expect((await post('ts-pay', body, signed(now - 120))).status).toBe(401);
    expect((await post('ts-pay', body, { ...signed(now), 'x-ts-time': String(now + 1) })).status).toBe(401);
  });
});
