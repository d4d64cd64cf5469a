// The generic http adapter, combining providers, and shadow mode, end to end against fake engines.
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';
import { FakeVendorApi, verdict, schemaViolations, Shape, VendorAnswer } from './fakes/fake-vendor-api';
import { MonitoringProvider } from '../src/application/ports/monitoring-provider.port';
import { ShadowMonitoringProvider } from '../src/application/ports/provider-verdict-store.port';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const AUTH = 'Bearer in-house-engine-token';

// This service's own published contract for in-house engines (docs/monitoring-providers.md, "Generic HTTP provider").
const HTTP_REQUEST: Shape = {
  object: {
    transactionId: 'string',
    amount: 'string',
    currency: 'string',
    sourceAccountId: 'string',
    customerId: 'string',
    companyId: 'string',
    userId: 'string',
    paymentScheme: 'string',
    reference: 'string',
    beneficiary: { object: {}, closed: false },
    payload: { object: {}, closed: false },
  },
  required: ['transactionId', 'amount', 'currency', 'payload'],
};

describe('generic http provider', () => {
  let t: TestApp;
  let next: VendorAnswer | VendorAnswer[] = verdict('APPROVED');
  const engine = new FakeVendorApi(() => (Array.isArray(next) ? (next.shift() ?? verdict('APPROVED')) : next));

  beforeAll(async () => {
    await engine.start();
    t = await startTestApp({
      env: { MONITORING_PROVIDER: 'http', MONITORING_HTTP_URL: `${engine.url}/screen?v=1`, MONITORING_HTTP_AUTH_VALUE: AUTH, MONITORING_WEBHOOK_SECRET: SECRET, ANALYST_TOKENS },
    });
  });
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  it.each(['APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL'])('answers what the engine says: %s', async (status) => {
    next = verdict(status, [`engine says ${status}`]);
    expect((await postValidate(t.server, { transactionId: `h-${randomUUID()}`, amount: 10, currency: 'GBP' })).body).toMatchObject({ status, reasons: [`engine says ${status}`] });
  });

  it('sends the documented request, the exact amount as text, the payload verbatim and the auth header', async () => {
    next = verdict('APPROVED');
    const transactionId = `h-${randomUUID()}`;
    const raw = `{"transactionId":"${transactionId}","amount":0.123456789012345678,"currency":"GBP","customerId":"c-1","beneficiary":{"name":"Ada","country":"GB"},"custom":{"score":1.000000000000000000001}}`;
    expect((await postValidate(t.server, raw)).status).toBe(200);
    const sent = engine.requests.at(-1)!;
    expect(sent.path).toBe('/screen?v=1');
    expect(sent.headers.authorization).toBe(AUTH);
    expect(sent.headers['idempotency-key']).toBe(transactionId);
    expect(schemaViolations(sent.body, HTTP_REQUEST)).toEqual([]);
    expect(sent.body).toMatchObject({ transactionId, amount: '0.123456789012345678', currency: 'GBP', customerId: 'c-1', beneficiary: { name: 'Ada', country: 'GB' } });
    expect(sent.rawBody).toContain(`"payload":${raw}`);
  });

  it("sends the payload verbatim when its text holds what String.replace reads as patterns ($$, $&, $' and $`)", async () => {
    next = verdict('APPROVED');
    const transactionId = `h-${randomUUID()}`;
    const raw = `{"transactionId":"${transactionId}","amount":5,"currency":"USD","reference":"cost $$5, $& and $' and $\` end"}`;
    expect((await postValidate(t.server, raw)).status).toBe(200);
    const sent = engine.requests.at(-1)!;
    expect(sent.rawBody).toContain(`"payload":${raw}`);
    expect(sent.body).toMatchObject({ transactionId, reference: "cost $$5, $& and $' and $` end" });
  });

  it('retries once on 503 (the contract makes the call idempotent), and falls back on an unusable answer', async () => {
    next = [{ status: 503, body: {} }, verdict('REJECTED', ['second try'])];
    const from = engine.requests.length;
    expect((await postValidate(t.server, { transactionId: `h-${randomUUID()}`, amount: 10, currency: 'GBP' })).body).toMatchObject({ status: 'REJECTED', reasons: ['second try'] });
    expect(engine.requests.length - from).toBe(2);
    next = { status: 200, body: { status: 'MAYBE' } };
    expect((await postValidate(t.server, { transactionId: `h-${randomUUID()}`, amount: 10, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
  });

  it("keeps only the contract's status and reasons: an engine's own ruleSetVersion, even one no integer column holds, is not stored", async () => {
    next = { status: 200, body: { status: 'REJECTED', reasons: ['engine rule 9'], ruleSetVersion: 3_000_000_000 } };
    const transactionId = `h-${randomUUID()}`;
    const answer = await postValidate(t.server, { transactionId, amount: 10, currency: 'GBP' });
    expect([answer.status, answer.body.status]).toEqual([200, 'REJECTED']);
    expect(await t.db.query('SELECT state, rule_set_version FROM transactions WHERE id = $1', [transactionId])).toEqual([{ state: 'REJECTED', rule_set_version: null }]);
  });

  it('takes Standard Webhooks callbacks on /webhooks/monitoring/http and refuses forged ones', async () => {
    next = verdict('PENDING_EXTERNAL_APPROVAL', ['needs a look']);
    const transactionId = `h-${randomUUID()}`;
    await postValidate(t.server, { transactionId, amount: 10, currency: 'GBP' });
    const text = JSON.stringify({ type: 'transaction.decided', timestamp: new Date().toISOString(), data: { transactionId, status: 'APPROVED', reasons: ['cleared in-house'] } });
    const send = async (secret: string) => {
      const id = `msg_${randomUUID()}`;
      const now = new Date();
      const response = await httpCall(t.server, 'POST', '/webhooks/monitoring/http', {
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, now, text) },
        body: text,
      });
      return { status: response.status, body: response.body };
    };
    expect((await send(`whsec_${randomBytes(32).toString('base64')}`)).status).toBe(401);
    expect(await send(SECRET)).toEqual({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
  });
});

describe('combining providers (rules+http)', () => {
  let t: TestApp;
  let next: VendorAnswer = verdict('APPROVED');
  const engine = new FakeVendorApi(() => next);

  beforeAll(async () => {
    await engine.start();
    t = await startTestApp({
      // A budget far above the engine's 150 ms, so that a loaded machine cannot time the part out.
      env: { MONITORING_PROVIDER: 'rules+http', MONITORING_HTTP_URL: `${engine.url}/screen`, ANALYST_TOKENS, DECISION_TIMEOUT_MS: '2000', PROVIDER_BREAKER_THRESHOLD: '2', PROVIDER_BREAKER_HALF_OPEN_MS: '60000' },
    });
  });
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  it('asks both, the strictest wins, and each provider keeps its own verdict and reasons', async () => {
    next = { ...verdict('PENDING_EXTERNAL_APPROVAL', ['unusual pattern']), delayMs: 150 };
    const transactionId = `c-${randomUUID()}`;
    const call = await postValidate(t.baseUrl, { transactionId, amount: 50, currency: 'GBP', beneficiary: { name: 'Kim', country: 'KP' } });
    // That the parts are asked in parallel is CombinedMonitoringProvider's spec; here, both answered within the budget.
    expect(call.body.status).toBe('REJECTED');
    expect(call.body.reasons).toEqual([expect.stringMatching(/^rules: .*KP/), 'http: unusual pattern']);
    // Each part's verdict is stored after the answer, unawaited: read until both are there.
    const detail = await readUntil(() => analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice }), (d) => d.body.providerVerdicts.length >= 2);
    expect(detail.body.providerVerdicts).toEqual([
      expect.objectContaining({ provider: 'http', status: 'PENDING_EXTERNAL_APPROVAL', reasons: ['unusual pattern'] }),
      expect.objectContaining({ provider: 'rules', status: 'REJECTED' }),
    ]);
  });

  it('with one provider down, the other still screens and the missing one counts as the fallback', async () => {
    next = { drop: true };
    const approvedByRules = await postValidate(t.server, { transactionId: `c-${randomUUID()}`, amount: 50, currency: 'GBP', beneficiary: { name: 'Jo', country: 'GB' } });
    expect(approvedByRules.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(approvedByRules.body.reasons).toEqual([expect.stringMatching(/^http: failed .*counted as PENDING_EXTERNAL_APPROVAL$/)]);
    const rejectedByRules = await postValidate(t.server, { transactionId: `c-${randomUUID()}`, amount: 50, currency: 'GBP', beneficiary: { name: 'Kim', country: 'IR' } });
    expect(rejectedByRules.body.status).toBe('REJECTED');
    // The breaker (threshold 2) is now open: the down engine is no longer even asked, and nothing waits for it.
    const asked = engine.requests.length;
    const refused = await postValidate(t.baseUrl, { transactionId: `c-${randomUUID()}`, amount: 50, currency: 'GBP' });
    expect(refused.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(refused.body.reasons).toEqual([expect.stringMatching(/^http: failed \(circuit breaker open.*not asked\)/)]);
    expect(engine.requests.length).toBe(asked);
  });
});

describe('shadow mode (live rules, shadow http)', () => {
  let t: TestApp;
  let next: VendorAnswer = verdict('REJECTED', ['challenger would block']);
  const challenger = new FakeVendorApi(() => next);

  beforeAll(async () => {
    await challenger.start();
    t = await startTestApp({ env: { MONITORING_PROVIDER: 'rules', MONITORING_SHADOW_PROVIDER: 'http', MONITORING_HTTP_URL: `${challenger.url}/screen`, ANALYST_TOKENS, DECISION_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await t.close();
    await challenger.stop();
  });

  async function shadowOf(transactionId: string, timeoutMs = 5_000): Promise<any[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.carol });
      if (detail.body.shadowVerdicts.length > 0 || Date.now() > until) return detail.body.shadowVerdicts;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("never changes the answer nor waits for the challenger, even a 2 s slow one, and stores its verdict beside the live one", async () => {
    next = { ...verdict('REJECTED', ['challenger would block']), delayMs: 2_000 };
    const transactionId = `s-${randomUUID()}`;
    const started = Date.now();
    const call = await postValidate(t.baseUrl, { transactionId, amount: 20, currency: 'GBP', beneficiary: { name: 'Jo', country: 'GB' } });
    const elapsed = Date.now() - started;
    expect(call.body).toMatchObject({ status: 'APPROVED', reasons: [] });
    // Well under the challenger's 2 s: validate did not wait for it (a loaded machine may take a second).
    expect(elapsed).toBeLessThan(1_500);
    expect(await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.carol }).then((d) => d.body.shadowVerdicts)).toEqual([]);
    const shadow = await shadowOf(transactionId);
    expect(shadow).toEqual([{ provider: 'http', status: 'REJECTED', reasons: ['challenger would block'], durationMs: expect.any(Number), screenedAt: expect.any(String) }]);
    expect(shadow[0].durationMs).toBeGreaterThanOrEqual(1_900);
    const [row] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [transactionId]);
    expect(row!.state).toBe('APPROVED');
  });

  it('reports agreement and disagreement by (live, shadow) pair, to analysts and in metrics', async () => {
    next = verdict('APPROVED');
    const agreeing = `s-${randomUUID()}`;
    await postValidate(t.server, { transactionId: agreeing, amount: 20, currency: 'GBP' });
    await shadowOf(agreeing);
    next = { status: 500, body: {} };
    const failing = `s-${randomUUID()}`;
    await postValidate(t.server, { transactionId: failing, amount: 20, currency: 'GBP' });
    const failed = await shadowOf(failing);
    expect(failed).toEqual([expect.objectContaining({ provider: 'http', status: null, reasons: [expect.stringContaining('HTTP 500')] })]);

    expect((await analystCall(t.server, 'GET', '/monitoring/shadow-report')).status).toBe(401);
    const report = await analystCall(t.server, 'GET', '/monitoring/shadow-report', { token: ANALYSTS.alice });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      currentShadowProviders: ['http'],
      providers: [
        {
          provider: 'http',
          compared: 2,
          agreements: 1,
          disagreements: 1,
          shadowFailures: 1,
          awaitingLive: 0,
          pairs: [
            { live: 'APPROVED', shadow: 'APPROVED', count: 1 },
            { live: 'APPROVED', shadow: 'REJECTED', count: 1 },
          ],
        },
      ],
    });
    const metrics = (await request(t.server).get('/metrics')).text;
    expect(metrics).toContain('tm_shadow_verdicts{provider="http",live="APPROVED",shadow="REJECTED"} 1');
    expect(metrics).toContain('tm_shadow_verdicts{provider="http",live="APPROVED",shadow="APPROVED"} 1');
    expect(metrics).toMatch(/^tm_provider_errors_total\{provider="http",role="SHADOW"\} 1$/m);
  });
});

describe('which providers get a signal of their own to abort', () => {
  it('every provider doing I/O, live or shadow, and neither the rules engine live nor the rules engine as challenger', async () => {
    const vendor = new FakeVendorApi(() => verdict('APPROVED', []));
    await vendor.start();
    const rulesShadow = await startTestApp({ env: { MONITORING_PROVIDER: 'http', MONITORING_SHADOW_PROVIDER: 'rules', MONITORING_HTTP_URL: `${vendor.url}/screen` } });
    const httpShadow = await startTestApp({ env: { MONITORING_PROVIDER: 'rules', MONITORING_SHADOW_PROVIDER: 'http', MONITORING_HTTP_URL: `${vendor.url}/screen` }, db: rulesShadow.db });
    try {
      expect([rulesShadow.app.get(MonitoringProvider).abortable, rulesShadow.app.get(ShadowMonitoringProvider).abortable]).toEqual([true, false]);
      expect([httpShadow.app.get(MonitoringProvider).abortable, httpShadow.app.get(ShadowMonitoringProvider).abortable]).toEqual([false, true]);
    } finally {
      await httpShadow.close();
      await rulesShadow.close();
      await vendor.stop();
    }
  });
});
