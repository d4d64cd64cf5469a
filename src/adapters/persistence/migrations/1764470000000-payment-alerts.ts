// Payment alerts read recent failed payments; few fail, so a partial index finds them without reading the rest.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentAlerts1764470000000 implements MigrationInterface {
  name = 'PaymentAlerts1764470000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX payments_failed ON payments (updated_at) WHERE progress = 'FAILED'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX payments_failed`);
  }
}
