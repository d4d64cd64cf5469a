// Reconciliation: the indexes that read a range of transactions and payments, and one stored report per day.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reconciliation1764460000000 implements MigrationInterface {
  name = 'Reconciliation1764460000000';

  async up(db: QueryRunner): Promise<void> {
    // received_at and id never change after the insert, so validate's screening update stays HOT.
    await db.query(`CREATE INDEX transactions_received ON transactions (received_at, id)`);
    // Movements no transaction covers, and refunds, are few: partial indexes keep them cheap to find.
    await db.query(`CREATE INDEX payments_unlinked ON payments (updated_at) WHERE transaction_id IS NULL`);
    await db.query(`CREATE INDEX payment_events_refunds ON payment_events (transaction_id) WHERE event_type = 'refund.processed'`);
    await db.query(`
      CREATE TABLE reconciliation_reports (
        day           date PRIMARY KEY,
        generated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        settle_hours  integer NOT NULL,
        counts        jsonb NOT NULL,
        totals        jsonb NOT NULL,
        rows          jsonb NOT NULL,
        truncated     boolean NOT NULL
      )`);
    await db.query(`COMMENT ON TABLE reconciliation_reports IS 'one report per UTC day, stored once by the daily job (whichever replica takes the day''s advisory lock)'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reconciliation_reports`);
    await db.query(`DROP INDEX payment_events_refunds`);
    await db.query(`DROP INDEX payments_unlinked`);
    await db.query(`DROP INDEX transactions_received`);
  }
}
