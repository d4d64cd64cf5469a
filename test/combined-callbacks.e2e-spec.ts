// Callbacks under a combination (rules+http): one provider's approval does not release another provider's hold.
import { randomBytes, randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { decidedEvent, sendCallback } from './support/signed-callback';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';
import { FakeVendorApi, verdict, VendorAnswer } from './fakes/fake-vendor-api';

const RULES_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HTTP_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
describe('callbacks of a combination (rules+http)', () => {
  let t: TestApp;
  let next: VendorAnswer = verdict('APPROVED');
  const engine = new FakeVendorApi(() => next);

  beforeAll(async () => {
    await engine.start();
    t = await startTestApp({
      env: {
        MONITORING_PROVIDER: 'rules+http',
        MONITORING_HTTP_URL: `${engine.url}/screen`,
        RULES_WEBHOOK_SECRET: RULES_SECRET,
        MONITORING_HTTP_WEBHOOK_SECRET: HTTP_SECRET,
        ANALYST_TOKENS,
        DECISION_TIMEOUT_MS: '2000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  /** Validates, then waits until both parts' own verdicts are stored (they are written just after the answer). */
  async function heldByBoth(amount: number): Promise<string> {
    next = verdict('PENDING_EXTERNAL_APPROVAL', ['unusual pattern']);
    const transactionId = `cc-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount, currency: 'GBP', sourceAccountId: `acc-${randomUUID()}` })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    await readUntil(() => analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice }), (d) => d.body.providerVerdicts.length === 2);
    return transactionId;
  }

  const stateOf = async (transactionId: string) =>
    (await t.db.query<{ state: string; notifications: number }>(
      'SELECT state, (SELECT count(*)::int FROM toqio_notifications WHERE transaction_id = $1) AS notifications FROM transactions WHERE id = $1',
      [transactionId],
    ))[0];

  it("keeps a transaction both held pending on one provider's approval, and decides it on the other's", async () => {
    const transactionId = await heldByBoth(25_000);

    const first = await sendCallback(t.server, decidedEvent(transactionId, 'APPROVED', ['cleared in-house']), { provider: 'http', secret: HTTP_SECRET });
    expect(first).toMatchObject({ status: 200, body: { transactionId, outcome: 'APPLIED' } });
    expect(await stateOf(transactionId)).toEqual({ state: 'PENDING_EXTERNAL_APPROVAL', notifications: 0 });
    const detail = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });
    expect(detail.body.decisions.at(-1)).toMatchObject({
      status: 'APPROVED',
      final: false,
      source: 'PROVIDER',
      decidedBy: 'http',
      reasons: ['cleared in-house', 'Still held by rules: released once every provider of the combination approves, or by an analyst'],
    });

    const second = await sendCallback(t.server, decidedEvent(transactionId, 'APPROVED', ['amount confirmed']), { provider: 'rules', secret: RULES_SECRET });
    expect(second).toMatchObject({ status: 200, body: { outcome: 'APPLIED' } });
    expect(await stateOf(transactionId)).toEqual({ state: 'APPROVED', notifications: 1 });
  });

  it('decides at once on the approval of the only part that held it', async () => {
    next = verdict('PENDING_EXTERNAL_APPROVAL', ['unusual pattern']);
    const transactionId = `cc-${randomUUID()}`;
    await postValidate(t.server, { transactionId, amount: 50, currency: 'GBP' });
    await readUntil(() => analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice }), (d) => d.body.providerVerdicts.length === 2);

    expect((await sendCallback(t.server, decidedEvent(transactionId, 'APPROVED'), { provider: 'http', secret: HTTP_SECRET })).body.outcome).toBe('APPLIED');
    expect(await stateOf(transactionId)).toEqual({ state: 'APPROVED', notifications: 1 });
  });

  it("rejects on either part's rejection, and lets an analyst decide what a part still holds", async () => {
    const rejected = await heldByBoth(25_000);
    await sendCallback(t.server, decidedEvent(rejected, 'REJECTED', ['confirmed mule account']), { provider: 'http', secret: HTTP_SECRET });
    expect(await stateOf(rejected)).toEqual({ state: 'REJECTED', notifications: 1 });

    const approved = await heldByBoth(25_000);
    await sendCallback(t.server, decidedEvent(approved, 'APPROVED'), { provider: 'http', secret: HTTP_SECRET });
    const decision = await analystCall(t.server, 'POST', `/transactions/${approved}/decision`, { token: ANALYSTS.alice, body: { status: 'APPROVED', reason: 'Known supplier, invoice seen' } });
    expect(decision.status).toBe(200);
    expect(await stateOf(approved)).toEqual({ state: 'APPROVED', notifications: 1 });
  });
});
