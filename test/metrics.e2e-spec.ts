// GET /metrics: Prometheus text with process figures, the review queue and the outbox.
import { randomUUID } from 'node:crypto';
import { httpCall } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { PENDING_SLA_MINUTES: '30' } });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const response = await httpCall(t.server, 'GET', '/metrics');
    return { status: response.status, contentType: response.headers.get('content-type'), text: response.text };
  };
  const sample = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

  it('serves the Prometheus text format with process metrics', async () => {
    const { status, contentType, text } = await scrape();
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts pending and overdue transactions, and the undelivered notifications', async () => {
    const before = await scrape();
    const held = `m-${randomUUID()}`;
    await postValidate(t.server, { transactionId: held, amount: 20_000, currency: 'EUR' });
    await postValidate(t.server, { transactionId: `m-${randomUUID()}`, amount: 20_000, currency: 'EUR' });
    await t.db.query("UPDATE review_cases SET opened_at = now() - interval '2 hours' WHERE transaction_id = $1", [held]);

    const after = await scrape();

    expect(sample(after.text, 'tm_review_pending') - sample(before.text, 'tm_review_pending')).toBe(2);
    expect(sample(after.text, 'tm_review_overdue') - sample(before.text, 'tm_review_overdue')).toBe(1);
    // Without TOQIO_WEBHOOK_URL nothing is delivered: the backlog is visible, not hidden.
    expect(sample(after.text, 'tm_notifications_queued')).toBe(0);
    expect(sample(after.text, 'tm_notifications_dead')).toBe(0);
  });
});
