// Managed lists of the rules engine: declared by rule sets, changed by admins, every change kept in an append-only log.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ManagedLists1765400000000 implements MigrationInterface {
  name = 'ManagedLists1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE managed_lists (
        name         text PRIMARY KEY,
        types        text[] NOT NULL,
        description  text NOT NULL DEFAULT '',
        declared_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE managed_list_entries (
        list_name  text NOT NULL REFERENCES managed_lists (name),
        type       text NOT NULL,
        value      text NOT NULL,
        reason     text NOT NULL,
        added_by   text NOT NULL,
        added_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (list_name, value, type)
      )`);
    await db.query(`COMMENT ON COLUMN managed_list_entries.value IS 'canonical per type (an IBAN without spaces in capitals, a sort code and account number as 123456/12345678): what the engine matches'`);
    await db.query(`
      CREATE TABLE managed_list_changes (
        id          bigserial PRIMARY KEY,
        list_name   text NOT NULL REFERENCES managed_lists (name),
        action      text NOT NULL CHECK (action IN ('ADDED', 'REMOVED')),
        type        text NOT NULL,
        value       text NOT NULL,
        reason      text NOT NULL,
        changed_by  text NOT NULL,
        changed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX managed_list_changes_by_list ON managed_list_changes (list_name, id)`);
    await db.query(`
      CREATE TRIGGER managed_list_changes_append_only BEFORE UPDATE OR DELETE ON managed_list_changes
      FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite()`);
    await db.query(`CREATE TRIGGER managed_list_changes_no_truncate BEFORE TRUNCATE ON managed_list_changes FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_rewrite()`);
    // One row whose version every change raises, in the change's own transaction: replicas poll it
    // (a cheap primary-key read) in case a notification was lost.
    await db.query(`CREATE TABLE managed_list_state (id boolean PRIMARY KEY DEFAULT true CHECK (id), version bigint NOT NULL DEFAULT 0)`);
    await db.query(`INSERT INTO managed_list_state DEFAULT VALUES`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE managed_list_state`);
    await db.query(`DROP TABLE managed_list_changes`);
    await db.query(`DROP TABLE managed_list_entries`);
    await db.query(`DROP TABLE managed_lists`);
  }
}
