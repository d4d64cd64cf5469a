// PostgreSQL facts for payment alerts: recent failed payments, API disagreements and money moved unscreened.
import { Pool } from 'pg';
import { PaymentAlertFacts, PaymentAlertSource } from '../../application/ports/payment-alert-source.port';

const FAILED = `
  SELECT last_event_id AS event_id, provider, payment_key, transaction_id, provider_status, amount::text AS amount, currency, updated_at
    FROM payments WHERE progress = 'FAILED' AND updated_at >= $1 ORDER BY updated_at DESC LIMIT $2`;

const MISMATCHES = `
  SELECT v.event_id, v.provider, e.event_type, e.transaction_id, v.alert_transaction_id, e.amount::text AS amount, e.currency,
         v.disagreements, v.verified_at
    FROM payment_verifications v JOIN payment_events e ON e.id = v.event_id
   WHERE NOT v.agrees AND v.verified_at >= $1 ORDER BY v.verified_at DESC LIMIT $2`;

/** Settled or reversed payments that name no transaction of ours, and money received still waiting for its screening. */
const UNSCREENED = `
  (SELECT last_event_id AS event_id, provider, payment_key, progress, amount::text AS amount, currency, updated_at AS at
     FROM payments WHERE transaction_id IS NULL AND progress IN ('SETTLED', 'REVERSED') AND updated_at >= $1 ORDER BY updated_at DESC LIMIT $3)
  UNION ALL
  (SELECT e.id, e.provider, e.dedupe_key, 'RECEIVED', e.amount::text, e.currency, e.received_at
     FROM payment_follow_ups f JOIN payment_events e ON e.id = f.event_id
    WHERE e.effect->>'kind' = 'INBOUND_PAYMENT' AND f.queued_at < $2 ORDER BY f.queued_at DESC LIMIT $3)`;

export class PostgresPaymentAlertSource extends PaymentAlertSource {
  constructor(private readonly pool: Pool) {
    super();
  }

  async recent(since: Date, unscreenedBefore: Date, limit: number): Promise<PaymentAlertFacts> {
    const [failed, mismatches, unscreened] = await Promise.all([
      this.pool.query(FAILED, [since, limit]),
      this.pool.query(MISMATCHES, [since, limit]),
      this.pool.query(UNSCREENED, [since, unscreenedBefore, limit]),
    ]);
    return {
      failed: failed.rows.map((row) => ({
        eventId: row.event_id,
        provider: row.provider,
        paymentKey: row.payment_key,
        transactionId: row.transaction_id,
        providerStatus: row.provider_status,
        amount: row.amount,
        currency: row.currency,
        failedAt: row.updated_at,
      })),
      mismatches: mismatches.rows.map((row) => ({
        eventId: row.event_id,
        provider: row.provider,
        eventType: row.event_type,
        transactionId: row.transaction_id,
        alertTransactionId: row.alert_transaction_id,
        amount: row.amount,
        currency: row.currency,
        disagreements: row.disagreements,
        verifiedAt: row.verified_at,
      })),
      unscreened: unscreened.rows.map((row) => ({ eventId: row.event_id, provider: row.provider, paymentKey: row.payment_key, progress: row.progress, amount: row.amount, currency: row.currency, at: row.at })),
    };
  }
}
