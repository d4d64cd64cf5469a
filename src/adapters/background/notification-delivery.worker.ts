// Runs DeliverNotifications continuously: up to N deliveries in flight, woken by new decisions.
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DeliverNotifications } from '../../application/deliver-notifications.use-case';
import { DeliveryOutcome } from '../../application/ports/notification-outbox.port';
import { BackgroundLoop } from './background-loop';

export interface DeliveryWorkerOptions {
  readonly concurrency: number;
  readonly pollMs: number;
  /** Told the outcome of every attempt whose result was recorded, for metrics. */
  readonly onAttempt?: (outcome: DeliveryOutcome) => void;
}

export class NotificationDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NotificationDelivery');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: BackgroundLoop;
  /** Claim only when at least this many slots are free, so claims come in batches under load. */
  private readonly minClaim: number;

  constructor(
    private readonly deliver: DeliverNotifications,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.minClaim = Math.max(1, Math.floor(options.concurrency / 4));
    this.loop = new BackgroundLoop({ name: 'NotificationDelivery', pollMs: options.pollMs }, () => this.pass());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** A decision was just queued: look now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Stops claiming, then waits for the deliveries in flight to be sent and recorded. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    if (this.inFlight.size > 0) this.logger.log(`waiting for ${this.inFlight.size} delivery(ies) in flight`);
    await Promise.allSettled([...this.inFlight]);
  }

  private async pass(): Promise<'again' | 'sleep'> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free < this.minClaim && this.inFlight.size > 0) return 'sleep';
    const claimed = await this.deliver.claim(free);
    for (const delivery of claimed) {
      const attempt: Promise<void> = this.deliver
        .attempt(delivery)
        .then((result) => this.options.onAttempt?.(result.outcome))
        .catch((error: unknown) => {
          // The result could not be recorded; the lease will expire and the attempt repeat.
          this.logger.error(`notification ${delivery.notificationId}: attempt ${delivery.attempt} not recorded: ${(error as Error).message}`);
        })
        .finally(() => {
          this.inFlight.delete(attempt);
          this.loop.wake();
        });
      this.inFlight.add(attempt);
    }
    // A full claim suggests more is due: claim again as soon as slots free up.
    return claimed.length === free && free > 0 && this.inFlight.size < this.options.concurrency ? 'again' : 'sleep';
  }
}
