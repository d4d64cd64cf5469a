// Payment intake flow: payment providers' events stored, then screened and queued in the background; the stored events listed.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FollowUpPaymentEvents } from '../application/follow-up-payment-events.use-case';
import { IngestPaymentEvent } from '../application/ingest-payment-event.use-case';
import { ListPaymentEvents } from '../application/list-payment-events.use-case';
import { PaymentEventLog } from '../application/ports/payment-event-log.port';
import { MonitoringProvider } from '../application/ports/monitoring-provider.port';
import { PaymentEventStore } from '../application/ports/payment-event-store.port';
import { PaymentVerifier } from '../application/ports/payment-verifier.port';
import { TransactionStore } from '../application/ports/transaction-store.port';
import { PaymentFollowUpWorker } from '../adapters/background/payment-follow-up.worker';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { PaymentVerificationModule } from '../adapters/payments/payment-verification.module';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { paymentsConfig } from '../config/payments.config';
import { toqioConfig } from '../config/toqio.config';

/** The modules this flow uses: the monitoring adapters, which screen money received, and the providers' APIs, which confirm events. */
export interface PaymentIntakeDependencies {
  readonly monitoring: DynamicModule;
  readonly verification: DynamicModule;
}

@Module({})
export class PaymentIntakeModule {
  static forRoot(uses: PaymentIntakeDependencies): DynamicModule {
    return {
      module: PaymentIntakeModule,
      imports: [PersistenceModule, uses.monitoring, uses.verification],
      providers: [
        {
          provide: PaymentFollowUpWorker,
          inject: [PaymentEventStore, TransactionStore, MonitoringProvider, PaymentVerifier, MetricsRecorder, paymentsConfig.KEY, toqioConfig.KEY],
          useFactory: (
            events: PaymentEventStore,
            transactions: TransactionStore,
            provider: MonitoringProvider,
            verifier: PaymentVerifier,
            metrics: MetricsRecorder,
            payments: ConfigType<typeof paymentsConfig>,
            toqio: ConfigType<typeof toqioConfig>,
          ) =>
            new PaymentFollowUpWorker(
              new FollowUpPaymentEvents(
                events,
                transactions,
                provider,
                {
                  screeningTimeoutMs: payments.inboundScreeningTimeoutMs,
                  // A claim outlives the longest verification and screening, so that only a dead worker's is taken over.
                  leaseMs: PaymentVerificationModule.budgetMs(payments) + payments.inboundScreeningTimeoutMs + payments.inboundLeaseMarginMs,
                  retryBaseMs: payments.inboundRetryBaseMs,
                  retryMaxDelayMs: payments.inboundRetryMaxDelayMs,
                },
                { verifier, onVerified: (name, result) => metrics.paymentVerification(name, result) },
              ),
              toqio.delivery.pollMs,
            ),
        },
        {
          provide: IngestPaymentEvent,
          inject: [PaymentEventStore, PaymentFollowUpWorker, PaymentVerifier],
          useFactory: (events: PaymentEventStore, worker: PaymentFollowUpWorker, verifier: PaymentVerifier) =>
            new IngestPaymentEvent(events, () => worker.wake(), verifier),
        },
        { provide: ListPaymentEvents, inject: [PaymentEventLog], useFactory: (log: PaymentEventLog) => new ListPaymentEvents(log) },
      ],
      exports: [IngestPaymentEvent, ListPaymentEvents],
    };
  }
}
