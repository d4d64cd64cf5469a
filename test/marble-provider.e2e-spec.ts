// The Marble adapter end to end: POST /decisions on a fake Marble API, and the case.decision_reviewed webhook.
import { createHmac, randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { FakeVendorApi, schemaViolations, Shape, VendorAnswer, VendorRequest } from './fakes/fake-vendor-api';

const API_KEY = 'marble-key-do-not-log';
const SCENARIO = '0b3c1f7e-8d9a-4c4e-9a51-2f6d7c1e9b10';
const WEBHOOK_SECRET = 'marble-webhook-secret-0123456789';

// From Marble's pubapi/openapi/v1.yml: POST /decisions requires scenario_id and trigger_object {object_id, updated_at, ...}.
const CREATE_DECISION: Shape = {
  object: {
    scenario_id: 'string',
    trigger_object: {
      object: {
        object_id: 'string',
        updated_at: 'string',
        amount: 'number',
        currency: 'string',
        account_id: 'string',
        customer_id: 'string',
        company_id: 'string',
        user_id: 'string',
        payment_scheme: 'string',
        reference: 'string',
        purpose_code: 'string',
        beneficiary_name: 'string',
        beneficiary_iban: 'string',
        beneficiary_account_number: 'string',
        beneficiary_sort_code: 'string',
        beneficiary_bic: 'string',
        beneficiary_country: 'string',
      },
      required: ['object_id', 'updated_at'],
    },
  },
  required: ['scenario_id', 'trigger_object'],
};

const decision = (id: string, objectId: string, outcome: string, rules: object[] = [], reviewStatus: string | null = null) => ({
  id,
  outcome,
  review_status: reviewStatus,
  scenario: { id: SCENARIO, iteration_id: randomUUID(), version: '3' },
  trigger_object: { object_id: objectId, updated_at: new Date().toISOString() },
  score: 40,
  created_at: new Date().toISOString(),
  rules,
  screenings: [],
});

describe('Marble adapter', () => {
  let t: TestApp;
  const decisions = new Map<string, ReturnType<typeof decision>>();
  let outcome = 'approve';
  let rules: object[] = [];
  let override: VendorAnswer | undefined;
  const marble = new FakeVendorApi((request: VendorRequest): VendorAnswer => {
    if (override) return override;
    if (request.method === 'POST' && request.path === '/v1/decisions') {
      const created = decision(randomUUID(), request.body.trigger_object.object_id, outcome, rules, outcome === 'block_and_review' ? 'pending' : null);
      decisions.set(created.id, created);
      const counts = { total: 1, approve: 0, review: 0, block_and_review: 0, decline: 0, skipped: 0, [outcome]: 1 };
      return { status: 200, body: { data: [created], metadata: counts, pagination: { has_more: false } } };
    }
    const match = /^\/v1\/decisions\/([0-9a-f-]{36})$/.exec(request.path);
    if (request.method === 'GET' && match) {
      const found = decisions.get(match[1]!);
      return found ? { status: 200, body: { data: found } } : { status: 404, body: { code: 'not_found' } };
    }
    return { status: 404, body: { code: 'not_found' } };
  });

  beforeAll(async () => {
    await marble.start();
    t = await startTestApp({
      env: {
        MONITORING_PROVIDER: 'marble',
        MARBLE_API_URL: `${marble.url}/v1`,
        MARBLE_API_KEY: API_KEY,
        MARBLE_SCENARIO_ID: SCENARIO,
        MARBLE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ANALYST_TOKENS,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await marble.stop();
  });

  const payment = (overrides: Record<string, unknown> = {}) => ({
    transactionId: `mb-${randomUUID()}`,
    amount: '2500.75',
    currency: 'EUR',
    customerId: 'cust-7',
    sourceAccountId: 'acc-7',
    beneficiary: { name: 'Grace Hopper', iban: 'DE89370400440532013000', country: 'DE' },
    ...overrides,
  });

  it.each([
    ['approve', 'APPROVED'],
    ['review', 'PENDING_EXTERNAL_APPROVAL'],
    ['block_and_review', 'PENDING_EXTERNAL_APPROVAL'],
    ['decline', 'REJECTED'],
  ])('answers %s as %s; rule hits and the score are the reasons', async (marbleOutcome, status) => {
    outcome = marbleOutcome;
    rules = [
      { name: 'Large transfer', rule_id: randomUUID(), outcome: 'hit', score_modifier: 30 },
      { name: 'New beneficiary', rule_id: randomUUID(), outcome: 'no_hit', score_modifier: 10 },
    ];
    const call = await postValidate(t.server, payment());
    const reasons = call.body.reasons as string[];
    expect(call.body.status).toBe(status);
    expect(reasons[0]).toBe('Marble rule Large transfer hit (score +30)');
    expect(reasons.join('\n')).not.toContain('New beneficiary');
    if (marbleOutcome !== 'approve') expect(reasons[1]).toMatch(new RegExp(`^Marble decision [0-9a-f-]+: ${marbleOutcome}, score 40$`));
  });

  it("sends the published createDecision body with the key in X-API-KEY", async () => {
    outcome = 'approve';
    const body = payment({ unrelated: 'stays here' });
    await postValidate(t.server, body);
    const sent = marble.requestsTo('/v1/decisions').at(-1)!;
    expect(sent.headers['x-api-key']).toBe(API_KEY);
    expect(schemaViolations(sent.body, CREATE_DECISION)).toEqual([]);
    expect(sent.body).toMatchObject({ scenario_id: SCENARIO, trigger_object: { object_id: body.transactionId, amount: 2500.75, currency: 'EUR', account_id: 'acc-7', beneficiary_iban: 'DE89370400440532013000', beneficiary_country: 'DE' } });
    expect(sent.rawBody).not.toContain('stays here');
  });

  it('stores rule names PostgreSQL cannot hold cleaned, rather than failing the insert with a 500', async () => {
    outcome = 'review';
    rules = [{ rule_id: randomUUID(), name: 'Velocity \u0000 \uDC00', outcome: 'hit', score_modifier: 10 }];
    try {
      const call = await postValidate(t.server, payment());
      expect(call.status).toBe(200);
      expect(call.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: expect.arrayContaining(['Marble rule Velocity  \uFFFD hit (score +10)']) });
    } finally {
      outcome = 'approve';
      rules = [];
    }
  });

  it('approves when the scenario does not apply to the transaction (no decision created)', async () => {
    override = { status: 200, body: { data: [], metadata: { total: 0, approve: 0, review: 0, block_and_review: 0, decline: 0, skipped: 1 } } };
    try {
      expect((await postValidate(t.server, payment())).body).toMatchObject({ status: 'APPROVED', reasons: [] });
    } finally {
      override = undefined;
    }
  });

  it('falls back when Marble refuses the request', async () => {
    override = { status: 422, body: { code: 'unprocessable_entity', messages: ['scenario has no live version'] } };
    try {
      expect((await postValidate(t.server, payment())).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    } finally {
      override = undefined;
    }
  });

  describe('case.decision_reviewed webhook', () => {
    async function held(): Promise<{ transactionId: string; decisionId: string }> {
      outcome = 'block_and_review';
      rules = [];
      const body = payment();
      expect((await postValidate(t.server, body)).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      const decisionId = [...decisions.values()].find((d) => d.trigger_object.object_id === body.transactionId)!.id;
      return { transactionId: body.transactionId, decisionId };
    }
    async function send(text: string, headers: Record<string, string>) {
      const response = await httpCall(t.server, 'POST', '/webhooks/monitoring/marble', { headers: { 'content-type': 'application/json', ...headers }, body: text });
      return { status: response.status, body: response.body };
    }
    const event = (decisionId: string, caseId = randomUUID()) => JSON.stringify({ type: 'case.decision_reviewed', content: { case: { id: caseId }, decision: { id: decisionId } }, timestamp: new Date().toISOString() });
    const sign = (text: string, secret = WEBHOOK_SECRET) => createHmac('sha256', secret).update(text).digest('hex');

    it('applies the reviewed outcome read from Marble, once per idempotency key', async () => {
      const { transactionId, decisionId } = await held();
      decisions.get(decisionId)!.review_status = 'decline';
      const text = event(decisionId);
      const key = randomUUID();
      expect(await send(text, { 'x-convoy-signature': sign(text), 'webhook-idempotency-key': key })).toEqual({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
      expect((await send(text, { 'x-convoy-signature': sign(text), 'webhook-idempotency-key': key })).body.outcome).toBe('DUPLICATE');
      const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.bob });
      expect(detail.body.status).toBe('REJECTED');
      expect(detail.body.decisions.at(-1)).toMatchObject({ source: 'PROVIDER', decidedBy: 'marble' });
    });

    it('refuses forged callbacks before asking Marble anything', async () => {
      const { transactionId, decisionId } = await held();
      decisions.get(decisionId)!.review_status = 'approve';
      const lookups = marble.requests.filter((request) => request.method === 'GET').length;
      const text = event(decisionId);
      expect((await send(text, { 'x-convoy-signature': sign(text, 'guess'), 'webhook-idempotency-key': randomUUID() })).status).toBe(401);
      expect((await send(text, { 'webhook-idempotency-key': randomUUID() })).status).toBe(401);
      expect(marble.requests.filter((request) => request.method === 'GET').length).toBe(lookups);
      const [row] = await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [transactionId]);
      expect(row!.state).toBe('PENDING_EXTERNAL_APPROVAL');
    });

    it('answers 400 for a decision still pending review, and 503 when Marble cannot be asked', async () => {
      const { decisionId } = await held();
      const text = event(decisionId);
      expect((await send(text, { 'x-convoy-signature': sign(text), 'webhook-idempotency-key': randomUUID() })).status).toBe(400);
      override = { status: 500, body: { code: 'server_error' } };
      try {
        const answer = await send(text, { 'x-convoy-signature': sign(text), 'webhook-idempotency-key': randomUUID() });
        expect(answer.status).toBe(503);
      } finally {
        override = undefined;
      }
    });
  });
});
