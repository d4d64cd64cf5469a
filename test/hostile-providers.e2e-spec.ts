// Hostile input meets outbound providers: ids that cannot be sent raw as headers, and verdicts that cannot be stored.
import { randomUUID } from 'node:crypto';
import { ANALYST_TOKENS, ANALYSTS, analystCall } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { FakeVendorApi, verdict, VendorAnswer } from './fakes/fake-vendor-api';

describe('the http provider with hostile ids and hostile answers', () => {
  let t: TestApp;
  let next: VendorAnswer = verdict('APPROVED');
  const engine = new FakeVendorApi(() => next);

  beforeAll(async () => {
    await engine.start();
    t = await startTestApp({
      env: { MONITORING_PROVIDER: 'http', MONITORING_HTTP_URL: `${engine.url}/screen`, ANALYST_TOKENS, PROVIDER_BREAKER_THRESHOLD: '3', PROVIDER_BREAKER_HALF_OPEN_MS: '60000' },
    });
  });
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  const stateOf = async (id: string) => (await t.db.query<{ state: string }>('SELECT state FROM transactions WHERE id = $1', [id]))[0]?.state;

  it('sends ids Node refuses in headers percent-encoded, and they never open the breaker', async () => {
    next = verdict('APPROVED', ['fine']);
    const ids = ['h中-1', 'h中-2', 'h中-3', 'space here', 'é-latin1', '100%-sure'];
    for (const transactionId of ids) {
      const call = await postValidate(t.server, { transactionId, amount: 10, currency: 'GBP' });
      expect(call.body).toMatchObject({ status: 'APPROVED', reasons: ['fine'] });
    }
    const keys = engine.requests.slice(-ids.length).map((request) => request.headers['idempotency-key']);
    expect(keys).toEqual(['h%E4%B8%AD-1', 'h%E4%B8%AD-2', 'h%E4%B8%AD-3', 'space%20here', '%C3%A9-latin1', '100%25-sure']);
    const health = await (await fetch(`${t.baseUrl}/health/ready`)).json();
    expect(JSON.stringify(health)).not.toContain('OPEN');
    expect((await postValidate(t.server, { transactionId: `plain-${randomUUID()}`, amount: 10, currency: 'GBP' })).body.status).toBe('APPROVED');
  });

  it.each([
    ['a NUL', 'bad\u0000reason', 'badreason'],
    ['a lone high surrogate', 'x\uD800y', 'x\uFFFDy'],
    ['a lone low surrogate', '\uDC00', '\uFFFD'],
  ])('cleans %s in the engine\'s reasons before storing them', async (_what, reason, stored) => {
    next = verdict('PENDING_EXTERNAL_APPROVAL', [reason]);
    const transactionId = `r-${randomUUID()}`;
    const call = await postValidate(t.server, { transactionId, amount: 10, currency: 'GBP' });
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', reasons: [stored] });
    expect(await stateOf(transactionId)).toBe('PENDING_EXTERNAL_APPROVAL');
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
    expect(detail.body.reasons).toEqual([stored]);
  });

  it('falls back on a verdict it cannot use, and an error text with a NUL is stored cleaned', async () => {
    next = verdict('APPROVED', [{ not: 'text' }]);
    const unusable = `r-${randomUUID()}`;
    const call = await postValidate(t.server, { transactionId: unusable, amount: 10, currency: 'GBP' });
    expect(call).toMatchObject({ status: 200, body: { status: 'PENDING_EXTERNAL_APPROVAL' } });
    expect(await stateOf(unusable)).toBe('PENDING_EXTERNAL_APPROVAL');

    next = { status: 400, body: { message: 'engine says \u0000 no \uD800' } };
    const refused = `r-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId: refused, amount: 10, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect(await stateOf(refused)).toBe('PENDING_EXTERNAL_APPROVAL');
    next = verdict('APPROVED');
  });
});
