// What operators and attackers see: metrics of the request path, request ids, headers, body and rate limits.
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { httpCall, HttpTarget } from './support/http';
import { decidedEvent, sendCallback } from './support/signed-callback';
import { API_KEY, postValidate, startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/waiting';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const FORGED = `whsec_${randomBytes(32).toString('base64')}`;

async function scrape(target: HttpTarget): Promise<string> {
  const response = await httpCall(target, 'GET', '/metrics');
  expect(response.status).toBe(200);
  return response.text;
}

/** The value of one sample, e.g. sample(text, 'tm_decisions_total{source="analyst",status="REJECTED"}'); 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('operations: metrics, request ids, security headers and limits', () => {
  let t: TestApp;
  const toqio = new FakeToqioWebhook();

  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        TOQIO_WEBHOOK_URL: toqio.url,
        MONITORING_WEBHOOK_SECRET: SECRET,
        NOTIFICATION_POLL_MS: '50',
        TRUST_PROXY: '127.0.0.1',
        ANALYST_RATE_LIMIT_PER_MINUTE: '40',
        WEBHOOK_RATE_LIMIT_PER_MINUTE: '20',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  it('counts validate answers by code and decision, replays, and decisions by source', async () => {
    const before = await scrape(t.server);
    const approved = `ops-${randomUUID()}`;
    const held = `ops-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId: approved, amount: 10, currency: 'EUR' })).body.status).toBe('APPROVED');
    expect((await postValidate(t.server, { transactionId: approved, amount: 10, currency: 'EUR' })).body.status).toBe('APPROVED');
    expect((await postValidate(t.server, { transactionId: held, amount: 20_000, currency: 'EUR' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect((await postValidate(t.server, { transactionId: 'x', amount: -1, currency: 'EUR' })).status).toBe(400);
    expect((await postValidate(t.server, { transactionId: 'x', amount: 1, currency: 'EUR' }, { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await decide(t.server, held, 'alice', 'REJECTED')).status).toBe(200);
    await toqio.waitFor((fake) => fake.received.some((r) => r.body.transactionId === held));
    // Toqio has the request before the service has its answer: the attempt is counted a moment later.
    const attempts = (text: string) => sample(text, 'tm_notification_attempts_total{outcome="DELIVERED"}');
    await eventually('the delivery attempt is counted', async () => attempts(await scrape(t.server)) > attempts(before), 5_000);

    const after = await scrape(t.server);
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('tm_validate_duration_seconds_count{code="200",status="APPROVED"}')).toBe(2);
    expect(delta('tm_validate_duration_seconds_count{code="200",status="PENDING_EXTERNAL_APPROVAL"}')).toBe(1);
    expect(delta('tm_validate_duration_seconds_count{code="400",status="none"}')).toBe(1);
    expect(delta('tm_validate_duration_seconds_count{code="401",status="none"}')).toBe(1);
    expect(delta('tm_validate_replays_total')).toBe(1);
    expect(delta('tm_decisions_total{source="provider",status="APPROVED"}')).toBe(1);
    expect(delta('tm_decisions_total{source="provider",status="PENDING_EXTERNAL_APPROVAL"}')).toBe(1);
    expect(delta('tm_decisions_total{source="analyst",status="REJECTED"}')).toBe(1);
    expect(delta('tm_notification_attempts_total{outcome="DELIVERED"}')).toBe(1);
    // Scrape-time figures: the pool and the process.
    expect(sample(after, 'tm_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(after).toMatch(/^tm_db_pool_connections\{state="waiting"\} \d+$/m);
    expect(sample(after, 'tm_db_pool_max_connections')).toBe(t.config.database.poolSize);
    expect(after).toMatch(/^process_cpu_seconds_total \S+$/m);
    // No label carries an id a caller chose.
    expect(after).not.toContain(approved);
  });

  it('counts provider callbacks by outcome, and a provider decision by source', async () => {
    const held = `ops-${randomUUID()}`;
    await postValidate(t.server, { transactionId: held, amount: 20_000, currency: 'EUR' });
    const before = await scrape(t.server);
    const forwarded = { 'x-forwarded-for': '198.51.100.20' };

    expect((await sendCallback(t.server, decidedEvent(held, 'APPROVED'), { secret: SECRET, id: 'evt-1', headers: forwarded })).status).toBe(200);
    expect((await sendCallback(t.server, decidedEvent(held, 'APPROVED'), { secret: SECRET, id: 'evt-1', headers: forwarded })).body.outcome).toBe('DUPLICATE');
    expect((await sendCallback(t.server, decidedEvent(held, 'REJECTED'), { secret: FORGED, headers: forwarded })).status).toBe(401);
    expect((await sendCallback(t.server, { type: 'something.else' }, { secret: SECRET, headers: forwarded })).status).toBe(400);
    expect((await sendCallback(t.server, decidedEvent(held, 'APPROVED'), { secret: SECRET, provider: `nobody-${randomUUID()}`, headers: forwarded })).status).toBe(404);

    const after = await scrape(t.server);
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('tm_webhook_events_total{provider="rules",outcome="accepted"}')).toBe(1);
    expect(delta('tm_webhook_events_total{provider="rules",outcome="duplicate"}')).toBe(1);
    expect(delta('tm_webhook_events_total{provider="rules",outcome="bad_signature"}')).toBe(1);
    expect(delta('tm_webhook_events_total{provider="rules",outcome="malformed"}')).toBe(1);
    // A made-up provider name never becomes a label of its own.
    expect(delta('tm_webhook_events_total{provider="unknown",outcome="unknown_provider"}')).toBe(1);
    expect(after).not.toContain('nobody-');
    expect(delta('tm_decisions_total{source="provider",status="APPROVED"}')).toBe(1);
  });

  it("echoes the caller's request id, or a generated one when it has none or an unusable one", async () => {
    const given = await httpCall(t.server, 'GET', '/health/live', { headers: { 'x-request-id': 'toqio-req-42' } });
    expect(given.headers.get('x-request-id')).toBe('toqio-req-42');
    const none = await httpCall(t.server, 'GET', '/health/live');
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const forged = await httpCall(t.server, 'GET', '/health/live', { headers: { 'x-request-id': `a b ${'x'.repeat(200)}` } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers everywhere, never x-powered-by, and keeps the docs UI loadable under its policy', async () => {
    const validate = await httpCall(t.server, 'POST', '/transaction/validate', { headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: '{}' });
    const docs = await httpCall(t.server, 'GET', '/docs');
    for (const response of [validate, docs]) {
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const policy = docs.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    // The UI page uses only same-origin scripts (no inline ones), which that policy allows.
    const html = docs.text;
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\/docs\//);
      expect(body!.trim()).toBe('');
    }
    for (const [, src] of html.matchAll(/src="\.\/(docs\/[^"]+)"/g)) expect((await httpCall(t.server, 'GET', `/${src}`)).status).toBe(200);
  });

  it('limits bodies per route: 100 KiB on validate, 16 KiB on an analyst decision, 260 KiB on webhooks', async () => {
    const padded = (bytes: number) => JSON.stringify({ transactionId: `ops-${randomUUID()}`, amount: 1, currency: 'EUR', note: 'x'.repeat(bytes) });
    expect((await postValidate(t.server, padded(100 * 1024))).status).toBe(413);
    expect((await postValidate(t.server, padded(99 * 1024))).status).toBe(200);

    const tooLong = await analystCall(t.server, 'POST', '/transactions/any/decision', { token: ANALYSTS.alice, body: { status: 'APPROVED', reason: 'x'.repeat(17 * 1024) } });
    expect(tooLong.status).toBe(413);
    expect(tooLong.contentType).toMatch(/^application\/problem\+json/);

    const webhook = (bytes: number) =>
      httpCall(t.server, 'POST', '/webhooks/monitoring/rules', {
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.30', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
        body: JSON.stringify({ type: 'transaction.decided', padding: 'x'.repeat(bytes) }),
      });
    // Past the body limit (badly signed, so 401), not stopped at 100 KiB...
    expect((await webhook(200 * 1024)).status).toBe(401);
    // ...but stopped above 260 KiB.
    expect((await webhook(300 * 1024)).status).toBe(413);
  });

  it('rate limits the analyst API per client, never validate, and answers 429 as problem+json with Retry-After', async () => {
    const client = { 'x-forwarded-for': '203.0.113.50' };
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1) {
      const response = await httpCall(t.server, 'GET', '/transactions?limit=1', { headers: { authorization: `Bearer ${ANALYSTS.bob}`, ...client } });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(response.body).toMatchObject({ status: 429, type: 'https://toqio-tm.dev/problems/rate-limited', title: 'Too many requests' });
      }
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
    expect(statuses.slice(40)).toEqual([429, 429, 429, 429, 429]);
    // The whole analyst API shares that client's budget...
    expect((await httpCall(t.server, 'POST', `/notifications/${randomUUID()}/redeliver`, { headers: { authorization: `Bearer ${ANALYSTS.bob}`, ...client } })).status).toBe(429);
    for (const path of ['/reconciliation?from=2026-01-01&to=2026-01-02', '/reconciliation/daily', '/payment-events']) {
      expect([path, (await httpCall(t.server, 'GET', path, { headers: { authorization: `Bearer ${ANALYSTS.bob}`, ...client } })).status]).toEqual([path, 429]);
    }
    // ...another client has its own...
    expect((await httpCall(t.server, 'GET', '/transactions?limit=1', { headers: { authorization: `Bearer ${ANALYSTS.bob}`, 'x-forwarded-for': '203.0.113.51' } })).status).toBe(200);
    // ...and validate is never limited, from the same client.
    const validations = await Promise.all(
      Array.from({ length: 60 }, () => postValidate(t.server, { transactionId: `ops-${randomUUID()}`, amount: 5, currency: 'EUR' }, client)),
    );
    expect(validations.map((v) => v.status)).toEqual(Array(60).fill(200));
    const metrics = await scrape(t.server);
    expect(sample(metrics, 'tm_http_rate_limited_total{group="analyst"}')).toBeGreaterThanOrEqual(6);
  });
});

describe('METRICS_ENABLED=false', () => {
  it('serves no /metrics', async () => {
    const t = await startTestApp({ env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await httpCall(t.server, 'GET', '/metrics')).status).toBe(404);
      expect((await postValidate(t.server, { transactionId: `ops-${randomUUID()}`, amount: 5, currency: 'EUR' })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
