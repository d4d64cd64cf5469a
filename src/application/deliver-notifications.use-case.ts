// Delivers queued decisions to Toqio: claim what is due, send each once, record every attempt.
import { DeliverFromOutbox, DeliveryPolicy } from './deliver-from-outbox';
import { DecisionNotifier, Delivery, NotificationOutbox } from './ports/notification-outbox.port';

export type { DeliveryPolicy };

/** The outbox delivery of decisions, with Toqio's notifier; the mechanics are DeliverFromOutbox's. */
export class DeliverNotifications extends DeliverFromOutbox<Delivery> {
  constructor(outbox: NotificationOutbox, notifier: DecisionNotifier, policy: DeliveryPolicy, options: { readonly now?: () => Date; readonly random?: () => number } = {}) {
    super(outbox, notifier, policy, options);
  }
}
