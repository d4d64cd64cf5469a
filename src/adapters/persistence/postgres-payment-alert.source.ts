// PostgreSQL facts for payment alerts not yet raised: recent failed payments, API disagreements and money moved unscreened.
import { Pool } from 'pg';
import { PaymentAlertFacts, PaymentAlertSource } from '../../application/ports/payment-alert-source.port';
import { OperatorEventType } from '../../domain/operator-event';

/*
 * A fact is raised once the outbox holds an event of its type with its key: the NOT EXISTS reads
 * the outbox's unique (type, dedupe_key) index. Taking only the facts not yet raised, oldest
 * first, lets passes of bounded size walk through a burst of any size; the newest page of the
 * window alone would leave the oldest behind whenever more than a page arrived between passes.
 */
const NOT_RAISED = (type: string, key: string) => `NOT EXISTS (SELECT 1 FROM operator_events o WHERE o.type = ${type} AND o.dedupe_key = ${key}::text)`;

const FAILED = `
  SELECT p.last_event_id AS event_id, p.provider, p.payment_key, p.transaction_id, p.provider_status, p.amount::text AS amount, p.currency, p.updated_at
    FROM payments p
   WHERE p.progress = 'FAILED' AND p.updated_at >= $1 AND ${NOT_RAISED('$3', 'p.last_event_id')}
   ORDER BY p.updated_at LIMIT $2`;

const MISMATCHES = `
  SELECT v.event_id, v.provider, e.event_type, e.transaction_id, v.alert_transaction_id, e.amount::text AS amount, e.currency,
         v.disagreements, v.verified_at
    FROM payment_verifications v JOIN payment_events e ON e.id = v.event_id
   WHERE NOT v.agrees AND v.verified_at >= $1 AND ${NOT_RAISED('$3', 'v.event_id')}
   ORDER BY v.verified_at LIMIT $2`;

/** Settled or reversed payments that name no transaction of ours, and money received still waiting for its screening. */
const UNSCREENED = `
  SELECT * FROM (
    (SELECT p.last_event_id AS event_id, p.provider, p.payment_key, p.progress, p.amount::text AS amount, p.currency, p.updated_at AS at
       FROM payments p
      WHERE p.transaction_id IS NULL AND p.progress IN ('SETTLED', 'REVERSED') AND p.updated_at >= $1 AND ${NOT_RAISED('$4', 'p.last_event_id')}
      ORDER BY p.updated_at LIMIT $3)
    UNION ALL
    (SELECT e.id, e.provider, e.dedupe_key, 'RECEIVED', e.amount::text, e.currency, e.received_at
       FROM payment_follow_ups f JOIN payment_events e ON e.id = f.event_id
      WHERE e.effect->>'kind' = 'INBOUND_PAYMENT' AND f.queued_at < $2 AND ${NOT_RAISED('$4', 'e.id')}
      ORDER BY f.queued_at LIMIT $3)
  ) facts ORDER BY at LIMIT $3`;

const TYPES = {
  failed: 'payment.failed',
  mismatch: 'payment.verification_mismatch',
  unscreened: 'payment.moved_unscreened',
} as const satisfies Record<string, OperatorEventType>;

export class PostgresPaymentAlertSource extends PaymentAlertSource {
  constructor(private readonly pool: Pool) {
    super();
  }

  async notYetRaised(since: Date, unscreenedBefore: Date, limit: number): Promise<PaymentAlertFacts> {
    const [failed, mismatches, unscreened] = await Promise.all([
      this.pool.query(FAILED, [since, limit, TYPES.failed]),
      this.pool.query(MISMATCHES, [since, limit, TYPES.mismatch]),
      this.pool.query(UNSCREENED, [since, unscreenedBefore, limit, TYPES.unscreened]),
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
