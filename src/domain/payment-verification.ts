// Whether what a payment provider's webhook claims agrees with what its API reports when asked.
import { Money } from './money';

/**
 * What a webhook asserts about a payment, in terms its provider's API can be asked about: a
 * charge by its reference, a transfer by its code. Carried on the event's effect, so that the
 * follow-up can confirm it before acting, however long the provider stays unreachable.
 */
export interface PaymentCheck {
  readonly kind: 'CHARGE' | 'TRANSFER';
  /** What the provider's API is asked about: a charge's reference, a transfer's code. */
  readonly lookup: string;
  /** The reference the answer must carry. */
  readonly reference: string;
  /** The provider's status word the webhook reports (`success`, `failed`, `reversed`). */
  readonly status: string;
  /** The inbound alert opened when the API disagrees (an id under the id rule). */
  readonly alertTransactionId: string;
}

/** What the provider's API answered about the payment. */
export type ProviderReport =
  | { readonly found: false }
  | { readonly found: true; readonly reference: string | undefined; readonly status: string; readonly money: Money | undefined };

/**
 * Statuses the API may report for a webhook's status without contradicting it: a payment that
 * succeeded may since have been reversed (a refund, a returned transfer), so a later reversal
 * confirms the earlier success; nothing else moves on from failed or reversed.
 */
const CONSISTENT: Readonly<Record<string, readonly string[]>> = {
  success: ['success', 'reversed'],
  failed: ['failed'],
  reversed: ['reversed'],
};

/** Each way the report contradicts the webhook, for people; empty when they agree. */
export function disagreements(check: PaymentCheck, claimed: Money, report: ProviderReport): string[] {
  if (!report.found) return [`the provider has no ${check.kind === 'CHARGE' ? 'charge' : 'transfer'} ${check.lookup}`];
  const problems: string[] = [];
  if (report.reference !== undefined && report.reference !== check.reference) {
    problems.push(`reference: the webhook says ${check.reference}, the API says ${report.reference}`);
  }
  const accepted = Object.hasOwn(CONSISTENT, check.status) ? CONSISTENT[check.status]! : [check.status];
  if (!accepted.includes(report.status)) problems.push(`status: the webhook says ${check.status}, the API says ${report.status}`);
  if (report.money === undefined) {
    problems.push('amount: the API reports none');
  } else {
    if (report.money.currency !== claimed.currency) problems.push(`currency: the webhook says ${claimed.currency}, the API says ${report.money.currency}`);
    if (!report.money.amount.equals(claimed.amount)) problems.push(`amount: the webhook says ${claimed.amount.toString()}, the API says ${report.money.amount.toString()}`);
  }
  return problems;
}

/** The reason an alert opened by a disagreement gives analysts. */
export function disagreementReason(provider: string, check: PaymentCheck, claimed: Money, problems: readonly string[]): string {
  const what = check.kind === 'CHARGE' ? `charge ${check.lookup}` : `transfer ${check.lookup} (reference ${check.reference})`;
  return `${provider}'s API disagrees with its webhook about ${what} of ${claimed.toString()}: ${problems.join('; ')}. Not applied.`;
}
