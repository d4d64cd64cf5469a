// Fault (e): a flood of forged provider callbacks; none is believed, the real provider still gets through.
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { inParallel } from '../support/waiting';
import { decidedEvent, sendCallback } from '../support/signed-callback';
import { postValidate, startTestApp, TestApp } from '../support/test-app';
import { checkConsistency, countBy, report } from './support/fault-kit';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const FORGERS_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const HELD = 60;
const FORGED = 3_000;
const FORGER_ADDRESSES = 10;
const PER_MINUTE = 100;
/** The provider's own address, as the load balancer (TRUST_PROXY) reports it. */
const PROVIDER_ADDRESS = '198.51.100.7';

type Forgery = (transactionId: string) => { body: unknown; secret: string; headers?: Record<string, string> };

/** Ways to forge: another key, no signature, a stale timestamp, a real signature over other bytes. */
const FORGERIES: Forgery[] = [
  (id) => ({ body: decidedEvent(id, 'APPROVED'), secret: FORGERS_SECRET }),
  (id) => ({ body: decidedEvent(id, 'APPROVED'), secret: SECRET, headers: { 'webhook-signature': '' } }),
  (id) => ({ body: decidedEvent(id, 'APPROVED'), secret: SECRET, headers: { 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) } }),
  (id) => {
    // A signature the provider really made, replayed over a changed body.
    const genuine = JSON.stringify(decidedEvent(id, 'REJECTED'));
    const at = new Date();
    return {
      body: decidedEvent(id, 'APPROVED'),
      secret: SECRET,
      headers: { 'webhook-id': 'msg_replayed', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign('msg_replayed', at, genuine) },
    };
  },
];

describe('fault: a flood of forged webhooks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { MONITORING_WEBHOOK_SECRET: SECRET, TRUST_PROXY: '127.0.0.1', WEBHOOK_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) },
    });
  });
  afterAll(() => t.close());

  it('refuses every forgery, stores nothing of them, and accepts every genuine callback meanwhile', async () => {
    const held = Array.from({ length: HELD }, (_, n) => `forge-${randomUUID().slice(0, 8)}-${n}`);
    await inParallel(held, 8, async (transactionId) => {
      expect((await postValidate(t.baseUrl, { transactionId, amount: 30_000, currency: 'EUR' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    });

    const forgedStatuses: number[] = [];
    const genuine: { id: string; status: number; outcome?: string }[] = [];
    const started = Date.now();
    await Promise.all([
      inParallel(
        Array.from({ length: FORGED }, (_, n) => n),
        24,
        async (n) => {
          const forgery = FORGERIES[n % FORGERIES.length]!(held[n % HELD]!);
          const answer = await sendCallback(t.baseUrl, forgery.body, {
            secret: forgery.secret,
            headers: { 'x-forwarded-for': `203.0.113.${n % FORGER_ADDRESSES}`, ...forgery.headers },
          });
          forgedStatuses.push(answer.status);
        },
      ),
      // The real provider decides each held transaction once, during the flood.
      inParallel(held, 2, async (transactionId) => {
        const answer = await sendCallback(t.baseUrl, decidedEvent(transactionId, 'REJECTED', ['Sanctions hit confirmed']), {
          secret: SECRET,
          headers: { 'x-forwarded-for': PROVIDER_ADDRESS },
        });
        genuine.push({ id: transactionId, status: answer.status, outcome: answer.body.outcome });
      }),
    ]);
    const floodMs = Date.now() - started;

    expect(forgedStatuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(genuine.filter((g) => g.status !== 200 || g.outcome !== 'APPLIED')).toEqual([]);

    // Only the genuine decisions are recorded: one provider entry and one callback receipt each.
    const entries = await t.db.query<{ transaction_id: string; status: string }>(`SELECT transaction_id, status FROM transaction_decisions WHERE source = 'PROVIDER' AND status <> 'PENDING_EXTERNAL_APPROVAL'`);
    expect(entries).toHaveLength(HELD);
    expect(entries.every((entry) => entry.status === 'REJECTED')).toBe(true);
    const receipts = await t.db.query<{ event_id: string }>('SELECT event_id FROM monitoring_callbacks');
    expect(receipts).toHaveLength(HELD);
    expect(receipts.some((receipt) => receipt.event_id === 'msg_replayed')).toBe(false);
    const consistency = await checkConsistency(t.db.url);
    expect(consistency.problems).toEqual([]);

    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    const counter = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    const refused401 = forgedStatuses.filter((status) => status === 401).length;
    expect(counter('tm_webhook_events_total{provider="rules",outcome="bad_signature"}')).toBe(refused401);
    expect(counter('tm_webhook_events_total{provider="rules",outcome="accepted"}')).toBe(HELD);
    // Each forging address gets its minute's budget, then 429s; the provider's address never does.
    expect(forgedStatuses.filter((status) => status === 429).length).toBe(FORGED - FORGER_ADDRESSES * PER_MINUTE);
    expect(counter('tm_http_rate_limited_total{group="webhook"}')).toBe(FORGED - FORGER_ADDRESSES * PER_MINUTE);

    report('forged-webhooks', {
      forged: FORGED,
      forgerAddresses: FORGER_ADDRESSES,
      limitPerMinutePerAddress: PER_MINUTE,
      forgedStatuses: countBy(forgedStatuses, (status) => status),
      forgedAccepted: forgedStatuses.filter((status) => status < 300).length,
      genuine: genuine.length,
      genuineApplied: genuine.filter((g) => g.outcome === 'APPLIED').length,
      floodMs,
      providerDecisionsStored: entries.length,
      receiptsStored: receipts.length,
      badSignatureMetric: counter('tm_webhook_events_total{provider="rules",outcome="bad_signature"}'),
      rateLimitedMetric: counter('tm_http_rate_limited_total{group="webhook"}'),
      halfWritten: consistency.problems.length,
    });
  });
});
