// PostgreSQL record of payment providers' events: once per dedupe key, with their effect, atomically.
import { storableText } from '../../domain/storable-text';
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { FollowUp, PaymentEventStore, RecordedEvent, Verification, VerifiedOutcome } from '../../application/ports/payment-event-store.port';
import { EffectOutcome, KeptOutcome, MandateStatus, PaymentEffect, PaymentEvent, PaymentProgress, StateChangeEvent, SubjectState } from '../../domain/payment-event';
import { inTransaction } from './in-transaction';
import { isolatingFailures, MicroBatcher } from './micro-batcher';
import { eventRowJson, RecordRow, StoredEffect, toFollowUpEffect } from './payment-event-rows';
import {
  CLAIM_FOLLOW_UPS,
  EVENT_TRANSACTION,
  FIND_EVENT,
  READ_MANDATE,
  READ_PAYMENT,
  RECORD_EVENTS,
  RECORD_VERIFICATION,
  UPSERT_MANDATE,
  UPSERT_PAYMENT,
} from './postgres-payment-event.queries';

type ProgressFollowUp = FollowUp & { readonly effect: Extract<PaymentEffect, { kind: 'PAYMENT_PROGRESS' }> };

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
  record(event: PaymentEvent, outcome: KeptOutcome): Promise<RecordedEvent> {
    return this.batcher.submit({ event, id: randomUUID(), outcome });
  }

  /** Each state change has a database transaction of its own. */
  recordStateChange(event: StateChangeEvent, rule: (current: SubjectState | null) => 'APPLIED' | 'STALE'): Promise<RecordedEvent> {
    return inTransaction(this.pool, (client) => this.recordWithState(client, event, rule));
  }

  private async recordBatch(batch: { event: PaymentEvent; id: string; outcome: EffectOutcome }[]): Promise<RecordedEvent[]> {
    const rows = batch.map(({ event, id, outcome }, index) => eventRowJson(index + 1, id, event, outcome));
    // Unnamed, so planned for the tables as they are: a named statement keeps the generic plan it made
    // while they held a few rows (sequential scans) until an ANALYZE, which a fresh database may not see for a minute.
    const { rows: results } = await this.pool.query<RecordRow>(RECORD_EVENTS, [`[${rows.join(',')}]`]);
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
      await upsertPayment(client, event.provider, effect, inserted[0]!.transaction_id, id);
    } else {
      await client.query(UPSERT_MANDATE, [event.provider, effect.mandateId, effect.state.status, effect.state.at, id]);
    }
    return { duplicate: false, eventId: id, outcome };
  }

  /** As recordWithState, for an event already kept: the same lock, comparison and move. */
  applyFollowUpState(
    followUp: ProgressFollowUp,
    rule: (current: SubjectState | null) => 'APPLIED' | 'STALE',
    verification: Verification | undefined,
  ): Promise<'APPLIED' | 'STALE'> {
    const { provider, effect, eventId } = followUp;
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${provider}:payment:${effect.paymentKey}`]);
      const outcome = rule(await this.stateOnRecord(client, { provider, effect }));
      if (outcome === 'APPLIED') {
        const { rows } = await client.query<{ transaction_id: string | null }>(EVENT_TRANSACTION, [eventId]);
        await upsertPayment(client, provider, effect, rows[0]?.transaction_id ?? null, eventId);
      }
      if (verification) await recordVerification(client, eventId, provider, verification, outcome);
      return outcome;
    });
  }

  async recordVerification(eventId: string, provider: string, verification: Verification, outcome: VerifiedOutcome): Promise<void> {
    await recordVerification(this.pool, eventId, provider, verification, outcome);
  }

  private async stateOnRecord(client: PoolClient, { provider, effect }: Pick<StateChangeEvent, 'provider' | 'effect'>): Promise<SubjectState | null> {
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

function upsertPayment(client: PoolClient, provider: string, effect: Extract<PaymentEffect, { kind: 'PAYMENT_PROGRESS' }>, transactionId: string | null, eventId: string) {
  return client.query(UPSERT_PAYMENT, [
    provider,
    effect.paymentKey,
    transactionId,
    effect.state.progress,
    effect.state.providerStatus,
    effect.money?.amount.toString() ?? null,
    effect.money?.currency ?? null,
    eventId,
  ]);
}

function recordVerification(client: Pool | PoolClient, eventId: string, provider: string, verification: Verification, outcome: VerifiedOutcome) {
  const { report } = verification;
  const reported = report.found
    ? { found: true, reference: report.reference ?? null, status: report.status, amount: report.money?.amount.toString() ?? null, currency: report.money?.currency ?? null }
    : { found: false };
  return client.query(RECORD_VERIFICATION, [
    eventId,
    provider,
    verification.disagreements.length === 0,
    JSON.stringify(reported),
    JSON.stringify(verification.disagreements.map((text) => storableText(text, 500))),
    outcome,
    verification.alertTransactionId ?? null,
  ]);
}
