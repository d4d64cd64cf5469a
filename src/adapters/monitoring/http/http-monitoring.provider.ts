// The generic `http` provider: an in-house engine behind a small JSON contract of our own, with Standard Webhooks callbacks.
import { randomUUID } from 'node:crypto';
import { CallSignal } from '../../../application/ports/call-signal';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { isValidVerdict, Verdict } from '../../../domain/verdict';
import { expectSuccess, headerSafe, JsonHttpClient, ProviderHttpError, ProviderRequestError } from '../http-client/json-http-client';
import { StandardWebhooksCallbackProvider, StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';

export interface HttpProviderOptions {
  /** The engine's screening endpoint, called with POST. */
  readonly url: string;
  /** Lower-case header name and its value (e.g. authorization / "Bearer ..."); unset: no auth header. */
  readonly authHeader: string;
  readonly authValue?: string;
}

/*
 * Request (POST <url>, content-type application/json, idempotency-key: <transactionId, percent-encoded
 *   outside visible ASCII and for `%`>):
 *   { "transactionId", "amount": "<exact decimal text>", "currency", "sourceAccountId"?, "customerId"?,
 *     "companyId"?, "userId"?, "paymentScheme"?, "reference"?, "beneficiary"?, "payload": <Toqio's body verbatim> }
 * Answer (2xx): { "status": "APPROVED" | "REJECTED" | "PENDING_EXTERNAL_APPROVAL", "reasons": ["..."] }
 * The engine must treat a repeated transactionId as the same question (the idempotency-key), so a
 * request that failed at the connection or with 502/503/504 is retried once within the budget, and
 * validate asks before the transaction is stored: a repeat, a transaction never stored, or
 * another body under a reused id may reach the engine (docs/monitoring-providers.md).
 */
const RETRYABLE_STATUS = new Set([502, 503, 504]);

export class HttpMonitoringProvider extends StandardWebhooksCallbackProvider {
  readonly name = 'http';
  private readonly client: JsonHttpClient;
  private readonly url: URL;

  constructor(
    options: HttpProviderOptions,
    callbacks?: StandardWebhooksCallbacks,
  ) {
    super(callbacks);
    this.url = new URL(options.url);
    this.client = new JsonHttpClient({
      baseUrl: this.url.origin,
      headers: options.authValue !== undefined ? { [options.authHeader]: options.authValue } : {},
    });
  }

  /** The contract makes a repeated transactionId the same question (see above). */
  override get idempotent(): boolean {
    return true;
  }

  async screen(transaction: Transaction, _context: ScreeningContext, signal: CallSignal): Promise<Verdict> {
    const body = requestBody(transaction);
    const path = `${this.url.pathname}${this.url.search}`;
    const headers = { 'idempotency-key': headerSafe(transaction.id) };
    let answer: unknown;
    try {
      answer = expectSuccess(await this.client.post(path, body, signal, headers), 'http provider');
    } catch (error) {
      const retryable = error instanceof ProviderHttpError ? RETRYABLE_STATUS.has(error.status) : !(error instanceof ProviderRequestError);
      if (!retryable || signal.aborted) throw error;
      answer = expectSuccess(await this.client.post(path, body, signal, headers), 'http provider (retry)');
    }
    if (!isValidVerdict(answer)) throw new Error('http provider answered without a status and reasons of this service\'s contract');
    // The contract's two fields only: anything else the engine adds (a ruleSetVersion of its own) is not this service's.
    return { status: answer.status, reasons: answer.reasons };
  }

  /** Closes the kept-alive connections (shutdown). */
  close(): void {
    this.client.close();
  }
}

/**
 * The payload goes out as Toqio sent it, spliced in as text, so that its numbers keep every digit. The
 * payload is given by a function: as a replacement string, its `$$`, `$&`, `` $` `` and `$'` would be read
 * as patterns, and a reference such as "cost $$5" sent the engine a body that was no longer Toqio's.
 */
function requestBody(transaction: Transaction): string {
  const mark = `payload-${randomUUID()}`;
  const text = JSON.stringify({
    transactionId: transaction.id,
    amount: transaction.money.amount.toString(),
    currency: transaction.money.currency,
    sourceAccountId: transaction.sourceAccountId,
    customerId: transaction.customerId,
    companyId: transaction.companyId,
    userId: transaction.userId,
    paymentScheme: transaction.paymentScheme,
    reference: transaction.reference,
    beneficiary: transaction.beneficiary,
    payload: mark,
  });
  return text.replace(JSON.stringify(mark), () => transaction.originalPayload);
}
