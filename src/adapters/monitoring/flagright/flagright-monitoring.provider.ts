// Flagright: the synchronous transaction API decides at validate; its TRANSACTION_STATUS_UPDATED webhook decides later.
import { CallSignal } from '../../../application/ports/call-signal';
import { CallbackCredentials, CallbackRequest, MonitoringProvider, ProviderDecision } from '../../../application/ports/monitoring-provider.port';
import { UnknownProviderError, WebhookMalformedError } from '../../../domain/domain-error';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { isStorableText } from '../../../domain/storable-text';
import { Verdict } from '../../../domain/verdict';
import { checkHexHmacSha256 } from '../hex-hmac-signature';
import { expectSuccess, JsonHttpClient } from '../http-client/json-http-client';
import { toFlagrightTransaction, verdictFromFlagright } from './flagright-transaction';
import { idRule, isUsableId } from '../../../domain/transaction-id';
import { withoutByteOrderMark } from '../../http/json-body';

export interface FlagrightOptions {
  /** e.g. https://sandbox.api.flagright.com or the region's production URL. */
  readonly apiUrl: string;
  readonly apiKey?: string;
  /** The endpoint's signing secret from Flagright's console; unset: callbacks are refused. */
  readonly webhookSecret?: string;
}

export const FLAGRIGHT_STATUS_EVENT = 'TRANSACTION_STATUS_UPDATED';

/** Flagright's signature header: hex HMAC-SHA256 of the raw body. */
const SIGNATURE_HEADER = 'x-flagright-signature';

export class FlagrightMonitoringProvider extends MonitoringProvider {
  readonly name = 'flagright';
  private readonly client: JsonHttpClient;

  constructor(private readonly options: FlagrightOptions) {
    super();
    this.client = new JsonHttpClient({ baseUrl: options.apiUrl, headers: options.apiKey ? { 'x-api-key': options.apiKey } : {} });
  }

  /**
   * Not retried: POST /transactions records the transaction at Flagright, and a second POST of the
   * same transactionId is a conflict, not a replay. Our own idempotency (the claim) covers repeats.
   */
  async screen(transaction: Transaction, _context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    const body = JSON.stringify(toFlagrightTransaction(transaction));
    // Toqio's customers need not be registered in Flagright first: without these, Flagright refuses
    // a transaction whose originUserId it does not know, and every payment would be held.
    const response = await this.client.post('/transactions?validateOriginUserId=false&validateDestinationUserId=false', body, signal);
    return verdictFromFlagright(expectSuccess(response, 'Flagright POST /transactions'));
  }

  /**
   * x-flagright-signature: lowercase hex HMAC-SHA256 of the raw body keyed with the endpoint's
   * secret. The event's `id` makes a redelivery harmless; ALLOW and BLOCK decide, anything else
   * (an analyst moving it to FLAG or SUSPEND) is not a decision and is refused as malformed.
   */
  /** Closes the kept-alive connections (shutdown). */
  close(): void {
    this.client.close();
  }

  override authenticateCallback(provider: string, request: CallbackCredentials): void {
    if (provider !== this.name || !this.options.webhookSecret) throw new UnknownProviderError(provider);
    checkHexHmacSha256(SIGNATURE_HEADER, request.headers[SIGNATURE_HEADER], this.options.webhookSecret, request.rawBody);
  }

  override async verifyCallback(provider: string, request: CallbackRequest): Promise<ProviderDecision> {
    this.authenticateCallback(provider, request);
    let event: unknown;
    try {
      event = JSON.parse(withoutByteOrderMark(Buffer.from(request.rawBody).toString('utf8')));
    } catch {
      throw new WebhookMalformedError('the callback body is not JSON');
    }
    const { id, type, data } = (event ?? {}) as { id?: unknown; type?: unknown; data?: Record<string, unknown> };
    if (type !== FLAGRIGHT_STATUS_EVENT) throw new WebhookMalformedError(`type must be "${FLAGRIGHT_STATUS_EVENT}"`, 'type');
    if (typeof id !== 'string' || id.length < 1 || id.length > 256 || !isStorableText(id)) {
      throw new WebhookMalformedError('id must be a string of 1 to 256 characters, with no NUL or unpaired surrogate', 'id');
    }
    if (typeof data !== 'object' || data === null) throw new WebhookMalformedError('data must be an object', 'data');
    const { transactionId, status, reasons = [], comment } = data as Record<string, unknown>;
    if (!isUsableId(transactionId)) {
      throw new WebhookMalformedError(idRule('data.transactionId'), 'data.transactionId');
    }
    if (status !== 'ALLOW' && status !== 'BLOCK') throw new WebhookMalformedError('data.status must be ALLOW or BLOCK to decide a held transaction', 'data.status');
    if (!Array.isArray(reasons) || reasons.length > 50 || !reasons.every((reason) => typeof reason === 'string' && reason.length <= 1000)) {
      throw new WebhookMalformedError('data.reasons must be at most 50 strings of at most 1000 characters', 'data.reasons');
    }
    const all = [...(reasons as string[]), ...(typeof comment === 'string' && comment.trim() ? [comment.slice(0, 1000)] : [])];
    return { eventId: id, transactionId, status: status === 'ALLOW' ? 'APPROVED' : 'REJECTED', reasons: all };
  }
}
