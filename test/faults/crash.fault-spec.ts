// Fault (b): the service SIGKILLed under load (validations, decisions, deliveries) and started again.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from '../fakes/fake-toqio-webhook';
import { ANALYST_TOKENS, decide } from '../support/analyst-api';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ServiceProcess, startService } from '../support/service-process';
import { eventually } from '../support/waiting';
import { checkConsistency, countBy, report, retryUntilAnswered, sleep, ValidateLoad } from './support/fault-kit';

const API_KEY = 'fault-crash-key-0123456789';
const LOAD_MS = 3_000;

describe('fault: SIGKILL under load, then a restart', () => {
  let db: TestDatabase;
  const toqio = new FakeToqioWebhook();
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await toqio.start();
  });
  afterAll(async () => {
    await service?.kill();
    await toqio.stop();
    await db.drop();
  });

  it('keeps every transaction answered 200 with its answered status, and loses no notification', async () => {
    const env = {
      DATABASE_URL: db.url,
      TOQIO_API_KEY: API_KEY,
      TOQIO_WEBHOOK_URL: toqio.url,
      ANALYST_TOKENS,
      TOQIO_WEBHOOK_TIMEOUT_MS: '1000',
      NOTIFICATION_POLL_MS: '100',
      // The drill's analysts decide as fast as transactions are held; not what rate limits are for.
      ANALYST_RATE_LIMIT_PER_MINUTE: '1000000',
    };
    // Slow enough that deliveries are in flight when the kill comes.
    toqio.latencyMs = 50;
    service = await startService(env);
    const first = service;
    const load = new ValidateLoad(() => first.baseUrl, API_KEY, `crash-${randomUUID().slice(0, 8)}`);
    load.start(10);

    // Analysts decide held transactions as they come in.
    const decisions: { id: string; status: number; decided: 'APPROVED' | 'REJECTED' }[] = [];
    let deciding = true;
    const decider = (async () => {
      let seen = 0;
      while (deciding) {
        const held = load.answers.slice(seen).filter((a) => a.status === 200 && a.body.status === 'PENDING_EXTERNAL_APPROVAL');
        seen = load.answers.length;
        await Promise.all(
          held.map(async (a, i) => {
            const decided = i % 2 === 0 ? 'APPROVED' : 'REJECTED';
            const answer = await decide(first.baseUrl, a.id, 'alice', decided, 'crash drill').catch(() => ({ status: 0 }));
            decisions.push({ id: a.id, status: answer.status, decided });
          }),
        );
        await sleep(20);
      }
    })();

    await sleep(LOAD_MS);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    deciding = false;
    await decider;
    await load.stop();
    const deliveredBeforeKill = toqio.deliveredKeys().size;

    service = await startService(env);
    const restartMs = Date.now() - killedAt;
    await eventually(
      'every notification delivered after the restart',
      async () => (await db.query<{ left: number }>(`SELECT count(*)::int AS left FROM toqio_notifications WHERE state <> 'DELIVERED'`))[0]!.left === 0,
      60_000,
      100,
    );

    const states = new Map((await db.query<{ id: string; state: string }>('SELECT id, state FROM transactions')).map((r) => [r.id, r.state]));
    const decidedOk = new Map(decisions.filter((d) => d.status === 200).map((d) => [d.id, d.decided]));
    const decisionUnanswered = new Set(decisions.filter((d) => d.status !== 200).map((d) => d.id));
    const answered200 = load.answers.filter((a) => a.status === 200);
    // Answered 200: stored, with the answered status, or with the analyst's later decision.
    const wrong = answered200.filter((a) => {
      const state = states.get(a.id);
      if (decidedOk.has(a.id)) return state !== decidedOk.get(a.id);
      if (decisionUnanswered.has(a.id)) return state !== a.body.status && state !== 'APPROVED' && state !== 'REJECTED';
      return state !== a.body.status;
    });
    expect(wrong).toEqual([]);

    // Every notification queued is delivered, and every decision answered 200 has one that arrived.
    const notifications = await db.query<{ id: string; transaction_id: string }>('SELECT id, transaction_id FROM toqio_notifications');
    const delivered = toqio.deliveredKeys();
    const undelivered = notifications.filter((n) => !delivered.has(n.id));
    expect(undelivered).toEqual([]);
    const byTransaction = new Set(notifications.map((n) => n.transaction_id));
    expect([...decidedOk.keys()].filter((id) => !byTransaction.has(id))).toEqual([]);

    // A claim left SCREENING by the kill belongs to a request that was never answered 200...
    const screening = [...states].filter(([, state]) => state === 'SCREENING').map(([id]) => id);
    expect(screening.filter((id) => answered200.some((a) => a.id === id))).toEqual([]);
    // ...and Toqio's retry of each unanswered request gets a definite answer from the new process.
    const unanswered = load.answers.filter((a) => a.status !== 200);
    const retryRounds = await retryUntilAnswered(service.baseUrl, API_KEY, unanswered, load.bodies);
    const consistency = await checkConsistency(db.url);
    expect(consistency.problems).toEqual([]);
    expect(consistency.byState.SCREENING ?? 0).toBe(0);

    const duplicates = [...delivered.values()].filter((count) => count > 1).length;
    report('sigkill', {
      validateRequests: load.answers.length,
      answered200: answered200.length,
      validateStatuses: countBy(load.answers, (a) => a.status),
      analystDecisions: decisions.length,
      decisionStatuses: countBy(decisions, (d) => d.status),
      notifications: notifications.length,
      deliveredBeforeKill,
      deliveredTwice: duplicates,
      restartToListeningMs: restartMs,
      lostTransactions: wrong.length,
      lostNotifications: undelivered.length,
      leftScreeningByKill: screening.length,
      retriedAfterRestart: unanswered.length,
      retryRounds,
      halfWritten: consistency.problems.length,
    });

    service.child.kill('SIGTERM');
    await expect(service.exited).resolves.toBe(0);
  });
});
