// Which payment providers' APIs confirm their webhooks' events: Paystack's, unless PAYSTACK_VERIFY=false.
import { BeforeApplicationShutdown, DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { PaymentVerifier } from '../../application/ports/payment-verifier.port';
import { paymentsConfig } from '../../config/payments.config';
import { PaymentCheck, ProviderReport } from '../../domain/payment-verification';
import { PaystackApiVerifier } from './paystack/paystack-api.verifier';

/** No provider is asked: events are acted on as their webhooks report them. */
export class NoPaymentVerification extends PaymentVerifier {
  covers(): boolean {
    return false;
  }

  report(provider: string, check: PaymentCheck): Promise<ProviderReport> {
    return Promise.reject(new Error(`${provider}'s events are not verified (asked about ${check.lookup})`));
  }
}

/** Retries and breaker of the Paystack API calls: fixed, documented in payment-providers.md. */
export const PAYSTACK_API_RETRIES = 2;
const BREAKER_THRESHOLD = 5;
const BREAKER_OPEN_MS = 30_000;

class VerifierShutdown implements BeforeApplicationShutdown {
  constructor(private readonly verifier: PaymentVerifier) {}

  beforeApplicationShutdown(): void {
    if (this.verifier instanceof PaystackApiVerifier) this.verifier.close();
  }
}

@Module({})
export class PaymentVerificationModule {
  static forRoot(payments: ConfigType<typeof paymentsConfig>): DynamicModule {
    const { secretKey, verify, apiUrl, apiTimeoutMs } = payments.paystack;
    const verifier =
      secretKey !== undefined && verify
        ? new PaystackApiVerifier({
            baseUrl: apiUrl,
            secretKey,
            timeoutMs: apiTimeoutMs,
            retries: PAYSTACK_API_RETRIES,
            breakerThreshold: BREAKER_THRESHOLD,
            // Never open for longer than a follow-up waits between tries: the next try is then a trial call.
            halfOpenAfterMs: Math.min(BREAKER_OPEN_MS, payments.inboundRetryMaxDelayMs),
          })
        : new NoPaymentVerification();
    return {
      module: PaymentVerificationModule,
      providers: [{ provide: PaymentVerifier, useValue: verifier }, { provide: VerifierShutdown, useValue: new VerifierShutdown(verifier) }],
      exports: [PaymentVerifier],
    };
  }

  /** The longest one verification may take, which a follow-up's lease must outlast. */
  static budgetMs(payments: ConfigType<typeof paymentsConfig>): number {
    return payments.paystack.secretKey !== undefined && payments.paystack.verify
      ? PaystackApiVerifier.budgetMs({ timeoutMs: payments.paystack.apiTimeoutMs, retries: PAYSTACK_API_RETRIES })
      : 0;
  }
}
