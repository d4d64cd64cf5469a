// A payment event's follow-up is queued without a foreign-key check: the row it names is inserted by the same statement and can never go.
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * payment_follow_ups rows are only ever inserted by RECORD_EVENTS, from the RETURNING of the
 * payment_events insert in the same statement, and payment_events refuses UPDATE, DELETE and
 * TRUNCATE (append-only triggers): the event a follow-up names always exists. The foreign key
 * proved nothing more, and cost every event a check query, a row lock and its WAL record; on a
 * young table its cached plan stayed a sequential scan (0.7 ms an event after 10,000 events,
 * growing with the table), which made ingestion slower the longer it ran.
 */
export class FollowUpWithoutForeignKey1765490000000 implements MigrationInterface {
  name = 'FollowUpWithoutForeignKey1765490000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE payment_follow_ups DROP CONSTRAINT payment_follow_ups_event_id_fkey`);
    await db.query(
      `COMMENT ON COLUMN payment_follow_ups.event_id IS 'the payment event owed this work; inserted with it by one statement, and payment_events is append-only, so no foreign key is checked'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`COMMENT ON COLUMN payment_follow_ups.event_id IS NULL`);
    await db.query(`ALTER TABLE payment_follow_ups ADD CONSTRAINT payment_follow_ups_event_id_fkey FOREIGN KEY (event_id) REFERENCES payment_events (id)`);
  }
}
