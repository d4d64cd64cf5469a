// Signed checkpoints of the audit chains' heads, and which head of each chain the last checkpoint signed.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditCheckpoints1764710000000 implements MigrationInterface {
  name = 'AuditCheckpoints1764710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_checkpoints (
        number           bigint PRIMARY KEY CHECK (number > 0),
        created_at       timestamptz NOT NULL,
        previous_digest  text,
        heads            jsonb NOT NULL,
        digest           text NOT NULL,
        signature        text NOT NULL,
        key_id           text NOT NULL,
        CHECK ((number = 1) = (previous_digest IS NULL))
      )`);
    await db.query(`COMMENT ON TABLE audit_checkpoints IS 'Ed25519-signed heads of the audit chains; see audit-checkpoint-document.ts and npm run audit:verify -- --public-key'`);
    await db.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    await db.query(`CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);

    // Working state of the signer, not evidence: the chains whose head moved since are signed next.
    await db.query(`
      CREATE TABLE audit_signed_heads (
        transaction_id  text PRIMARY KEY REFERENCES transactions (id),
        sequence        integer NOT NULL,
        checkpoint      bigint NOT NULL REFERENCES audit_checkpoints (number)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_signed_heads`);
    await db.query(`DROP TABLE audit_checkpoints`);
  }
}
