// Delivers from any webhook outbox: claim what is due, send each once, record every attempt and what comes next.
import { nextAttempt, NextStep, RetrySchedule } from '../domain/retry-schedule';
import { ClaimedAttempt, DeliveryQueue, DeliveryResult, DeliverySender } from './ports/outbox-delivery.port';

export interface DeliveryPolicy {
  readonly schedule: RetrySchedule;
  /** How long one HTTP attempt may take. */
  readonly requestTimeoutMs: number;
}

/** Time a sender gets to return after its abort; well inside the 5 s the lease adds to the timeout. */
const ABORT_GRACE_MS = 1_000;

/** What became of one attempt, as recorded. */
export interface AttemptRecorded {
  readonly result: DeliveryResult;
  /** True when this attempt was the last: the item is dead. */
  readonly dead: boolean;
  /** When the next attempt is due, after a failed one that was not the last. */
  readonly retryAt?: Date;
}

export class DeliverFromOutbox<D extends ClaimedAttempt> {
  /** A claim outlives the attempt it covers, so a live worker is never overtaken by another. */
  readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly queue: DeliveryQueue<D>,
    private readonly sender: DeliverySender<D>,
    private readonly policy: DeliveryPolicy,
    options: { readonly now?: () => Date; readonly random?: () => number } = {},
  ) {
    this.leaseMs = policy.requestTimeoutMs + 5_000;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /** Claims up to `limit` due items, each leased for `leaseMs`; pass each to `attempt`. */
  async claim(limit: number): Promise<D[]> {
    return limit > 0 ? this.queue.claimDue(limit, this.leaseMs) : [];
  }

  /**
   * One attempt. If recording its result fails (database down), the claim simply expires and the
   * item is sent again later with the same id: at least once, never lost.
   */
  async attempt(delivery: D): Promise<DeliveryResult> {
    return (await this.attemptAndRecord(delivery)).result;
  }

  /** `attempt`, saying also whether the item went dead. */
  async attemptAndRecord(delivery: D): Promise<AttemptRecorded> {
    const result = await this.send(delivery);
    const next = result.outcome === 'DELIVERED' ? 'DELIVERED' : this.after(delivery, result);
    await this.queue.recordAttempt(delivery, result, next);
    if (next === 'DELIVERED') return { result, dead: false };
    return 'retryAt' in next ? { result, dead: false, retryAt: next.retryAt } : { result, dead: true };
  }

  /** What follows a failed attempt: the schedule's next retry, no sooner than the receiver asked, or dead when it asked for no more. */
  private after(delivery: D, result: DeliveryResult): NextStep {
    if (result.final) return { dead: true };
    return nextAttempt(this.policy.schedule, delivery.attemptSinceQueued, delivery.queuedAt, this.now(), this.random, result.retryAfterMs);
  }

  /**
   * Asks the sender, aborting it after the request timeout. The sender promises never to throw
   * and to give up when aborted; should one break either promise, the attempt still ends as a
   * result that is recorded inside the lease, so the item keeps backing off towards dead instead
   * of being re-sent every lease forever, and a stuck call cannot hold a worker slot or the
   * shutdown.
   */
  private async send(delivery: D): Promise<DeliveryResult> {
    const startedAt = new Date();
    const elapsed = () => Date.now() - startedAt.getTime();
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abandoned = new Promise<DeliveryResult>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        timer = setTimeout(
          () => resolve({ outcome: 'TIMEOUT', error: 'the sender did not stop when aborted', startedAt, durationMs: elapsed() }),
          ABORT_GRACE_MS,
        );
      }, this.policy.requestTimeoutMs);
    });
    const asked = (async () => this.sender.deliver(delivery, abort.signal))().catch(
      (error: unknown): DeliveryResult => ({ outcome: 'NETWORK_ERROR', error: `sender failed: ${error instanceof Error ? error.message : String(error)}`, startedAt, durationMs: elapsed() }),
    );
    try {
      return await Promise.race([asked, abandoned]);
    } finally {
      clearTimeout(timer);
    }
  }
}
