// Port to the outbox of events for operators (the outgoing event webhook): queueing, delivering, inspecting.
import { OperatorEvent } from '../../domain/operator-event';
import { NextStep } from '../../domain/retry-schedule';
import { ClaimedAttempt, DeliveryQueue, DeliveryResult, DeliverySender } from './outbox-delivery.port';

/**
 * What any flow uses to raise events. Queueing is idempotent on (type, dedupeKey): an event
 * already queued once (whatever became of it since) is not queued again, so a crash and retry,
 * or two replicas raising the same event, send it once. Without EVENTS_WEBHOOK_URL the feature is
 * off and nothing is queued.
 */
export abstract class OperatorEventOutbox {
  /** Resolves, once the new ones are stored, with how many of `events` were new. */
  abstract enqueue(events: readonly OperatorEvent[]): Promise<number>;
}

/** An event claimed for one delivery attempt. */
export interface EventDelivery extends ClaimedAttempt {
  /** Sent as webhook-id on every attempt: the receiver's key for dropping a second copy. */
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly data: unknown;
}

export type OperatorEventState = 'QUEUED' | 'DELIVERED' | 'DEAD';

export interface OperatorEventView {
  readonly id: string;
  /** Position in the outbox: newer events have larger ones; what a page's cursor holds. */
  readonly position: string;
  readonly type: string;
  readonly dedupeKey: string;
  readonly state: OperatorEventState;
  readonly occurredAt: Date;
  readonly createdAt: Date;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly leasedUntil: Date | null;
  readonly deliveredAt: Date | null;
  readonly deadAt: Date | null;
  readonly lastError: string | null;
  readonly redeliveredBy: string | null;
  readonly data: unknown;
}

export interface OperatorEventQuery {
  readonly state?: OperatorEventState;
  readonly type?: string;
  /** Only events older than this position (the previous page's cursor). */
  readonly before?: string;
  readonly limit: number;
}

export interface OperatorEventBacklog {
  readonly queued: number;
  readonly dead: number;
  readonly oldestQueuedAt: Date | null;
}

/** The delivering and inspecting side of the same outbox. */
export abstract class OperatorEventQueue implements DeliveryQueue<EventDelivery> {
  abstract claimDue(limit: number, leaseMs: number): Promise<EventDelivery[]>;
  abstract recordAttempt(delivery: EventDelivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void>;
  /** Newest first. */
  abstract list(query: OperatorEventQuery): Promise<OperatorEventView[]>;
  /** Queues a DEAD event again with the same id; OperatorEventNotFound / NotDead errors otherwise. */
  abstract redeliver(eventId: string, requestedBy: string): Promise<OperatorEventView>;
  abstract stats(): Promise<OperatorEventBacklog>;
}

/** Sends one event to the webhook. Never throws: failures are results. */
export abstract class OperatorEventSender implements DeliverySender<EventDelivery> {
  abstract deliver(delivery: EventDelivery, signal: AbortSignal): Promise<DeliveryResult>;
}
