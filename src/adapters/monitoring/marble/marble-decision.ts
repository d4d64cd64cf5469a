// Toqio's transaction as a Marble trigger object (POST /decisions), and Marble's decision back as a verdict.
import { Transaction } from '../../../domain/transaction';
import { TransactionStatus } from '../../../domain/transaction-status';
import { Verdict } from '../../../domain/verdict';
import { exactJsonNumber } from '../http-client/exact-json-number';
import { knownCode } from '../../../domain/known-code';

export const MARBLE_OUTCOMES = {
  approve: 'APPROVED',
  review: 'PENDING_EXTERNAL_APPROVAL',
  block_and_review: 'PENDING_EXTERNAL_APPROVAL',
  decline: 'REJECTED',
} as const satisfies Record<string, TransactionStatus>;

const STRICTNESS: Record<TransactionStatus, number> = { APPROVED: 0, PENDING_EXTERNAL_APPROVAL: 1, REJECTED: 2 };
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * The trigger object follows the `transactions` table that docs/monitoring-providers.md ("Marble") asks operators to create in
 * Marble's data model (snake_case, one field per column). Absent values are left out rather than
 * sent as null, so that Marble's own "is empty" conditions apply.
 */
export function toMarbleDecisionRequest(scenarioId: string, transaction: Transaction, now: () => Date = () => new Date()): Record<string, unknown> {
  const attributes = transaction.attributes;
  const beneficiary = transaction.beneficiary ?? {};
  const createdAt = text(attributes['createdAt']);
  const updatedAt = createdAt !== undefined && Number.isFinite(Date.parse(createdAt)) ? new Date(Date.parse(createdAt)) : now();
  const object: Record<string, unknown> = {
    object_id: transaction.id,
    updated_at: updatedAt.toISOString(),
    amount: exactJsonNumber(transaction.money.amount),
    currency: transaction.money.currency,
    account_id: transaction.sourceAccountId,
    customer_id: transaction.customerId,
    company_id: transaction.companyId,
    user_id: transaction.userId,
    payment_scheme: transaction.paymentScheme,
    reference: transaction.reference,
    purpose_code: text(attributes['purposeCode']),
    beneficiary_name: text(beneficiary['name']),
    beneficiary_iban: text(beneficiary['iban']),
    beneficiary_account_number: text(beneficiary['accountNumber']),
    beneficiary_sort_code: text(beneficiary['sortCode']),
    beneficiary_bic: text(beneficiary['bic']),
    beneficiary_country: transaction.beneficiaryCountry,
  };
  return { scenario_id: scenarioId, trigger_object: Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) };
}

/**
 * Marble answers a list: usually one decision, none when the scenario's trigger condition does
 * not match this transaction (metadata.skipped), in which case nothing in it objects: APPROVED.
 */
export function verdictFromMarble(body: unknown): Verdict {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error('Marble answered without a data array');
  let status: TransactionStatus = 'APPROVED';
  const reasons: string[] = [];
  for (const decision of data as Record<string, unknown>[]) {
    const outcome = decision?.outcome;
    if (typeof outcome !== 'string' || knownCode(MARBLE_OUTCOMES, outcome) === undefined) throw new Error(`Marble answered an unknown outcome ${JSON.stringify(outcome)?.slice(0, 40)}`);
    const mapped = MARBLE_OUTCOMES[outcome as keyof typeof MARBLE_OUTCOMES];
    if (STRICTNESS[mapped] > STRICTNESS[status]) status = mapped;
    const rules = Array.isArray(decision.rules) ? (decision.rules as Record<string, unknown>[]) : [];
    for (const rule of rules) {
      if (rule?.outcome !== 'hit') continue;
      const modifier = typeof rule.score_modifier === 'number' ? ` (score ${rule.score_modifier >= 0 ? '+' : ''}${rule.score_modifier})` : '';
      reasons.push(`Marble rule ${text(rule.name) ?? text(rule.rule_id) ?? 'rule'} hit${modifier}`.slice(0, 1000));
    }
    if (outcome !== 'approve') {
      const score = typeof decision.score === 'number' ? `score ${decision.score}` : 'no score';
      reasons.push(`Marble decision ${text(decision.id) ?? ''}: ${outcome}, ${score}`.replace(' :', ':'));
    }
  }
  return { status, reasons };
}
