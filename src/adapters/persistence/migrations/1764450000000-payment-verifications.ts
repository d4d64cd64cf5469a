// What payment providers' APIs said about the events their webhooks sent, and what was done then.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentVerifications1764450000000 implements MigrationInterface {
  name = 'PaymentVerifications1764450000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per verified event, written once: the event itself is append-only, so an event whose
    // effect waited for its provider's confirmation keeps its outcome FOLLOW_UP and finds what became
    // of it here.
    await db.query(`
      CREATE TABLE payment_verifications (
        event_id              uuid PRIMARY KEY REFERENCES payment_events (id),
        provider              text NOT NULL,
        agrees                boolean NOT NULL,
        reported              jsonb NOT NULL,
        disagreements         jsonb NOT NULL DEFAULT '[]',
        outcome               text NOT NULL CHECK (outcome IN ('APPLIED', 'STALE', 'SCREENED', 'ALERT')),
        alert_transaction_id  text,
        verified_at           timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`COMMENT ON COLUMN payment_verifications.reported IS 'what the provider API answered: found, reference, status, amount (exact, major units), currency'`);
    await db.query(`CREATE INDEX payment_verifications_disagreements ON payment_verifications (verified_at) WHERE NOT agrees`);
    await db.query(`
      CREATE TRIGGER payment_verifications_append_only BEFORE UPDATE OR DELETE ON payment_verifications
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE payment_verifications`);
  }
}
