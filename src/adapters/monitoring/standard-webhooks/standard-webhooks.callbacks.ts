// Provider callbacks in the Standard Webhooks format, for providers with no format of their own.
import { timingSafeEqual } from 'node:crypto';
import { CallbackCredentials, CallbackRequest, MonitoringProvider, ProviderDecision } from '../../../application/ports/monitoring-provider.port';
import { UnknownProviderError, WebhookMalformedError, WebhookUnauthenticError } from '../../../domain/domain-error';
import { idRule, isUsableId } from '../../../domain/transaction-id';
import { withoutByteOrderMark } from '../../http/json-body';
import { standardWebhooksKey, standardWebhooksSignature } from '../../signatures/standard-webhooks';

/** The tolerance the Standard Webhooks specification recommends, either side of now. */
const TOLERANCE_SECONDS = 5 * 60;

/** The one event type these callbacks carry. */
export const DECISION_EVENT_TYPE = 'transaction.decided';

/*
 * Headers webhook-id, webhook-timestamp and webhook-signature ("v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>", several space-separated during a secret rotation), with the
 * specification's 5-minute timestamp tolerance. The body:
 *
 *   { "type": "transaction.decided", "timestamp": "<ISO 8601>",
 *     "data": { "transactionId": "...", "status": "APPROVED" | "REJECTED", "reasons": ["..."] } }
 *
 * reasons is optional (absent or null: none; at most 50 of at most 1000 characters); other fields
 * are ignored. webhook-id is the event id that makes a replay harmless.
 */
/**
 * A provider with no callback format of its own (the rules engine, the generic http engine): its
 * decisions come back through StandardWebhooksCallbacks when a secret is configured, else none does.
 */
export abstract class StandardWebhooksCallbackProvider extends MonitoringProvider {
  protected constructor(private readonly callbacks?: StandardWebhooksCallbacks) {
    super();
  }

  override async verifyCallback(provider: string, request: CallbackRequest): Promise<ProviderDecision> {
    return this.callbacksOf(provider).verify(request);
  }

  override authenticateCallback(provider: string, request: CallbackCredentials): void {
    this.callbacksOf(provider).authenticate(request);
  }

  private callbacksOf(provider: string): StandardWebhooksCallbacks {
    if (provider !== this.name || !this.callbacks) throw new UnknownProviderError(provider);
    return this.callbacks;
  }
}

export class StandardWebhooksCallbacks {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = standardWebhooksKey(secret);
  }

  /**
   * Throws WebhookUnauthenticError when a header is absent, the timestamp is outside the
   * tolerance or, given the body, no v1 signature matches it.
   */
  authenticate(request: CallbackCredentials): void {
    const headers = signatureHeaders(request);
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures } = headers;
    if (!id || !timestamp || !signatures) {
      throw new WebhookUnauthenticError('Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature are required');
    }
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!(Math.abs(Date.now() / 1000 - seconds) <= TOLERANCE_SECONDS)) {
      throw new WebhookUnauthenticError(`Standard Webhooks verification failed: webhook-timestamp is not within ${TOLERANCE_SECONDS} s of now`);
    }
    if (request.rawBody === undefined) return;
    const expected = standardWebhooksSignature(this.key, id, timestamp, request.rawBody);
    const matches = signatures.split(' ').some((entry) => {
      const [version, signature] = entry.split(',');
      if (version !== 'v1' || signature === undefined) return false;
      const given = Buffer.from(signature, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw new WebhookUnauthenticError('Standard Webhooks verification failed: no matching signature');
  }

  verify(request: CallbackRequest): ProviderDecision {
    this.authenticate(request);
    const eventId = signatureHeaders(request)['webhook-id'];
    let payload: unknown;
    try {
      payload = JSON.parse(withoutByteOrderMark(Buffer.from(request.rawBody).toString('utf8')));
    } catch {
      throw new WebhookMalformedError('the callback body is not JSON');
    }
    if (eventId.length === 0 || eventId.length > 256) throw new WebhookMalformedError('webhook-id must be 1 to 256 characters', 'webhook-id');
    return { eventId, ...decisionOf(payload) };
  }
}

function signatureHeaders(request: CallbackCredentials): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const header = (name: string) => request.headers[name] ?? '';
  return { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') };
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
