// Payment intake flow: payment providers' events stored, then screened and queued in the background.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { FollowUpPaymentEvents } from '../application/follow-up-payment-events.use-case';
import { IngestPaymentEvent } from '../application/ingest-payment-event.use-case';
import { MonitoringProvider } from '../application/ports/monitoring-provider.port';
import { PaymentEventStore } from '../application/ports/payment-event-store.port';
import { TransactionStore } from '../application/ports/transaction-store.port';
import { PaymentFollowUpWorker } from '../adapters/background/payment-follow-up.worker';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { paymentsConfig } from '../config/payments.config';
import { toqioConfig } from '../config/toqio.config';

/** The module this flow uses: the monitoring adapters, which screen money received. */
export interface PaymentIntakeDependencies {
  readonly monitoring: DynamicModule;
}

@Module({})
export class PaymentIntakeModule {
  static forRoot(uses: PaymentIntakeDependencies): DynamicModule {
    return {
      module: PaymentIntakeModule,
      imports: [PersistenceModule, uses.monitoring],
      providers: [
        {
          provide: PaymentFollowUpWorker,
          inject: [PaymentEventStore, TransactionStore, MonitoringProvider, paymentsConfig.KEY, toqioConfig.KEY],
          useFactory: (
            events: PaymentEventStore,
            transactions: TransactionStore,
            provider: MonitoringProvider,
            payments: ConfigType<typeof paymentsConfig>,
            toqio: ConfigType<typeof toqioConfig>,
          ) =>
            new PaymentFollowUpWorker(
              new FollowUpPaymentEvents(events, transactions, provider, {
                screeningTimeoutMs: payments.inboundScreeningTimeoutMs,
                // A claim outlives the longest screening, so that only a dead worker's is taken over.
                leaseMs: payments.inboundScreeningTimeoutMs + payments.inboundLeaseMarginMs,
                retryBaseMs: payments.inboundRetryBaseMs,
                retryMaxDelayMs: payments.inboundRetryMaxDelayMs,
              }),
              toqio.delivery.pollMs,
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
