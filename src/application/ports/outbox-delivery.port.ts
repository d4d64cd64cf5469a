// What every outbox of webhooks shares: an attempt's result, and the queue and sender a delivery worker drives.
import { NextStep } from '../../domain/retry-schedule';

export type DeliveryOutcome = 'DELIVERED' | 'REFUSED' | 'TIMEOUT' | 'NETWORK_ERROR';

export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['DELIVERED', 'REFUSED', 'TIMEOUT', 'NETWORK_ERROR'];

export interface DeliveryResult {
  readonly outcome: DeliveryOutcome;
  readonly httpStatus?: number;
  /** Short diagnostic; never contains a credential. */
  readonly error?: string;
  /** The receiver asked never to be sent this again (the event webhook's 410 Gone): the item is dead now, whatever its schedule. */
  readonly final?: boolean;
  /** How long the receiver asked us to wait before the next attempt (a Retry-After); the schedule's longest wait caps it. */
  readonly retryAfterMs?: number;
  readonly startedAt: Date;
  readonly durationMs: number;
}

/** What the backoff needs to know of an item claimed for one attempt. */
export interface ClaimedAttempt {
  /** This attempt's number over the item's whole life, 1 for the first. */
  readonly attempt: number;
  /** Its number since it was queued or last redelivered by hand: what the backoff counts. */
  readonly attemptSinceQueued: number;
  /** When it was queued, or last redelivered by hand: the start of its maximum age. */
  readonly queuedAt: Date;
}

/** The side of an outbox a delivery worker uses. */
export interface DeliveryQueue<D extends ClaimedAttempt> {
  /**
   * Claims up to `limit` items that are due, for `leaseMs`: until then no other worker (on any
   * replica) claims them, and after it, one whose worker died is due again.
   */
  claimDue(limit: number, leaseMs: number): Promise<D[]>;
  /** Records the attempt and moves the item on: delivered, retried at a time, or dead. */
  recordAttempt(delivery: D, result: DeliveryResult, next: NextStep | 'DELIVERED'): Promise<void>;
}

/** Sends one item. Never throws, and gives up when `signal` aborts: failures are results. */
export interface DeliverySender<D> {
  deliver(delivery: D, signal: AbortSignal): Promise<DeliveryResult>;
}
