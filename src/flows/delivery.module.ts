// Delivery flow: the outbox worker that sends decisions to Toqio, on only when TOQIO_WEBHOOK_URL is set.
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { DeliverNotifications } from '../application/deliver-notifications.use-case';
import { DecisionNotifier, NotificationOutbox } from '../application/ports/notification-outbox.port';
import { NotificationDeliveryWorker } from '../adapters/background/notification-delivery.worker';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { ToqioModule } from '../adapters/toqio/toqio.module';
import { toqioConfig } from '../config/toqio.config';

/**
 * What other flows call once they have queued a notification, so that it goes out now rather
 * than at the next poll. Without TOQIO_WEBHOOK_URL there is no worker and it does nothing:
 * notifications then wait in the outbox.
 */
export class DeliveryWakeUp {
  constructor(private readonly worker?: NotificationDeliveryWorker) {}

  wake(): void {
    this.worker?.wake();
  }
}

const deliveryWorker: Provider = {
  provide: NotificationDeliveryWorker,
  inject: [NotificationOutbox, DecisionNotifier, MetricsRecorder, toqioConfig.KEY],
  useFactory: (outbox: NotificationOutbox, notifier: DecisionNotifier, metrics: MetricsRecorder, { delivery }: ConfigType<typeof toqioConfig>) =>
    new NotificationDeliveryWorker(
      new DeliverNotifications(outbox, notifier, {
        requestTimeoutMs: delivery.requestTimeoutMs,
        schedule: { baseDelayMs: delivery.retryBaseMs, maxDelayMs: delivery.retryMaxDelayMs, maxAgeMs: delivery.maxAgeMs },
      }),
      { concurrency: delivery.concurrency, pollMs: delivery.pollMs, onAttempt: (outcome) => metrics.deliveryAttempt(outcome) },
    ),
};

@Module({})
export class DeliveryModule {
  static forRoot(toqio: ConfigType<typeof toqioConfig>): DynamicModule {
    const delivering = toqio.webhookUrl !== undefined;
    return {
      module: DeliveryModule,
      imports: [PersistenceModule, ToqioModule.forRoot(toqio)],
      providers: [
        ...(delivering ? [deliveryWorker] : []),
        {
          provide: DeliveryWakeUp,
          inject: [{ token: NotificationDeliveryWorker, optional: true }],
          useFactory: (worker?: NotificationDeliveryWorker) => new DeliveryWakeUp(worker),
        },
      ],
      exports: [DeliveryWakeUp],
    };
  }
}
