// Runs an outbox delivery continuously: up to N deliveries in flight, woken when something is queued.
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AttemptRecorded, DeliverFromOutbox } from '../../application/deliver-from-outbox';
import { ClaimedAttempt } from '../../application/ports/outbox-delivery.port';
import { BackgroundLoop } from './background-loop';

export interface DeliveryWorkerOptions {
  readonly concurrency: number;
  readonly pollMs: number;
  /** Told what became of every attempt whose result was recorded, for metrics. */
  readonly onAttempt?: (recorded: AttemptRecorded) => void;
}

/** `name` names the loop in logs; `describe` names one item in a log line (never its body). */
export class OutboxDeliveryWorker<D extends ClaimedAttempt> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: BackgroundLoop;
  /** Claim only when at least this many slots are free, so claims come in batches under load. */
  private readonly minClaim: number;

  constructor(
    name: string,
    private readonly deliver: DeliverFromOutbox<D>,
    private readonly options: DeliveryWorkerOptions,
    private readonly describe: (delivery: D) => string,
  ) {
    this.logger = new Logger(name);
    this.minClaim = Math.max(1, Math.floor(options.concurrency / 4));
    this.loop = new BackgroundLoop({ name, pollMs: options.pollMs }, () => this.pass());
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Something was just queued: look now rather than at the next poll. */
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
        .attemptAndRecord(delivery)
        .then((recorded) => {
          this.options.onAttempt?.(recorded);
          // A retry due before the next poll is claimed when due: the contract's first retry comes within 5 s whatever the poll.
          if (recorded.retryAt) this.loop.wakeAt(recorded.retryAt);
        })
        .catch((error: unknown) => {
          // The result could not be recorded; the lease will expire and the attempt repeat.
          this.logger.error(`${this.describe(delivery)}: attempt ${delivery.attempt} not recorded: ${(error as Error).message}`);
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
