// Runs DeliverNotifications continuously: up to N deliveries in flight, woken by new decisions.
import { DeliverNotifications } from '../../application/deliver-notifications.use-case';
import { Delivery, DeliveryOutcome } from '../../application/ports/notification-outbox.port';
import { OutboxDeliveryWorker } from './outbox-delivery.worker';

export interface NotificationWorkerOptions {
  readonly concurrency: number;
  readonly pollMs: number;
  /** Told the outcome of every attempt whose result was recorded, for metrics. */
  readonly onAttempt?: (outcome: DeliveryOutcome) => void;
}

/** The worker of the outbox to Toqio: its own class, so that it is its own injection token. */
export class NotificationDeliveryWorker extends OutboxDeliveryWorker<Delivery> {
  constructor(deliver: DeliverNotifications, options: NotificationWorkerOptions) {
    const { onAttempt } = options;
    super('NotificationDelivery', deliver, { ...options, onAttempt: onAttempt && (({ result }) => onAttempt(result.outcome)) }, (delivery) => `notification ${delivery.notificationId}`);
  }
}
