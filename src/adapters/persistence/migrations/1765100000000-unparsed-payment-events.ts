// A verified payment event that cannot be read is kept anyway (UNPARSED, with why), and the stored events can be listed by time.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class UnparsedPaymentEvents1765100000000 implements MigrationInterface {
  name = 'UnparsedPaymentEvents1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE payment_events DROP CONSTRAINT payment_events_outcome_check`);
    // NOT VALID, then VALIDATE: the rows on record are read without holding off writers meanwhile.
    await db.query(`ALTER TABLE payment_events ADD CONSTRAINT payment_events_outcome_check CHECK (outcome IN ('APPLIED', 'STALE', 'FOLLOW_UP', 'RECORDED', 'UNPARSED')) NOT VALID`);
    await db.query(`ALTER TABLE payment_events ADD COLUMN reason text`);
    await db.query(`ALTER TABLE payment_events ADD CONSTRAINT payment_events_unparsed_reason CHECK ((outcome = 'UNPARSED') = (reason IS NOT NULL)) NOT VALID`);
    await db.query(`ALTER TABLE payment_events VALIDATE CONSTRAINT payment_events_outcome_check`);
    await db.query(`ALTER TABLE payment_events VALIDATE CONSTRAINT payment_events_unparsed_reason`);
    await db.query(`COMMENT ON COLUMN payment_events.reason IS 'why an UNPARSED event could not be read; null otherwise'`);
    // GET /payment-events pages newest first by (received_at, id); the few unread events have an index of their own.
    await db.query(`CREATE INDEX payment_events_received ON payment_events (received_at, id)`);
    await db.query(`CREATE INDEX payment_events_unparsed ON payment_events (received_at, id) WHERE outcome = 'UNPARSED'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX payment_events_unparsed`);
    await db.query(`DROP INDEX payment_events_received`);
    await db.query(`ALTER TABLE payment_events DROP CONSTRAINT payment_events_unparsed_reason`);
    await db.query(`ALTER TABLE payment_events DROP COLUMN reason`);
    await db.query(`ALTER TABLE payment_events DROP CONSTRAINT payment_events_outcome_check`);
    await db.query(`ALTER TABLE payment_events ADD CONSTRAINT payment_events_outcome_check CHECK (outcome IN ('APPLIED', 'STALE', 'FOLLOW_UP', 'RECORDED'))`);
  }
}
