// Asks Paystack's API about a charge or a transfer its webhook reported: own deadline, retries and breaker.
import {
  CircuitBreakerPolicy,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IPolicy,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { PaymentVerifier } from '../../../application/ports/payment-verifier.port';
import { PaymentCheck, ProviderReport } from '../../../domain/payment-verification';
import { JsonHttpClient, JsonResponse } from '../../monitoring/http-client/json-http-client';
import { PAYSTACK } from './paystack-events';
import { reportedMoney } from './paystack-money';

export interface PaystackApiSettings {
  /** `https://api.paystack.co` in production; a fake's address in tests. */
  readonly baseUrl: string;
  readonly secretKey: string;
  /** Deadline of one call. */
  readonly timeoutMs: number;
  /** Calls after the first when one fails transiently (network, timeout, 429, 5xx). */
  readonly retries: number;
  /** Consecutive failed verifications that open the breaker, and how long it stays open. */
  readonly breakerThreshold: number;
  readonly halfOpenAfterMs: number;
}

/** Paystack answered in a way that says nothing about the payment (a refused key, a strange body). */
class PaystackAnswerError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'PaystackAnswerError';
  }
}

export class PaystackApiVerifier extends PaymentVerifier {
  private readonly client: JsonHttpClient;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy;

  constructor(private readonly settings: PaystackApiSettings) {
    super();
    // The key goes in the client's fixed headers, which JsonHttpClient keeps out of every error.
    this.client = new JsonHttpClient({ baseUrl: settings.baseUrl, headers: { authorization: `Bearer ${settings.secretKey}` }, maxSockets: 16 });
    const transient = handleWhen((error) => !isBrokenCircuitError(error) && !(error instanceof PaystackAnswerError && !error.transient));
    this.breaker = circuitBreaker(handleWhen(() => true), { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.breakerThreshold) });
    // Retries outside the breaker, so that a whole verification (not each try) counts towards it.
    this.policy = wrap(
      this.breaker,
      retry(transient, { maxAttempts: settings.retries, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }) }),
      timeout(settings.timeoutMs, TimeoutStrategy.Aggressive),
    );
  }

  /** The longest one verification may take: every try at its deadline, plus the pauses between. */
  static budgetMs(settings: Pick<PaystackApiSettings, 'timeoutMs' | 'retries'>): number {
    return (settings.retries + 1) * settings.timeoutMs + settings.retries * 1_000;
  }

  covers(provider: string): boolean {
    return provider === PAYSTACK;
  }

  async report(provider: string, check: PaymentCheck): Promise<ProviderReport> {
    if (!this.covers(provider)) throw new Error(`${provider} is not Paystack`);
    const path = check.kind === 'CHARGE' ? `/transaction/verify/${encodeURIComponent(check.lookup)}` : `/transfer/${encodeURIComponent(check.lookup)}`;
    try {
      return await this.policy.execute(async ({ signal }) => toReport(await this.client.get(path, signal), path));
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new Error('Paystack API breaker open after repeated failures; not asked');
      throw error;
    }
  }

  close(): void {
    this.client.close();
  }
}

function toReport(response: JsonResponse, path: string): ProviderReport {
  const body = isObject(response.body) ? response.body : {};
  const message = typeof body.message === 'string' ? body.message.slice(0, 200) : '';
  // Paystack answers an unknown reference or transfer code with 404, or with 400 "... not found".
  if (response.status === 404 || (response.status === 400 && /not found/i.test(message))) return { found: false };
  if (response.status === 429 || response.status >= 500) throw new PaystackAnswerError(`Paystack GET ${path.split('/')[1]}: HTTP ${response.status}`, true);
  if (response.status < 200 || response.status >= 300) {
    throw new PaystackAnswerError(`Paystack GET ${path.split('/')[1]}: HTTP ${response.status}${message ? ` (${message})` : ''}`, false);
  }
  const data = body.data;
  if (body.status !== true || !isObject(data) || typeof data.status !== 'string') {
    throw new PaystackAnswerError(`Paystack GET ${path.split('/')[1]}: an answer without data.status`, true);
  }
  return {
    found: true,
    reference: typeof data.reference === 'string' ? data.reference : undefined,
    status: data.status.slice(0, 100),
    money: reportedMoney(data.amount, data.currency),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
