// Marble: POST /decisions decides at validate; the case.decision_reviewed webhook brings an analyst's later review.
import { CallSignal } from '../../../application/ports/call-signal';
import { CallbackCredentials, CallbackRequest, MonitoringProvider, ProviderDecision } from '../../../application/ports/monitoring-provider.port';
import { ProviderUnavailableError, UnknownProviderError, WebhookMalformedError } from '../../../domain/domain-error';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { Verdict } from '../../../domain/verdict';
import { checkHexHmacSha256 } from '../hex-hmac-signature';
import { expectSuccess, JsonHttpClient, ProviderHttpError } from '../http-client/json-http-client';
import { toMarbleDecisionRequest, verdictFromMarble } from './marble-decision';
import { idRule, isUsableId } from '../../../domain/transaction-id';
import { withoutByteOrderMark } from '../../http/json-body';

export interface MarbleOptions {
  /** e.g. https://api.checkmarble.com/v1, or a self-hosted Marble's /v1. */
  readonly apiUrl: string;
  readonly apiKey?: string;
  readonly scenarioId: string;
  /** The webhook's secret as registered in Marble; unset: callbacks are refused. */
  readonly webhookSecret?: string;
  /** Header carrying the hex HMAC-SHA256 of the body. */
  readonly signatureHeader: string;
  /** Budget of the decision lookup a callback triggers. */
  readonly lookupTimeoutMs?: number;
}

export const MARBLE_REVIEW_EVENT = 'case.decision_reviewed';
const UUID = /^[0-9a-fA-F-]{36}$/;

export class MarbleMonitoringProvider extends MonitoringProvider {
  readonly name = 'marble';
  private readonly client: JsonHttpClient;

  constructor(private readonly options: MarbleOptions) {
    super();
    this.client = new JsonHttpClient({ baseUrl: options.apiUrl, headers: options.apiKey ? { 'x-api-key': options.apiKey } : {} });
  }

  /** Not retried: every POST /decisions creates a decision (and possibly a case) at Marble. */
  async screen(transaction: Transaction, _context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    const body = JSON.stringify(toMarbleDecisionRequest(this.options.scenarioId, transaction));
    const response = await this.client.post('/decisions', body, signal);
    return verdictFromMarble(expectSuccess(response, 'Marble POST /decisions'));
  }

  /**
   * The signature header holds the hex HMAC-SHA256 of the raw body, keyed with the webhook's
   * secret; Webhook-Idempotency-Key is the event id. The event names the reviewed decision only,
   * so its outcome and transaction are read from GET /decisions/{id} (idempotent: retried once).
   */
  /** Closes the kept-alive connections (shutdown). */
  close(): void {
    this.client.close();
  }

  override authenticateCallback(provider: string, request: CallbackCredentials): void {
    if (provider !== this.name || !this.options.webhookSecret) throw new UnknownProviderError(provider);
    const signature = request.headers[this.options.signatureHeader]?.trim().replace(/^sha256=/, '');
    checkHexHmacSha256(this.options.signatureHeader, signature, this.options.webhookSecret, request.rawBody);
  }

  override async verifyCallback(provider: string, request: CallbackRequest): Promise<ProviderDecision> {
    this.authenticateCallback(provider, request);
    const eventId = (request.headers['webhook-idempotency-key'] ?? '').trim();
    if (eventId.length < 1 || eventId.length > 256) throw new WebhookMalformedError('Webhook-Idempotency-Key must be 1 to 256 characters', 'webhook-idempotency-key');
    let event: Record<string, any>;
    try {
      event = JSON.parse(withoutByteOrderMark(Buffer.from(request.rawBody).toString('utf8')));
    } catch {
      throw new WebhookMalformedError('the callback body is not JSON');
    }
    const type = event?.type ?? event?.Type;
    if (type !== MARBLE_REVIEW_EVENT) throw new WebhookMalformedError(`type must be "${MARBLE_REVIEW_EVENT}"`, 'type');
    const content = event.content ?? event.Content ?? event.data ?? {};
    const decisionId = content?.decision?.id ?? content?.decision?.Id;
    if (typeof decisionId !== 'string' || !UUID.test(decisionId)) throw new WebhookMalformedError('content.decision.id must be a decision id', 'content.decision.id');
    const decision = await this.lookup(decisionId);
    const transactionId = decision?.trigger_object?.object_id;
    if (!isUsableId(transactionId)) {
      throw new WebhookMalformedError(`the reviewed decision's trigger_object.object_id: ${idRule('it')}`);
    }
    const review = decision.review_status;
    if (review !== 'approve' && review !== 'decline') throw new WebhookMalformedError(`the reviewed decision's review_status is ${JSON.stringify(review)}, not approve or decline`);
    return {
      eventId,
      transactionId,
      status: review === 'approve' ? 'APPROVED' : 'REJECTED',
      reasons: [`Marble review of decision ${decisionId}: ${review}`],
    };
  }

  private async lookup(decisionId: string): Promise<Record<string, any>> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const response = await this.client.get(`/decisions/${decisionId}`, AbortSignal.timeout(this.options.lookupTimeoutMs ?? 5_000));
        if (response.status === 404) throw new WebhookMalformedError(`Marble knows no decision ${decisionId}`);
        return ((expectSuccess(response, 'Marble GET /decisions/{id}') as { data?: unknown })?.data ?? {}) as Record<string, any>;
      } catch (error) {
        if (error instanceof WebhookMalformedError) throw error;
        // A 4xx will not improve with a retry.
        if (error instanceof ProviderHttpError && error.status >= 400 && error.status < 500) throw new ProviderUnavailableError(this.name, error.message);
        lastError = error;
      }
    }
    throw new ProviderUnavailableError(this.name, (lastError as Error).message);
  }
}
