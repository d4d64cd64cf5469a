// PostgreSQL record of payment providers' events: once per dedupe key, with their effect, atomically.
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { EffectOutcome, FollowUp, PaymentEventStore, RecordedEvent } from '../../application/ports/payment-event-store.port';
import { Money } from '../../domain/money';
import { mandateAdvances, MandateStatus, PaymentEffect, PaymentEvent, paymentAdvances, PaymentProgress } from '../../domain/payment-event';
import { JsonObject } from '../../domain/transaction';

/**
 * The first transaction on record among the candidates, in the order given; an inbound payment
 * or alert links to the transaction its follow-up creates even before it exists.
 */
const INSERT_EVENT = `
  INSERT INTO payment_events (id, provider, event_type, dedupe_key, message_id, transaction_id, status, amount, currency,
                              summary, payload, effect, outcome, occurred_at)
  VALUES ($1, $2, $3, $4, $5,
          coalesce((SELECT c.id FROM unnest($6::text[]) WITH ORDINALITY AS c(id, position)
                     WHERE EXISTS (SELECT 1 FROM transactions t WHERE t.id = c.id) ORDER BY c.position LIMIT 1), $7),
          $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT ON CONSTRAINT payment_events_once DO NOTHING
  RETURNING id, transaction_id`;
const FIND_EVENT = `SELECT id FROM payment_events WHERE provider = $1 AND dedupe_key = $2`;

const READ_PAYMENT = `SELECT progress, provider_status FROM payments WHERE provider = $1 AND payment_key = $2`;
const UPSERT_PAYMENT = `
  INSERT INTO payments (provider, payment_key, transaction_id, progress, provider_status, amount, currency, last_event_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (provider, payment_key) DO UPDATE
     SET progress = EXCLUDED.progress, provider_status = EXCLUDED.provider_status,
         transaction_id = coalesce(payments.transaction_id, EXCLUDED.transaction_id),
         amount = coalesce(payments.amount, EXCLUDED.amount), currency = coalesce(payments.currency, EXCLUDED.currency),
         last_event_id = EXCLUDED.last_event_id, updated_at = clock_timestamp()`;

const READ_MANDATE = `SELECT status, status_at FROM mandates WHERE provider = $1 AND mandate_id = $2`;
const UPSERT_MANDATE = `
  INSERT INTO mandates (provider, mandate_id, status, status_at, last_event_id) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (provider, mandate_id) DO UPDATE
     SET status = EXCLUDED.status, status_at = EXCLUDED.status_at, last_event_id = EXCLUDED.last_event_id, updated_at = clock_timestamp()`;

/** Leased like the outbox: next_attempt_at moves forward on claim, SKIP LOCKED between replicas. */
const CLAIM_FOLLOW_UPS = `
  WITH due AS (
    SELECT event_id FROM payment_follow_ups
     WHERE next_attempt_at <= clock_timestamp()
     ORDER BY next_attempt_at LIMIT $1
       FOR UPDATE SKIP LOCKED
  )
  UPDATE payment_follow_ups f
     SET attempts = f.attempts + 1, next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
    FROM due, payment_events e
   WHERE f.event_id = due.event_id AND e.id = f.event_id
  RETURNING f.event_id, f.attempts, f.queued_at, e.provider, e.effect`;

/** Money as exact text inside the stored effect. */
type StoredEffect =
  | { kind: 'INBOUND_PAYMENT'; transactionId: string; amount: string; currency: string; customerId?: string; reference?: string; attributes: JsonObject }
  | { kind: 'ALERT'; transactionId: string; amount: string; currency: string; reason: string; attributes: JsonObject }
  | { kind: 'PAYMENT_PROGRESS' | 'MANDATE_STATUS' | 'NONE'; [key: string]: unknown };

export class PostgresPaymentEventStore extends PaymentEventStore {
  constructor(private readonly pool: Pool) {
    super();
  }

  async record(event: PaymentEvent): Promise<RecordedEvent> {
    const { effect } = event;
    const followUp = effect.kind === 'INBOUND_PAYMENT' || effect.kind === 'ALERT';
    const simple = followUp || effect.kind === 'NONE';
    // Most events need one statement; those that move a payment or mandate need a transaction.
    return simple ? this.recordSimple(event, followUp) : this.inTransaction((client) => this.recordWithState(client, event));
  }

  private async recordSimple(event: PaymentEvent, followUp: boolean): Promise<RecordedEvent> {
    const id = randomUUID();
    const outcome: EffectOutcome = followUp ? 'FOLLOW_UP' : 'RECORDED';
    const { rows } = await this.pool.query<{ id: string }>({
      name: followUp ? 'payment_event_record_follow_up' : 'payment_event_record',
      text: followUp
        ? `WITH e AS (${INSERT_EVENT}) INSERT INTO payment_follow_ups (event_id, next_attempt_at) SELECT id, clock_timestamp() FROM e RETURNING event_id AS id`
        : INSERT_EVENT,
      values: this.eventValues(id, event, outcome),
    });
    if (rows.length > 0) return { duplicate: false, eventId: id, outcome };
    return { duplicate: true, eventId: await this.existingId(this.pool, event) };
  }

  /**
   * Serialised per payment or mandate by an advisory lock, taken before anything is read: the
   * state is compared, the event inserted with the outcome that comparison gave, and only then,
   * if the event was new, the state moved. A concurrent duplicate waits on the lock and then
   * finds its key taken; a different event for the same payment sees the state the first left.
   */
  private async recordWithState(client: PoolClient, event: PaymentEvent): Promise<RecordedEvent> {
    const { effect } = event;
    if (effect.kind !== 'PAYMENT_PROGRESS' && effect.kind !== 'MANDATE_STATUS') throw new Error(`${effect.kind} needs no state`);
    const id = randomUUID();
    const subject = effect.kind === 'PAYMENT_PROGRESS' ? `payment:${effect.paymentKey}` : `mandate:${effect.mandateId}`;
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${event.provider}:${subject}`]);

    let advances: boolean;
    if (effect.kind === 'PAYMENT_PROGRESS') {
      const { rows } = await client.query<{ progress: PaymentProgress; provider_status: string }>(READ_PAYMENT, [event.provider, effect.paymentKey]);
      advances = paymentAdvances(rows[0] ? { progress: rows[0].progress, providerStatus: rows[0].provider_status } : null, effect.state);
    } else {
      const { rows } = await client.query<{ status: MandateStatus; status_at: Date }>(READ_MANDATE, [event.provider, effect.mandateId]);
      advances = mandateAdvances(rows[0] ? { status: rows[0].status, at: rows[0].status_at } : null, effect.state);
    }
    const outcome: EffectOutcome = advances ? 'APPLIED' : 'STALE';
    const { rows: inserted } = await client.query<{ id: string; transaction_id: string | null }>(INSERT_EVENT, this.eventValues(id, event, outcome));
    if (inserted.length === 0) return { duplicate: true, eventId: await this.existingId(client, event) };
    if (!advances) return { duplicate: false, eventId: id, outcome };

    if (effect.kind === 'PAYMENT_PROGRESS') {
      await client.query(UPSERT_PAYMENT, [
        event.provider,
        effect.paymentKey,
        inserted[0]!.transaction_id,
        effect.state.progress,
        effect.state.providerStatus,
        effect.money?.amount.toString() ?? null,
        effect.money?.currency ?? null,
        id,
      ]);
    } else {
      await client.query(UPSERT_MANDATE, [event.provider, effect.mandateId, effect.state.status, effect.state.at, id]);
    }
    return { duplicate: false, eventId: id, outcome };
  }

  async claimFollowUps(limit: number, leaseMs: number): Promise<FollowUp[]> {
    const { rows } = await this.pool.query<{ event_id: string; attempts: number; queued_at: Date; provider: string; effect: StoredEffect }>(CLAIM_FOLLOW_UPS, [
      limit,
      leaseMs,
    ]);
    return rows.map((row) => ({ eventId: row.event_id, provider: row.provider, attempt: row.attempts, queuedAt: row.queued_at, effect: toFollowUpEffect(row.effect) }));
  }

  async completeFollowUp(eventId: string): Promise<void> {
    await this.pool.query(`DELETE FROM payment_follow_ups WHERE event_id = $1`, [eventId]);
  }

  async retryFollowUp(eventId: string, retryAt: Date, error: string): Promise<void> {
    await this.pool.query(`UPDATE payment_follow_ups SET next_attempt_at = $2, last_error = $3 WHERE event_id = $1`, [eventId, retryAt, error.slice(0, 2000)]);
  }

  private eventValues(id: string, event: PaymentEvent, outcome: EffectOutcome): unknown[] {
    const { effect } = event;
    const ownTransaction = effect.kind === 'INBOUND_PAYMENT' || effect.kind === 'ALERT' ? effect.transactionId : null;
    return [
      id,
      event.provider,
      event.eventType,
      event.dedupeKey,
      event.messageId ?? null,
      event.transactionIds,
      ownTransaction,
      event.status ?? null,
      event.money?.amount.toString() ?? null,
      event.money?.currency ?? null,
      event.summary,
      event.payloadJson,
      JSON.stringify(storedEffect(effect)),
      outcome,
      event.occurredAt ?? null,
    ];
  }

  private async existingId(client: Pool | PoolClient, event: PaymentEvent): Promise<string> {
    const { rows } = await client.query<{ id: string }>(FIND_EVENT, [event.provider, event.dedupeKey]);
    if (!rows[0]) throw new Error(`payment event ${event.provider}/${event.dedupeKey} conflicted on insert but cannot be read`);
    return rows[0].id;
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function storedEffect(effect: PaymentEffect): StoredEffect {
  switch (effect.kind) {
    case 'INBOUND_PAYMENT':
      return {
        kind: effect.kind,
        transactionId: effect.transactionId,
        amount: effect.money.amount.toString(),
        currency: effect.money.currency,
        customerId: effect.customerId,
        reference: effect.reference,
        attributes: effect.attributes,
      };
    case 'ALERT':
      return { kind: effect.kind, transactionId: effect.transactionId, amount: effect.money.amount.toString(), currency: effect.money.currency, reason: effect.reason, attributes: effect.attributes };
    case 'PAYMENT_PROGRESS':
      return { kind: effect.kind, paymentKey: effect.paymentKey, ...effect.state, amount: effect.money?.amount.toString(), currency: effect.money?.currency };
    case 'MANDATE_STATUS':
      return { kind: effect.kind, mandateId: effect.mandateId, status: effect.state.status, at: effect.state.at.toISOString() };
    case 'NONE':
      return { kind: effect.kind };
  }
}

function toFollowUpEffect(stored: StoredEffect): FollowUp['effect'] {
  if (stored.kind === 'INBOUND_PAYMENT') {
    return {
      kind: 'INBOUND_PAYMENT',
      transactionId: stored.transactionId,
      money: Money.of(stored.amount, stored.currency),
      customerId: stored.customerId,
      reference: stored.reference,
      attributes: stored.attributes,
    };
  }
  if (stored.kind === 'ALERT') {
    return { kind: 'ALERT', transactionId: stored.transactionId, money: Money.of(stored.amount, stored.currency), reason: stored.reason, attributes: stored.attributes };
  }
  throw new Error(`a ${stored.kind} effect has no follow-up`);
}
