// Sends a decision to Toqio's TRANSACTION_MONITORING_STATUS_UPDATED webhook over HTTP.
import { DecisionNotifier, Delivery, DeliveryResult } from '../../application/ports/notification-outbox.port';

export interface ToqioWebhookOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly apiKeyHeader: string;
}

/**
 * One POST per attempt, with the notification id as idempotency-key so that Toqio can drop a
 * second copy. Node's fetch keeps connections alive between attempts. Redirects are not
 * followed: a webhook that moved is a configuration problem to see, not to paper over.
 */
export class HttpToqioNotifier extends DecisionNotifier {
  constructor(private readonly options: ToqioWebhookOptions) {
    super();
  }

  async deliver(delivery: Delivery, signal: AbortSignal): Promise<DeliveryResult> {
    const startedAt = new Date();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          [this.options.apiKeyHeader]: this.options.apiKey,
          'content-type': 'application/json',
          'idempotency-key': delivery.notificationId,
        },
        body: delivery.body,
        redirect: 'manual',
        signal,
      });
      // Read (and discard) the body so that the connection goes back to the pool.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        return { outcome: 'DELIVERED', httpStatus: response.status, startedAt, durationMs: elapsed() };
      }
      return { outcome: 'REFUSED', httpStatus: response.status, error: `Toqio answered ${response.status}`, startedAt, durationMs: elapsed() };
    } catch (error) {
      if (signal.aborted) return { outcome: 'TIMEOUT', error: 'no answer within the request timeout', startedAt, durationMs: elapsed() };
      return { outcome: 'NETWORK_ERROR', error: describe(error), startedAt, durationMs: elapsed() };
    }
  }
}

/** "fetch failed" says nothing; the cause's code (ECONNREFUSED, ENOTFOUND, ...) does. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? `: ${cause.message}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
