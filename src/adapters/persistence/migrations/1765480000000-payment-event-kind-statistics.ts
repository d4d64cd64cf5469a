// Statistics on what kind of effect each payment event had, so that reconciliation's plan knows how many inbound payments there are.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PaymentEventKindStatistics1765480000000 implements MigrationInterface {
  name = 'PaymentEventKindStatistics1765480000000';

  async up(db: QueryRunner): Promise<void> {
    // Without them the planner guessed 0.5% of the events for effect->>'kind' = 'INBOUND_PAYMENT' (15% in
    // bench:reconciliation) and looked up the 150,000 inbound events one by one instead of hashing them. ANALYZE
    // keeps them; nothing is added to the writes.
    await db.query(`CREATE STATISTICS payment_events_effect_kind ON ((effect ->> 'kind')) FROM payment_events`);
    // Only a table with rows is analysed: on a new database ANALYZE would record it as empty, and until autovacuum
    // analysed it again every plan cached meanwhile (each connection's foreign-key checks against payment_events)
    // stayed a sequential scan, 0.6 ms a lookup at 10,000 events; a table never analysed is planned by its keys.
    const [{ any }] = (await db.query(`SELECT EXISTS (SELECT 1 FROM payment_events) AS any`)) as { any: boolean }[];
    if (any) await db.query(`ANALYZE payment_events`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP STATISTICS payment_events_effect_kind`);
  }
}
