// Finds claims left SCREENING (their validate passed its deadline) without scanning the whole table.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class StaleClaims1764200000000 implements MigrationInterface {
  name = 'StaleClaims1764200000000';

  async up(db: QueryRunner): Promise<void> {
    // Tiny: a row is SCREENING only while its validate runs, or until the sweeper resolves it.
    await db.query(`CREATE INDEX transactions_screening_claimed_at ON transactions (claimed_at) WHERE state = 'SCREENING'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX transactions_screening_claimed_at`);
  }
}
