// Delivers queued decisions to Toqio: claim what is due, send each once, record every attempt.
import { nextAttempt, RetrySchedule } from '../domain/retry-schedule';
import { DecisionNotifier, Delivery, DeliveryResult, NotificationOutbox } from './ports/notification-outbox.port';

export interface DeliveryPolicy {
  readonly schedule: RetrySchedule;
  /** How long one HTTP attempt may take. */
  readonly requestTimeoutMs: number;
}

/** Time a notifier gets to return after its abort; well inside the 5 s the lease adds to the timeout. */
const ABORT_GRACE_MS = 1_000;

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

  /** Claims up to `limit` due notifications, each leased for `leaseMs`; pass each to `attempt`. */
  async claim(limit: number): Promise<Delivery[]> {
    return limit > 0 ? this.outbox.claimDue(limit, this.leaseMs) : [];
  }

  /**
   * One attempt. If recording its result fails (database down), the claim simply expires and the
   * notification is sent again later with the same idempotency key: at least once, never lost.
   */
  async attempt(delivery: Delivery): Promise<DeliveryResult> {
    const result = await this.send(delivery);
    const next = result.outcome === 'DELIVERED' ? 'DELIVERED' : nextAttempt(this.policy.schedule, delivery.attemptSinceQueued, delivery.queuedAt, this.now(), this.random);
    await this.outbox.recordAttempt(delivery, result, next);
    return result;
  }

  /**
   * Asks the notifier, aborting it after the request timeout. The notifier promises never to throw
   * and to give up when aborted; should one break either promise, the attempt still ends as a
   * result that is recorded inside the lease, so the notification keeps backing off towards dead
   * instead of being re-sent every lease forever, and a stuck call cannot hold a worker slot or
   * the shutdown.
   */
  private async send(delivery: Delivery): Promise<DeliveryResult> {
    const startedAt = new Date();
    const elapsed = () => Date.now() - startedAt.getTime();
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abandoned = new Promise<DeliveryResult>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        timer = setTimeout(
          () => resolve({ outcome: 'TIMEOUT', error: 'the notifier did not stop when aborted', startedAt, durationMs: elapsed() }),
          ABORT_GRACE_MS,
        );
      }, this.policy.requestTimeoutMs);
    });
    const asked = (async () => this.notifier.deliver(delivery, abort.signal))().catch(
      (error: unknown): DeliveryResult => ({ outcome: 'NETWORK_ERROR', error: `notifier failed: ${error instanceof Error ? error.message : String(error)}`, startedAt, durationMs: elapsed() }),
    );
    try {
      return await Promise.race([asked, abandoned]);
    } finally {
      clearTimeout(timer);
    }
  }
}
