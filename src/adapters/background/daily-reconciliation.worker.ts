// Stores each UTC day's reconciliation report once it is due, from whichever replica gets to it first.
import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { ReconcilePayments } from '../../application/reconcile-payments.use-case';
import { BackgroundLoop } from './background-loop';

/** How often a replica checks whether the due days' reports are stored: a report is at most this late. */
export const DAILY_RECONCILIATION_CHECK_MS = 10 * 60_000;

export class DailyReconciliationWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: BackgroundLoop;

  constructor(reconcile: ReconcilePayments, checkMs = DAILY_RECONCILIATION_CHECK_MS) {
    // Every replica checks; the store's advisory lock and the day's primary key make one of them build each day.
    this.loop = new BackgroundLoop({ name: 'DailyReconciliation', pollMs: checkMs }, async () => {
      await reconcile.storeDueDailyReports();
      return 'sleep';
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
