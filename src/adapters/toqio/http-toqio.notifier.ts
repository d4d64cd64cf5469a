// Sends a decision to Toqio's TRANSACTION_MONITORING_STATUS_UPDATED webhook over HTTP.
import { DecisionNotifier, Delivery, DeliveryResult } from '../../application/ports/notification-outbox.port';
import { WebhookPoster } from '../outbound/webhook-poster';

export interface ToqioWebhookOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly apiKeyHeader: string;
  /** How long a kept-alive connection may sit idle before we close it (see WebhookPoster). */
  readonly idleSocketMs?: number;
}

/** One POST per attempt, with the notification id as idempotency-key so that Toqio can drop a second copy. */
export class HttpToqioNotifier extends DecisionNotifier {
  private readonly poster: WebhookPoster;

  constructor(private readonly options: ToqioWebhookOptions) {
    super();
    this.poster = new WebhookPoster({ url: options.url, receiver: 'Toqio', idleSocketMs: options.idleSocketMs });
  }

  deliver(delivery: Delivery, signal: AbortSignal): Promise<DeliveryResult> {
    const headers = { [this.options.apiKeyHeader]: this.options.apiKey, 'idempotency-key': delivery.notificationId };
    return this.poster.post(headers, Buffer.from(delivery.body, 'utf8'), signal);
  }
}
