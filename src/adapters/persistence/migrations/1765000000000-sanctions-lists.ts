// Consolidated sanctions lists (OFAC, UN, EU, UK) loaded by `npm run sanctions:load`, and analysts' per-customer allowances.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class SanctionsLists1765000000000 implements MigrationInterface {
  name = 'SanctionsLists1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sanctions_lists (
        id           bigserial PRIMARY KEY,
        source       text NOT NULL,
        version      text NOT NULL,
        format       text NOT NULL,
        file_name    text NOT NULL,
        entry_count  integer NOT NULL DEFAULT 0,
        loaded_at    timestamptz NOT NULL DEFAULT now(),
        replaced_at  timestamptz
      )`);
    await db.query(`COMMENT ON TABLE sanctions_lists IS 'every load of a list; the current one of a source has replaced_at null, older ones keep their metadata but not their entries'`);
    await db.query(`CREATE UNIQUE INDEX sanctions_lists_current ON sanctions_lists (source) WHERE replaced_at IS NULL`);
    await db.query(`
      CREATE TABLE sanctions_entries (
        list_id      bigint NOT NULL REFERENCES sanctions_lists (id) ON DELETE CASCADE,
        entry_id     text NOT NULL,
        kind         text NOT NULL,
        name         text NOT NULL,
        aliases      text[] NOT NULL,
        birth_dates  text[] NOT NULL,
        countries    text[] NOT NULL,
        programmes   text[] NOT NULL,
        PRIMARY KEY (list_id, entry_id)
      )`);
    await db.query(`
      CREATE TABLE sanctions_allowed_names (
        id           bigserial PRIMARY KEY,
        customer_id  text NOT NULL,
        source       text NOT NULL,
        entry_id     text NOT NULL,
        name         text NOT NULL,
        name_key     text NOT NULL,
        reason       text NOT NULL,
        allowed_by   text NOT NULL,
        allowed_at   timestamptz NOT NULL DEFAULT now(),
        UNIQUE (customer_id, source, entry_id, name_key)
      )`);
    await db.query(`COMMENT ON COLUMN sanctions_allowed_names.name_key IS 'the name as the matcher compares it (transliterated, lower case, tokens sorted): spelling the same name differently is the same allowance'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sanctions_allowed_names`);
    await db.query(`DROP TABLE sanctions_entries`);
    await db.query(`DROP TABLE sanctions_lists`);
  }
}
