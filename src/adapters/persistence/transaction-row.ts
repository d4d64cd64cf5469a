// A stored transaction read back as the domain Transaction a provider is asked about.
import { Money } from '../../domain/money';
import { ScreeningContext } from '../../domain/screening-context';
import { JsonObject, Transaction } from '../../domain/transaction';

/** The columns SELECT_SCREENABLE names, with the activity counted when the transaction arrived. */
export interface ScreenableRow {
  id: string;
  amount: string;
  currency: string;
  source_account_id: string | null;
  customer_id: string | null;
  company_id: string | null;
  user_id: string | null;
  payment_scheme: string | null;
  reference: string | null;
  beneficiary: JsonObject | null;
  payload: string;
  activity: number[] | null;
}

/**
 * Columns of `t` (transactions) for ScreenableRow; $3 are the windows in seconds. Activity is
 * counted as it stood when the transaction arrived, so the provider sees what it would have seen.
 */
export const SCREENABLE_COLUMNS = `
  t.id, t.amount::text AS amount, t.currency, t.source_account_id, t.customer_id,
  t.company_id, t.user_id, t.payment_scheme, t.reference, t.beneficiary, t.payload::text AS payload,
  CASE WHEN t.source_account_id IS NOT NULL THEN
    (SELECT array_agg(
              (SELECT count(*) FROM transactions a
                WHERE a.source_account_id = t.source_account_id
                  AND a.received_at > t.received_at - make_interval(secs => requested.w)
                  AND a.received_at <= t.received_at)::int
              ORDER BY requested.position)
       FROM unnest($3::int[]) WITH ORDINALITY AS requested(w, position))
  END AS activity`;

export function screenableFrom(row: ScreenableRow, activityWindowsSeconds: readonly number[]): { transaction: Transaction; context: ScreeningContext } {
  const windows = row.source_account_id === null ? [] : activityWindowsSeconds;
  const transaction = new Transaction({
    id: row.id,
    money: Money.of(row.amount, row.currency),
    beneficiary: row.beneficiary ?? undefined,
    sourceAccountId: row.source_account_id ?? undefined,
    customerId: row.customer_id ?? undefined,
    companyId: row.company_id ?? undefined,
    userId: row.user_id ?? undefined,
    paymentScheme: row.payment_scheme ?? undefined,
    reference: row.reference ?? undefined,
    attributes: JSON.parse(row.payload) as JsonObject,
    originalPayload: row.payload,
  });
  return { transaction, context: { sourceAccountActivity: new Map(windows.map((window, index) => [window, row.activity?.[index] ?? 0])) } };
}
