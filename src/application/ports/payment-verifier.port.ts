// Port to payment providers' own APIs: what they report about a payment their webhook told us of.
import { PaymentCheck, ProviderReport } from '../../domain/payment-verification';

export abstract class PaymentVerifier {
  /** Whether `provider`'s events are confirmed with its API before they are acted on. */
  abstract covers(provider: string): boolean;

  /**
   * What `provider`'s API reports about the payment `check` names. Throws when the API cannot
   * answer (unreachable, 5xx, out of time, breaker open): the caller tries again later, and the
   * event waits meanwhile; it is never acted on unconfirmed, nor dropped.
   */
  abstract report(provider: string, check: PaymentCheck): Promise<ProviderReport>;
}
