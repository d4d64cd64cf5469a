// Wires the framework-free use cases to the ports the adapters export, and runs the workers.
import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { DecideTransaction } from './application/decide-transaction.use-case';
import { DeliverNotifications } from './application/deliver-notifications.use-case';
import { FollowUpPaymentEvents } from './application/follow-up-payment-events.use-case';
import { IngestPaymentEvent } from './application/ingest-payment-event.use-case';
import { LateScreeningQueue } from './application/ports/late-screening-queue.port';
import { MonitoringProvider } from './application/ports/monitoring-provider.port';
import { ProviderVerdictStore, ShadowMonitoringProvider } from './application/ports/provider-verdict-store.port';
import { DecisionNotifier, NotificationOutbox } from './application/ports/notification-outbox.port';
import { PaymentEventStore } from './application/ports/payment-event-store.port';
import { ReviewStore } from './application/ports/review-store.port';
import { TransactionStore } from './application/ports/transaction-store.port';
import { ReceiveProviderCallback } from './application/receive-provider-callback.use-case';
import { RedeliverNotification } from './application/redeliver-notification.use-case';
import { RetryLateScreenings } from './application/retry-late-screenings.use-case';
import { ReviewQueue } from './application/review-queue.use-case';
import { ShadowScreening } from './application/shadow-screening.use-case';
import { ValidateTransaction } from './application/validate-transaction.use-case';
import { ResolveStaleClaims } from './application/resolve-stale-claims.use-case';
import { StaleClaimsWorker } from './adapters/background/stale-claims.worker';
import { LateScreeningWorker } from './adapters/background/late-screening.worker';
import { NotificationDeliveryWorker } from './adapters/background/notification-delivery.worker';
import { PaymentFollowUpWorker } from './adapters/background/payment-follow-up.worker';
import { ShadowScreeningWorker } from './adapters/background/shadow-screening.worker';
import { MonitoringModule } from './adapters/monitoring/monitoring.module';
import { PersistenceModule } from './adapters/persistence/persistence.module';
import { ToqioModule } from './adapters/toqio/toqio.module';
import { ServiceMetrics } from './adapters/metrics/service-metrics';
import { AppConfig } from './config/app-config';
import { Decimal } from './domain/decimal';

/** Budget of one late screening: nobody waits on it, so it may be longer than validate's. */
const LATE_SCREENING_TIMEOUT_MS = 10_000;

/**
 * A claim older than this has no live claimant: past its deadline and any in-process work it left
 * running (whose statements end at the deadline), with margin for clocks.
 */
function staleClaimMs(config: AppConfig): number {
  return Math.max(config.monitoring.validateDeadlineMs, config.monitoring.decisionTimeoutMs) + 5_000;
}

@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const delivering = config.toqio.webhookUrl !== undefined;
    const wakeDelivery = (worker: NotificationDeliveryWorker | undefined) => () => worker?.wake();
    return {
      module: CoreModule,
      imports: [PersistenceModule, MonitoringModule.forRoot(config), ToqioModule.forRoot(config)],
      providers: [
        {
          provide: ValidateTransaction,
          inject: [TransactionStore, MonitoringProvider, { token: ShadowScreeningWorker, optional: true }],
          useFactory: (store: TransactionStore, provider: MonitoringProvider, shadow?: ShadowScreeningWorker) =>
            new ValidateTransaction(
              store,
              provider,
              {
                decisionTimeoutMs: config.monitoring.decisionTimeoutMs,
                fallbackStatus: config.monitoring.fallbackStatus,
                deadlineMs: config.monitoring.validateDeadlineMs,
                staleClaimMs: staleClaimMs(config),
              },
              shadow ? (transaction, context) => shadow.shadow.start(transaction, context) : undefined,
            ),
        },
        // Shadow mode (MONITORING_SHADOW_PROVIDER): the challenger is asked beside every new transaction.
        ...(config.monitoring.shadowProviders.length > 0
          ? [
              {
                provide: ShadowScreeningWorker,
                inject: [ShadowMonitoringProvider, ProviderVerdictStore],
                useFactory: (challenger: ShadowMonitoringProvider, store: ProviderVerdictStore) => {
                  const logger = new Logger('ShadowScreening');
                  return new ShadowScreeningWorker(
                    new ShadowScreening(challenger, store, { timeoutMs: config.monitoring.shadowTimeoutMs, maxInFlight: 1_000 }, (message) => logger.warn(message)),
                  );
                },
              },
            ]
          : []),
        {
          provide: StaleClaimsWorker,
          inject: [TransactionStore, MonitoringProvider],
          useFactory: (store: TransactionStore, provider: MonitoringProvider) =>
            new StaleClaimsWorker(
              new ResolveStaleClaims(store, provider, {
                staleClaimMs: staleClaimMs(config),
                timeoutMs: config.monitoring.decisionTimeoutMs,
                fallbackStatus: config.monitoring.fallbackStatus,
              }),
              Math.min(5_000, staleClaimMs(config)),
            ),
        },
        {
          provide: ReviewQueue,
          inject: [ReviewStore],
          useFactory: (store: ReviewStore) => new ReviewQueue(store, { pendingSlaMinutes: config.analysts.pendingSlaMinutes }),
        },
        ...(delivering
          ? [
              {
                provide: NotificationDeliveryWorker,
                inject: [NotificationOutbox, DecisionNotifier, ServiceMetrics],
                useFactory: (outbox: NotificationOutbox, notifier: DecisionNotifier, metrics: ServiceMetrics) =>
                  new NotificationDeliveryWorker(
                    new DeliverNotifications(outbox, notifier, {
                      requestTimeoutMs: config.notifications.requestTimeoutMs,
                      schedule: {
                        baseDelayMs: config.notifications.retryBaseMs,
                        maxDelayMs: config.notifications.retryMaxDelayMs,
                        maxAgeMs: config.notifications.maxAgeMs,
                      },
                    }),
                    {
                      concurrency: config.notifications.concurrency,
                      pollMs: config.notifications.pollMs,
                      onAttempt: (outcome) => metrics.deliveryAttempt(outcome),
                    },
                  ),
              },
            ]
          : []),
        {
          provide: DecideTransaction,
          inject: [ReviewStore, ServiceMetrics, { token: NotificationDeliveryWorker, optional: true }],
          useFactory: (store: ReviewStore, metrics: ServiceMetrics, worker?: NotificationDeliveryWorker) =>
            new DecideTransaction(
              store,
              { threshold: config.analysts.fourEyesThreshold === undefined ? undefined : Decimal.parse(config.analysts.fourEyesThreshold) },
              {
                onNotificationQueued: wakeDelivery(worker),
                onDecided: (source, status) => metrics.decision(source === 'ANALYST' ? 'analyst' : 'provider', status),
              },
            ),
        },
        {
          provide: RedeliverNotification,
          inject: [NotificationOutbox, { token: NotificationDeliveryWorker, optional: true }],
          useFactory: (outbox: NotificationOutbox, worker?: NotificationDeliveryWorker) => new RedeliverNotification(outbox, wakeDelivery(worker)),
        },
        {
          provide: ReceiveProviderCallback,
          inject: [MonitoringProvider, DecideTransaction],
          useFactory: (provider: MonitoringProvider, decide: DecideTransaction) => new ReceiveProviderCallback(provider, decide),
        },
        {
          provide: PaymentFollowUpWorker,
          inject: [PaymentEventStore, TransactionStore, MonitoringProvider],
          useFactory: (events: PaymentEventStore, transactions: TransactionStore, provider: MonitoringProvider) =>
            new PaymentFollowUpWorker(
              new FollowUpPaymentEvents(events, transactions, provider, {
                screeningTimeoutMs: config.monitoring.inboundScreeningTimeoutMs,
                // A claim outlives the longest screening, so that only a dead worker's is taken over.
                leaseMs: config.monitoring.inboundScreeningTimeoutMs + 5_000,
                retryBaseMs: 1_000,
                retryMaxDelayMs: 300_000,
              }),
              config.notifications.pollMs,
            ),
        },
        {
          provide: IngestPaymentEvent,
          inject: [PaymentEventStore, PaymentFollowUpWorker],
          useFactory: (events: PaymentEventStore, worker: PaymentFollowUpWorker) => new IngestPaymentEvent(events, () => worker.wake()),
        },
        {
          provide: LateScreeningWorker,
          inject: [LateScreeningQueue, MonitoringProvider, DecideTransaction],
          useFactory: (queue: LateScreeningQueue, provider: MonitoringProvider, decide: DecideTransaction) =>
            new LateScreeningWorker(
              new RetryLateScreenings(queue, provider, decide, {
                timeoutMs: Math.max(LATE_SCREENING_TIMEOUT_MS, config.monitoring.decisionTimeoutMs),
                schedule: { baseDelayMs: 2_000, maxDelayMs: 300_000, maxAgeMs: config.monitoring.lateScreeningMaxAgeMs },
              }),
              config.notifications.pollMs,
            ),
        },
      ],
      exports: [ValidateTransaction, ReviewQueue, DecideTransaction, RedeliverNotification, ReceiveProviderCallback, IngestPaymentEvent, PersistenceModule, MonitoringModule],
    };
  }
}

