// Fault (d): Toqio's webhook refuses connections for the whole run; the backlog waits and then drains.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from '../fakes/fake-toqio-webhook';
import { ANALYST_TOKENS, decide } from '../support/analyst-api';
import { eventually, inParallel } from '../support/waiting';
import { API_KEY, postValidate, startTestApp, TestApp } from '../support/test-app';
import { checkConsistency, report, sleep } from './support/fault-kit';

const DECISIONS = 200;

describe("fault: Toqio's webhook is down for the whole run", () => {
  const toqio = new FakeToqioWebhook();
  let t: TestApp;

  beforeAll(async () => {
    // Learn a port, then close it: every delivery meets a refused connection.
    await toqio.start();
    await toqio.stop();
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        TOQIO_WEBHOOK_URL: toqio.url,
        TOQIO_WEBHOOK_TIMEOUT_MS: '500',
        NOTIFICATION_RETRY_BASE_MS: '50',
        NOTIFICATION_RETRY_MAX_DELAY_SECONDS: '1',
        NOTIFICATION_POLL_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await toqio.stop();
  });

  const gauge = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${t.baseUrl}/metrics`)).text())?.[1]);

  it('keeps every decision queued while Toqio is unreachable, loses none, and drains when it returns', async () => {
    const ids = Array.from({ length: DECISIONS }, (_, n) => `down-${randomUUID().slice(0, 8)}-${n}`);
    await inParallel(ids, 16, async (transactionId) => {
      expect((await postValidate(t.baseUrl, { transactionId, amount: 15_000, currency: 'EUR' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      expect((await decide(t.baseUrl, transactionId, 'alice', 'REJECTED', 'Toqio outage drill')).status).toBe(200);
    });
    // Let the workers fail against the closed port for a while.
    await sleep(3_000);
    const queuedWhileDown = await gauge('tm_notifications_queued');
    const oldestWhileDown = await gauge('tm_notifications_oldest_queued_age_seconds');
    const [{ attempts, dead }] = await t.db.query<{ attempts: number; dead: number }>(
      `SELECT (SELECT count(*)::int FROM toqio_notification_attempts WHERE outcome = 'NETWORK_ERROR') AS attempts,
              (SELECT count(*)::int FROM toqio_notifications WHERE state = 'DEAD') AS dead`,
    );
    expect(queuedWhileDown).toBe(DECISIONS);
    expect(oldestWhileDown).toBeGreaterThan(2);
    expect(attempts).toBeGreaterThanOrEqual(DECISIONS);
    expect(dead).toBe(0);
    expect(toqio.arrived).toHaveLength(0);

    const returnedAt = Date.now();
    await toqio.start();
    await eventually('the backlog drained', async () => (await gauge('tm_notifications_queued')) === 0, 60_000, 100);
    const drainMs = Date.now() - returnedAt;

    const delivered = toqio.deliveredKeys();
    const notifications = await t.db.query<{ id: string; state: string }>('SELECT id, state FROM toqio_notifications');
    expect(notifications).toHaveLength(DECISIONS);
    expect(notifications.filter((n) => n.state !== 'DELIVERED' || !delivered.has(n.id))).toEqual([]);
    expect(new Set(toqio.received.map((r) => r.body.transactionId))).toEqual(new Set(ids));
    const consistency = await checkConsistency(t.db.url);
    expect(consistency.problems).toEqual([]);
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    const failedAttemptsMetric = Number(/^tm_notification_attempts_total\{outcome="NETWORK_ERROR"\} (\d+)$/m.exec(metrics)?.[1]);

    report('toqio-down', {
      decisions: DECISIONS,
      queuedWhileDown,
      oldestQueuedSecondsWhileDown: oldestWhileDown,
      failedAttemptsWhileDown: attempts,
      failedAttemptsMetric,
      deadWhileDown: dead,
      drainMsAfterReturn: drainMs,
      delivered: delivered.size,
      deliveredTwice: [...delivered.values()].filter((count) => count > 1).length,
      lost: DECISIONS - delivered.size,
      halfWritten: consistency.problems.length,
    });
  });
});
