// Analysts deciding held transactions over real HTTP, and each final decision reaching a fake Toqio.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { API_KEY, postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

describe('analyst decisions', () => {
  let t: TestApp;
  const toqio = new FakeToqioWebhook();

  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({
      env: { ANALYST_TOKENS, TOQIO_WEBHOOK_URL: toqio.url, FOUR_EYES_THRESHOLD: '50000', PENDING_SLA_MINUTES: '30', NOTIFICATION_POLL_MS: '100' },
    });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  /** A payment the shipped rules hold for review (10,000 or more). */
  async function held(amount: number | string = 12_000): Promise<string> {
    const transactionId = `held-${randomUUID()}`;
    const call = await postValidate(t.server, { transactionId, amount, currency: 'GBP', beneficiary: { name: 'Ada', country: 'GB' } });
    expect(call.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }

  it('delivers an approval to Toqio exactly once, with the key, an idempotency key and the contract body', async () => {
    const transactionId = await held();

    const call = await decide(t.server, transactionId, 'alice', 'APPROVED', 'Invoice matches; customer confirmed by phone');

    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ transactionId, status: 'APPROVED', reasons: ['Invoice matches; customer confirmed by phone'] });
    const notification = call.body.notifications[0];
    await toqio.waitFor((fake) => fake.received.some((r) => r.body.transactionId === transactionId));
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second delivery
    const received = toqio.received.filter((r) => r.body.transactionId === transactionId);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers).toMatchObject({ 'x-api-key': API_KEY, 'content-type': 'application/json', 'idempotency-key': notification.id });
    expect(received[0]!.body).toEqual({
      transactionId,
      status: 'APPROVED',
      reason: 'Invoice matches; customer confirmed by phone',
      decidedBy: 'alice',
      decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    // The fake counts a delivery before answering it; the service records it once answered.
    const detail = await readUntil(() => analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.bob }), (d) => d.body.notifications[0]?.state === 'DELIVERED');
    expect(detail.body.notifications).toEqual([
      expect.objectContaining({ id: notification.id, state: 'DELIVERED', attempts: [expect.objectContaining({ attempt: 1, outcome: 'DELIVERED', httpStatus: 200 })] }),
    ]);
    expect(detail.body.decisions.map((d: { status: string; source: string; decidedBy: string }) => [d.status, d.source, d.decidedBy])).toEqual([
      ['PENDING_EXTERNAL_APPROVAL', 'PROVIDER', 'rules'],
      ['APPROVED', 'ANALYST', 'alice'],
    ]);
  });

  it('shows the full transaction: exact payload, verdict, review and hash-chained history', async () => {
    const transactionId = `detail-${randomUUID()}`;
    await postValidate(t.server, `{"transactionId":"${transactionId}","amount":12000.123456789012345678,"currency":"GBP","extra":{"n":0.1234567890123456789}}`);

    const call = await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice });

    expect(call.status).toBe(200);
    expect(call.contentType).toMatch(/^application\/json/);
    expect(call.body).toMatchObject({
      transactionId,
      direction: 'OUTBOUND',
      status: 'PENDING_EXTERNAL_APPROVAL',
      amount: '12000.123456789012345678',
      currency: 'GBP',
      screening: { provider: 'rules', outcome: 'DECIDED', providerStatus: 'PENDING_EXTERNAL_APPROVAL' },
      review: { overdue: false, firstApproval: null, decidedAt: null },
      notifications: [],
    });
    expect(call.body.decisions).toEqual([expect.objectContaining({ sequence: 1, final: false, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    const raw = (await request(t.server).get(`/transactions/${transactionId}`).set('authorization', `Bearer ${ANALYSTS.alice}`)).text;
    expect(raw).toContain('0.1234567890123456789');
  });

  it('refuses a decision on a transaction that is no longer pending, and changes nothing', async () => {
    const transactionId = await held();
    expect((await decide(t.server, transactionId, 'alice', 'REJECTED')).status).toBe(200);

    const again = await decide(t.server, transactionId, 'bob', 'APPROVED');

    expect(again).toMatchObject({ status: 409, body: { status: 409, title: 'Transaction no longer pending' } });
    expect(again.contentType).toMatch(/^application\/problem\+json/);
    const [row] = await t.db.query<{ state: string; decisions: number; notifications: number }>(
      `SELECT state, (SELECT count(*)::int FROM transaction_decisions WHERE transaction_id = $1) AS decisions,
              (SELECT count(*)::int FROM toqio_notifications WHERE transaction_id = $1) AS notifications
         FROM transactions WHERE id = $1`,
      [transactionId],
    );
    expect(row).toEqual({ state: 'REJECTED', decisions: 2, notifications: 1 });
  });

  it('answers a decision its analyst sends again as the first time, and records and sends nothing twice', async () => {
    const transactionId = await held();
    const first = await decide(t.server, transactionId, 'alice', 'REJECTED', 'mule account');
    expect(first.status).toBe(200);

    const again = await decide(t.server, transactionId, 'alice', 'REJECTED', ' mule account ');

    // The transaction as it is now (its notification may have been delivered meanwhile), with the one decision.
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ transactionId, status: 'REJECTED' });
    expect(again.body.decisions).toEqual(first.body.decisions);
    const otherReason = await decide(t.server, transactionId, 'alice', 'REJECTED', 'mule account, confirmed');
    expect(otherReason).toMatchObject({ status: 409, body: { title: 'Transaction no longer pending' } });
    const [row] = await t.db.query<{ decisions: number; notifications: number }>(
      `SELECT (SELECT count(*)::int FROM transaction_decisions WHERE transaction_id = $1) AS decisions,
              (SELECT count(*)::int FROM toqio_notifications WHERE transaction_id = $1) AS notifications`,
      [transactionId],
    );
    expect(row).toEqual({ decisions: 2, notifications: 1 });
  });

  it('refuses to decide a transaction that was approved at validate', async () => {
    const transactionId = `auto-${randomUUID()}`;
    await postValidate(t.server, { transactionId, amount: 10, currency: 'GBP' });
    expect((await decide(t.server, transactionId, 'alice', 'REJECTED')).status).toBe(409);
  });

  it('gives exactly one of several analysts deciding at once the decision; the others get 409', async () => {
    const transactionId = await held();

    const calls = await Promise.all([
      decide(t.server, transactionId, 'alice', 'APPROVED'),
      decide(t.server, transactionId, 'bob', 'REJECTED'),
      decide(t.server, transactionId, 'carol', 'APPROVED'),
      decide(t.server, transactionId, 'bob', 'APPROVED'),
    ]);

    expect(calls.map((call) => call.status).sort()).toEqual([200, 409, 409, 409]);
    const [{ count }] = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM toqio_notifications WHERE transaction_id = $1', [transactionId]);
    expect(count).toBe(1);
  });

  describe('four-eyes at or above FOUR_EYES_THRESHOLD', () => {
    it('needs a second, different analyst to approve', async () => {
      const transactionId = await held('50000.00');

      const first = await decide(t.server, transactionId, 'alice', 'APPROVED', 'first look fine');
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', review: { firstApproval: { by: 'alice' } }, notifications: [] });

      const same = await decide(t.server, transactionId, 'alice', 'APPROVED');
      expect(same).toMatchObject({ status: 409, body: { detail: expect.stringContaining('different analyst') } });
      // The first approval sent again, as a console retrying a lost answer would, is answered as before.
      const resent = await decide(t.server, transactionId, 'alice', 'APPROVED', 'first look fine');
      expect(resent).toMatchObject({ status: 202, body: { status: 'PENDING_EXTERNAL_APPROVAL', review: { firstApproval: { by: 'alice' } } } });
      expect(resent.body.decisions).toHaveLength(first.body.decisions.length);

      const queue = await analystCall(t.server, 'GET', '/transactions?status=PENDING_EXTERNAL_APPROVAL&limit=200', { token: ANALYSTS.bob });
      expect(queue.body.items.find((item: { transactionId: string }) => item.transactionId === transactionId)).toMatchObject({ firstApproval: { by: 'alice' } });

      const second = await decide(t.server, transactionId, 'bob', 'APPROVED', 'second look fine');
      expect(second).toMatchObject({ status: 200, body: { status: 'APPROVED' } });
      await toqio.waitFor((fake) => fake.received.some((r) => r.body.transactionId === transactionId));
      expect(toqio.received.find((r) => r.body.transactionId === transactionId)!.body).toMatchObject({
        status: 'APPROVED',
        decidedBy: 'alice, bob',
        reason: 'second look fine',
      });
    });

    it('lets one rejection suffice, even after a first approval', async () => {
      const transactionId = await held(60_000);
      expect((await decide(t.server, transactionId, 'alice', 'APPROVED')).status).toBe(202);
      expect((await decide(t.server, transactionId, 'carol', 'REJECTED', 'sanctions hit on the second check'))).toMatchObject({
        status: 200,
        body: { status: 'REJECTED' },
      });
      // Decided: no approval waits for a second one, in the queue's list as in the detail.
      const rejected = await analystCall(t.server, 'GET', '/transactions?status=REJECTED&limit=200', { token: ANALYSTS.bob });
      expect(rejected.body.items.find((item: { transactionId: string }) => item.transactionId === transactionId)).toMatchObject({ status: 'REJECTED', firstApproval: null });
    });

    it('lets one analyst approve below the threshold', async () => {
      const transactionId = await held('49999.99');
      expect((await decide(t.server, transactionId, 'carol', 'APPROVED')).status).toBe(200);
    });
  });

  describe('the review queue', () => {
    it('lists held transactions oldest first, page by page, without gaps or repeats', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) ids.push(await held());
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/transactions?status=PENDING_EXTERNAL_APPROVAL&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await analystCall(t.server, 'GET', query, { token: ANALYSTS.alice });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((item: { transactionId: string }) => item.transactionId));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);

      expect(new Set(seen).size).toBe(seen.length);
      const mine = seen.filter((id) => ids.includes(id));
      expect(mine).toEqual(ids);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('carries amount, currency, beneficiary, reasons, age and overdue marks', async () => {
      const transactionId = await held('12500.50');
      await t.db.query("UPDATE review_cases SET opened_at = now() - interval '31 minutes' WHERE transaction_id = $1", [transactionId]);

      const page = await analystCall(t.server, 'GET', '/transactions?status=PENDING_EXTERNAL_APPROVAL&limit=1', { token: ANALYSTS.alice });

      expect(page.body.items[0]).toMatchObject({
        transactionId,
        direction: 'OUTBOUND',
        amount: '12500.5',
        currency: 'GBP',
        beneficiary: { name: 'Ada', country: 'GB' },
        reasons: [expect.stringContaining('10000')],
        overdue: true,
        dueAt: expect.any(String),
      });
      const fresh = await analystCall(t.server, 'GET', `/transactions/${await held()}`, { token: ANALYSTS.alice });
      expect(fresh.body.review).toMatchObject({ overdue: false });
    });

    it('filters by status', async () => {
      const rejected = await held();
      await decide(t.server, rejected, 'alice', 'REJECTED');
      const page = await analystCall(t.server, 'GET', '/transactions?status=REJECTED&limit=200', { token: ANALYSTS.alice });
      expect(page.body.items.every((item: { status: string }) => item.status === 'REJECTED')).toBe(true);
      expect(page.body.items.map((item: { transactionId: string }) => item.transactionId)).toContain(rejected);
    });

    it.each([
      ['an unknown status', '?status=MAYBE', 'status'],
      ['a limit of 0', '?limit=0', 'limit'],
      ['a limit of 201', '?limit=201', 'limit'],
      ['a non-numeric limit', '?limit=ten', 'limit'],
      ['a forged cursor', '?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['a cursor with a date instead of a position', `?cursor=${Buffer.from('["2026-01-01","x"]').toString('base64url')}`, 'cursor'],
      ['an unknown parameter', '?colour=red', 'colour'],
    ])('answers 400 naming the field for %s', async (_case, query, field) => {
      const call = await analystCall(t.server, 'GET', `/transactions${query}`, { token: ANALYSTS.alice });
      expect(call.status).toBe(400);
      expect(call.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('authentication and bad input', () => {
    it.each([
      ['no token', undefined],
      ['a wrong token', 'not-a-token'],
      ["Toqio's API key", API_KEY],
    ])('answers 401 problem+json with %s', async (_case, token) => {
      const call = await analystCall(t.server, 'GET', '/transactions', { token });
      expect(call).toMatchObject({ status: 401, body: { status: 401 } });
      expect(call.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });

    it('answers 404 for an unknown transaction', async () => {
      expect((await analystCall(t.server, 'GET', '/transactions/nope', { token: ANALYSTS.alice })).status).toBe(404);
      expect((await decide(t.server, 'nope', 'alice', 'APPROVED')).status).toBe(404);
    });

    it.each([
      ['no reason', { status: 'APPROVED' }, 'reason'],
      ['an empty reason', { status: 'APPROVED', reason: '' }, 'reason'],
      ['a blank reason', { status: 'APPROVED', reason: '   ' }, 'reason'],
      ['a 1001-character reason', { status: 'APPROVED', reason: 'x'.repeat(1001) }, 'reason'],
      ['a pending status', { status: 'PENDING_EXTERNAL_APPROVAL', reason: 'wait' }, 'status'],
      ['an unknown field', { status: 'APPROVED', reason: 'ok', reasons: ['ok'] }, 'reasons'],
      // An own constructor hid the DTO's class from class-validator: every rule was skipped, or null made it throw.
      ['a constructor member and nothing else', { constructor: 'x' }, 'constructor'],
      ['a null constructor member', { constructor: null, status: 'APPROVED', reason: 'ok' }, 'constructor'],
      ['an inherited name the whitelist took as declared', { status: 'APPROVED', reason: 'ok', hasOwnProperty: null }, 'hasOwnProperty'],
    ])('answers 400 for %s and records nothing', async (_case, body, field) => {
      const transactionId = await held();
      const call = await analystCall(t.server, 'POST', `/transactions/${transactionId}/decision`, { token: ANALYSTS.alice, body });
      expect(call.status).toBe(400);
      expect(call.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const [{ count }] = await t.db.query<{ count: number }>('SELECT count(*)::int AS count FROM transaction_decisions WHERE transaction_id = $1', [transactionId]);
      expect(count).toBe(1);
    });

    it('finds a transaction whose id has the full 128 characters', async () => {
      const transactionId = 'L'.repeat(128);
      await postValidate(t.server, { transactionId, amount: 12_000, currency: 'GBP' });
      expect((await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.alice })).status).toBe(200);
    });

    it.each(['constructor=x', 'constructor=&limit=5000', 'limit=5000&constructor=x', '__proto__=a&__proto__=b', '__proto__=x&limit=5000', 'hasOwnProperty=1', 'isPrototypeOf=1&limit=5000'])('answers 400 for the query %s, which names a reserved member', async (query) => {
      const call = await analystCall(t.server, 'GET', `/transactions?${query}`, { token: ANALYSTS.alice });
      expect(call).toMatchObject({ status: 400, body: { status: 400 } });
      expect(call.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: [...new URLSearchParams(query).keys()].find((key) => key in Object.prototype) })]));
    });

    it.each(['%00', 'a%ED%A0%80b', 'x'.repeat(129)])('answers 400, not 500, for the path id %s', async (id) => {
      const call = await analystCall(t.server, 'GET', `/transactions/${id}`, { token: ANALYSTS.alice });
      expect(call.status).toBe(400);
    });
  });
});
