// The Flagright adapter end to end: validate against a fake Flagright API, its webhook, and its breaker.
import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';
import { FakeVendorApi, schemaViolations, Shape, VendorAnswer } from './fakes/fake-vendor-api';

const API_KEY = 'flagright-key-do-not-log';
const WEBHOOK_SECRET = 'flagright-endpoint-secret-0123456789';
const TRANSACTIONS_PATH = '/transactions?validateOriginUserId=false&validateDestinationUserId=false';

// From Flagright's published Transaction model (POST /transactions, flagright-node src/api/types/Transaction.ts).
const AMOUNT: Shape = { object: { transactionAmount: 'number', transactionCurrency: 'string', country: 'string' }, required: ['transactionAmount', 'transactionCurrency'] };
const IBAN_DETAILS: Shape = { object: { method: { enum: ['IBAN'] }, bic: 'string', bankName: 'string', country: 'string', iban: 'string', name: 'string', bankBranchCode: 'string', paymentChannel: 'string' }, required: ['method'] };
const GENERIC_BANK_ACCOUNT: Shape = {
  object: { method: { enum: ['GENERIC_BANK_ACCOUNT'] }, accountNumber: 'string', accountType: 'string', bankName: 'string', bankCode: 'string', country: 'string', name: 'string', routingNumber: 'string' },
  required: ['method'],
};
const TRANSACTION: Shape = {
  object: {
    type: { enum: ['DEPOSIT', 'TRANSFER', 'EXTERNAL_PAYMENT', 'WITHDRAWAL', 'REFUND', 'OTHER'] },
    transactionId: 'string',
    timestamp: 'integer',
    originUserId: 'string',
    destinationUserId: 'string',
    originAmountDetails: AMOUNT,
    destinationAmountDetails: AMOUNT,
    reference: 'string',
    tags: { array: { object: { key: 'string', value: 'string' }, required: ['key', 'value'] } },
    // payment details are a union on `method`: checked below
    originPaymentDetails: { object: {}, closed: false },
    destinationPaymentDetails: { object: {}, closed: false },
  },
  required: ['type', 'transactionId', 'timestamp'],
};

function flagrightViolations(body: any): string[] {
  const problems = schemaViolations(body, TRANSACTION);
  for (const key of ['originPaymentDetails', 'destinationPaymentDetails']) {
    const details = body?.[key];
    if (details === undefined) continue;
    problems.push(...schemaViolations(details, details.method === 'IBAN' ? IBAN_DETAILS : GENERIC_BANK_ACCOUNT, `$.${key}`));
  }
  return problems;
}

/** Answers as Flagright's TransactionMonitoringResult does. */
function flagrightAnswer(status: string, hitRules: object[] = []): VendorAnswer {
  return { status: 200, body: { transactionId: 'echo', status, executedRules: [], hitRules } };
}

const hit = (ruleId: string, ruleName: string, ruleAction: string) => ({ ruleId, ruleInstanceId: `${ruleId}.1`, ruleName, ruleDescription: `${ruleName} described`, ruleAction });

describe('Flagright adapter', () => {
  let t: TestApp;
  let next: VendorAnswer = flagrightAnswer('ALLOW');
  const flagright = new FakeVendorApi(() => next);

  beforeAll(async () => {
    await flagright.start();
    t = await startTestApp({
      env: {
        MONITORING_PROVIDER: 'flagright',
        FLAGRIGHT_API_URL: flagright.url,
        FLAGRIGHT_API_KEY: API_KEY,
        FLAGRIGHT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ANALYST_TOKENS,
        // Budgets far above a round trip on a loaded machine: what these specs tell apart is
        // waiting for Flagright or not, never a few hundred milliseconds.
        DECISION_TIMEOUT_MS: '1000',
        PROVIDER_BREAKER_THRESHOLD: '3',
        PROVIDER_BREAKER_HALF_OPEN_MS: '2000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await flagright.stop();
  });

  const payment = (overrides: Record<string, unknown> = {}) => ({
    transactionId: `fr-${randomUUID()}`,
    amount: 125.5,
    currency: 'GBP',
    customerId: 'cust-1',
    userId: 'user-1',
    sourceAccountId: 'acc-1',
    paymentScheme: 'FPS',
    reference: 'Invoice 42',
    beneficiary: { name: 'Ada Lovelace', iban: 'GB33BUKB20201555555555', bic: 'BUKBGB22', country: 'GB' },
    ...overrides,
  });

  it.each([
    ['ALLOW', 'APPROVED'],
    ['FLAG', 'PENDING_EXTERNAL_APPROVAL'],
    ['SUSPEND', 'PENDING_EXTERNAL_APPROVAL'],
    ['BLOCK', 'REJECTED'],
  ])('answers %s as %s, with each hit rule as a reason', async (action, status) => {
    next = flagrightAnswer(action, action === 'ALLOW' ? [] : [hit('R-2', 'High risk country', action)]);
    const call = await postValidate(t.server, payment());
    expect(call.status).toBe(200);
    expect(call.body.status).toBe(status);
    expect(call.body.reasons).toEqual(action === 'ALLOW' ? [] : [`Flagright rule High risk country (R-2.1) ${action}: High risk country described`]);
  });

  it('stores rule text PostgreSQL cannot hold cleaned, rather than failing the insert with a 500', async () => {
    next = flagrightAnswer('FLAG', [hit('R-\u0000', 'Name with \u0000 NUL and \uD800 half a pair', 'FLAG')]);
    const call = await postValidate(t.server, payment());
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: [expect.stringContaining('Name with  NUL and \uFFFD half a pair')] });
    const [row] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [call.body.transactionId]);
    expect(row).toEqual({ state: 'PENDING_EXTERNAL_APPROVAL' });
  });

  it("sends Flagright's transaction model with the exact amount, the key in x-api-key, and nothing it does not need", async () => {
    next = flagrightAnswer('ALLOW');
    const body = payment({ amount: '0.1', extraField: { secret: 'not for Flagright' }, purposeCode: 'SALA' });
    await postValidate(t.server, body);
    const sent = flagright.requestsTo(TRANSACTIONS_PATH).at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.headers['x-api-key']).toBe(API_KEY);
    expect(flagrightViolations(sent.body)).toEqual([]);
    expect(sent.rawBody).toContain('"transactionAmount":0.1,');
    expect(sent.body).toMatchObject({
      type: 'TRANSFER',
      transactionId: body.transactionId,
      originUserId: 'cust-1',
      originAmountDetails: { transactionAmount: 0.1, transactionCurrency: 'GBP' },
      destinationAmountDetails: { transactionAmount: 0.1, transactionCurrency: 'GBP', country: 'GB' },
      originPaymentDetails: { method: 'GENERIC_BANK_ACCOUNT', accountNumber: 'acc-1' },
      destinationPaymentDetails: { method: 'IBAN', iban: 'GB33BUKB20201555555555', bic: 'BUKBGB22', name: 'Ada Lovelace', country: 'GB' },
      reference: 'Invoice 42',
    });
    expect(sent.body.tags).toEqual(expect.arrayContaining([{ key: 'paymentScheme', value: 'FPS' }, { key: 'purposeCode', value: 'SALA' }]));
    expect(sent.rawBody).not.toContain('not for Flagright');
  });

  it('maps a beneficiary without IBAN to a generic bank account', async () => {
    next = flagrightAnswer('ALLOW');
    await postValidate(t.server, payment({ beneficiary: { name: 'Bob', accountNumber: '12345678', sortCode: '200000', country: 'gb' } }));
    const sent = flagright.requestsTo(TRANSACTIONS_PATH).at(-1)!;
    expect(flagrightViolations(sent.body)).toEqual([]);
    expect(sent.body.destinationPaymentDetails).toEqual({ method: 'GENERIC_BANK_ACCOUNT', accountNumber: '12345678', bankCode: '200000', name: 'Bob', country: 'GB' });
  });

  it('never sends an amount a JSON number would round: the transaction is held instead', async () => {
    const before = flagright.requests.length;
    const call = await postValidate(t.server, payment({ amount: '9999.999999999999999' }));
    expect(call.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(flagright.requests.length).toBe(before);
  });

  describe('TRANSACTION_STATUS_UPDATED webhook', () => {
    const sign = (text: string, secret = WEBHOOK_SECRET) => createHmac('sha256', secret).update(text).digest('hex');
    async function send(text: string, signature: string) {
      const response = await httpCall(t.server, 'POST', '/webhooks/monitoring/flagright', { headers: { 'content-type': 'application/json', 'x-flagright-signature': signature }, body: text });
      return { status: response.status, body: response.body };
    }
    const event = (transactionId: string, status: string) =>
      JSON.stringify({ id: `evt-${randomUUID()}`, triggeredBy: 'MANUAL', createdTimestamp: Date.now(), type: 'TRANSACTION_STATUS_UPDATED', data: { transactionId, status, reasons: ['Analyst confirmed'] } });

    async function held(): Promise<string> {
      next = flagrightAnswer('SUSPEND', [hit('R-9', 'Velocity', 'SUSPEND')]);
      const body = payment();
      expect((await postValidate(t.server, body)).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      return body.transactionId;
    }

    it('decides a held transaction when signed, once per event id', async () => {
      const transactionId = await held();
      const text = event(transactionId, 'BLOCK');
      expect(await send(text, sign(text))).toEqual({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
      expect((await send(text, sign(text))).body.outcome).toBe('DUPLICATE');
      const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
      expect(detail.body.status).toBe('REJECTED');
      expect(detail.body.decisions.at(-1)).toMatchObject({ source: 'PROVIDER', decidedBy: 'flagright', reasons: ['Analyst confirmed'] });
    });

    it('refuses a forged or tampered callback and records nothing', async () => {
      const transactionId = await held();
      const text = event(transactionId, 'ALLOW');
      expect((await send(text, sign(text, 'not-the-secret'))).status).toBe(401);
      expect((await send(text.replace('ALLOW', 'BLOCK'), sign(text))).status).toBe(401);
      expect((await send(text, '')).status).toBe(401);
      const [row] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [transactionId]);
      expect(row!.state).toBe('PENDING_EXTERNAL_APPROVAL');
    });

    it("applies a signed decision whose comment holds a NUL, and refuses (400, not 500) an event id PostgreSQL cannot store", async () => {
      const transactionId = await held();
      const withNul = (id: string) =>
        JSON.stringify({ id, type: 'TRANSACTION_STATUS_UPDATED', data: { transactionId, status: 'BLOCK', reasons: [], comment: 'Confirmed \u0000match' } });
      const badId = withNul('evt-\u0000');
      expect((await send(badId, sign(badId))).status).toBe(400);
      const text = withNul(`evt-${randomUUID()}`);
      expect(await send(text, sign(text))).toEqual({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
      const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
      expect(detail.body.decisions.at(-1)).toMatchObject({ decidedBy: 'flagright', reasons: ['Confirmed match'] });
    });

    it('refuses a signed event that is not a decision', async () => {
      const transactionId = await held();
      const text = event(transactionId, 'FLAG');
      expect((await send(text, sign(text))).status).toBe(400);
    });
  });

  describe('resilience', () => {
    it('reuses its connection to Flagright (keep-alive)', async () => {
      next = flagrightAnswer('ALLOW');
      // First of its group: the fallbacks below leave late screenings that are asked again in the
      // background, on a connection of their own whenever one is in flight.
      const ids = new Set<string>();
      for (let i = 0; i < 5; i += 1) {
        const body = payment();
        ids.add(body.transactionId);
        await postValidate(t.server, body);
      }
      const ports = new Set(flagright.requests.filter((sent) => ids.has((sent.body as { transactionId?: string }).transactionId ?? '')).map((sent) => sent.remotePort));
      expect(ports.size).toBe(1);
    });

    it('answers the fallback in time when Flagright is slow', async () => {
      next = { ...flagrightAnswer('ALLOW'), delayMs: 4_000 };
      const started = Date.now();
      const call = await postValidate(t.baseUrl, payment());
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(call.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      next = flagrightAnswer('ALLOW');
      expect((await postValidate(t.server, payment())).body.status).toBe('APPROVED');
    });

    it('opens the breaker after repeated failures, answers at once without asking, and closes on recovery', async () => {
      next = { status: 503, body: { message: 'maintenance' } };
      for (let i = 0; i < 3; i += 1) expect((await postValidate(t.server, payment())).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      const asked = flagright.requests.length;
      const shortCircuited = await postValidate(t.baseUrl, payment());
      expect(shortCircuited.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      // Not asked at all, so nothing waited for Flagright's budget.
      expect(flagright.requests.length).toBe(asked);
      const ready = await request(t.server).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.details.monitoring.providers).toEqual([expect.objectContaining({ provider: 'flagright', role: 'LIVE', breaker: 'OPEN' })]);
      // Readiness answers anyone who reaches the port: the provider's error ("Flagright POST
      // /transactions: HTTP 503 (maintenance)"), its text or its status, stays out of it. Its
      // timestamps and the database check's time are taken out first: either can read 503.
      expect(ready.body.details.monitoring.providers[0]).not.toHaveProperty('lastError');
      const shown = JSON.stringify(ready.body).replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '""').replace(/"responseTime":\d+/g, '');
      expect(shown).not.toMatch(/503|maintenance/);

      next = flagrightAnswer('ALLOW');
      // Once the trial is due, a validate is approved again; a late screening held by the outage may
      // take the one trial first, so a few may still fall back before one is asked and approved.
      let recovered!: ReturnType<typeof payment>;
      const recovery = await readUntil(() => postValidate(t.server, (recovered = payment())), (call) => call.body.status === 'APPROVED', 15_000, 100);
      expect(recovery.body.status).toBe('APPROVED');
      // Once the breaker is due its trial, the late screenings held by the outage are asked again
      // too, in the background: only this validate's own call is certain to be among the new ones.
      const askedSince = flagright.requests.slice(asked).map((sent) => (sent.body as { transactionId?: string }).transactionId);
      expect(askedSince).toContain(recovered.transactionId);
      const after = (await request(t.server).get('/health/ready')).body;
      expect(after.details.monitoring.providers[0]).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 0 });
      const metrics = (await request(t.server).get('/metrics')).text;
      expect(metrics).toMatch(/tm_provider_request_duration_seconds_count\{provider="flagright",role="LIVE",outcome="SHORT_CIRCUITED"\} [1-9]/);
      // At least the three failures that opened the breaker (late screenings may add more).
      expect(Number(/^tm_provider_errors_total\{provider="flagright",role="LIVE"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
      expect(metrics).toMatch(/tm_provider_timeouts_total\{provider="flagright",role="LIVE"\} [1-9]/);
      expect(metrics).toContain('tm_provider_breaker_state{provider="flagright",role="LIVE"} 0');
      expect(metrics).not.toContain(API_KEY);
    });

  });
});
