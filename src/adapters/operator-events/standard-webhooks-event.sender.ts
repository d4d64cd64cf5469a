// Sends an operator event to EVENTS_WEBHOOK_URL, signed the Standard Webhooks way.
import { EventDelivery, OperatorEventSender } from '../../application/ports/operator-event-outbox.port';
import { DeliveryResult } from '../../application/ports/outbox-delivery.port';
import { envelopeOf } from '../../domain/operator-event';
import { WebhookPoster } from '../outbound/webhook-poster';
import { standardWebhooksKey, standardWebhooksSignature } from '../signatures/standard-webhooks';

export interface EventWebhookOptions {
  readonly url: string;
  /** "whsec_<base64>". */
  readonly secret: string;
  readonly idleSocketMs?: number;
  /** The clock the signature's timestamp is read from. */
  readonly now?: () => Date;
}

/**
 * Each attempt is signed anew (webhook-timestamp is when it is sent, so a receiver's 5-minute
 * tolerance holds for retries hours later) over the same body, with the event's id as webhook-id
 * on every attempt: the receiver's key for dropping a second copy.
 */
export class StandardWebhooksEventSender extends OperatorEventSender {
  private readonly poster: WebhookPoster;
  private readonly key: Buffer;
  private readonly now: () => Date;

  constructor(options: EventWebhookOptions) {
    super();
    this.poster = new WebhookPoster({ url: options.url, receiver: 'the event webhook', idleSocketMs: options.idleSocketMs, readRetryAfter: true });
    this.key = standardWebhooksKey(options.secret);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * A 410 Gone is final, as Standard Webhooks asks: the receiver says it wants no more events, and
   * asking again for days would only repeat the refusal. Each event still gets its own first attempt.
   */
  async deliver(delivery: EventDelivery, signal: AbortSignal): Promise<DeliveryResult> {
    const body = Buffer.from(bodyOf(delivery), 'utf8');
    const result = await this.poster.post(this.signedHeaders(delivery.eventId, body), body, signal);
    if (result.httpStatus !== 410) return result;
    return { ...result, final: true, error: 'the event webhook answered 410 Gone: it takes no more events, so this one is not retried' };
  }

  /** The three Standard Webhooks headers for `body` sent now. */
  signedHeaders(eventId: string, body: Buffer): Record<string, string> {
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const signature = standardWebhooksSignature(this.key, eventId, timestamp, body).toString('base64');
    return { 'webhook-id': eventId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
  }
}

/** The envelope `{ type, timestamp, data }`, the same bytes on every attempt. */
export function bodyOf(delivery: EventDelivery): string {
  return JSON.stringify(envelopeOf(delivery));
}
