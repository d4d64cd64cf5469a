// Analysts' claims on review cases: who holds a case and until when, and every change of hands, kept for ever.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseClaims1765200000000 implements MigrationInterface {
  name = 'CaseClaims1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE review_cases
        ADD COLUMN assignee      text,
        ADD COLUMN claimed_until timestamptz,
        ADD CONSTRAINT review_cases_claim_whole CHECK ((assignee IS NULL) = (claimed_until IS NULL))`);
    // The queue's assignee filter: few cases are claimed at any time, so the index stays small.
    await db.query(`CREATE INDEX review_cases_by_assignee ON review_cases (assignee, opened_at, transaction_id) WHERE assignee IS NOT NULL`);
    await db.query(`COMMENT ON COLUMN review_cases.claimed_until IS 'the claim lapses by itself then: readers compare it with now(), nothing sweeps it'`);

    await db.query(`
      CREATE TABLE case_claim_events (
        id             bigserial PRIMARY KEY,
        transaction_id text NOT NULL REFERENCES transactions (id),
        action         text NOT NULL CHECK (action IN ('CLAIMED', 'RELEASED', 'DECIDED')),
        actor          text NOT NULL,
        assignee       text NOT NULL,
        at             timestamptz NOT NULL,
        claimed_until  timestamptz,
        CHECK ((action = 'CLAIMED') = (claimed_until IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX case_claim_events_by_transaction ON case_claim_events (transaction_id, id)`);
    await db.query(`
      CREATE TRIGGER case_claim_events_append_only BEFORE UPDATE OR DELETE ON case_claim_events
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    await db.query(`CREATE TRIGGER case_claim_events_no_truncate BEFORE TRUNCATE ON case_claim_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE case_claim_events`);
    await db.query(`DROP INDEX review_cases_by_assignee`);
    await db.query(`ALTER TABLE review_cases DROP CONSTRAINT review_cases_claim_whole, DROP COLUMN assignee, DROP COLUMN claimed_until`);
  }
}
