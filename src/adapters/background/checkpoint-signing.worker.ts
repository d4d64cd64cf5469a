// Signs checkpoints of the audit chains every AUDIT_CHECKPOINT_INTERVAL_SECONDS, on whichever replica gets there first.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { AuditCheckpoints } from '../../application/audit-checkpoints.use-case';
import { BackgroundLoop } from './background-loop';

export class CheckpointSigningWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(checkpoints: AuditCheckpoints, intervalMs: number) {
    this.loop = new BackgroundLoop({ name: 'AuditCheckpoints', pollMs: intervalMs }, async () => ((await checkpoints.signPending()) ? 'again' : 'sleep'));
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** A checkpoint is one database transaction: one cut short is simply made by the next pass. */
  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
