// Vendors that take amounts as JSON numbers get one only when the number carries exactly our digits.
import { Decimal } from '../../../domain/decimal';
import { ProviderRequestError } from './json-http-client';

/**
 * A binary float holds about 15-17 significant digits: 125.5 round-trips, 9999.999999999999999
 * becomes 10000 and would cross a 10,000 threshold at the vendor. Such an amount is not sent at
 * all: the screening fails (the transaction is held under FALLBACK_STATUS) rather than being
 * screened on a number that is not the payment's.
 */
export function exactJsonNumber(amount: Decimal): number {
  const value = Number(amount.toString());
  if (!Number.isFinite(value) || !Decimal.parse(String(value)).equals(amount)) {
    throw new ProviderRequestError(`amount ${amount.toString()} has more digits than a JSON number carries exactly; not sent`);
  }
  return value;
}
