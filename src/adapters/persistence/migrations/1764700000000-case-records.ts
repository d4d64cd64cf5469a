// Analysts' notes and attachments: append-only, in the same hash chain as the decisions.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseRecords1764700000000 implements MigrationInterface {
  name = 'CaseRecords1764700000000';

  async up(db: QueryRunner): Promise<void> {
    // Ids come from the decisions' own sequence, so that an id orders every write of the chain,
    // whichever table holds it (audit:verify reports the earliest broken write first).
    const [{ sequence }] = (await db.query(`SELECT pg_get_serial_sequence('transaction_decisions', 'id') AS sequence`)) as { sequence: string }[];
    await db.query(`
      CREATE TABLE case_entries (
        id              bigint PRIMARY KEY DEFAULT nextval('${sequence}'::regclass),
        transaction_id  text NOT NULL REFERENCES transactions (id),
        sequence        integer NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('NOTE', 'ATTACHMENT')),
        author          text NOT NULL,
        at              timestamptz NOT NULL,
        text            text,
        attachment_id   uuid UNIQUE,
        filename        text,
        content_type    text,
        size            integer CHECK (size > 0),
        sha256          text,
        content         bytea,
        prev_hash       text NOT NULL,
        hash            text NOT NULL,
        CONSTRAINT case_entries_position UNIQUE (transaction_id, sequence),
        CHECK ((kind = 'NOTE') = (text IS NOT NULL)),
        CHECK ((kind = 'ATTACHMENT') = (attachment_id IS NOT NULL AND filename IS NOT NULL AND content_type IS NOT NULL
                                        AND size IS NOT NULL AND sha256 IS NOT NULL AND content IS NOT NULL))
      )`);
    // Files are mostly compressed already (PDF, PNG, JPEG): stored out of line without trying again.
    await db.query(`ALTER TABLE case_entries ALTER COLUMN content SET STORAGE EXTERNAL`);
    await db.query(`COMMENT ON COLUMN case_entries.sequence IS 'position in the transaction''s chain, shared with transaction_decisions'`);
    await db.query(`COMMENT ON COLUMN case_entries.hash IS 'sha256(prev_hash || canonical entry); see decision-chain.ts and npm run audit:verify'`);
    await db.query(`COMMENT ON COLUMN case_entries.sha256 IS 'SHA-256 of content, hex; hashed into the chain, and checked against content by audit:verify'`);
    await db.query(`
      CREATE TRIGGER case_entries_append_only BEFORE UPDATE OR DELETE ON case_entries
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    await db.query(`CREATE TRIGGER case_entries_no_truncate BEFORE TRUNCATE ON case_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);

    // Every entry of every chain, whichever table holds it: the head of a chain is its last row here.
    await db.query(`
      CREATE VIEW audit_chain_entries AS
        SELECT id, transaction_id, sequence, prev_hash, hash FROM transaction_decisions
        UNION ALL
        SELECT id, transaction_id, sequence, prev_hash, hash FROM case_entries`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW audit_chain_entries`);
    await db.query(`DROP TABLE case_entries`);
  }
}
