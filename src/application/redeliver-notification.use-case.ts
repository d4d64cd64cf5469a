// An analyst sends a dead notification to Toqio again, with the same idempotency key.
import { NotificationOutbox } from './ports/notification-outbox.port';
import { NotificationView } from './ports/review-read-model.port';

export type { NotificationView };

export class RedeliverNotification {
  constructor(
    private readonly outbox: NotificationOutbox,
    private readonly onNotificationQueued: () => void = () => undefined,
  ) {}

  /** Throws NotificationNotFound, or NotificationNotDead when it is queued or delivered. */
  async execute(notificationId: string, analyst: string): Promise<NotificationView> {
    const view = await this.outbox.redeliver(notificationId, analyst);
    this.onNotificationQueued();
    return view;
  }
}
