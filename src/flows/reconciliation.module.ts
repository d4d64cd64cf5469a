// Reconciliation flow: the report on demand for analysts, the daily report stored in the background, and payment alerts pushed to operators.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ReconciliationStore } from '../application/ports/reconciliation-store.port';
import { ReconcilePayments } from '../application/reconcile-payments.use-case';
import { OperatorEventOutbox } from '../application/ports/operator-event-outbox.port';
import { PaymentAlertSource } from '../application/ports/payment-alert-source.port';
import { PushPaymentAlerts } from '../application/push-payment-alerts.use-case';
import { PaymentAlertsWorker } from '../adapters/background/payment-alerts.worker';
import { eventsConfig } from '../config/events.config';
import { DailyReconciliationWorker } from '../adapters/background/daily-reconciliation.worker';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { paymentsConfig } from '../config/payments.config';

/** Rows a stored daily report keeps; its counts and totals cover all of them. */
const DAILY_ROW_CAP = 10_000;

/** Payment alerts: how far back each pass looks, when waiting money counts as unscreened, and facts per kind per pass. */
const PAYMENT_ALERTS = { lookbackMs: 86_400_000, unscreenedAfterMs: 15 * 60_000, limit: 1_000 };

/** The module this flow uses: alerts, whose outbox takes the payment alerts. */
export interface ReconciliationDependencies {
  readonly alerts: DynamicModule;
}

@Module({})
export class ReconciliationModule {
  static forRoot(uses: ReconciliationDependencies): DynamicModule {
    return {
      module: ReconciliationModule,
      imports: [PersistenceModule, uses.alerts],
      providers: [
        {
          provide: ReconcilePayments,
          inject: [ReconciliationStore, MetricsRecorder, paymentsConfig.KEY],
          useFactory: (store: ReconciliationStore, metrics: MetricsRecorder, payments: ConfigType<typeof paymentsConfig>) =>
            new ReconcilePayments(store, { settleHours: payments.reconciliationSettleHours, dailyRowCap: DAILY_ROW_CAP }, { onDailyStored: (_day, counts) => metrics.reconciliationDay(counts) }),
        },
        { provide: DailyReconciliationWorker, inject: [ReconcilePayments], useFactory: (reconcile: ReconcilePayments) => new DailyReconciliationWorker(reconcile) },
        {
          provide: PaymentAlertsWorker,
          inject: [PaymentAlertSource, OperatorEventOutbox, eventsConfig.KEY],
          // Without EVENTS_WEBHOOK_URL nothing would be queued: no pass runs at all.
          useFactory: (source: PaymentAlertSource, outbox: OperatorEventOutbox, events: ConfigType<typeof eventsConfig>) =>
            events.webhook ? new PaymentAlertsWorker(new PushPaymentAlerts(source, outbox, PAYMENT_ALERTS), events.delivery.pollMs) : null,
        },
      ],
      exports: [ReconcilePayments],
    };
  }
}
