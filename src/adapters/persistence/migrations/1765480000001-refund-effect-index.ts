// Refunds are found by their normalised effect (REFUNDED), whatever the platform calls the event: the partial index follows.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RefundEffectIndex1765480000001 implements MigrationInterface {
  name = 'RefundEffectIndex1765480000001';

  async up(db: QueryRunner): Promise<void> {
    // The predicate is reconciliation's, character for character: the planner matches it as written.
    await db.query(`DROP INDEX payment_events_refunds`);
    await db.query(`CREATE INDEX payment_events_refunds ON payment_events (transaction_id) WHERE (effect ->> 'kind') = 'REFUNDED'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX payment_events_refunds`);
    await db.query(`CREATE INDEX payment_events_refunds ON payment_events (transaction_id) WHERE event_type = 'refund.processed'`);
  }
}
