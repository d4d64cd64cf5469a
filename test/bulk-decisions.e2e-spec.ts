// Bulk decisions over HTTP: mixed outcomes in one request, each under a single decision's rules, and each final one reaching a fake Toqio once.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('bulk decisions', () => {
  let t: TestApp;
  const toqio = new FakeToqioWebhook();

  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({
      env: { ANALYST_TOKENS, TOQIO_WEBHOOK_URL: toqio.url, FOUR_EYES_THRESHOLD: '50000', FOUR_EYES_SECOND_ROLE: 'supervisor', NOTIFICATION_POLL_MS: '100' },
    });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  async function held(amount = 12_000): Promise<string> {
    const transactionId = `bulk-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount, currency: 'GBP' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }

  const bulk = (analyst: keyof typeof ANALYSTS, items: unknown) => analystCall(t.server, 'POST', '/transactions/decisions', { token: ANALYSTS[analyst], body: { items } });

  it('answers each item with its own outcome, and tells Toqio of each final decision once', async () => {
    const [rejected, approved, large, decided, claimed, approvedOnce] = [await held(), await held(), await held(75_000), await held(), await held(), await held(75_000)];
    expect((await decide(t.server, decided, 'bob', 'APPROVED')).status).toBe(200);
    expect((await analystCall(t.server, 'POST', `/transactions/${claimed}/claim`, { token: ANALYSTS.bob })).status).toBe(200);
    expect((await decide(t.server, approvedOnce, 'bob', 'APPROVED')).status).toBe(202);
    const missing = `bulk-missing-${randomUUID()}`;

    const call = await bulk('alice', [
      { transactionId: rejected, status: 'REJECTED', reason: 'No invoice' },
      { transactionId: approved, status: 'APPROVED', reason: '  Invoice matches  ' },
      { transactionId: large, status: 'APPROVED', reason: 'Large, looks right' },
      { transactionId: decided, status: 'REJECTED', reason: 'Too late' },
      { transactionId: missing, status: 'APPROVED', reason: 'Who?' },
      { transactionId: claimed, status: 'REJECTED', reason: "Bob's case" },
      { transactionId: approvedOnce, status: 'APPROVED', reason: 'Second approval' },
      { transactionId: rejected, status: 'APPROVED', reason: 'Changed my mind' },
    ]);

    expect(call.status).toBe(200);
    expect(call.body.results.map((r: { transactionId: string; outcome: string }) => [r.transactionId, r.outcome])).toEqual([
      [rejected, 'DECIDED'],
      [approved, 'DECIDED'],
      [large, 'AWAITING_SECOND_APPROVAL'],
      [decided, 'CONFLICT'],
      [missing, 'NOT_FOUND'],
      [claimed, 'CONFLICT'],
      [approvedOnce, 'FORBIDDEN'],
      [rejected, 'CONFLICT'],
    ]);
    expect(call.body.results.every((r: { detail: string }) => typeof r.detail === 'string' && r.detail.length > 0)).toBe(true);

    await toqio.waitFor((fake) => [rejected, approved].every((id) => fake.received.some((r) => r.body.transactionId === id)));
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second delivery
    expect(toqio.received.filter((r) => [rejected, approved].includes(r.body.transactionId as string)).map((r) => [r.body.transactionId, r.body.status, r.body.reason, r.body.decidedBy])).toEqual(
      expect.arrayContaining([
        [rejected, 'REJECTED', 'No invoice', 'alice'],
        [approved, 'APPROVED', 'Invoice matches', 'alice'],
      ]),
    );
    expect(toqio.received.filter((r) => [rejected, approved].includes(r.body.transactionId as string))).toHaveLength(2);
    expect(toqio.received.some((r) => [large, claimed, approvedOnce, missing].includes(r.body.transactionId as string))).toBe(false);
    const claimedDetail = await analystCall(t.server, 'GET', `/transactions/${claimed}`, { token: ANALYSTS.vic });
    expect(claimedDetail.body).toMatchObject({ status: 'PENDING_EXTERNAL_APPROVAL', decisions: [expect.anything()] });
  });

  it("lets a supervisor decide a case claimed by someone else, and give a supervised second approval", async () => {
    const [claimed, large] = [await held(), await held(75_000)];
    expect((await analystCall(t.server, 'POST', `/transactions/${claimed}/claim`, { token: ANALYSTS.bob })).status).toBe(200);
    expect((await decide(t.server, large, 'alice', 'APPROVED')).status).toBe(202);

    const call = await bulk('sue', [
      { transactionId: claimed, status: 'REJECTED', reason: 'Supervisor decides' },
      { transactionId: large, status: 'APPROVED', reason: 'Second approval by a supervisor' },
    ]);

    expect(call.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['DECIDED', 'DECIDED']);
  });

  it('takes a hundred items with long reasons in another script, sent escaped as JSON writers do by default', async () => {
    const ids = await Promise.all(Array.from({ length: 100 }, () => held()));
    const items = ids.map((transactionId) => ({ transactionId, status: 'REJECTED', reason: 'Ж'.repeat(1_000) }));
    const escaped = JSON.stringify({ items }).replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(Buffer.byteLength(escaped)).toBeGreaterThan(512 * 1024);
    const answer = await analystCall(t.server, 'POST', '/transactions/decisions', { token: ANALYSTS.alice, body: escaped });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((result: { outcome: string }) => result.outcome)).toEqual(ids.map(() => 'DECIDED'));
  });

  it('refuses a viewer with 403 before reading the body, and decides nothing', async () => {
    const transactionId = await held();
    const call = await bulk('vic', [{ transactionId, status: 'REJECTED', reason: 'viewer' }]);
    expect(call).toMatchObject({ status: 403, body: { status: 403 } });
    expect((await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.vic })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
  });

  it.each([
    ['no items', [], 'items'],
    ['101 items', Array.from({ length: 101 }, (_, i) => ({ transactionId: `x-${i}`, status: 'APPROVED', reason: 'r' })), 'items'],
    ['items not an array', { transactionId: 'x' }, 'items'],
    ['a blank reason', [{ transactionId: 'x', status: 'APPROVED', reason: 'ok' }, { transactionId: 'y', status: 'APPROVED', reason: '   ' }], 'items[1].reason'],
    ['a bad status', [{ transactionId: 'x', status: 'PENDING_EXTERNAL_APPROVAL', reason: 'r' }], 'items[0].status'],
    ['a control character in an id', [{ transactionId: 'a\u0007b', status: 'APPROVED', reason: 'r' }], 'items[0].transactionId'],
    ['an unknown field', [{ transactionId: 'x', status: 'APPROVED', reason: 'r', amount: 5 }], 'items[0].amount'],
    ['an item that is not an object', ['x'], 'items[0]'],
  ])('refuses %s with 400, deciding nothing', async (_label, items, field) => {
    const transactionId = await held();
    const all = Array.isArray(items) && items.length > 0 && items.length <= 100 ? [{ transactionId, status: 'REJECTED', reason: 'valid' }, ...items] : items;
    const call = await bulk('alice', all);
    expect(call).toMatchObject({ status: 400, body: { status: 400 } });
    expect(call.contentType).toMatch(/^application\/problem\+json/);
    const fields = (call.body.errors as { field: string }[]).map((error) => error.field.replace(/^items\[(\d+)\]/, (_m, i) => `items[${Array.isArray(all) && all !== items ? Number(i) - 1 : i}]`));
    expect(fields).toContain(field);
    expect((await analystCall(t.server, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.vic })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
  });
});
