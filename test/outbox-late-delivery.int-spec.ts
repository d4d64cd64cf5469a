// Both outboxes against a real PostgreSQL: a delivery reported after another worker marked the item dead still counts as delivered.
import { Pool } from 'pg';
import { PostgresNotificationOutbox } from '../src/adapters/persistence/postgres-notification.outbox';
import { PostgresOperatorEventOutbox } from '../src/adapters/persistence/postgres-operator-event.outbox';
import { DeliveryResult } from '../src/application/ports/outbox-delivery.port';
import { operatorEvent } from '../src/domain/operator-event';
import { createMigratedTestDatabase, TestDatabase } from './support/database';

const result = (outcome: DeliveryResult['outcome'], httpStatus?: number): DeliveryResult => ({
  outcome,
  ...(httpStatus === undefined ? {} : { httpStatus }),
  ...(outcome === 'DELIVERED' ? {} : { error: `answered ${httpStatus}` }),
  startedAt: new Date(),
  durationMs: 5,
});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an outbox hearing of a delivery after the item went dead', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('records a notification to Toqio as delivered, whatever another worker recorded after its lease ran out', async () => {
    await db.query(`INSERT INTO transactions (id, state, amount, currency, payload) VALUES ('late-1', 'APPROVED', 12000, 'GBP', '{}')`);
    const [decision] = await db.query<{ id: string }>(
      `INSERT INTO transaction_decisions (transaction_id, sequence, status, final, source, decided_by, reasons, decided_at, prev_hash, hash)
       VALUES ('late-1', 1, 'APPROVED', true, 'ANALYST', 'alice', '["ok"]', now(), 'p', 'h') RETURNING id::text`,
    );
    await db.query(`INSERT INTO toqio_notifications (id, transaction_id, decision_id, body, state, next_attempt_at, queued_at)
                    VALUES ('6a0f3f5e-2b7c-4d61-9a55-0c7e5b1d2a01', 'late-1', $1, '{}', 'QUEUED', clock_timestamp(), clock_timestamp())`, [decision!.id]);
    const outbox = new PostgresNotificationOutbox(pool);

    // Worker A claims it; its lease (1 ms) runs out while Toqio is still answering; worker B claims it, is refused, and gives up.
    const [slow] = await outbox.claimDue(10, 1);
    await pause(20);
    const [fast] = await outbox.claimDue(10, 1);
    expect([slow!.attempt, fast!.attempt]).toEqual([1, 2]);
    await outbox.recordAttempt(fast!, result('REFUSED', 500), { dead: true });
    expect(await db.query('SELECT state FROM toqio_notifications')).toEqual([{ state: 'DEAD' }]);

    // Then A's answer arrives: Toqio took the notification, so it is delivered, not dead.
    await outbox.recordAttempt(slow!, result('DELIVERED', 200), 'DELIVERED');

    const [row] = await db.query<Record<string, unknown>>('SELECT state, dead_at, delivered_at, last_error, next_attempt_at FROM toqio_notifications');
    expect(row).toEqual({ state: 'DELIVERED', dead_at: null, delivered_at: expect.any(Date), last_error: null, next_attempt_at: null });
    expect(await db.query('SELECT attempt, outcome FROM toqio_notification_attempts ORDER BY id')).toEqual([
      { attempt: 2, outcome: 'REFUSED' },
      { attempt: 1, outcome: 'DELIVERED' },
    ]);
  });

  it('records an operator event as delivered likewise, and leaves a delivered one alone', async () => {
    const outbox = new PostgresOperatorEventOutbox(pool);
    await outbox.enqueue([operatorEvent('notification.dead', 'late-event', new Date(), { notificationId: 'n', transactionId: 't', status: 'APPROVED', attempts: 3, lastError: null, deadAt: new Date().toISOString(), consolePath: '/console' })]);

    const [slow] = await outbox.claimDue(10, 1);
    await pause(20);
    const [fast] = await outbox.claimDue(10, 1);
    await outbox.recordAttempt(fast!, result('REFUSED', 410), { dead: true });
    expect(await db.query('SELECT dead_at IS NOT NULL AS dead FROM operator_events')).toEqual([{ dead: true }]);

    await outbox.recordAttempt(slow!, result('DELIVERED', 204), 'DELIVERED');
    const [row] = await db.query<{ delivered_at: Date | null; dead_at: Date | null; next_attempt_at: Date | null }>('SELECT delivered_at, dead_at, next_attempt_at FROM operator_events');
    expect(row).toEqual({ delivered_at: expect.any(Date), dead_at: null, next_attempt_at: null });

    // A failure reported later still cannot take the delivery back.
    await outbox.recordAttempt(fast!, result('REFUSED', 500), { dead: true });
    expect(await db.query('SELECT delivered_at IS NOT NULL AS delivered, dead_at FROM operator_events')).toEqual([{ delivered: true, dead_at: null }]);
  });
});
