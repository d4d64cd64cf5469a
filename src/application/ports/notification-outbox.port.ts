// Port to the outbox of decisions waiting to reach Toqio, and to the client that delivers them.
import { NextStep } from '../../domain/retry-schedule';
import { ClaimedAttempt, DeliveryQueue, DeliveryResult, DeliverySender } from './outbox-delivery.port';
import { NotificationView } from './review-read-model.port';

export type { DeliveryOutcome, DeliveryResult } from './outbox-delivery.port';

/** A notification claimed for one delivery attempt. */
export interface Delivery extends ClaimedAttempt {
  readonly notificationId: string;
  readonly transactionId: string;
  /** The JSON body, byte for byte what every attempt sends. */
  readonly body: string;
}

export abstract class NotificationOutbox implements DeliveryQueue<Delivery> {
  /**
   * Claims up to `limit` notifications that are due, for `leaseMs`: until then no other worker
   * (on any replica) claims them, and after it, one whose worker died is due again.
   */
  abstract claimDue(limit: number, leaseMs: number): Promise<Delivery[]>;

  /** Appends the attempt and moves the notification on: delivered, retried at a time, or dead. */
  abstract recordAttempt(delivery: Delivery, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void>;

  /** Queues a DEAD notification again with the same id; NotificationNotFound / NotDead errors otherwise. */
  abstract redeliver(notificationId: string, requestedBy: string): Promise<NotificationView>;

  /** Backlog figures for health and metrics. */
  abstract stats(): Promise<{ readonly queued: number; readonly dead: number; readonly oldestQueuedAt: Date | null }>;
}

/** Sends one notification to Toqio's webhook. Never throws: failures are results. */
export abstract class DecisionNotifier implements DeliverySender<Delivery> {
  abstract deliver(delivery: Delivery, signal: AbortSignal): Promise<DeliveryResult>;
}
