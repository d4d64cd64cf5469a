// The embedded rules engine: a rule set read from an operator-edited file, evaluated per transaction.
import { parse as parseYaml } from 'yaml';
import { Decimal } from '../../../domain/decimal';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { isTransactionStatus, strictest, TransactionStatus } from '../../../domain/transaction-status';
import { Verdict } from '../../../domain/verdict';

interface RuleBase {
  readonly id: string;
  readonly status: TransactionStatus;
  /** Template with {placeholders}, filled per hit. */
  readonly reason: string;
}

export interface BeneficiaryCountryRule extends RuleBase {
  readonly type: 'beneficiary-country';
  readonly countries: ReadonlySet<string>;
}

export interface AmountAtLeastRule extends RuleBase {
  readonly type: 'amount-at-least';
  /** Applies to currencies without their own threshold; absent means those are not checked. */
  readonly threshold?: Decimal;
  readonly currencies: ReadonlyMap<string, Decimal>;
}

export interface VelocityRule extends RuleBase {
  readonly type: 'velocity';
  /** The rule fires when the source account has sent more than this within the window. */
  readonly maxTransactions: number;
  readonly windowSeconds: number;
}

export type Rule = BeneficiaryCountryRule | AmountAtLeastRule | VelocityRule;

export interface RuleSet {
  readonly rules: readonly Rule[];
}

export class RuleSetError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

const RULE_TYPES = ['beneficiary-country', 'amount-at-least', 'velocity'] as const;

/** Parses YAML (or JSON, which YAML includes) and reports every problem at once. */
export function parseRuleSet(text: string): RuleSet {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new RuleSetError([`not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`]);
  }
  const list = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(list) || list.length === 0) {
    throw new RuleSetError(['must have a non-empty "rules" list']);
  }
  const problems: string[] = [];
  const ids = new Set<string>();
  const rules = list.flatMap((raw: unknown, index) => parseRule(raw, `rules[${index}]`, ids, problems) ?? []);
  if (problems.length > 0) throw new RuleSetError(problems);
  return { rules };
}

type RuleFields = Record<string, unknown>;

function parseRule(raw: unknown, where: string, ids: Set<string>, problems: string[]): Rule | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${where}: must be a mapping`);
    return undefined;
  }
  const entry = raw as RuleFields;
  const id = typeof entry.id === 'string' && entry.id.trim() !== '' ? entry.id : undefined;
  if (!id) problems.push(`${where}.id: required, a non-empty string`);
  else if (ids.has(id)) problems.push(`${where}.id: "${id}" is used twice`);
  else ids.add(id);
  const status = entry.status;
  if (!isTransactionStatus(status)) {
    problems.push(`${where}.status: must be APPROVED, REJECTED or PENDING_EXTERNAL_APPROVAL`);
  }
  const reason = entry.reason;
  if (typeof reason !== 'string' || reason.trim() === '') problems.push(`${where}.reason: required, a non-empty string`);
  const base: RuleBase = { id: id ?? where, status: status as TransactionStatus, reason: reason as string };
  switch (entry.type) {
    case 'beneficiary-country':
      return beneficiaryCountryRule(base, entry, where, problems);
    case 'amount-at-least':
      return amountAtLeastRule(base, entry, where, problems);
    case 'velocity':
      return velocityRule(base, entry, where, problems);
    default:
      problems.push(`${where}.type: must be one of ${RULE_TYPES.join(', ')}`);
      return undefined;
  }
}

function beneficiaryCountryRule(base: RuleBase, entry: RuleFields, where: string, problems: string[]): BeneficiaryCountryRule | undefined {
  const countries = entry.countries;
  if (!Array.isArray(countries) || countries.length === 0) {
    problems.push(`${where}.countries: required, a list of ISO 3166-1 alpha-2 codes`);
    return undefined;
  }
  countries.forEach((code, i) => {
    if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) {
      problems.push(`${where}.countries[${i}]: "${String(code)}" is not an ISO 3166-1 alpha-2 code`);
    }
  });
  return { ...base, type: 'beneficiary-country', countries: new Set(countries.map((c) => String(c).toUpperCase())) };
}

function amountAtLeastRule(base: RuleBase, entry: RuleFields, where: string, problems: string[]): AmountAtLeastRule {
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
  return { ...base, type: 'amount-at-least', threshold, currencies };
}

function velocityRule(base: RuleBase, entry: RuleFields, where: string, problems: string[]): VelocityRule {
  const max = entry.maxTransactions;
  const window = entry.windowSeconds;
  if (!Number.isInteger(max) || (max as number) < 0) problems.push(`${where}.maxTransactions: must be a whole number ≥ 0`);
  if (!Number.isInteger(window) || (window as number) < 1 || (window as number) > 31 * 86_400) {
    problems.push(`${where}.windowSeconds: must be a whole number of seconds between 1 and 2678400`);
  }
  return { ...base, type: 'velocity', maxTransactions: max as number, windowSeconds: window as number };
}

function parseThreshold(value: unknown, where: string, problems: string[]): Decimal | undefined {
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

/** The windows whose source-account activity the velocity rules need counted. */
export function activityWindowsOf(ruleSet: RuleSet): number[] {
  return [...new Set(ruleSet.rules.flatMap((rule) => (rule.type === 'velocity' ? [rule.windowSeconds] : [])))];
}

/**
 * Evaluates every rule; the strictest status wins and each hit contributes its reason.
 * Velocity rules read the counts in `context`, gathered from PostgreSQL with the claim.
 */
export function evaluateRuleSet(ruleSet: RuleSet, transaction: Transaction, context: ScreeningContext): Verdict {
  const hits: { status: TransactionStatus; reason: string }[] = [];
  const amount = transaction.money.amount;
  const currency = transaction.money.currency;
  for (const rule of ruleSet.rules) {
    switch (rule.type) {
      case 'beneficiary-country': {
        const country = transaction.beneficiaryCountry;
        if (country && rule.countries.has(country)) {
          hits.push({ status: rule.status, reason: fill(rule.reason, { country }) });
        }
        break;
      }
      case 'amount-at-least': {
        const threshold = rule.currencies.get(currency) ?? rule.threshold;
        if (threshold && amount.compareTo(threshold) >= 0) {
          hits.push({
            status: rule.status,
            reason: fill(rule.reason, { amount: amount.toString(), currency, threshold: threshold.toString() }),
          });
        }
        break;
      }
      case 'velocity': {
        const count = context.sourceAccountActivity.get(rule.windowSeconds);
        if (count !== undefined && count > rule.maxTransactions) {
          hits.push({
            status: rule.status,
            reason: fill(rule.reason, { count, max: rule.maxTransactions, windowSeconds: rule.windowSeconds }),
          });
        }
        break;
      }
    }
  }
  return { status: strictest(hits.map((hit) => hit.status)), reasons: hits.map((hit) => hit.reason) };
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
