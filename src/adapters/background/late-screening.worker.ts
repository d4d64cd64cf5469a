// Runs RetryLateScreenings in the background: providers that failed at validate are asked again.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { RetryLateScreenings } from '../../application/retry-late-screenings.use-case';
import { BackgroundLoop } from './background-loop';

const BATCH = 16;

export class LateScreeningWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;
  private readonly stopping = new AbortController();

  constructor(
    private readonly retries: RetryLateScreenings,
    pollMs: number,
  ) {
    // Each screening of a pass listens for shutdown on this one signal (and stops listening when
    // it settles): a full pass is BATCH listeners, which Node would otherwise report as a leak.
    setMaxListeners(BATCH + 1, this.stopping.signal);
    this.loop = new BackgroundLoop({ name: 'LateScreening', pollMs }, async () =>
      (await this.retries.runDue(BATCH, this.stopping.signal)).length === BATCH ? 'again' : 'sleep',
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /**
   * Nobody waits on a late screening, so shutdown does not wait on the provider either: calls in
   * flight are abandoned and their retries handed back (due at once, for another replica), and
   * only that bookkeeping is awaited, while the database is still open.
   */
  beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    return this.loop.stop();
  }
}
