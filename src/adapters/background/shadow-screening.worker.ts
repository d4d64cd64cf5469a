// Holds the shadow challenger's calls for the application's lifetime, and lets them go at shutdown.
import { BeforeApplicationShutdown } from '@nestjs/common';
import { ShadowScreening } from '../../application/shadow-screening.use-case';

export class ShadowScreeningWorker implements BeforeApplicationShutdown {
  constructor(readonly shadow: ShadowScreening) {}

  /** Abandons the challenger calls in flight and waits for their records while the database is open. */
  beforeApplicationShutdown(): Promise<void> {
    return this.shadow.stop();
  }
}
