// Aggregate rules group recent history by customer, beneficiary IBAN or counterparty: one index each on
// (field, received_at), so that a window is a range of the index, as velocity's is on the source account.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AggregateIndexes1765050000000 implements MigrationInterface {
  name = 'AggregateIndexes1765050000000';

  async up(db: QueryRunner): Promise<void> {
    // The expressions are aggregate-sql.ts's, character for character: the planner matches them as written.
    await db.query(`CREATE INDEX transactions_customer_recent ON transactions (customer_id, received_at) WHERE customer_id IS NOT NULL`);
    await db.query(`CREATE INDEX transactions_beneficiary_iban_recent ON transactions ((upper(replace(beneficiary ->> 'iban', ' ', ''))), received_at) WHERE (beneficiary ->> 'iban') IS NOT NULL`);
    await db.query(`CREATE INDEX transactions_counterparty_recent ON transactions ((lower(beneficiary ->> 'name')), received_at) WHERE (beneficiary ->> 'name') IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX transactions_counterparty_recent`);
    await db.query(`DROP INDEX transactions_beneficiary_iban_recent`);
    await db.query(`DROP INDEX transactions_customer_recent`);
  }
}
