// Payment providers' events, kept once each, with the payments and mandates they move forward.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentEvents1764000000000 implements MigrationInterface {
  name = 'PaymentEvents1764000000000';

  async up(db: QueryRunner): Promise<void> {
    // Every verified event, once per provider dedupe key, exactly as it arrived (decoded for
    // PayTo). Never changed afterwards: what remains to do is in payment_follow_ups.
    await db.query(`
      CREATE TABLE payment_events (
        id              uuid PRIMARY KEY,
        provider        text NOT NULL,
        event_type      text NOT NULL,
        dedupe_key      text NOT NULL,
        message_id      text,
        transaction_id  text,
        status          text,
        amount          numeric CHECK (amount > 0),
        currency        text,
        summary         text NOT NULL,
        payload         jsonb NOT NULL,
        effect          jsonb NOT NULL,
        outcome         text NOT NULL CHECK (outcome IN ('APPLIED', 'STALE', 'FOLLOW_UP', 'RECORDED')),
        occurred_at     timestamptz,
        received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT payment_events_once UNIQUE (provider, dedupe_key)
      )`);
    await db.query(`COMMENT ON COLUMN payment_events.transaction_id IS 'the transaction the event is about, when it names one on record (or the inbound one it creates); not a foreign key, since events may name payments this service never saw'`);
    await db.query(`COMMENT ON COLUMN payment_events.outcome IS 'what recording it did: APPLIED a state change, STALE (older than the state on record), FOLLOW_UP queued, RECORDED only'`);
    await db.query(`CREATE INDEX payment_events_by_transaction ON payment_events (transaction_id, received_at) WHERE transaction_id IS NOT NULL`);
    await db.query(`
      CREATE TRIGGER payment_events_append_only BEFORE UPDATE OR DELETE ON payment_events
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    await db.query(`CREATE TRIGGER payment_events_no_truncate BEFORE TRUNCATE ON payment_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);

    // Work an acknowledged event still owes (screening money received, opening an alert).
    // next_attempt_at is also the lease of the worker that claimed it.
    await db.query(`
      CREATE TABLE payment_follow_ups (
        event_id         uuid PRIMARY KEY REFERENCES payment_events (id),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        queued_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_error       text
      )`);
    await db.query(`CREATE INDEX payment_follow_ups_due ON payment_follow_ups (next_attempt_at)`);

    // Where each payment a provider reports on stands; only ever moved forward (payment-event.ts).
    await db.query(`
      CREATE TABLE payments (
        provider         text NOT NULL,
        payment_key      text NOT NULL,
        transaction_id   text,
        progress         text NOT NULL CHECK (progress IN ('PENDING', 'IN_PROGRESS', 'SETTLED', 'FAILED', 'REVERSED')),
        provider_status  text NOT NULL,
        amount           numeric CHECK (amount > 0),
        currency         text,
        last_event_id    uuid NOT NULL REFERENCES payment_events (id),
        updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (provider, payment_key)
      )`);
    await db.query(`CREATE INDEX payments_by_transaction ON payments (transaction_id) WHERE transaction_id IS NOT NULL`);

    // PayTo mandates: CRTD → ACTV → SUSD ⇄ ACTV → CNCD, never backwards.
    await db.query(`
      CREATE TABLE mandates (
        provider        text NOT NULL,
        mandate_id      text NOT NULL,
        status          text NOT NULL CHECK (status IN ('CRTD', 'ACTV', 'SUSD', 'CNCD')),
        status_at       timestamptz NOT NULL,
        last_event_id   uuid NOT NULL REFERENCES payment_events (id),
        updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (provider, mandate_id)
      )`);
    await db.query(`COMMENT ON COLUMN mandates.status_at IS 'creation time of the event that set the status: orders ACTV/SUSD changes that arrive out of order'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mandates`);
    await db.query(`DROP TABLE payments`);
    await db.query(`DROP TABLE payment_follow_ups`);
    await db.query(`DROP TABLE payment_events`);
  }
}
