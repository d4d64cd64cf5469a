// Case alerts: marks of what was reported to operators (opened, overdue, a notification dead), each set in the transaction that queues its event.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseAlerts1765210000000 implements MigrationInterface {
  name = 'CaseAlerts1765210000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE review_cases ADD COLUMN opened_reported_at timestamptz, ADD COLUMN overdue_reported_at timestamptz`);
    // Cases opened before alerts existed are not news; those still pending may yet be reported overdue.
    await db.query(`UPDATE review_cases SET opened_reported_at = opened_at`);
    await db.query(`CREATE INDEX review_cases_opened_unreported ON review_cases (opened_at) WHERE opened_reported_at IS NULL`);
    await db.query(`CREATE INDEX review_cases_overdue_unreported ON review_cases (opened_at) WHERE status = 'PENDING_EXTERNAL_APPROVAL' AND overdue_reported_at IS NULL`);

    // Cleared by a redelivery: dead again is reported again.
    await db.query(`ALTER TABLE toqio_notifications ADD COLUMN dead_reported_at timestamptz`);
    await db.query(`UPDATE toqio_notifications SET dead_reported_at = dead_at WHERE state = 'DEAD'`);
    await db.query(`CREATE INDEX toqio_notifications_dead_unreported ON toqio_notifications (dead_at) WHERE state = 'DEAD' AND dead_reported_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX toqio_notifications_dead_unreported`);
    await db.query(`ALTER TABLE toqio_notifications DROP COLUMN dead_reported_at`);
    await db.query(`DROP INDEX review_cases_overdue_unreported`);
    await db.query(`DROP INDEX review_cases_opened_unreported`);
    await db.query(`ALTER TABLE review_cases DROP COLUMN opened_reported_at, DROP COLUMN overdue_reported_at`);
  }
}
