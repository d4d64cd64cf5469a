// Delivery flow: the outbox worker that sends decisions to Toqio, on only when TOQIO_WEBHOOK_URL is set.
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DeliverNotifications } from '../application/deliver-notifications.use-case';
import { DecisionNotifier, NotificationOutbox } from '../application/ports/notification-outbox.port';
import { NotificationDeliveryWorker } from '../adapters/background/notification-delivery.worker';
import { MetricsRecorder } from '../adapters/metrics/metrics-recorder';
import { PersistenceModule } from '../adapters/persistence/persistence.module';
import { ToqioModule } from '../adapters/toqio/toqio.module';
import { AppConfig } from '../config/app-config';

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

function deliveryWorker(config: AppConfig): Provider {
  const { notifications } = config;
  return {
    provide: NotificationDeliveryWorker,
    inject: [NotificationOutbox, DecisionNotifier, MetricsRecorder],
    useFactory: (outbox: NotificationOutbox, notifier: DecisionNotifier, metrics: MetricsRecorder) =>
      new NotificationDeliveryWorker(
        new DeliverNotifications(outbox, notifier, {
          requestTimeoutMs: notifications.requestTimeoutMs,
          schedule: { baseDelayMs: notifications.retryBaseMs, maxDelayMs: notifications.retryMaxDelayMs, maxAgeMs: notifications.maxAgeMs },
        }),
        { concurrency: notifications.concurrency, pollMs: notifications.pollMs, onAttempt: (outcome) => metrics.deliveryAttempt(outcome) },
      ),
  };
}

@Module({})
export class DeliveryModule {
  static forRoot(config: AppConfig): DynamicModule {
    const delivering = config.toqio.webhookUrl !== undefined;
    return {
      module: DeliveryModule,
      imports: [PersistenceModule, ToqioModule.forRoot(config)],
      providers: [
        ...(delivering ? [deliveryWorker(config)] : []),
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
