// The signer keeps, per chain, every checkpoint that signed a head of it: the evidence pack checks them all, not only the last.
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A chain rewritten after it was signed, then signed again at its next entry, contradicts only the
 * earlier checkpoint: the last one signed the rewritten chain. The pack found checkpoints through
 * `checkpoint` (the last) alone. Null for chains signed before this migration: the pack then
 * checks the last, as before (`audit:verify --public-key` checks every checkpoint regardless).
 * Adding a nullable column without a default rewrites nothing.
 */
export class SignedHeadCheckpoints1765700000000 implements MigrationInterface {
  name = 'SignedHeadCheckpoints1765700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_signed_heads ADD COLUMN checkpoints bigint[]`);
    await db.query(`COMMENT ON COLUMN audit_signed_heads.checkpoints IS 'every checkpoint that signed a head of the chain, oldest first; null for chains last signed before migration 1765700000000'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_signed_heads DROP COLUMN checkpoints`);
  }
}
