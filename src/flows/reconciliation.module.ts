// Reconciliation flow: the report on demand for analysts, and the daily report stored in the background.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ReconciliationStore } from '../application/ports/reconciliation-store.port';
import { ReconcilePayments } from '../application/reconcile-payments.use-case';
import { DailyReconciliationWorker } from '../adapters/background/daily-reconciliation.worker';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { paymentsConfig } from '../config/payments.config';

/** Rows a stored daily report keeps; its counts and totals cover all of them. */
const DAILY_ROW_CAP = 10_000;

@Module({})
export class ReconciliationModule {
  static forRoot(): DynamicModule {
    return {
      module: ReconciliationModule,
      imports: [PersistenceModule],
      providers: [
        {
          provide: ReconcilePayments,
          inject: [ReconciliationStore, MetricsRecorder, paymentsConfig.KEY],
          useFactory: (store: ReconciliationStore, metrics: MetricsRecorder, payments: ConfigType<typeof paymentsConfig>) =>
            new ReconcilePayments(store, { settleHours: payments.reconciliationSettleHours, dailyRowCap: DAILY_ROW_CAP }, { onDailyStored: (_day, counts) => metrics.reconciliationDay(counts) }),
        },
        { provide: DailyReconciliationWorker, inject: [ReconcilePayments], useFactory: (reconcile: ReconcilePayments) => new DailyReconciliationWorker(reconcile) },
      ],
      exports: [ReconcilePayments],
    };
  }
}
