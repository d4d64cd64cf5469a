// The outgoing event webhook end to end: signed as Standard Webhooks, retried with the same webhook-id, dead, redelivered, once across replicas.
import { randomBytes } from 'node:crypto';
import { OperatorEventOutbox } from '../src/application/ports/operator-event-outbox.port';
import { FakeEventReceiver } from './fakes/fake-event-receiver';
import { OperatorEventMother } from './mothers/operator-event.mother';
import { analystCall, ANALYSTS, ANALYST_TOKENS } from './support/analyst-api';
import { createTestDatabase, TestDatabase } from './support/database';
import { httpCall } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/waiting';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/** Fast retries, so that a test sees several attempts in a second. */
function eventsEnv(receiver: FakeEventReceiver, extra: Record<string, string> = {}): Record<string, string> {
  return { ANALYST_TOKENS, EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: SECRET, EVENTS_RETRY_BASE_MS: '10', EVENTS_RETRY_MAX_DELAY_SECONDS: '1', EVENTS_POLL_MS: '50', ...extra };
}

const outboxOf = (app: TestApp) => app.app.get(OperatorEventOutbox, { strict: false });

describe('outgoing event webhook', () => {
  const receiver = new FakeEventReceiver(SECRET);
  let db: TestDatabase;

  beforeAll(async () => {
    await receiver.start();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await receiver.stop();
    await db.drop();
  });

  describe('without EVENTS_WEBHOOK_URL', () => {
    it('is off: raising an event stores nothing and sends nothing', async () => {
      const app = await startTestApp({ db, env: { ANALYST_TOKENS } });
      try {
        await expect(outboxOf(app).enqueue([OperatorEventMother.caseOpened()])).resolves.toBe(0);
        await expect(db.query('SELECT id FROM operator_events')).resolves.toEqual([]);
      } finally {
        await app.close();
      }
    });
  });

  describe('with EVENTS_WEBHOOK_URL', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ db, env: eventsEnv(receiver, { EVENTS_MAX_ATTEMPTS: '3' }) });
    });
    afterAll(() => app.close());

    it('sends each event once, as a { type, timestamp, data } envelope the reference library verifies', async () => {
      const event = OperatorEventMother.caseOpened();
      await expect(outboxOf(app).enqueue([event, event])).resolves.toBe(1);
      await expect(outboxOf(app).enqueue([event])).resolves.toBe(0);

      await receiver.waitFor('the event delivered', () => receiver.ofType('case.opened').some((r) => r.envelope?.data.transactionId === event.dedupeKey));
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second copy
      const copies = receiver.received.filter((r) => r.envelope?.data.transactionId === event.dedupeKey);
      expect(copies).toHaveLength(1);
      const [copy] = copies;
      expect(copy!.verified).toBe(true);
      expect(JSON.parse(copy!.rawBody)).toEqual({ type: 'case.opened', timestamp: event.occurredAt.toISOString(), data: JSON.parse(JSON.stringify(event.data)) });
      expect(copy!.envelope!.data.amount).toBe('48250.00');
      // The receiver answered before the worker records it: wait for the record, then check it.
      const recorded = () =>
        db.query<{ id: string; attempts: number; delivered: boolean }>(
          `SELECT id, attempts, delivered_at IS NOT NULL AS delivered FROM operator_events WHERE type = 'case.opened' AND dedupe_key = $1`,
          [event.dedupeKey],
        );
      await eventually('the delivery recorded', async () => (await recorded())[0]?.delivered === true, 10_000);
      expect(await recorded()).toEqual([{ id: copy!.webhookId, attempts: 1, delivered: true }]);
    });

    it('retries a receiver that fails with the same webhook-id until it recovers', async () => {
      receiver.script.push(500, 503);
      const event = OperatorEventMother.caseOpened();
      await outboxOf(app).enqueue([event]);

      await receiver.waitFor('a delivery after two failures', () => receiver.delivered().some((r) => r.envelope?.data.transactionId === event.dedupeKey));
      const attempts = receiver.received.filter((r) => r.envelope?.data.transactionId === event.dedupeKey);
      expect(attempts.map((r) => r.answered)).toEqual([500, 503, 204]);
      expect(new Set(attempts.map((r) => r.webhookId)).size).toBe(1);
      expect(new Set(attempts.map((r) => r.rawBody)).size).toBe(1);
      expect(attempts.every((r) => r.verified)).toBe(true);
    });

    it('gives up after EVENTS_MAX_ATTEMPTS, lists the event as dead, and redelivers it on request with the same webhook-id', async () => {
      receiver.script.push(500, 500, 500);
      const event = OperatorEventMother.caseOpened();
      await outboxOf(app).enqueue([event]);
      const [{ id }] = await db.query<{ id: string }>(`SELECT id FROM operator_events WHERE dedupe_key = $1`, [event.dedupeKey]);
      await eventually('the event dead', async () => (await db.query(`SELECT 1 FROM operator_events WHERE id = $1 AND dead_at IS NOT NULL`, [id])).length === 1, 20_000);

      const dead = await analystCall(app.baseUrl, 'GET', '/events?state=dead', { token: ANALYSTS.alice });
      expect(dead.status).toBe(200);
      expect(dead.body.items).toEqual([expect.objectContaining({ id, type: 'case.opened', dedupeKey: event.dedupeKey, state: 'DEAD', attempts: 3, lastError: 'the event webhook answered 500' })]);
      expect(receiver.received.filter((r) => r.webhookId === id).map((r) => r.answered)).toEqual([500, 500, 500]);

      expect((await analystCall(app.baseUrl, 'POST', `/events/${id}/redeliver`, { token: ANALYSTS.bob })).status).toBe(403);
      const redelivered = await analystCall(app.baseUrl, 'POST', `/events/${id}/redeliver`, { token: ANALYSTS.carol });
      expect(redelivered.status).toBe(202);
      expect(redelivered.body).toMatchObject({ id, redeliveredBy: 'carol' });
      expect(redelivered.body.state).not.toBe('DEAD');
      await receiver.waitFor('the redelivery', () => receiver.delivered().some((r) => r.webhookId === id));
      await eventually('recorded as delivered', async () => (await db.query(`SELECT 1 FROM operator_events WHERE id = $1 AND delivered_at IS NOT NULL`, [id])).length === 1, 10_000);

      const again = await analystCall(app.baseUrl, 'POST', `/events/${id}/redeliver`, { token: ANALYSTS.carol });
      expect(again.status).toBe(409);
      expect(again.contentType).toMatch(/^application\/problem\+json/);
      expect((await analystCall(app.baseUrl, 'GET', '/events?state=dead', { token: ANALYSTS.alice })).body.items).toEqual([]);
    });

    it('gives up on an event at once when the receiver answers 410 Gone, saying so', async () => {
      receiver.script.push(410);
      const event = OperatorEventMother.caseOpened();
      await outboxOf(app).enqueue([event]);
      const [{ id }] = await db.query<{ id: string }>(`SELECT id FROM operator_events WHERE dedupe_key = $1`, [event.dedupeKey]);
      await eventually('the event dead', async () => (await db.query(`SELECT 1 FROM operator_events WHERE id = $1 AND dead_at IS NOT NULL`, [id])).length === 1, 10_000);

      const dead = await analystCall(app.baseUrl, 'GET', '/events?state=dead', { token: ANALYSTS.alice });
      expect(dead.body.items).toEqual([
        expect.objectContaining({ id, state: 'DEAD', attempts: 1, lastError: 'the event webhook answered 410 Gone: it takes no more events, so this one is not retried' }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong retry
      expect(receiver.received.filter((r) => r.webhookId === id).map((r) => r.answered)).toEqual([410]);

      // Redelivery by hand still works, once the receiver takes events again.
      expect((await analystCall(app.baseUrl, 'POST', `/events/${id}/redeliver`, { token: ANALYSTS.carol })).status).toBe(202);
      await eventually('recorded as delivered', async () => (await db.query(`SELECT 1 FROM operator_events WHERE id = $1 AND delivered_at IS NOT NULL`, [id])).length === 1, 10_000);
    });

    it("waits as long as a 429's or a 503's Retry-After asks, up to EVENTS_RETRY_MAX_DELAY_SECONDS", async () => {
      receiver.script.push({ status: 429, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': '3600' } });
      const event = OperatorEventMother.caseOpened();
      await outboxOf(app).enqueue([event]);

      await receiver.waitFor('a delivery after two refusals', () => receiver.delivered().some((r) => r.envelope?.data.transactionId === event.dedupeKey));
      const attempts = receiver.received.filter((r) => r.envelope?.data.transactionId === event.dedupeKey);
      expect(attempts.map((r) => r.answered)).toEqual([429, 503, 204]);
      // EVENTS_RETRY_BASE_MS is 10 here: without the header, each retry would follow within a poll or two.
      const [afterAsked, afterCapped] = [attempts[1]!.at - attempts[0]!.at, attempts[2]!.at - attempts[1]!.at];
      expect(afterAsked).toBeGreaterThanOrEqual(1_000);
      expect(afterCapped).toBeGreaterThanOrEqual(1_000);
      expect(afterCapped).toBeLessThan(5_000);
    });

    it('answers problems for a bad query, an unknown event and a missing token', async () => {
      expect((await analystCall(app.baseUrl, 'GET', '/events?state=lost', { token: ANALYSTS.alice })).status).toBe(400);
      expect((await analystCall(app.baseUrl, 'GET', '/events?cursor=abc', { token: ANALYSTS.alice })).status).toBe(400);
      expect((await analystCall(app.baseUrl, 'GET', '/events?type=case.unknown', { token: ANALYSTS.alice })).status).toBe(400);
      expect((await analystCall(app.baseUrl, 'POST', '/events/00000000-0000-4000-8000-000000000000/redeliver', { token: ANALYSTS.carol })).status).toBe(404);
      expect((await analystCall(app.baseUrl, 'POST', '/events/not-a-uuid/redeliver', { token: ANALYSTS.carol })).status).toBe(404);
      expect((await analystCall(app.baseUrl, 'GET', '/events')).status).toBe(401);
    });

    it('pages newest first', async () => {
      const first = await analystCall(app.baseUrl, 'GET', '/events?limit=1', { token: ANALYSTS.alice });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      const second = await analystCall(app.baseUrl, 'GET', `/events?limit=1&cursor=${first.body.nextCursor}`, { token: ANALYSTS.alice });
      expect(Number(second.body.items[0].position)).toBeLessThan(Number(first.body.items[0].position));
    });

    it('counts attempts, deaths and the backlog in metrics', async () => {
      const { status, text } = await httpCall(app.baseUrl, 'GET', '/metrics');
      expect(status).toBe(200);
      expect(text).toMatch(/^tm_operator_event_attempts_total\{outcome="DELIVERED"\} [1-9]/m);
      expect(text).toMatch(/^tm_operator_event_attempts_total\{outcome="REFUSED"\} [1-9]/m);
      expect(text).toMatch(/^tm_operator_events_dead_total 2$/m); // the one past EVENTS_MAX_ATTEMPTS, the one Gone
      expect(text).toMatch(/^tm_operator_events_queued 0$/m);
      expect(text).toMatch(/^tm_operator_events_dead 0$/m);
      expect(text).toMatch(/^tm_operator_events_oldest_queued_age_seconds 0$/m);
    });
  });
});
