// Case alerts on the event webhook, end to end: case.opened, case.decided (queued with the decision), case.overdue and notification.dead, each once.
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeEventReceiver, ReceivedEvent } from './fakes/fake-event-receiver';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { analystCall, ANALYST_TOKENS, ANALYSTS, decide } from './support/analyst-api';
import { decidedEvent, sendCallback } from './support/signed-callback';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/waiting';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

describe('case alerts', () => {
  const receiver = new FakeEventReceiver(SECRET);
  const toqio = new FakeToqioWebhook();
  let t: TestApp;

  beforeAll(async () => {
    await Promise.all([receiver.start(), toqio.start()]);
    t = await startTestApp({
      env: {
        ANALYST_TOKENS,
        EVENTS_WEBHOOK_URL: receiver.url,
        EVENTS_WEBHOOK_SECRET: SECRET,
        EVENTS_POLL_MS: '50',
        PENDING_SLA_MINUTES: '30',
        FOUR_EYES_THRESHOLD: '50000',
        TOQIO_WEBHOOK_URL: toqio.url,
        NOTIFICATION_RETRY_BASE_MS: '50',
        NOTIFICATION_RETRY_MAX_DELAY_SECONDS: '1',
        NOTIFICATION_POLL_MS: '50',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([receiver.stop(), toqio.stop()]);
  });

  const eventsOf = (type: string, key: (data: Record<string, unknown>) => boolean) =>
    receiver.delivered().filter((r: ReceivedEvent) => r.envelope?.type === type && key(r.envelope.data as Record<string, unknown>));
  const about = (transactionId: string) => (data: Record<string, unknown>) => data['transactionId'] === transactionId;
  const arrived = (what: string, type: string, transactionId: string) =>
    receiver.waitFor(what, () => eventsOf(type, about(transactionId)).length > 0, 15_000).then(() => eventsOf(type, about(transactionId))[0]!.envelope!);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400)); // room for a wrong second copy

  async function held(amount = '48250.00'): Promise<string> {
    const transactionId = `alerts-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount, currency: 'EUR', beneficiary: { name: 'Ada', country: 'GB' } })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    return transactionId;
  }

  it('sends case.opened once for a held transaction, with what an operator needs, and nothing for one approved at once', async () => {
    const transactionId = await held();
    const approved = `alerts-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId: approved, amount: 10, currency: 'EUR' })).body.status).toBe('APPROVED');

    const envelope = await arrived('case.opened', 'case.opened', transactionId);
    expect(envelope.data).toEqual({
      transactionId,
      direction: 'OUTBOUND',
      status: 'PENDING_EXTERNAL_APPROVAL',
      amount: '48250',
      currency: 'EUR',
      reasons: [expect.stringContaining('10000')],
      openedAt: expect.stringMatching(/Z$/),
      consolePath: `/console/#/transactions/${transactionId}`,
    });
    expect(envelope.timestamp).toBe(envelope.data.openedAt);
    await settle();
    expect(eventsOf('case.opened', about(transactionId))).toHaveLength(1);
    expect(eventsOf('case.opened', about(approved))).toHaveLength(0);
  });

  it('queues case.decided in the transaction that records the decision, naming both four-eyes approvers', async () => {
    const transactionId = await held('75000.00');
    expect((await decide(t.server, transactionId, 'alice', 'APPROVED', 'invoice checked')).status).toBe(202);
    expect(await t.db.query(`SELECT 1 FROM operator_events WHERE type = 'case.decided' AND dedupe_key = $1`, [transactionId])).toHaveLength(0);
    expect((await decide(t.server, transactionId, 'bob', 'APPROVED', 'second look')).status).toBe(200);
    // Already queued when the answer came: written with the decision, not by a later pass.
    expect(await t.db.query(`SELECT 1 FROM operator_events WHERE type = 'case.decided' AND dedupe_key = $1`, [transactionId])).toHaveLength(1);

    const envelope = await arrived('case.decided', 'case.decided', transactionId);
    expect(envelope.data).toMatchObject({
      transactionId,
      status: 'APPROVED',
      amount: '75000',
      reasons: [expect.stringContaining('10000')],
      decidedBy: 'alice, bob',
      decisionSource: 'ANALYST',
      decisionReasons: ['second look'],
    });
    await settle();
    expect(eventsOf('case.decided', about(transactionId))).toHaveLength(1);
  });

  it('sends case.overdue once for a case pending past PENDING_SLA_MINUTES, and never for one decided in time', async () => {
    const [late, decided] = [await held(), await held()];
    expect((await decide(t.server, decided, 'alice', 'REJECTED')).status).toBe(200);
    // Both opened 31 minutes ago: as if the SLA had passed while they waited.
    await t.db.query(`UPDATE review_cases SET opened_at = now() - interval '31 minutes' WHERE transaction_id = ANY($1)`, [[late, decided]]);

    const envelope = await arrived('case.overdue', 'case.overdue', late);
    expect(envelope.data).toMatchObject({ transactionId: late, status: 'PENDING_EXTERNAL_APPROVAL', slaMinutes: 30 });
    expect(Date.parse(envelope.data.overdueSince as string) - Date.parse(envelope.data.openedAt as string)).toBe(30 * 60_000);
    await settle();
    expect(eventsOf('case.overdue', about(late))).toHaveLength(1);
    expect(eventsOf('case.overdue', about(decided))).toHaveLength(0);
  });

  it('sends notification.dead when Toqio was never told, and again if a redelivery dies too', async () => {
    toqio.defaultBehaviour = 500;
    const transactionId = await held();
    const decided = await decide(t.server, transactionId, 'alice', 'REJECTED');
    const notificationId = decided.body.notifications[0].id as string;
    const dieNow = () => t.db.query(`UPDATE toqio_notifications SET queued_at = now() - interval '73 hours' WHERE id = $1`, [notificationId]);
    await eventually('a first failed attempt', async () => (await t.db.query(`SELECT 1 FROM toqio_notification_attempts WHERE notification_id = $1`, [notificationId])).length > 0, 10_000);
    await dieNow();

    await receiver.waitFor('notification.dead', () => eventsOf('notification.dead', (d) => d['notificationId'] === notificationId).length === 1, 15_000);
    const envelope = eventsOf('notification.dead', (d) => d['notificationId'] === notificationId)[0]!.envelope!;
    expect(envelope.data).toMatchObject({ notificationId, transactionId, status: 'REJECTED', lastError: expect.stringContaining('500'), consolePath: `/console/#/transactions/${transactionId}` });

    expect((await analystCall(t.server, 'POST', `/notifications/${notificationId}/redeliver`, { token: ANALYSTS.carol })).status).toBe(202);
    await eventually('an attempt after the redelivery', async () => (await t.db.query(`SELECT 1 FROM toqio_notification_attempts WHERE notification_id = $1`, [notificationId])).length >= 2 && (await t.db.query<{ state: string }>(`SELECT state FROM toqio_notifications WHERE id = $1`, [notificationId]))[0]!.state === 'QUEUED', 10_000);
    await dieNow();
    await receiver.waitFor('a second notification.dead', () => eventsOf('notification.dead', (d) => d['notificationId'] === notificationId).length === 2, 15_000);
    const attempts = eventsOf('notification.dead', (d) => d['notificationId'] === notificationId).map((r) => r.envelope!.data.attempts as number);
    expect(attempts[1]).toBeGreaterThan(attempts[0]!);
    toqio.defaultBehaviour = 200;
  });
});

describe('case.decided with a long EVENTS_POLL_MS', () => {
  const receiver = new FakeEventReceiver(SECRET);
  let t: TestApp;

  beforeAll(async () => {
    await receiver.start();
    // The longest poll there is: an event that waited for it would arrive a minute late.
    t = await startTestApp({ env: { ANALYST_TOKENS, EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: SECRET, EVENTS_POLL_MS: '60000' } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('is sent as soon as the decision commits, not at the next poll', async () => {
    const transactionId = `alerts-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: '48250.00', currency: 'EUR', beneficiary: { name: 'Ada', country: 'GB' } })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    const decidedAt = Date.now();
    expect((await decide(t.server, transactionId, 'alice', 'REJECTED', 'mule account')).status).toBe(200);

    await receiver.waitFor('case.decided', () => receiver.ofType('case.decided').some((r) => r.envelope?.data.transactionId === transactionId), 10_000);
    expect(Date.now() - decidedAt).toBeLessThan(10_000);
  });
});

describe('decision.contradicted', () => {
  const receiver = new FakeEventReceiver(SECRET);
  const callbackSecret = `whsec_${randomBytes(32).toString('base64')}`;
  let t: TestApp;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ env: { ANALYST_TOKENS, EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: SECRET, EVENTS_POLL_MS: '60000', MONITORING_WEBHOOK_SECRET: callbackSecret } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it("is sent at once, and once, when a provider decides otherwise after an analyst's final decision; never when it agrees", async () => {
    const transactionId = `alerts-${randomUUID()}`;
    expect((await postValidate(t.server, { transactionId, amount: '48250.00', currency: 'EUR', beneficiary: { name: 'Ada', country: 'GB' } })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    expect((await decide(t.server, transactionId, 'alice', 'APPROVED', 'invoice seen')).status).toBe(200);

    const agreeing = await sendCallback(t.server, decidedEvent(transactionId, 'APPROVED'), { secret: callbackSecret });
    for (const eventId of ['msg_a', 'msg_b']) {
      const disagreeing = await sendCallback(t.server, decidedEvent(transactionId, 'REJECTED', ['Sanctions hit confirmed']), { secret: callbackSecret, id: `${eventId}-${transactionId}` });
      expect(disagreeing).toMatchObject({ status: 200, body: { outcome: 'NOT_PENDING' } });
    }
    expect(agreeing).toMatchObject({ status: 200, body: { outcome: 'NOT_PENDING' } });

    const mine = () => receiver.ofType('decision.contradicted').filter((r) => r.envelope?.data.transactionId === transactionId);
    await receiver.waitFor('decision.contradicted', () => mine().length > 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mine().map((r) => r.envelope!.data)).toEqual([
      {
        transactionId,
        direction: 'OUTBOUND',
        status: 'APPROVED',
        amount: '48250',
        currency: 'EUR',
        provider: 'rules',
        providerStatus: 'REJECTED',
        providerReasons: ['Sanctions hit confirmed'],
        receivedAt: expect.stringMatching(/Z$/),
        consolePath: `/console/#/transactions/${transactionId}`,
      },
    ]);
    const notes = await t.db.query<{ author: string }>(`SELECT author FROM case_entries WHERE transaction_id = $1 AND kind = 'NOTE'`, [transactionId]);
    expect(notes).toEqual([{ author: 'provider rules' }, { author: 'provider rules' }, { author: 'provider rules' }]);
  });
});
