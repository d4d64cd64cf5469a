// Payment intake flow: payment providers' events stored, then screened and queued in the background.
import { DynamicModule, Module } from '@nestjs/common';
import { FollowUpPaymentEvents } from '../application/follow-up-payment-events.use-case';
import { IngestPaymentEvent } from '../application/ingest-payment-event.use-case';
import { MonitoringProvider } from '../application/ports/monitoring-provider.port';
import { PaymentEventStore } from '../application/ports/payment-event-store.port';
import { TransactionStore } from '../application/ports/transaction-store.port';
import { PaymentFollowUpWorker } from '../adapters/background/payment-follow-up.worker';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { AppConfig } from '../config/app-config';

/** The module this flow uses: the monitoring adapters, which screen money received. */
export interface PaymentIntakeDependencies {
  readonly monitoring: DynamicModule;
}

@Module({})
export class PaymentIntakeModule {
  static forRoot(config: AppConfig, uses: PaymentIntakeDependencies): DynamicModule {
    const { monitoring } = config;
    return {
      module: PaymentIntakeModule,
      imports: [PersistenceModule, uses.monitoring],
      providers: [
        {
          provide: PaymentFollowUpWorker,
          inject: [PaymentEventStore, TransactionStore, MonitoringProvider],
          useFactory: (events: PaymentEventStore, transactions: TransactionStore, provider: MonitoringProvider) =>
            new PaymentFollowUpWorker(
              new FollowUpPaymentEvents(events, transactions, provider, {
                screeningTimeoutMs: monitoring.inboundScreeningTimeoutMs,
                // A claim outlives the longest screening, so that only a dead worker's is taken over.
                leaseMs: monitoring.inboundScreeningTimeoutMs + monitoring.inboundLeaseMarginMs,
                retryBaseMs: monitoring.inboundRetryBaseMs,
                retryMaxDelayMs: monitoring.inboundRetryMaxDelayMs,
              }),
              config.notifications.pollMs,
            ),
        },
        {
          provide: IngestPaymentEvent,
          inject: [PaymentEventStore, PaymentFollowUpWorker],
          useFactory: (events: PaymentEventStore, worker: PaymentFollowUpWorker) => new IngestPaymentEvent(events, () => worker.wake()),
        },
      ],
      exports: [IngestPaymentEvent],
    };
  }
}
