// The built service killed with SIGKILL mid-drain: after a restart no notification is lost, and only those in flight repeat.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { ANALYST_TOKENS, decide } from './support/analyst-api';
import { createTestDatabase, TestDatabase } from './support/database';
import { ServiceProcess, startService } from './support/service-process';
import { API_KEY, postValidate, startTestApp } from './support/test-app';
import { eventually, inParallel } from './support/waiting';

const NOTIFICATIONS = 300;
/** Parallel requests while queueing: enough to be quick, few enough for a two-core machine. */
const SEEDING_CONCURRENCY = 16;
/** Seeding, two starts of the built service and the drain: about 25 s alone, twice that on a busy machine. */
const DRILL_TIMEOUT_MS = 150_000;

describe('a crash while notifications are being delivered', () => {
  let db: TestDatabase;
  const toqio = new FakeToqioWebhook();
  let running: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await toqio.start();
  });
  afterAll(async () => {
    await running?.kill();
    await toqio.stop();
    await db.drop();
  });

  it('delivers every notification at least once after a SIGKILL and a restart, repeating only those in flight or unanswered', async () => {
    // Queue the decisions through the API of a replica without a webhook, exactly as the service writes them.
    const seeder = await startTestApp({ db, env: { ANALYST_TOKENS } });
    const ids = Array.from({ length: NOTIFICATIONS }, () => `crash-${randomUUID()}`);
    await inParallel(ids, SEEDING_CONCURRENCY, async (transactionId) => {
      const validated = await postValidate(seeder.baseUrl, { transactionId, amount: 15_000, currency: 'EUR' });
      expect(validated.body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      expect((await decide(seeder.baseUrl, transactionId, 'alice', 'REJECTED', 'crash drill')).status).toBe(200);
    });
    await seeder.close();
    const [{ queued }] = await db.query<{ queued: number }>(`SELECT count(*)::int AS queued FROM toqio_notifications WHERE state = 'QUEUED'`);
    expect(queued).toBe(NOTIFICATIONS);

    const env = {
      DATABASE_URL: db.url,
      TOQIO_API_KEY: API_KEY,
      TOQIO_WEBHOOK_URL: toqio.url,
      ANALYST_TOKENS,
      TOQIO_WEBHOOK_TIMEOUT_MS: '1000',
      NOTIFICATION_POLL_MS: '100',
    };
    // Slow enough that a full set of deliveries is always in flight when the kill comes.
    toqio.latencyMs = 100;
    running = await startService(env);
    // Kill a third of the way through, while the fake holds requests it has not answered yet.
    await toqio.waitFor((fake) => fake.deliveredKeys().size >= NOTIFICATIONS / 3 && fake.arrived.length > fake.received.length, 20_000);
    const deliveredBeforeKill = toqio.deliveredKeys().size;
    running.child.kill('SIGKILL');
    await running.exited;
    const recorded = await db.query<{ id: string; state: string; attempts: number }>(`SELECT id, state, attempts FROM toqio_notifications`);
    // Claimed (an attempt counted) but never recorded: these were in flight when the process died.
    const inFlight = new Set(recorded.filter((row) => row.state === 'QUEUED' && row.attempts > 0).map((row) => row.id));
    const deliveredInDb = recorded.filter((row) => row.state === 'DELIVERED').length;
    expect(inFlight.size).toBeGreaterThan(0);

    const restartedAt = Date.now();
    running = await startService(env);
    await eventually(
      'every notification DELIVERED',
      async () => (await db.query<{ left: number }>(`SELECT count(*)::int AS left FROM toqio_notifications WHERE state <> 'DELIVERED'`))[0]!.left === 0,
      30_000,
    );
    const drainMs = Date.now() - restartedAt;

    const delivered = toqio.deliveredKeys();
    const duplicates = [...delivered].filter(([, count]) => count > 1).map(([key]) => key);
    // An attempt that ran out of time (TOQIO_WEBHOOK_TIMEOUT_MS) may have reached Toqio all the same, so its
    // retry may repeat it: on a busy machine some answers take longer than the second it is given.
    const unanswered = new Map(
      (
        await db.query<{ id: string; n: number }>(
          `SELECT notification_id AS id, count(*)::int AS n FROM toqio_notification_attempts WHERE outcome IN ('TIMEOUT', 'NETWORK_ERROR') GROUP BY notification_id`,
        )
      ).map((row) => [row.id, row.n]),
    );
    process.stdout.write(
      `crash drill: ${NOTIFICATIONS} queued; ${deliveredBeforeKill} received by Toqio before the SIGKILL (${deliveredInDb} recorded DELIVERED, ${inFlight.size} in flight); ` +
        `${duplicates.length} delivered twice, ${unanswered.size} with an attempt that had no answer; drained ${drainMs} ms after the restart began\n`,
    );

    expect(recorded.map((row) => row.id).every((id) => (delivered.get(id) ?? 0) >= 1)).toBe(true);
    expect(delivered.size).toBe(NOTIFICATIONS);
    // Only a delivery whose outcome the service could not know repeats, once for each: in flight at the crash, or unanswered in time.
    const beyondBound = [...delivered]
      .filter(([key, count]) => count > 1 + (inFlight.has(key) ? 1 : 0) + (unanswered.get(key) ?? 0))
      .map(([key, count]) => `${key} delivered ${count} times (${inFlight.has(key) ? 'in flight' : 'not in flight'}, ${unanswered.get(key) ?? 0} unanswered)`);
    expect(beyondBound).toEqual([]);
    // Each notification's last attempt is its delivery, recorded after the restart for those in flight.
    const lastAttempts = await db.query<{ outcome: string; n: number }>(
      `SELECT a.outcome, count(*)::int AS n FROM toqio_notification_attempts a
        WHERE a.id = (SELECT max(b.id) FROM toqio_notification_attempts b WHERE b.notification_id = a.notification_id) GROUP BY a.outcome`,
    );
    expect(lastAttempts).toEqual([{ outcome: 'DELIVERED', n: NOTIFICATIONS }]);

    running.child.kill('SIGTERM');
    await expect(running.exited).resolves.toBe(0);
  }, DRILL_TIMEOUT_MS);
});
