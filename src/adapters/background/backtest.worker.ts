// Runs queued backtests in the background, one at a time per replica; stopping hands the job in flight back to the queue.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { RunBacktests } from '../../application/run-backtests.use-case';
import { BackgroundLoop } from './background-loop';

/** Jobs queued on another replica are found within this. */
const POLL_MS = 2_000;

export class BacktestWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;
  private readonly stopping = new AbortController();

  constructor(backtests: RunBacktests) {
    this.loop = new BackgroundLoop({ name: 'Backtests', pollMs: POLL_MS }, () => backtests.runOnce(this.stopping.signal));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** A job queued on this replica starts at once rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    return this.loop.stop();
  }
}
