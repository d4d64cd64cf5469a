// PostgreSQL reading of the payment events kept: newest first, filtered, paged by (received_at, id).
import { Pool } from 'pg';
import { PaymentEventLog, PaymentEventQuery, StoredPaymentEvent } from '../../application/ports/payment-event-log.port';
import { EffectOutcome } from '../../domain/payment-event';
import { resolvedOutcome } from './postgres-payment-event.queries';

const LIST_EVENTS = `
  SELECT id, provider, event_type, dedupe_key, message_id, transaction_id, status, amount::text AS amount, currency, summary,
         ${resolvedOutcome('e')} AS outcome, reason, occurred_at, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at,
         payload::text AS payload
    FROM payment_events e
   WHERE ($1::text IS NULL OR provider = $1)
     AND ($2::text IS NULL OR ${resolvedOutcome('e')} = $2)
     AND ($3::timestamptz IS NULL OR received_at >= $3)
     AND ($4::timestamptz IS NULL OR received_at < $4)
     AND ($5::timestamptz IS NULL OR (received_at, id) < ($5::timestamptz, $6::uuid))
   ORDER BY received_at DESC, id DESC
   LIMIT $7`;

interface EventRow {
  id: string;
  provider: string;
  event_type: string;
  dedupe_key: string;
  message_id: string | null;
  transaction_id: string | null;
  status: string | null;
  amount: string | null;
  currency: string | null;
  summary: string;
  outcome: EffectOutcome;
  reason: string | null;
  occurred_at: Date | null;
  received_at: string;
  payload: string;
}

export class PostgresPaymentEventLog extends PaymentEventLog {
  constructor(private readonly pool: Pool) {
    super();
  }

  async list(query: PaymentEventQuery): Promise<StoredPaymentEvent[]> {
    const { rows } = await this.pool.query<EventRow>(LIST_EVENTS, [
      query.provider ?? null,
      query.outcome ?? null,
      query.from ?? null,
      query.to ?? null,
      query.before?.receivedAt ?? null,
      query.before?.id ?? null,
      query.limit,
    ]);
    return rows.map((row) => ({
      id: row.id,
      provider: row.provider,
      eventType: row.event_type,
      dedupeKey: row.dedupe_key,
      messageId: row.message_id,
      transactionId: row.transaction_id,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      summary: row.summary,
      outcome: row.outcome,
      reason: row.reason,
      occurredAt: row.occurred_at,
      receivedAt: row.received_at,
      payloadJson: row.payload,
    }));
  }
}
