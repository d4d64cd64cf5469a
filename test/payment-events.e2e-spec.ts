// Verified payment events are always kept: those that cannot be read as UNPARSED, listed by GET /payment-events with their outcome.
import { randomUUID } from 'node:crypto';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { chargeSuccess, deliver, SECRET } from './support/paystack-events';
import { startTestApp, TestApp } from './support/test-app';

describe('stored payment events', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { PAYSTACK_SECRET_KEY: SECRET, ANALYST_TOKENS } });
  });
  afterAll(() => t.close());

  const list = (query: string, token: string = ANALYSTS.vic) => analystCall(t.server, 'GET', `/payment-events${query}`, { token });
  const unparsedCount = async () => Number(/^tm_webhook_events_total\{provider="paystack",outcome="unparsed"\} (\d+)$/m.exec((await httpCall(t.server, 'GET', '/metrics')).text)?.[1] ?? 0);

  it('answers 200 for the events of the issue that were refused with 400, and keeps them as UNPARSED with the reason', async () => {
    const before = await unparsedCount();
    const refund = { event: 'refund.processed', data: { transaction_id: randomUUID(), amount: 5000, currency: 'NGN', status: 'success' } };
    const transfer = { event: 'transfer.success', data: { transaction_id: randomUUID(), amount: 5000, currency: 'NGN', status: 'success' } };
    const answers = [await deliver(t.server, refund), await deliver(t.server, transfer)];
    expect(answers.map((a) => [a.status, a.body.unparsed])).toEqual([
      [200, 'data.id is required: a whole number, or text of 1 to 200 characters'],
      [200, 'data.transfer_code is required'],
    ]);
    expect(await unparsedCount()).toBe(before + 2);

    const page = await list('?provider=paystack&outcome=UNPARSED&limit=200');
    expect(page.status).toBe(200);
    const mine = page.body.items.filter((item: { id: string }) => answers.some((a) => a.body.eventId === item.id));
    expect(mine).toEqual([
      expect.objectContaining({ provider: 'paystack', eventType: 'transfer.success', outcome: 'UNPARSED', reason: 'data.transfer_code is required', payload: transfer, amount: null }),
      expect.objectContaining({ provider: 'paystack', eventType: 'refund.processed', outcome: 'UNPARSED', reason: 'data.id is required: a whole number, or text of 1 to 200 characters', payload: refund }),
    ]);
    // A redelivery is a duplicate of the event kept, and not counted again as unparsed.
    expect((await deliver(t.server, refund)).body).toEqual(expect.objectContaining({ duplicate: true, eventId: answers[0]!.body.eventId }));
    expect(await unparsedCount()).toBe(before + 2);
  });

  it('keeps a signed document PostgreSQL cannot hold as JSON, base64 of its text', async () => {
    // A NUL alone would be read without it; nesting past 32 levels cannot be, so the whole text is kept.
    let deep: unknown = `nul\u0000here ${randomUUID()}`;
    for (let level = 0; level < 40; level += 1) deep = { a: deep };
    const text = JSON.stringify({ event: 'charge.success', data: { note: deep } });
    const call = await deliver(t.server, text);
    expect(call.status).toBe(200);
    expect(call.body.unparsed).toMatch(/deeper than 32/);
    const [kept] = await t.db.query<{ payload: { base64: string }; event_type: string }>(`SELECT payload, event_type FROM payment_events WHERE id = $1`, [call.body.eventId]);
    expect(Buffer.from(kept!.payload.base64, 'base64').toString('utf8')).toBe(text);
    expect(kept!.event_type).toBe('charge.success');
  });

  it('lists every outcome, newest first, pages with a cursor and filters by time', async () => {
    const start = new Date(Date.now() - 1000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await deliver(t.server, chargeSuccess(`pe-${randomUUID()}`, 10_000))).body.eventId);
    const first = await list(`?provider=paystack&outcome=FOLLOW_UP&from=${start}&limit=2`);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.items[0]).toEqual(expect.objectContaining({ outcome: 'FOLLOW_UP', amount: '100', currency: 'NGN', reason: null, receivedAt: expect.stringMatching(/\.\d{6}Z$/) }));
    const second = await list(`?provider=paystack&outcome=FOLLOW_UP&from=${start}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await list(`?provider=paystack&to=${start}&limit=200`)).body.items.map((item: { id: string }) => item.id)).not.toContain(ids[0]);
    expect((await list('?provider=payto')).body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['?outcome=PARSED', 'outcome'],
    ['?provider=Pay%20Stack', 'provider'],
    ['?from=yesterday', 'from'],
    ['?from=2026-12-02&to=2026-12-01', 'to'],
    // Strict ISO 8601 forms that JavaScript's Date cannot read.
    ['?from=2026-W48', 'from'],
    ['?from=2026-334', 'from'],
    ['?from=20261130', 'from'],
    ['?to=2026-11-30T10:00:00,5Z', 'to'],
    ['?from=2026-11-01&to=2026-W48', 'to'],
    ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['?limit=0', 'limit'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const call = await list(query);
    expect(call.status).toBe(400);
    expect(call.body.errors).toEqual([expect.objectContaining({ field })]);
  });

  it('needs an analyst token', async () => {
    expect((await analystCall(t.server, 'GET', '/payment-events')).status).toBe(401);
  });
});
