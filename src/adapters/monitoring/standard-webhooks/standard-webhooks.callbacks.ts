// Provider callbacks in the Standard Webhooks format, for providers with no format of their own.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { CallbackRequest, ProviderDecision } from '../../../application/ports/monitoring-provider.port';
import { WebhookMalformedError, WebhookUnauthenticError } from '../../../domain/domain-error';
import { idRule, isUsableId } from '../../../domain/transaction-id';
import { withoutByteOrderMark } from '../../http/json-body';

/** The one event type these callbacks carry. */
export const DECISION_EVENT_TYPE = 'transaction.decided';

/*
 * Headers webhook-id, webhook-timestamp and webhook-signature ("v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>", several space-separated during a secret rotation), verified by the
 * `standardwebhooks` library with its 5-minute timestamp tolerance. The body:
 *
 *   { "type": "transaction.decided", "timestamp": "<ISO 8601>",
 *     "data": { "transactionId": "...", "status": "APPROVED" | "REJECTED", "reasons": ["..."] } }
 *
 * reasons is optional (absent or null: none; at most 50 of at most 1000 characters); other fields
 * are ignored. webhook-id is the event id that makes a replay harmless.
 */
export class StandardWebhooksCallbacks {
  private readonly webhook: Webhook;

  constructor(secret: string) {
    this.webhook = new Webhook(secret);
  }

  verify(request: CallbackRequest): ProviderDecision {
    const header = (name: string) => request.headers[name] ?? '';
    const eventId = header('webhook-id');
    let payload: unknown;
    try {
      payload = this.webhook.verify(Buffer.from(request.rawBody), {
        'webhook-id': eventId,
        'webhook-timestamp': header('webhook-timestamp'),
        'webhook-signature': header('webhook-signature'),
      });
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw new WebhookUnauthenticError(`Standard Webhooks verification failed: ${error.message}`);
      // Signed correctly but not JSON to the library, which parses after verifying: a leading byte order mark is all we forgive.
      payload = parsedWithoutByteOrderMark(request.rawBody);
    }
    if (eventId.length === 0 || eventId.length > 256) throw new WebhookMalformedError('webhook-id must be 1 to 256 characters', 'webhook-id');
    return { eventId, ...decisionOf(payload) };
  }
}

function parsedWithoutByteOrderMark(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(withoutByteOrderMark(Buffer.from(rawBody).toString('utf8')));
  } catch {
    throw new WebhookMalformedError('the callback body is not JSON');
  }
}

function decisionOf(payload: unknown): Omit<ProviderDecision, 'eventId'> {
  if (!isObject(payload)) throw new WebhookMalformedError('the callback body must be a JSON object');
  if (payload.type !== DECISION_EVENT_TYPE) throw new WebhookMalformedError(`type must be "${DECISION_EVENT_TYPE}"`, 'type');
  const data = payload.data;
  if (!isObject(data)) throw new WebhookMalformedError('data must be an object', 'data');
  const { transactionId, status } = data;
  // Senders that serialise every optional field write null for "no reasons".
  const reasons = data.reasons ?? [];
  if (!isUsableId(transactionId)) {
    throw new WebhookMalformedError(idRule('data.transactionId'), 'data.transactionId');
  }
  if (status !== 'APPROVED' && status !== 'REJECTED') throw new WebhookMalformedError('data.status must be APPROVED or REJECTED', 'data.status');
  if (!Array.isArray(reasons) || reasons.length > 50 || !reasons.every((reason) => typeof reason === 'string' && reason.length <= 1000)) {
    throw new WebhookMalformedError('data.reasons must be at most 50 strings of at most 1000 characters', 'data.reasons');
  }
  return { transactionId, status, reasons: reasons as string[] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
