// Each provider's own verdict beside the answered one: the parts of a combination (LIVE) and the shadow challenger (SHADOW).
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProviderVerdicts1764100000000 implements MigrationInterface {
  name = 'ProviderVerdicts1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE provider_verdicts (
        transaction_id  text NOT NULL REFERENCES transactions (id),
        role            text NOT NULL CHECK (role IN ('LIVE', 'SHADOW')),
        provider        text NOT NULL,
        status          text CHECK (status IN ('APPROVED', 'REJECTED', 'PENDING_EXTERNAL_APPROVAL')),
        reasons         jsonb NOT NULL DEFAULT '[]',
        error           text,
        duration_ms     integer NOT NULL,
        screened_at     timestamptz NOT NULL,
        PRIMARY KEY (transaction_id, role, provider),
        CHECK (status IS NOT NULL OR error IS NOT NULL)
      )`);
    await db.query(`COMMENT ON TABLE provider_verdicts IS 'never read to answer Toqio: the answered status and reasons live in transactions and transaction_decisions'`);
    await db.query(`COMMENT ON COLUMN provider_verdicts.status IS 'null when the provider failed or ran out of time (see error)'`);
    // The shadow report groups every shadow verdict by provider; live parts are only read per transaction.
    await db.query(`CREATE INDEX provider_verdicts_shadow ON provider_verdicts (provider) WHERE role = 'SHADOW'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE provider_verdicts`);
  }
}
