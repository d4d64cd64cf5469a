// Two replicas on one database deliver from one outbox together: no notification lost, none sent twice.
import { randomUUID } from 'node:crypto';
import { FakeToqioWebhook } from './fakes/fake-toqio-webhook';
import { ANALYST_TOKENS, decide } from './support/analyst-api';
import { createTestDatabase, TestDatabase } from './support/database';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { inParallel, readUntil } from './support/waiting';

const NOTIFICATIONS = 500;
/** Parallel API calls: enough to make a burst, few enough for a two-core machine. */
const CONCURRENCY = 16;

describe('two replicas delivering from one outbox', () => {
  const toqio = new FakeToqioWebhook();
  let db: TestDatabase;
  let replicas: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await toqio.start();
    // A little latency keeps many deliveries in flight on both replicas at once.
    toqio.latencyMs = 5;
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await toqio.stop();
    await db.drop();
  });

  /** Each of `ids` reached Toqio exactly once, and its row is DELIVERED after exactly one attempt. */
  async function expectEachDeliveredOnce(ids: readonly string[]): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a wrong second copy to arrive
    const mine = new Set(ids);
    const arrived = toqio.arrived.filter((r) => mine.has(r.transactionId as string));
    expect(arrived).toHaveLength(ids.length);
    expect(new Set(arrived.map((r) => r.transactionId))).toEqual(mine);
    const byReplica = (replica: string) => arrived.filter((r) => r.url.endsWith(`?replica=${replica}`)).length;
    process.stdout.write(`  sent by replica a: ${byReplica('a')}, by replica b: ${byReplica('b')}\n`);
    const keys = new Set(arrived.map((r) => r.idempotencyKey));
    expect(keys.size).toBe(ids.length);
    const delivered = toqio.deliveredKeys();
    expect([...keys].every((key) => delivered.get(key) === 1)).toBe(true);
    // Toqio's fake counts a delivery before answering it; the sender records it once answered.
    const rows = await readUntil(
      () =>
        db.query<{ state: string; attempts: number; recorded: number; n: number }>(
          `SELECT n.state, n.attempts, (SELECT count(*)::int FROM toqio_notification_attempts a WHERE a.notification_id = n.id) AS recorded, count(*)::int AS n
             FROM toqio_notifications n WHERE n.transaction_id = ANY($1) GROUP BY 1, 2, 3`,
          [ids],
        ),
      (read) => read.length === 1 && read[0]!.state === 'DELIVERED',
    );
    expect(rows).toEqual([{ state: 'DELIVERED', attempts: 1, recorded: 1, n: ids.length }]);
  }

  it(`drain a backlog of ${NOTIFICATIONS} together, each exactly once`, async () => {
    // Queued through a replica without a webhook, exactly as the service writes them.
    const seeder = await startTestApp({ db, env: { ANALYST_TOKENS } });
    const ids = Array.from({ length: NOTIFICATIONS }, () => `backlog-${randomUUID()}`);
    await inParallel(ids, CONCURRENCY, async (transactionId) => {
      expect((await postValidate(seeder.baseUrl, { transactionId, amount: 25_000, currency: 'USD' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
      expect((await decide(seeder.baseUrl, transactionId, 'alice', 'REJECTED', 'backlog')).status).toBe(200);
    });
    await seeder.close();

    const started = Date.now();
    // Each replica calls the webhook with its own query string, so the fake can tell who sent what.
    const env = (replica: string) => ({ ANALYST_TOKENS, TOQIO_WEBHOOK_URL: `${toqio.url}?replica=${replica}`, NOTIFICATION_POLL_MS: '50' });
    replicas = await Promise.all([startTestApp({ env: env('a'), db }), startTestApp({ env: env('b'), db })]);
    await toqio.waitFor((fake) => fake.deliveredKeys().size >= NOTIFICATIONS, 30_000);
    process.stdout.write(`two replicas: a backlog of ${NOTIFICATIONS} drained ${Date.now() - started} ms after both began to start\n`);

    await expectEachDeliveredOnce(ids);
  });

  it(`deliver ${NOTIFICATIONS} decisions made on either replica, each exactly once`, async () => {
    const ids = Array.from({ length: NOTIFICATIONS }, () => `burst-${randomUUID()}`);
    await inParallel(ids, CONCURRENCY, async (transactionId, i) => {
      expect((await postValidate(replicas[i % 2]!.baseUrl, { transactionId, amount: 25_000, currency: 'USD' })).body.status).toBe('PENDING_EXTERNAL_APPROVAL');
    });
    const before = toqio.deliveredKeys().size;

    const started = Date.now();
    await inParallel(ids, CONCURRENCY, async (transactionId, i) => {
      // Decided on the other replica than the one that validated it.
      expect((await decide(replicas[(i + 1) % 2]!.baseUrl, transactionId, 'bob', 'APPROVED', 'burst')).status).toBe(200);
    });
    const decidedMs = Date.now() - started;
    await toqio.waitFor((fake) => fake.deliveredKeys().size >= before + NOTIFICATIONS, 30_000);
    process.stdout.write(`two replicas: ${NOTIFICATIONS} decisions made in ${decidedMs} ms, all delivered ${Date.now() - started} ms after the first\n`);

    await expectEachDeliveredOnce(ids);
  });
});
