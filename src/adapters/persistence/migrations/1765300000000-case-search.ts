// Search over the review queue: what analysts filter on, copied onto each case with the indexes that serve it.
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue is read from review_cases in opened_at order. Keeping every searchable value on the
 * case itself (they never change once a transaction is stored: a repeat that differs is refused)
 * lets one index serve a filter and the queue's order together, so a page stops after its rows
 * instead of sorting every match; and validate's insert into `transactions` gains no index.
 */
export class CaseSearch1765300000000 implements MigrationInterface {
  name = 'CaseSearch1765300000000';

  async up(db: QueryRunner): Promise<void> {
    // pg_trgm is a trusted extension: a database owner may create it without being superuser.
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`
      CREATE FUNCTION normalised_iban(iban text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN nullif(upper(regexp_replace(iban, '\\s', '', 'g')), '')`);
    await db.query(`
      CREATE FUNCTION review_case_search_text(transaction_id text, reference text, beneficiary jsonb) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN lower(concat_ws(' ', transaction_id, reference, beneficiary ->> 'name', normalised_iban(beneficiary ->> 'iban')))`);
    await db.query(`COMMENT ON FUNCTION review_case_search_text(text, text, jsonb) IS 'what q matches: id, reference, beneficiary name and IBAN, lower case'`);
    await db.query(`
      ALTER TABLE review_cases
        ADD COLUMN amount            numeric,
        ADD COLUMN currency          text,
        ADD COLUMN source_account_id text,
        ADD COLUMN customer_id       text,
        ADD COLUMN beneficiary_iban  text,
        ADD COLUMN beneficiary_name  text,
        ADD COLUMN search_text       text`);
    await db.query(`
      UPDATE review_cases c
         SET amount = t.amount, currency = t.currency, source_account_id = t.source_account_id, customer_id = t.customer_id,
             beneficiary_iban = normalised_iban(t.beneficiary ->> 'iban'), beneficiary_name = lower(t.beneficiary ->> 'name'),
             search_text = review_case_search_text(t.id, t.reference, t.beneficiary)
        FROM transactions t WHERE t.id = c.transaction_id`);
    await db.query(`
      ALTER TABLE review_cases
        ALTER COLUMN amount SET NOT NULL, ALTER COLUMN currency SET NOT NULL, ALTER COLUMN search_text SET NOT NULL`);
    await db.query(`COMMENT ON COLUMN review_cases.amount IS 'copied from transactions for search, as are currency, source_account_id, customer_id, beneficiary_iban, beneficiary_name (lower case) and search_text'`);
    // Each equality filter with the queue's order behind it: a page is the first rows of one range.
    for (const column of ['source_account_id', 'customer_id', 'beneficiary_iban']) {
      await db.query(`CREATE INDEX review_cases_by_${column} ON review_cases (${column}, opened_at, transaction_id) WHERE ${column} IS NOT NULL`);
    }
    await db.query(`CREATE INDEX review_cases_by_currency ON review_cases (currency, opened_at, transaction_id)`);
    await db.query(`CREATE INDEX review_cases_by_amount ON review_cases (amount)`);
    // Serve q when it is rare (see postgres-case-search.ts): substrings of the whole search text,
    // similar names on the short name alone (word similarity costs per trigram of the text).
    await db.query(`CREATE INDEX review_cases_search_trigrams ON review_cases USING gin (search_text gin_trgm_ops)`);
    await db.query(`CREATE INDEX review_cases_name_trigrams ON review_cases USING gin (beneficiary_name gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE review_cases
        DROP COLUMN amount, DROP COLUMN currency, DROP COLUMN source_account_id, DROP COLUMN customer_id,
        DROP COLUMN beneficiary_iban, DROP COLUMN beneficiary_name, DROP COLUMN search_text`);
    await db.query(`DROP FUNCTION review_case_search_text(text, text, jsonb)`);
    await db.query(`DROP FUNCTION normalised_iban(text)`);
    await db.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
