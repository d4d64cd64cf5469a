// Delivers queued decisions to Toqio: claim what is due, send each once, record every attempt.
import { nextAttempt, RetrySchedule } from '../domain/retry-schedule';
import { DecisionNotifier, Delivery, DeliveryResult, NotificationOutbox } from './ports/notification-outbox.port';

export interface DeliveryPolicy {
  readonly schedule: RetrySchedule;
  /** How long one HTTP attempt may take. */
  readonly requestTimeoutMs: number;
}

export class DeliverNotifications {
  /** A claim outlives the attempt it covers, so a live worker is never overtaken by another. */
  readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly notifier: DecisionNotifier,
    private readonly policy: DeliveryPolicy,
    options: { readonly now?: () => Date; readonly random?: () => number } = {},
  ) {
    this.leaseMs = policy.requestTimeoutMs + 5_000;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /** Claims up to `limit` due notifications; each returned promise settles once its attempt is recorded. */
  async claim(limit: number): Promise<Delivery[]> {
    return limit > 0 ? this.outbox.claimDue(limit, this.leaseMs) : [];
  }

  /**
   * One attempt. If recording its result fails (database down), the claim simply expires and the
   * notification is sent again later with the same idempotency key: at least once, never lost.
   */
  async attempt(delivery: Delivery): Promise<DeliveryResult> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.policy.requestTimeoutMs);
    let result: DeliveryResult;
    try {
      result = await this.notifier.deliver(delivery, abort.signal);
    } finally {
      clearTimeout(timer);
    }
    const next = result.outcome === 'DELIVERED' ? 'DELIVERED' : nextAttempt(this.policy.schedule, delivery.attempt, delivery.queuedAt, this.now(), this.random);
    await this.outbox.recordAttempt(delivery, result, next);
    return result;
  }
}
