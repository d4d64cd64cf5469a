// A stored transaction read back as the domain Transaction a provider is asked about.
import { AggregateQuery, aggregateKey, aggregateValue } from '../../domain/aggregate';
import { Money } from '../../domain/money';
import { aggregateArraySql } from './aggregate-sql';
import { ScreeningContext } from '../../domain/screening-context';
import { Direction, JsonObject, Transaction } from '../../domain/transaction';

/** The columns of `transactions` a domain Transaction is built from, whatever else a read adds. */
export interface TransactionColumns {
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
}

/** The columns screenableColumns names, with the aggregates as they stood when the transaction arrived. */
export interface ScreenableRow extends TransactionColumns {
  payload: string;
  aggregates: (string | null)[] | null;
}

/** A stored transaction as the domain's; the payload (and direction) are the reader's to give, since reads differ in what they take of it. */
export function transactionFrom(row: TransactionColumns, rest: { readonly direction?: Direction; readonly attributes: JsonObject; readonly originalPayload: string }): Transaction {
  return new Transaction({
    id: row.id,
    direction: rest.direction,
    money: Money.of(row.amount, row.currency),
    beneficiary: row.beneficiary ?? undefined,
    sourceAccountId: row.source_account_id ?? undefined,
    customerId: row.customer_id ?? undefined,
    companyId: row.company_id ?? undefined,
    userId: row.user_id ?? undefined,
    paymentScheme: row.payment_scheme ?? undefined,
    reference: row.reference ?? undefined,
    attributes: rest.attributes,
    originalPayload: rest.originalPayload,
  });
}

/**
 * Columns of `t` (transactions) for ScreenableRow. Aggregates are computed as they stood when the
 * transaction arrived, so that the provider sees what it would have seen.
 */
export function screenableColumns(aggregates: readonly AggregateQuery[]): string {
  return `
  t.id, t.amount::text AS amount, t.currency, t.source_account_id, t.customer_id,
  t.company_id, t.user_id, t.payment_scheme, t.reference, t.beneficiary, t.payload::text AS payload,
  ${aggregateArraySql(aggregates, { kind: 'stored', row: 't' })} AS aggregates`;
}

/** The context from the aggregates' values in the order they were asked for; a NULL value is left out. */
export function contextFrom(aggregates: readonly AggregateQuery[], values: readonly (string | null)[] | null): ScreeningContext {
  const entries = aggregates.flatMap((query, index) => {
    const value = values?.[index];
    return value === null || value === undefined ? [] : [[aggregateKey(query), aggregateValue(value)] as const];
  });
  return { aggregates: new Map(entries) };
}

export function screenableFrom(row: ScreenableRow, aggregates: readonly AggregateQuery[]): { transaction: Transaction; context: ScreeningContext } {
  const transaction = transactionFrom(row, { attributes: JSON.parse(row.payload) as JsonObject, originalPayload: row.payload });
  return { transaction, context: contextFrom(aggregates, row.aggregates) };
}
