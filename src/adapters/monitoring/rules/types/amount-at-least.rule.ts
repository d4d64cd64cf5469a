// `amount-at-least`: fires when the amount is at or above `threshold`, or its currency's own entry in `currencies`.
import { Decimal } from '../../../../domain/decimal';
import { RuleCheck, RuleFields, RuleType } from './rule-type';

export const amountAtLeastRule: RuleType = {
  name: 'amount-at-least',
  parse(entry: RuleFields, where: string, problems: string[]): RuleCheck {
    const threshold = entry.threshold === undefined ? undefined : parseThreshold(entry.threshold, `${where}.threshold`, problems);
    const currencies = new Map<string, Decimal>();
    const perCurrency = entry.currencies ?? {};
    if (typeof perCurrency !== 'object' || perCurrency === null || Array.isArray(perCurrency)) {
      problems.push(`${where}.currencies: must map currency codes to thresholds`);
    } else {
      for (const [currency, value] of Object.entries(perCurrency)) {
        if (!/^[A-Z]{3,12}$/.test(currency)) problems.push(`${where}.currencies.${currency}: not a currency code`);
        const parsed = parseThreshold(value, `${where}.currencies.${currency}`, problems);
        if (parsed) currencies.set(currency, parsed);
      }
    }
    if (entry.threshold === undefined && currencies.size === 0) {
      problems.push(`${where}: needs a "threshold", per-currency "currencies", or both`);
    }
    return {
      fires: ({ transaction }) => {
        const { amount, currency } = transaction.money;
        const applicable = currencies.get(currency) ?? threshold;
        if (!applicable || amount.compareTo(applicable) < 0) return undefined;
        return { amount: amount.toString(), currency, threshold: applicable.toString() };
      },
    };
  },
};

/** A positive exact decimal, written as a string (or a number of at most 15 significant digits, which read-yaml.ts reads as written). */
export function parseThreshold(value: unknown, where: string, problems: string[]): Decimal | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') {
    problems.push(`${where}: must be a decimal amount, e.g. "10000"`);
    return undefined;
  }
  try {
    const threshold = Decimal.parse(String(value));
    if (!threshold.isPositive()) throw new Error('not positive');
    return threshold;
  } catch {
    problems.push(`${where}: "${String(value)}" is not a positive decimal amount`);
    return undefined;
  }
}
