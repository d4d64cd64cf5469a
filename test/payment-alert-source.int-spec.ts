// Payment alerts against a real PostgreSQL: a burst larger than a page is raised in full, oldest first, once, by replicas side by side.
import { Pool } from 'pg';
import { PostgresOperatorEventOutbox } from '../src/adapters/persistence/postgres-operator-event.outbox';
import { PostgresPaymentAlertSource } from '../src/adapters/persistence/postgres-payment-alert.source';
import { PushPaymentAlerts } from '../src/application/push-payment-alerts.use-case';
import { createMigratedTestDatabase, TestDatabase } from './support/database';

const PAGE = 3;
const POLICY = { lookbackMs: 86_400_000, unscreenedAfterMs: 15 * 60_000, limit: PAGE };

/** `count` facts of each kind, the n-th recorded n minutes before the last; `tag` keeps two bursts apart. */
async function seedBurst(db: TestDatabase, tag: string, count: number): Promise<void> {
  const event = (kind: string, effect: string, outcome: string) => `
    INSERT INTO payment_events (id, provider, event_type, dedupe_key, summary, payload, effect, outcome, amount, currency)
    SELECT gen_random_uuid(), 'paystack', '${kind}', '${tag}-${kind}-' || n, 'seeded', '{}', '${effect}', '${outcome}', 10, 'NGN'
      FROM generate_series(1, $1) AS n`;
  const minutesAgo = `now() - make_interval(mins => 20 + ${count} - substring(e.dedupe_key from '[0-9]+$')::int)`;
  await db.query(event('transfer.failed', '{"kind":"PAYMENT_PROGRESS"}', 'APPLIED'), [count]);
  await db.query(`
    INSERT INTO payments (provider, payment_key, transaction_id, progress, provider_status, amount, currency, last_event_id, updated_at)
    SELECT 'paystack', e.dedupe_key, 'tx-' || e.dedupe_key, 'FAILED', 'failed', 10, 'NGN', e.id, ${minutesAgo}
      FROM payment_events e WHERE e.dedupe_key LIKE '${tag}-transfer.failed-%'`);
  await db.query(event('charge.success', '{"kind":"ALERT"}', 'APPLIED'), [count]);
  await db.query(`
    INSERT INTO payment_verifications (event_id, provider, agrees, reported, disagreements, outcome, alert_transaction_id, verified_at)
    SELECT e.id, 'paystack', false, '{}', '["amount: differs"]', 'ALERT', 'paystack:' || e.dedupe_key, ${minutesAgo}
      FROM payment_events e WHERE e.dedupe_key LIKE '${tag}-charge.success-%'`);
  await db.query(event('transfer.success', '{"kind":"PAYMENT_PROGRESS"}', 'APPLIED'), [count]);
  await db.query(`
    INSERT INTO payments (provider, payment_key, progress, provider_status, amount, currency, last_event_id, updated_at)
    SELECT 'paystack', e.dedupe_key, 'SETTLED', 'success', 10, 'NGN', e.id, ${minutesAgo}
      FROM payment_events e WHERE e.dedupe_key LIKE '${tag}-transfer.success-%'`);
}

describe('payment alerts from PostgreSQL, more than a page at a time', () => {
  let db: TestDatabase;
  let pool: Pool;
  const replica = () => new PushPaymentAlerts(new PostgresPaymentAlertSource(pool), new PostgresOperatorEventOutbox(pool), POLICY);
  const raisedOf = (tag: string) =>
    db.query<{ type: string; keys: string[] }>(
      `SELECT o.type, array_agg(e.dedupe_key ORDER BY o.position) AS keys
         FROM operator_events o JOIN payment_events e ON e.id::text = o.dedupe_key
        WHERE e.dedupe_key LIKE $1 GROUP BY o.type ORDER BY o.type`,
      [`${tag}-%`],
    );
  const keys = (tag: string, kind: string, numbers: number[]) => numbers.map((n) => `${tag}-${kind}-${n}`);

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('raises every fact of a burst, oldest first, a page of each kind a pass, and nothing twice', async () => {
    await seedBurst(db, 'one', 7);
    const alerts = replica();

    const first = await alerts.runOnce();
    expect(first).toEqual({ raised: 3 * PAGE, more: true });
    // The oldest page of each kind: the first seeded is the oldest.
    expect(await raisedOf('one')).toEqual([
      { type: 'payment.failed', keys: keys('one', 'transfer.failed', [1, 2, 3]) },
      { type: 'payment.moved_unscreened', keys: keys('one', 'transfer.success', [1, 2, 3]) },
      { type: 'payment.verification_mismatch', keys: keys('one', 'charge.success', [1, 2, 3]) },
    ]);

    const passes = [first];
    while (passes.at(-1)!.more) passes.push(await alerts.runOnce());
    expect(passes.map((pass) => pass.raised)).toEqual([9, 9, 3]);
    const all = [1, 2, 3, 4, 5, 6, 7];
    expect(await raisedOf('one')).toEqual([
      { type: 'payment.failed', keys: keys('one', 'transfer.failed', all) },
      { type: 'payment.moved_unscreened', keys: keys('one', 'transfer.success', all) },
      { type: 'payment.verification_mismatch', keys: keys('one', 'charge.success', all) },
    ]);
    await expect(alerts.runOnce()).resolves.toEqual({ raised: 0, more: false });
  });

  it('raises each once when two replicas walk the same burst at the same time', async () => {
    await seedBurst(db, 'two', 10);
    const drain = async (alerts: PushPaymentAlerts) => {
      let raised = 0;
      for (let pass = await alerts.runOnce(); ; pass = await alerts.runOnce()) {
        raised += pass.raised;
        if (!pass.more) return raised;
      }
    };

    // One may stop at a full page the other raised first; the other raised something, so it goes on.
    const [a, b] = await Promise.all([drain(replica()), drain(replica())]);

    expect(a + b).toBe(30);
    await expect(replica().runOnce()).resolves.toEqual({ raised: 0, more: false });
    const raised = await raisedOf('two');
    expect(raised.map(({ type, keys: raisedKeys }) => [type, raisedKeys.length, new Set(raisedKeys).size])).toEqual([
      ['payment.failed', 10, 10],
      ['payment.moved_unscreened', 10, 10],
      ['payment.verification_mismatch', 10, 10],
    ]);
  });
});
