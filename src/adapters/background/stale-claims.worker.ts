// Runs ResolveStaleClaims in the background: no transaction stays SCREENING after its validate gave up.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ResolveStaleClaims } from '../../application/resolve-stale-claims.use-case';
import { BackgroundLoop } from './background-loop';

const BATCH = 16;

export class StaleClaimsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(claims: ResolveStaleClaims, pollMs: number) {
    this.loop = new BackgroundLoop({ name: 'StaleClaims', pollMs }, async () => ((await claims.runOnce(BATCH)) === BATCH ? 'again' : 'sleep'));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Waits for the pass in flight: a claim it took and did not record is stale again later. */
  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
