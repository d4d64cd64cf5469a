// Runs FollowUpPaymentEvents in the background: acknowledged payment events are screened and queued.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { FollowUpPaymentEvents } from '../../application/follow-up-payment-events.use-case';
import { BackgroundLoop } from './background-loop';

const BATCH = 16;

export class PaymentFollowUpWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(followUps: FollowUpPaymentEvents, pollMs: number) {
    this.loop = new BackgroundLoop({ name: 'PaymentFollowUp', pollMs }, async () => ((await followUps.runDue(BATCH)).length === BATCH ? 'again' : 'sleep'));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** A new event was stored on this replica: work it now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /**
   * Waits for the pass in flight: each follow-up in it either records its screening or leaves
   * its claim to expire and be taken again, so stopping loses nothing either way.
   */
  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
