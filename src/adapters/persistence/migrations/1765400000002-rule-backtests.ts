// Backtests of candidate rule sets: queued, run by one replica's worker, their progress and result kept across restarts.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RuleBacktests1765400000002 implements MigrationInterface {
  name = 'RuleBacktests1765400000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rule_backtests (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state              text NOT NULL DEFAULT 'QUEUED' CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        candidate_version  integer REFERENCES rule_set_versions (version),
        candidate_source   text NOT NULL,
        from_at            timestamptz NOT NULL,
        to_at              timestamptz NOT NULL CHECK (to_at > from_at),
        requested_by       text NOT NULL,
        requested_at       timestamptz NOT NULL DEFAULT now(),
        started_at         timestamptz,
        heartbeat_at       timestamptz,
        finished_at        timestamptz,
        attempts           integer NOT NULL DEFAULT 0,
        total              integer,
        processed          integer NOT NULL DEFAULT 0,
        result             jsonb,
        error              text
      )`);
    await db.query(`CREATE INDEX rule_backtests_waiting ON rule_backtests (requested_at) WHERE state IN ('QUEUED', 'RUNNING')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rule_backtests`);
  }
}
