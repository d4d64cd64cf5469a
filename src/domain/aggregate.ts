// Aggregates over recent history: the count, sum or distinct count of transactions sharing a field.
// The rules engine asks for them; the transaction store computes them in validate's look-up (or claim), from PostgreSQL,
// so that they hold across replicas.
import { Decimal } from './decimal';
import { Direction, Transaction } from './transaction';

/** What an aggregate computes: how many, how much (amounts, in one currency), or how many different values. */
export const AGGREGATE_FUNCTIONS = ['count', 'sum', 'distinct'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/**
 * The fields history can be grouped by, or counted distinct: `beneficiaryIban` ignores spacing and
 * case, `counterparty` is the beneficiary's name ignoring case.
 */
export const AGGREGATE_FIELDS = ['sourceAccountId', 'customerId', 'beneficiaryIban', 'counterparty', 'currency'] as const;
export type AggregateField = (typeof AGGREGATE_FIELDS)[number];

export interface AggregateQuery {
  readonly fn: AggregateFunction;
  /** The field counted distinct; only with `distinct`. */
  readonly of?: AggregateField;
  readonly groupBy: AggregateField;
  /** Received within this many seconds before the transaction (which counts). */
  readonly windowSeconds: number;
  /** Only transactions in this currency; required by `sum`, since amounts of two currencies do not add. */
  readonly currency?: string;
  readonly direction?: Direction;
}

/** Longest window: 31 days. */
export const MAX_AGGREGATE_WINDOW_SECONDS = 31 * 86_400;

/** One stable name per distinct query: the key of its value in the screening context. */
export function aggregateKey(query: AggregateQuery): string {
  const of = query.fn === 'distinct' ? `(${query.of})` : '';
  return `${query.fn}${of} by ${query.groupBy} over ${query.windowSeconds}s${query.currency ? ` in ${query.currency}` : ''}${query.direction ? ` ${query.direction}` : ''}`;
}

/** The queries once each, in a stable order, so that equal sets share a prepared statement. */
export function distinctAggregates(queries: readonly AggregateQuery[]): AggregateQuery[] {
  const byKey = new Map(queries.map((query) => [aggregateKey(query), query]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/**
 * The queries of several askers each once (the parts of a combined provider; a live provider and
 * its shadow challenger): merged again only when an asker's own list changes (a rule set
 * activated), so that the prepared statement stays the same between activations.
 */
export class MergedAggregates {
  private last?: { readonly from: readonly (readonly AggregateQuery[])[]; readonly merged: readonly AggregateQuery[] };

  of(from: readonly (readonly AggregateQuery[])[]): readonly AggregateQuery[] {
    const last = this.last;
    if (!last || from.length !== last.from.length || from.some((queries, index) => queries !== last.from[index])) {
      this.last = { from, merged: distinctAggregates(from.flat()) };
    }
    return this.last!.merged;
  }
}

/** An aggregate's value as computed by the store: a whole number, or an exact decimal sum (which may pass an amount's bounds). */
export function aggregateValue(text: string): Decimal {
  return Decimal.parseUnbounded(text);
}

/**
 * A transaction's value for a field, as aggregates compare it (what aggregate-sql.ts computes in
 * PostgreSQL): undefined when the transaction does not have it, or has it blank (nothing but
 * spaces), so that unrelated payments without one never share a group.
 */
export function aggregateFieldOf(transaction: Transaction, field: AggregateField): string | undefined {
  const value = fieldValue(transaction, field);
  return value === undefined || /^ *$/.test(value) ? undefined : value;
}

function fieldValue(transaction: Transaction, field: AggregateField): string | undefined {
  const beneficiary = transaction.beneficiary as Record<string, unknown> | undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  switch (field) {
    case 'sourceAccountId':
      return transaction.sourceAccountId;
    case 'customerId':
      return transaction.customerId;
    case 'beneficiaryIban':
      return text(beneficiary?.iban)?.replaceAll(' ', '').toUpperCase();
    case 'counterparty':
      return text(beneficiary?.name)?.toLowerCase();
    case 'currency':
      return transaction.money.currency;
  }
}
