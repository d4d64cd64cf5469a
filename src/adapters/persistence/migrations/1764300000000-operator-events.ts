// The outbox of events for operators (the outgoing event webhook): one row per event, unique per type and dedupe key.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OperatorEvents1764300000000 implements MigrationInterface {
  name = 'OperatorEvents1764300000000';

  async up(db: QueryRunner): Promise<void> {
    // No CHECK on type: a new event type is a change to the domain only, never a migration.
    await db.query(`
      CREATE TABLE operator_events (
        id                uuid PRIMARY KEY,
        position          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        type              text NOT NULL,
        dedupe_key        text NOT NULL,
        payload           jsonb NOT NULL,
        occurred_at       timestamptz NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        queued_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        attempts          integer NOT NULL DEFAULT 0,
        attempts_at_queue integer NOT NULL DEFAULT 0,
        next_attempt_at   timestamptz DEFAULT clock_timestamp(),
        leased_until      timestamptz,
        delivered_at      timestamptz,
        dead_at           timestamptz,
        last_error        text,
        redelivered_by    text,
        redelivered_at    timestamptz,
        CONSTRAINT operator_events_once UNIQUE (type, dedupe_key),
        CHECK (delivered_at IS NULL OR dead_at IS NULL),
        CHECK ((next_attempt_at IS NULL) = (delivered_at IS NOT NULL OR dead_at IS NOT NULL))
      )`);
    await db.query(`COMMENT ON COLUMN operator_events.id IS 'sent as webhook-id on every attempt'`);
    await db.query(`COMMENT ON COLUMN operator_events.payload IS 'the envelope''s data; type and occurred_at complete it'`);
    await db.query(`COMMENT ON COLUMN operator_events.next_attempt_at IS 'when it is due; a claim pushes it to the end of the lease; NULL once delivered or dead'`);
    await db.query(`COMMENT ON COLUMN operator_events.leased_until IS 'set by a claim: the worker sending it holds it until then'`);
    await db.query(`COMMENT ON COLUMN operator_events.queued_at IS 'start of its maximum age: creation, or the last redelivery by hand'`);
    await db.query(`CREATE INDEX operator_events_due ON operator_events (next_attempt_at) WHERE next_attempt_at IS NOT NULL`);
    await db.query(`CREATE INDEX operator_events_dead ON operator_events (position) WHERE dead_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE operator_events`);
  }
}
