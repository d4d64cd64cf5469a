// PostgreSQL record of payment providers' events: once per dedupe key, with their effect, atomically.
import { storableText } from '../../domain/storable-text';
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { FollowUp, PaymentEventStore, RecordedEvent } from '../../application/ports/payment-event-store.port';
import { Money } from '../../domain/money';
import { EffectOutcome, MandateStatus, PaymentEffect, PaymentEvent, PaymentProgress, StateChangeEvent, SubjectState } from '../../domain/payment-event';
import { JsonObject } from '../../domain/transaction';
import { inTransaction } from './in-transaction';
import { isolatingFailures, MicroBatcher } from './micro-batcher';
import { CLAIM_FOLLOW_UPS, FIND_EVENT, READ_MANDATE, READ_PAYMENT, RECORD_EVENTS, UPSERT_MANDATE, UPSERT_PAYMENT } from './postgres-payment-event.queries';

/** Money as exact text inside the stored effect. */
type StoredEffect =
  | { kind: 'INBOUND_PAYMENT'; transactionId: string; amount: string; currency: string; customerId?: string; reference?: string; attributes: JsonObject }
  | { kind: 'ALERT'; transactionId: string; amount: string; currency: string; reason: string; attributes: JsonObject }
  | { kind: 'PAYMENT_PROGRESS' | 'MANDATE_STATUS' | 'NONE'; [key: string]: unknown };

export class PostgresPaymentEventStore extends PaymentEventStore {
  private readonly batcher: MicroBatcher<{ event: PaymentEvent; id: string; outcome: EffectOutcome }, RecordedEvent>;
  private readonly completions: MicroBatcher<string, void>;

  constructor(
    private readonly pool: Pool,
    options: { readonly maxConcurrentBatches: number } = { maxConcurrentBatches: 2 },
  ) {
    super();
    this.batcher = new MicroBatcher(isolatingFailures((batch) => this.recordBatch(batch)), { maxBatch: 64, maxConcurrent: options.maxConcurrentBatches });
    // Finished follow-ups arrive in bursts (a worker's pass); one DELETE serves the burst.
    this.completions = new MicroBatcher(
      isolatingFailures(async (eventIds: string[]) => {
        await this.pool.query({ name: 'payment_follow_ups_complete', text: `DELETE FROM payment_follow_ups WHERE event_id = ANY($1::uuid[])`, values: [eventIds] });
        return eventIds.map((): void => undefined);
      }),
      { maxBatch: 256, maxConcurrent: 1 },
    );
  }

  /** Events that move no state share one statement with their neighbours. */
  record(event: PaymentEvent, outcome: 'FOLLOW_UP' | 'RECORDED'): Promise<RecordedEvent> {
    return this.batcher.submit({ event, id: randomUUID(), outcome });
  }

  /** Each state change has a database transaction of its own. */
  recordStateChange(event: StateChangeEvent, rule: (current: SubjectState | null) => 'APPLIED' | 'STALE'): Promise<RecordedEvent> {
    return inTransaction(this.pool, (client) => this.recordWithState(client, event, rule));
  }

  private async recordBatch(batch: { event: PaymentEvent; id: string; outcome: EffectOutcome }[]): Promise<RecordedEvent[]> {
    const rows = batch.map(({ event, id, outcome }, index) => eventRowJson(index + 1, id, event, outcome));
    const { rows: results } = await this.pool.query<RecordRow>({ name: 'payment_event_record_batch', text: RECORD_EVENTS, values: [`[${rows.join(',')}]`] });
    return Promise.all(
      batch.map(async ({ event, id, outcome }, index): Promise<RecordedEvent> =>
        results[index]?.new ? { duplicate: false, eventId: id, outcome } : { duplicate: true, eventId: await this.existingId(this.pool, event) },
      ),
    );
  }

  /**
   * Serialised per payment or mandate by an advisory lock, taken before anything is read: the
   * state is compared, the event inserted with the outcome that comparison gave, and only then,
   * if the event was new, the state moved. A concurrent duplicate waits on the lock and then
   * finds its key taken; a different event for the same payment sees the state the first left.
   */
  private async recordWithState(client: PoolClient, event: StateChangeEvent, rule: (current: SubjectState | null) => 'APPLIED' | 'STALE'): Promise<RecordedEvent> {
    const { effect } = event;
    const id = randomUUID();
    const subject = effect.kind === 'PAYMENT_PROGRESS' ? `payment:${effect.paymentKey}` : `mandate:${effect.mandateId}`;
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${event.provider}:${subject}`]);

    const outcome = rule(await this.stateOnRecord(client, event));
    const { rows: inserted } = await client.query<RecordRow>(RECORD_EVENTS, [`[${eventRowJson(1, id, event, outcome)}]`]);
    if (!inserted[0]?.new) return { duplicate: true, eventId: await this.existingId(client, event) };
    if (outcome === 'STALE') return { duplicate: false, eventId: id, outcome };

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

  private async stateOnRecord(client: PoolClient, { provider, effect }: StateChangeEvent): Promise<SubjectState | null> {
    if (effect.kind === 'PAYMENT_PROGRESS') {
      const { rows } = await client.query<{ progress: PaymentProgress; provider_status: string }>(READ_PAYMENT, [provider, effect.paymentKey]);
      return rows[0] ? { progress: rows[0].progress, providerStatus: rows[0].provider_status } : null;
    }
    const { rows } = await client.query<{ status: MandateStatus; status_at: Date }>(READ_MANDATE, [provider, effect.mandateId]);
    return rows[0] ? { status: rows[0].status, at: rows[0].status_at } : null;
  }

  async claimFollowUps(limit: number, leaseMs: number): Promise<FollowUp[]> {
    const { rows } = await this.pool.query<{ event_id: string; attempts: number; queued_at: Date; provider: string; effect: StoredEffect }>(CLAIM_FOLLOW_UPS, [
      limit,
      leaseMs,
    ]);
    return rows.map((row) => ({ eventId: row.event_id, provider: row.provider, attempt: row.attempts, queuedAt: row.queued_at, effect: toFollowUpEffect(row.effect) }));
  }

  completeFollowUp(eventId: string): Promise<void> {
    return this.completions.submit(eventId);
  }

  async retryFollowUp(eventId: string, retryAt: Date, error: string): Promise<void> {
    await this.pool.query(`UPDATE payment_follow_ups SET next_attempt_at = $2, last_error = $3 WHERE event_id = $1`, [eventId, retryAt, storableText(error, 2000)]);
  }

  private async existingId(client: Pool | PoolClient, event: PaymentEvent): Promise<string> {
    const { rows } = await client.query<{ id: string }>(FIND_EVENT, [event.provider, event.dedupeKey]);
    if (!rows[0]) throw new Error(`payment event ${event.provider}/${event.dedupeKey} conflicted on insert but cannot be read`);
    return rows[0].id;
  }

}

interface RecordRow {
  position: number;
  new: boolean;
  transaction_id: string | null;
}

/** One event as a row of RECORD_EVENTS's input. */
function eventRowJson(position: number, id: string, event: PaymentEvent, outcome: EffectOutcome): string {
  const { effect } = event;
  const fields = {
    position,
    id,
    provider: event.provider,
    event_type: event.eventType,
    dedupe_key: event.dedupeKey,
    message_id: event.messageId ?? null,
    candidates: event.transactionIds,
    own_transaction: effect.kind === 'INBOUND_PAYMENT' || effect.kind === 'ALERT' ? effect.transactionId : null,
    status: event.status ?? null,
    amount: event.money?.amount.toString() ?? null,
    currency: event.money?.currency ?? null,
    summary: event.summary,
    effect: storedEffect(effect),
    outcome,
    occurred_at: event.occurredAt?.toISOString() ?? null,
    follow_up: outcome === 'FOLLOW_UP',
  };
  // The payload is embedded as the text it arrived as (already valid JSON), so that its numbers keep every digit.
  return `${JSON.stringify(fields).slice(0, -1)},"payload":${event.payloadJson}}`;
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
