// Autovacuum visits transactions after 10,000 new rows plus 1% of the table, so that a day's rows are all-visible and a sum by customer reads the covering index alone.
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index-only scan still reads the table for every row on a page no vacuum has marked
 * all-visible, and until PostgreSQL 17 the default (autovacuum_vacuum_insert_scale_factor 0.2)
 * vacuums an insert-only table once it has grown by a fifth: on 10 M rows, after 2 M more, hours at
 * a steady rate. Meanwhile the customer index's sums (it covers currency, direction and amount,
 * migration 1765500000000) read each recent row from the table too: a customer's day of 50 rows
 * read 105 buffers, 5 to 19 once vacuumed. PostgreSQL 18 applies either fraction to the unfrozen
 * part of the table only. Each vacuum reads the pages not yet all-visible: with the embedded
 * engine's single insert per validate, on 2.2 M rows taking 1,000 a second, 0.03 s of CPU and
 * 100 kB of WAL a minute. Storage parameters: an operator can change or RESET them
 * (docs/operations.md says when to).
 */
export class VacuumAfterInserts1765600000000 implements MigrationInterface {
  name = 'VacuumAfterInserts1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await setWithin(db, `ALTER TABLE transactions SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 10000)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await setWithin(db, `ALTER TABLE transactions RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold)`);
  }
}

/**
 * Inserts and updates go on while the table's parameters change; a VACUUM, ANALYZE or index build
 * of the table does not, and can take hours (an autovacuum gives way within deadlock_timeout). The
 * start then fails in seconds, saying why, rather than waiting past the startup probe unexplained.
 */
async function setWithin(db: QueryRunner, statement: string): Promise<void> {
  await db.query(`SET LOCAL lock_timeout = '5s'`);
  try {
    await db.query(statement);
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code !== '55P03') throw error;
    throw new Error(
      'migration 1765600000000 could not change the transactions table\'s autovacuum settings within 5 s: a VACUUM, ANALYZE or index build of the table holds it (pg_locks shows which); start again once it has ended',
    );
  }
}
