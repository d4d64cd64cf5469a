// Runs RetryLateScreenings in the background: providers that failed at validate are asked again.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { RetryLateScreenings } from '../../application/retry-late-screenings.use-case';
import { BackgroundLoop } from './background-loop';

const BATCH = 16;

export class LateScreeningWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly retries: RetryLateScreenings,
    pollMs: number,
  ) {
    this.loop = new BackgroundLoop({ name: 'LateScreening', pollMs }, async () => ((await this.retries.runDue(BATCH)).length === BATCH ? 'again' : 'sleep'));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
