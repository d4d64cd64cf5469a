// Paystack's amounts: whole numbers of a currency's subunits, read exactly from their digits.
import { Decimal } from '../../../domain/decimal';
import { DomainError, WebhookMalformedError } from '../../../domain/domain-error';
import { knownCode } from '../../../domain/known-code';
import { Money } from '../../../domain/money';

/**
 * Paystack sends every amount as an integer in the currency's subunit, 100 to the unit for each
 * currency it settles in, XOF and RWF included although ISO 4217 gives both exponent 0: Paystack's
 * own WooCommerce plugin (PaystackOSS/woo-paystack, includes/class-wc-gateway-paystack.php)
 * accepts NGN, USD, ZAR, GHS, KES, XOF, EGP and RWF and, for every one of them, sends
 * `order total * 100` and reads back `data.amount / 100`. The exponents below are Paystack's,
 * not ISO's. A currency not listed here is refused rather than guessed.
 */
const SUBUNITS_PER_UNIT: Readonly<Record<string, number>> = { NGN: 2, GHS: 2, ZAR: 2, KES: 2, USD: 2, XOF: 2, EGP: 2, RWF: 2 };

/**
 * An amount Paystack's API reports, in the subunits of `currency`. Lenient where the webhook is
 * strict: an answer in a currency Paystack does not settle in is still compared (and disagrees).
 */
export function reportedMoney(amount: unknown, currency: unknown): Money | undefined {
  if (typeof currency !== 'string') return undefined;
  const digits = typeof amount === 'number' && Number.isSafeInteger(amount) ? String(amount) : typeof amount === 'string' ? amount : '';
  if (!/^\d{1,20}$/.test(digits)) return undefined;
  try {
    return Money.of(Decimal.parse(`${digits}e-${knownCode(SUBUNITS_PER_UNIT, currency) ?? 2}`).toString(), currency);
  } catch {
    return undefined;
  }
}

/**
 * A webhook's `data.amount` in `data.currency`, or undefined without an amount. The amount is the text
 * of its digits as signed (paystack-events reads numbers so), never a float; anything but a whole
 * number of subunits, or a currency Paystack does not settle in, is refused naming the field.
 */
export function webhookMoney(amount: unknown, currency: unknown): Money | undefined {
  if (amount === undefined || amount === null) return undefined;
  const digits = typeof amount === 'string' ? amount : '';
  if (!/^\d{1,20}$/.test(digits)) throw new WebhookMalformedError('data.amount must be a whole number of subunits', 'data.amount');
  if (typeof currency !== 'string' || currency === '' || currency.length > 500) throw new WebhookMalformedError('data.currency is required', 'data.currency');
  const exponent = knownCode(SUBUNITS_PER_UNIT, currency);
  if (exponent === undefined) throw new WebhookMalformedError(`data.currency "${currency}" is not one Paystack settles in`, 'data.currency');
  try {
    return Money.of(Decimal.parse(`${digits}e-${exponent}`).toString(), currency);
  } catch (error) {
    if (error instanceof DomainError) throw new WebhookMalformedError(`data.amount: ${error.message}`, 'data.amount');
    throw error;
  }
}
