// Toqio's transaction in Flagright's transaction model (POST /transactions), and Flagright's answer back as a verdict.
import { Transaction } from '../../../domain/transaction';
import { TransactionStatus } from '../../../domain/transaction-status';
import { Verdict } from '../../../domain/verdict';
import { exactJsonNumber } from '../http-client/exact-json-number';
import { knownCode } from '../../../domain/known-code';

/** Flagright's rule actions (RuleAction), strictest last. */
export const FLAGRIGHT_ACTIONS = { ALLOW: 'APPROVED', FLAG: 'PENDING_EXTERNAL_APPROVAL', SUSPEND: 'PENDING_EXTERNAL_APPROVAL', BLOCK: 'REJECTED' } as const satisfies Record<string, TransactionStatus>;
export type FlagrightAction = keyof typeof FLAGRIGHT_ACTIONS;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * Field mapping (docs/monitoring-providers.md, "Flagright"): the payment leaves the Toqio account of the customer
 * (origin user and origin payment details) for the beneficiary (destination payment details).
 * Only what Flagright's rules use is sent: no original payload, no free-form extra fields.
 */
export function toFlagrightTransaction(transaction: Transaction, now: () => number = Date.now): Record<string, unknown> {
  const attributes = transaction.attributes;
  const beneficiary = transaction.beneficiary ?? {};
  const amount = { transactionAmount: exactJsonNumber(transaction.money.amount), transactionCurrency: transaction.money.currency };
  const country = transaction.beneficiaryCountry;
  const createdAt = text(attributes['createdAt']);
  const timestamp = createdAt !== undefined && Number.isFinite(Date.parse(createdAt)) ? Date.parse(createdAt) : now();
  const candidates: [string, string | undefined][] = [
    ['paymentScheme', transaction.paymentScheme],
    ['purposeCode', text(attributes['purposeCode'])],
    ['companyId', transaction.companyId],
    ['userId', transaction.userId],
    ['concept', text(attributes['concept'])],
  ];
  const tags = candidates.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([key, value]) => ({ key, value }));
  return compact({
    type: 'TRANSFER',
    transactionId: transaction.id,
    timestamp,
    // The account holder Toqio screens for: the customer (a consumer or a business).
    originUserId: transaction.customerId ?? transaction.companyId ?? transaction.userId,
    originAmountDetails: amount,
    destinationAmountDetails: compact({ ...amount, country }),
    originPaymentDetails: transaction.sourceAccountId ? { method: 'GENERIC_BANK_ACCOUNT', accountNumber: transaction.sourceAccountId } : undefined,
    destinationPaymentDetails: destinationPaymentDetails(beneficiary, country),
    reference: transaction.reference ?? text(attributes['concept']),
    tags: tags.length > 0 ? tags : undefined,
  });
}

function destinationPaymentDetails(beneficiary: Record<string, unknown>, country: string | undefined): Record<string, unknown> | undefined {
  const name = text(beneficiary['name']);
  const iban = text(beneficiary['iban']);
  const bic = text(beneficiary['bic']);
  if (iban !== undefined) return compact({ method: 'IBAN', iban, bic, name, country });
  const accountNumber = text(beneficiary['accountNumber']) ?? text(beneficiary['accountId']);
  if (accountNumber === undefined && name === undefined && bic === undefined) return undefined;
  return compact({ method: 'GENERIC_BANK_ACCOUNT', accountNumber, bankCode: text(beneficiary['sortCode']) ?? bic, name, country });
}

/** Throws on an answer that does not follow Flagright's TransactionMonitoringResult. */
export function verdictFromFlagright(body: unknown): Verdict {
  const result = body as { status?: unknown; hitRules?: unknown } | null;
  if (typeof result !== 'object' || result === null) throw new Error('Flagright answered without a JSON object');
  const action = result.status;
  if (typeof action !== 'string' || knownCode(FLAGRIGHT_ACTIONS, action) === undefined) throw new Error(`Flagright answered an unknown status ${JSON.stringify(action)?.slice(0, 40)}`);
  const hitRules = Array.isArray(result.hitRules) ? result.hitRules : [];
  const reasons = hitRules.map((rule: Record<string, unknown>) => {
    const name = text(rule?.ruleName) ?? text(rule?.ruleId) ?? 'rule';
    const id = text(rule?.ruleInstanceId) ?? text(rule?.ruleId);
    const ruleAction = text(rule?.ruleAction);
    const description = text(rule?.ruleDescription);
    return `Flagright rule ${name}${id && id !== name ? ` (${id})` : ''}${ruleAction ? ` ${ruleAction}` : ''}${description ? `: ${description}` : ''}`.slice(0, 1000);
  });
  return { status: FLAGRIGHT_ACTIONS[action as FlagrightAction], reasons };
}

function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
