// Hand-written fake of the payment-verifier port: answers a scripted report, or fails as an unreachable API does.
import { PaymentVerifier } from '../../src/application/ports/payment-verifier.port';
import { PaymentCheck, ProviderReport } from '../../src/domain/payment-verification';

export class ScriptedPaymentVerifier extends PaymentVerifier {
  readonly asked: PaymentCheck[] = [];
  /** A report to answer, or an error to throw (the API cannot be reached). */
  answer: ProviderReport | Error;

  constructor(answer: ProviderReport | Error, private readonly provider = 'paystack') {
    super();
    this.answer = answer;
  }

  covers(provider: string): boolean {
    return provider === this.provider;
  }

  async report(_provider: string, check: PaymentCheck): Promise<ProviderReport> {
    this.asked.push(check);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }
}
