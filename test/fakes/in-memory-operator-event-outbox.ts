// A hand-written fake of the operator events outbox, both sides: what was raised, and a queue that claims, records and redelivers.
import { randomUUID } from 'node:crypto';
import { EventDelivery, OperatorEventBacklog, OperatorEventOutbox, OperatorEventQuery, OperatorEventQueue, OperatorEventView } from '../../src/application/ports/operator-event-outbox.port';
import { DeliveryResult } from '../../src/application/ports/outbox-delivery.port';
import { OperatorEventNotDeadError, OperatorEventNotFoundError } from '../../src/domain/domain-error';
import { OperatorEvent } from '../../src/domain/operator-event';
import { NextStep } from '../../src/domain/retry-schedule';

interface Stored {
  view: OperatorEventView;
  queuedAt: Date;
  attemptsAtQueue: number;
}

export class InMemoryOperatorEventOutbox extends OperatorEventOutbox implements OperatorEventQueue {
  private readonly events: Stored[] = [];
  readonly recorded: { delivery: EventDelivery; result: DeliveryResult; next: NextStep | 'DELIVERED' }[] = [];
  now: () => Date = () => new Date();

  /** Every event ever queued, oldest first. */
  get raised(): OperatorEvent[] {
    return this.events.map(({ view }) => ({ type: view.type, dedupeKey: view.dedupeKey, occurredAt: view.occurredAt, data: view.data }) as OperatorEvent);
  }

  async enqueue(events: readonly OperatorEvent[]): Promise<number> {
    let added = 0;
    for (const event of events) {
      if (this.events.some(({ view }) => view.type === event.type && view.dedupeKey === event.dedupeKey)) continue;
      const now = this.now();
      this.events.push({
        queuedAt: now,
        attemptsAtQueue: 0,
        view: {
          id: randomUUID(), position: String(this.events.length + 1), type: event.type, dedupeKey: event.dedupeKey, state: 'QUEUED', occurredAt: event.occurredAt,
          createdAt: now, attempts: 0, nextAttemptAt: now, leasedUntil: null, deliveredAt: null, deadAt: null, lastError: null, redeliveredBy: null, data: event.data,
        },
      });
      added += 1;
    }
    return added;
  }

  async claimDue(limit: number, leaseMs: number): Promise<EventDelivery[]> {
    const now = this.now();
    const due = this.events.filter(({ view }) => view.nextAttemptAt !== null && view.nextAttemptAt <= now).slice(0, limit);
    return due.map((stored) => {
      const leased = new Date(now.getTime() + leaseMs);
      stored.view = { ...stored.view, attempts: stored.view.attempts + 1, nextAttemptAt: leased, leasedUntil: leased };
      const { view } = stored;
      return { eventId: view.id, type: view.type, occurredAt: view.occurredAt, data: view.data, attempt: view.attempts, attemptSinceQueued: view.attempts - stored.attemptsAtQueue, queuedAt: stored.queuedAt };
    });
  }

  async recordAttempt(delivery: EventDelivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void> {
    this.recorded.push({ delivery, result, next });
    const stored = this.find(delivery.eventId)!;
    const now = this.now();
    const dead = next !== 'DELIVERED' && 'dead' in next;
    stored.view = {
      ...stored.view,
      state: next === 'DELIVERED' ? 'DELIVERED' : dead ? 'DEAD' : 'QUEUED',
      nextAttemptAt: next !== 'DELIVERED' && 'retryAt' in next ? next.retryAt : null,
      leasedUntil: null,
      deliveredAt: next === 'DELIVERED' ? now : null,
      deadAt: dead ? now : null,
      lastError: result.error ?? null,
    };
  }

  async list(query: OperatorEventQuery): Promise<OperatorEventView[]> {
    return this.events
      .map(({ view }) => view)
      .filter((view) => (query.state === undefined || view.state === query.state) && (query.type === undefined || view.type === query.type))
      .filter((view) => query.before === undefined || Number(view.position) < Number(query.before))
      .reverse()
      .slice(0, query.limit);
  }

  async redeliver(eventId: string, requestedBy: string): Promise<OperatorEventView> {
    const stored = this.find(eventId);
    if (!stored) throw new OperatorEventNotFoundError(eventId);
    if (stored.view.state !== 'DEAD') throw new OperatorEventNotDeadError(eventId, stored.view.state);
    stored.queuedAt = this.now();
    stored.attemptsAtQueue = stored.view.attempts;
    stored.view = { ...stored.view, state: 'QUEUED', deadAt: null, nextAttemptAt: this.now(), redeliveredBy: requestedBy };
    return stored.view;
  }

  async stats(): Promise<OperatorEventBacklog> {
    const queued = this.events.filter(({ view }) => view.state === 'QUEUED');
    return { queued: queued.length, dead: this.events.filter(({ view }) => view.state === 'DEAD').length, oldestQueuedAt: queued[0]?.queuedAt ?? null };
  }

  view(eventId: string): OperatorEventView | undefined {
    return this.find(eventId)?.view;
  }

  private find(eventId: string): Stored | undefined {
    return this.events.find(({ view }) => view.id === eventId);
  }
}
