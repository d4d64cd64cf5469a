// Transactions with their original payload and screening, plus an append-only decision history.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763760000000 implements MigrationInterface {
  name = 'InitialSchema1763760000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE transactions (
        id                 text PRIMARY KEY,
        direction          text NOT NULL DEFAULT 'OUTBOUND',
        state              text NOT NULL CHECK (state IN ('SCREENING', 'APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL')),
        amount             numeric NOT NULL CHECK (amount > 0),
        currency           text NOT NULL,
        source_account_id  text,
        customer_id        text,
        company_id         text,
        user_id            text,
        payment_scheme     text,
        reference          text,
        beneficiary        jsonb,
        payload            jsonb NOT NULL,
        reasons            jsonb NOT NULL DEFAULT '[]',
        provider           text,
        screening_outcome  text CHECK (screening_outcome IN ('DECIDED', 'TIMEOUT', 'ERROR')),
        provider_status    text,
        provider_reasons   jsonb,
        screening_error    text,
        screening_ms       integer,
        received_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        claimed_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        screened_at        timestamptz,
        updated_at         timestamptz NOT NULL DEFAULT clock_timestamp()
      ) WITH (fillfactor = 80)`);
    await db.query(`COMMENT ON COLUMN transactions.amount IS 'exact decimal in major units, never a float'`);
    await db.query(`COMMENT ON COLUMN transactions.payload IS 'the request body as received, unknown fields included'`);
    await db.query(`COMMENT ON COLUMN transactions.claimed_at IS 'when the screening request claimed it; a stale SCREENING claim may be taken over'`);
    await db.query(`
      CREATE INDEX transactions_source_account_recent ON transactions (source_account_id, received_at)
      WHERE source_account_id IS NOT NULL`);
    // Recording a screening updates state, reasons and timings of a freshly inserted row. With
    // none of those columns indexed and room left on each page (fillfactor), that update is HOT:
    // no index entries are written. Keep `state` out of indexes; a review queue belongs in a
    // table of its own.

    await db.query(`
      CREATE TABLE transaction_decisions (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  text NOT NULL REFERENCES transactions (id),
        status          text NOT NULL CHECK (status IN ('APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL')),
        source          text NOT NULL CHECK (source IN ('PROVIDER', 'FALLBACK', 'ANALYST')),
        decided_by      text NOT NULL,
        reasons         jsonb NOT NULL,
        decided_at      timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX transaction_decisions_by_transaction ON transaction_decisions (transaction_id, id)`);
    await db.query(`
      CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
    await db.query(`
      CREATE TRIGGER transaction_decisions_append_only BEFORE UPDATE OR DELETE ON transaction_decisions
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE transaction_decisions`);
    await db.query(`DROP FUNCTION refuse_history_rewrite()`);
    await db.query(`DROP TABLE transactions`);
  }
}
