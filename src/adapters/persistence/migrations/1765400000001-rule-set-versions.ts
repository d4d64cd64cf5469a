// Versioned rule sets of the embedded engine: every version's text, an append-only log of activations, the active one, and the version each verdict came from.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RuleSetVersions1765400000001 implements MigrationInterface {
  name = 'RuleSetVersions1765400000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE rule_set_versions (
        version     integer PRIMARY KEY CHECK (version > 0),
        format      text NOT NULL CHECK (format IN ('yaml', 'json')),
        source      text NOT NULL,
        created_by  text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE rule_set_activations (
        id            bigserial PRIMARY KEY,
        version       integer NOT NULL REFERENCES rule_set_versions (version),
        activated_by  text NOT NULL,
        activated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    for (const table of ['rule_set_versions', 'rule_set_activations']) {
      await db.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
      await db.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
    }
    // One row: the active version. Replicas poll it (a primary-key read) in case a notification was lost.
    await db.query(`CREATE TABLE rule_set_state (id boolean PRIMARY KEY DEFAULT true CHECK (id), active_version integer NOT NULL REFERENCES rule_set_versions (version))`);
    await db.query(`ALTER TABLE transactions ADD COLUMN rule_set_version integer`);
    await db.query(`COMMENT ON COLUMN transactions.rule_set_version IS 'the embedded engine''s rule-set version whose verdict was answered at validate; null for other providers and the fallback'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE transactions DROP COLUMN rule_set_version`);
    await db.query(`DROP TABLE rule_set_state`);
    await db.query(`DROP TABLE rule_set_activations`);
    await db.query(`DROP TABLE rule_set_versions`);
  }
}
