// Ties the shadow challenger's calls to the application's lifetime: they are let go at shutdown.
import { BeforeApplicationShutdown } from '@nestjs/common';
import { ShadowScreening } from '../../application/shadow-screening.use-case';

export class ShadowScreeningLifecycle implements BeforeApplicationShutdown {
  constructor(private readonly shadow: ShadowScreening) {}

  /** Abandons the challenger calls in flight and waits for their records while the database is open. */
  beforeApplicationShutdown(): Promise<void> {
    return this.shadow.stop();
  }
}
