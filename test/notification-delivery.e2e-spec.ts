// Delivery of decisions to a fake Toqio that fails in every way it can, dead letters, redelivery and shutdown.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { HttpTarget } from './support/http';
import { postValidate, startTestApp, TestApp } from './support/test-app';

/** Fast retries so that a dozen attempts take seconds; the schedule's shape is the production one. */
const FAST_RETRIES = {
  ANALYST_TOKENS,
  // Long enough that a loaded machine never times out an answered delivery (the hang phase waits it out).
  TOQIO_WEBHOOK_TIMEOUT_MS: '2000',
  NOTIFICATION_RETRY_BASE_MS: '50',
  NOTIFICATION_RETRY_MAX_DELAY_SECONDS: '1',
  NOTIFICATION_POLL_MS: '50',
};

interface Attempt {
  attempt: number;
  outcome: string;
  httpStatus: number | null;
  error: string | null;
}

interface Notification {
  id: string;
  state: 'QUEUED' | 'DELIVERED' | 'DEAD';
  attempts: Attempt[];
  deadAt: string | null;
  lastError: string | null;
}

/** Polls until `check` returns something other than undefined, or fails with what it last saw. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function heldAndDecided(target: HttpTarget): Promise<{ transactionId: string; notificationId: string }> {
  const transactionId = `notify-${randomUUID()}`;
  const validated = await postValidate(target, { transactionId, amount: 12_000, currency: 'GBP', beneficiary: { name: 'Ada', country: 'GB' } });
  expect(validated.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
  const decided = await decide(target, transactionId, 'alice', 'APPROVED', 'documents checked');
  expect(decided.status).toBe(200);
  return { transactionId, notificationId: decided.body.notifications[0].id as string };
}

async function notificationOf(target: HttpTarget, transactionId: string): Promise<Notification> {
  const detail = await analystCall(target, 'GET', `/transactions/${transactionId}`, { token: ANALYSTS.bob });
  expect(detail.status).toBe(200);
  return detail.body.notifications[0] as Notification;
}

describe('delivery of decisions to Toqio', () => {
  let t: TestApp;
  const toqio = new FakeToqioWebhook();

  beforeAll(async () => {
    await toqio.start();
    t = await startTestApp({ env: { ...FAST_RETRIES, TOQIO_WEBHOOK_URL: toqio.url } });
  });
  afterAll(async () => {
    await t?.close();
    await toqio.stop();
  });
  afterEach(() => {
    toqio.defaultBehaviour = 200;
  });

  it('survives 500s, timeouts and refused connections, then delivers each notification exactly once under one idempotency-key', async () => {
    toqio.defaultBehaviour = 500;
    const sent = await Promise.all([1, 2, 3].map(() => heldAndDecided(t.server)));
    const all = (predicate: (n: Notification) => boolean) => async () =>
      (await Promise.all(sent.map(({ transactionId }) => notificationOf(t.server, transactionId)))).every(predicate) ? true : undefined;
    const count = (n: Notification, outcome: string, error?: string) => n.attempts.filter((a) => a.outcome === outcome && (!error || a.error?.includes(error))).length;

    await eventually('two refusals each', all((n) => count(n, 'REFUSED') >= 2));
    toqio.defaultBehaviour = 'hang';
    await eventually('a timeout each', all((n) => count(n, 'TIMEOUT') >= 1));
    await toqio.stop();
    await eventually('a refused connection each', all((n) => count(n, 'NETWORK_ERROR', 'ECONNREFUSED') >= 1));
    toqio.defaultBehaviour = 200;
    await toqio.start();
    await eventually('all delivered', all((n) => n.state === 'DELIVERED'));

    const delivered = toqio.deliveredKeys();
    for (const { transactionId, notificationId } of sent) {
      expect(delivered.get(notificationId)).toBe(1);
      const arrivals = toqio.arrived.filter((r) => r.transactionId === transactionId);
      expect(new Set(arrivals.map((r) => r.idempotencyKey))).toEqual(new Set([notificationId]));

      const { attempts, state } = await notificationOf(t.server, transactionId);
      expect(state).toBe('DELIVERED');
      // Attempts are numbered without gaps, and their outcomes follow the fake's phases in order.
      expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_a, i) => i + 1));
      const phases = attempts.map((a) => (a.outcome === 'REFUSED' ? 'R' : a.outcome === 'TIMEOUT' ? 'T' : a.outcome === 'NETWORK_ERROR' ? 'N' : 'D')).join('');
      expect(phases).toMatch(/^R{2,}T+N+D$/);
      for (const attempt of attempts.filter((a) => a.outcome === 'REFUSED')) expect(attempt).toMatchObject({ httpStatus: 500 });
      expect(attempts[attempts.length - 1]).toMatchObject({ outcome: 'DELIVERED', httpStatus: 200 });
      expect(attempts.some((a) => a.outcome === 'NETWORK_ERROR' && a.error?.includes('ECONNREFUSED'))).toBe(true);
      // Each answered or timed-out attempt reached the fake, and nothing reached it unrecorded.
      expect(arrivals.length).toBeGreaterThanOrEqual(attempts.filter((a) => a.outcome !== 'NETWORK_ERROR').length);
      expect(arrivals.length).toBeLessThanOrEqual(attempts.filter((a) => !a.error?.includes('ECONNREFUSED')).length);
    }
  });

  describe('dead letters', () => {
    it('marks a notification older than its maximum age DEAD, and an analyst redelivers it under the same idempotency-key', async () => {
      toqio.defaultBehaviour = 500;
      const dying = await heldAndDecided(t.server);
      const waiting = await heldAndDecided(t.server);
      await eventually('a first failed attempt', async () => ((await notificationOf(t.server, dying.transactionId)).attempts.length >= 1 ? true : undefined));

      await t.db.query(`UPDATE toqio_notifications SET queued_at = now() - interval '73 hours' WHERE id = $1`, [dying.notificationId]);

      const dead = await eventually('DEAD', async () => {
        const n = await notificationOf(t.server, dying.transactionId);
        return n.state === 'DEAD' ? n : undefined;
      });
      expect(dead).toMatchObject({ deadAt: expect.any(String), lastError: expect.stringContaining('500') });
      expect(dead.attempts.every((a) => a.outcome === 'REFUSED')).toBe(true);
      const attemptsWhenDead = dead.attempts.length;
      await new Promise((resolve) => setTimeout(resolve, 300)); // several retry periods: a dead one is left alone
      expect((await notificationOf(t.server, dying.transactionId)).attempts).toHaveLength(attemptsWhenDead);

      // Still being retried: not the analyst's to push.
      const queued = await analystCall(t.server, 'POST', `/notifications/${waiting.notificationId}/redeliver`, { token: ANALYSTS.carol });
      expect(queued).toMatchObject({ status: 409, body: { status: 409 } });
      expect(queued.contentType).toMatch(/^application\/problem\+json/);

      toqio.defaultBehaviour = 200;
      const redelivered = await analystCall(t.server, 'POST', `/notifications/${dying.notificationId}/redeliver`, { token: ANALYSTS.carol });
      expect(redelivered.status).toBe(202);
      expect(redelivered.body).toMatchObject({ id: dying.notificationId, state: 'QUEUED', redeliveredBy: 'carol' });

      await toqio.waitFor((fake) => fake.deliveredKeys().has(dying.notificationId));
      const after = await eventually('DELIVERED', async () => {
        const n = await notificationOf(t.server, dying.transactionId);
        return n.state === 'DELIVERED' ? n : undefined;
      });
      expect(after.attempts[after.attempts.length - 1]).toMatchObject({ attempt: attemptsWhenDead + 1, outcome: 'DELIVERED' });
      expect(toqio.deliveredKeys().get(dying.notificationId)).toBe(1);
      const arrivals = toqio.arrived.filter((r) => r.transactionId === dying.transactionId);
      expect(new Set(arrivals.map((r) => r.idempotencyKey))).toEqual(new Set([dying.notificationId]));

      const again = await analystCall(t.server, 'POST', `/notifications/${dying.notificationId}/redeliver`, { token: ANALYSTS.carol });
      expect(again).toMatchObject({ status: 409, body: { status: 409 } });
      await eventually('the waiting one delivered', async () => ((await notificationOf(t.server, waiting.transactionId)).state === 'DELIVERED' ? true : undefined));
    });

    it('answers 404 for an unknown notification, 404 or 400 for a malformed id, 401 without a token, all as problem+json', async () => {
      const unknown = await analystCall(t.server, 'POST', `/notifications/${randomUUID()}/redeliver`, { token: ANALYSTS.carol });
      expect(unknown).toMatchObject({ status: 404, body: { status: 404 } });
      expect(unknown.contentType).toMatch(/^application\/problem\+json/);

      const malformed = await analystCall(t.server, 'POST', '/notifications/not-a-uuid/redeliver', { token: ANALYSTS.carol });
      expect([400, 404]).toContain(malformed.status);
      expect(malformed.contentType).toMatch(/^application\/problem\+json/);

      const anonymous = await analystCall(t.server, 'POST', `/notifications/${randomUUID()}/redeliver`);
      expect(anonymous).toMatchObject({ status: 401, body: { status: 401 } });
      expect(anonymous.contentType).toMatch(/^application\/problem\+json/);
    });
  });
});

describe('shutdown with a delivery in flight', () => {
  it('waits for the delivery to be answered and recorded before closing', async () => {
    const toqio = await new FakeToqioWebhook().start();
    toqio.latencyMs = 500;
    const t = await startTestApp({ env: { ...FAST_RETRIES, TOQIO_WEBHOOK_TIMEOUT_MS: '5000', TOQIO_WEBHOOK_URL: toqio.url } });
    let closed = false;
    try {
      const { notificationId } = await heldAndDecided(t.server);
      await toqio.waitFor((fake) => fake.arrived.some((r) => r.idempotencyKey === notificationId));

      await t.app.close();
      closed = true;

      expect(toqio.deliveredKeys().get(notificationId)).toBe(1);
      const rows = await t.db.query<{ state: string; outcome: string; http_status: number }>(
        `SELECT n.state, a.outcome, a.http_status FROM toqio_notifications n JOIN toqio_notification_attempts a ON a.notification_id = n.id WHERE n.id = $1`,
        [notificationId],
      );
      expect(rows).toEqual([{ state: 'DELIVERED', outcome: 'DELIVERED', http_status: 200 }]);
    } finally {
      if (!closed) await t.app.close();
      await t.db.drop();
      await toqio.stop();
    }
  });
});
