// Hand-written fake of the payment-event port: one effect per dedupe key, the state the rule allows, leased follow-ups.
import { randomUUID } from 'node:crypto';
import { FollowUp, PaymentEventStore, RecordedEvent, Verification, VerifiedOutcome } from '../../src/application/ports/payment-event-store.port';
import { EffectOutcome, KeptOutcome, MandateState, PaymentEffect, PaymentEvent, PaymentState, StateChangeEvent, SubjectState } from '../../src/domain/payment-event';

interface QueuedFollowUp {
  readonly eventId: string;
  readonly provider: string;
  readonly effect: FollowUp['effect'];
  readonly queuedAt: Date;
  attempts: number;
  dueAt: Date;
  lastError: string | null;
}

export class InMemoryPaymentEventStore extends PaymentEventStore {
  /** Recorded events by `${provider}|${dedupeKey}`. */
  readonly events = new Map<string, { readonly eventId: string; readonly event: PaymentEvent; readonly outcome: EffectOutcome }>();
  readonly payments = new Map<string, PaymentState>();
  readonly mandates = new Map<string, MandateState>();
  readonly followUps = new Map<string, QueuedFollowUp>();
  readonly completed: string[] = [];
  readonly retries: { eventId: string; retryAt: Date; error: string }[] = [];
  /** Verifications by event id; the first one of an event stands, as in PostgreSQL. */
  readonly verifications = new Map<string, Verification & { readonly provider: string; readonly outcome: VerifiedOutcome }>();
  /** Set to make retryFollowUp fail, as when the database is unreachable. */
  retryFailure: Error | undefined;

  constructor(public now: () => Date = () => new Date()) {
    super();
  }

  async record(event: PaymentEvent, outcome: KeptOutcome): Promise<RecordedEvent> {
    return this.keep(event, (eventId) => {
      if (outcome === 'FOLLOW_UP') {
        const { effect } = event;
        if (effect.kind !== 'INBOUND_PAYMENT' && effect.kind !== 'ALERT' && effect.kind !== 'PAYMENT_PROGRESS') throw new Error(`a ${effect.kind} effect has no follow-up`);
        this.queue(effect, { eventId, provider: event.provider });
      }
      return outcome;
    });
  }

  async recordStateChange(event: StateChangeEvent, rule: (current: SubjectState | null) => 'APPLIED' | 'STALE'): Promise<RecordedEvent> {
    return this.keep(event, () => {
      const { effect } = event;
      const subjects: Map<string, SubjectState> = effect.kind === 'PAYMENT_PROGRESS' ? this.payments : this.mandates;
      const key = effect.kind === 'PAYMENT_PROGRESS' ? effect.paymentKey : effect.mandateId;
      const outcome = rule(subjects.get(key) ?? null);
      if (outcome === 'APPLIED') subjects.set(key, effect.state);
      return outcome;
    });
  }

  async applyFollowUpState(
    followUp: FollowUp & { readonly effect: Extract<PaymentEffect, { kind: 'PAYMENT_PROGRESS' }> },
    rule: (current: SubjectState | null) => 'APPLIED' | 'STALE',
    verification: Verification | undefined,
  ): Promise<'APPLIED' | 'STALE'> {
    const { effect } = followUp;
    const outcome = rule(this.payments.get(effect.paymentKey) ?? null);
    if (outcome === 'APPLIED') this.payments.set(effect.paymentKey, effect.state);
    if (verification) await this.recordVerification(followUp.eventId, followUp.provider, verification, outcome);
    return outcome;
  }

  async recordVerification(eventId: string, provider: string, verification: Verification, outcome: VerifiedOutcome): Promise<void> {
    if (!this.verifications.has(eventId)) this.verifications.set(eventId, { ...verification, provider, outcome });
  }

  async claimFollowUps(limit: number, leaseMs: number): Promise<FollowUp[]> {
    const now = this.now();
    const due = [...this.followUps.values()]
      .filter((f) => f.dueAt.getTime() <= now.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .slice(0, limit);
    return due.map((f) => {
      f.attempts += 1;
      f.dueAt = new Date(now.getTime() + leaseMs);
      return { eventId: f.eventId, provider: f.provider, effect: f.effect, attempt: f.attempts, queuedAt: f.queuedAt };
    });
  }

  async completeFollowUp(eventId: string): Promise<void> {
    this.followUps.delete(eventId);
    this.completed.push(eventId);
  }

  async retryFollowUp(eventId: string, retryAt: Date, error: string): Promise<void> {
    if (this.retryFailure) throw this.retryFailure;
    const followUp = this.followUps.get(eventId);
    if (!followUp) throw new Error(`no follow-up ${eventId}`);
    followUp.dueAt = retryAt;
    followUp.lastError = error;
    this.retries.push({ eventId, retryAt, error });
  }

  /** Queues a follow-up directly, as a stored event would have left it. */
  queue(effect: FollowUp['effect'], options: { eventId?: string; provider?: string; attempts?: number; queuedAt?: Date } = {}): string {
    const eventId = options.eventId ?? randomUUID();
    const now = this.now();
    this.followUps.set(eventId, { eventId, provider: options.provider ?? 'paystack', effect, queuedAt: options.queuedAt ?? now, attempts: options.attempts ?? 0, dueAt: now, lastError: null });
    return eventId;
  }

  followUpOf(eventId: string): QueuedFollowUp | undefined {
    return this.followUps.get(eventId);
  }

  private keep(event: PaymentEvent, effect: (eventId: string) => EffectOutcome): RecordedEvent {
    const key = `${event.provider}|${event.dedupeKey}`;
    const existing = this.events.get(key);
    if (existing) return { duplicate: true, eventId: existing.eventId };
    const eventId = randomUUID();
    const outcome = effect(eventId);
    this.events.set(key, { eventId, event, outcome });
    return { duplicate: false, eventId, outcome };
  }
}
