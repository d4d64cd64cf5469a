// Screening contexts for specs: source-account counts as the velocity rule asks for them.
import { AggregateQuery, aggregateKey } from '../../src/domain/aggregate';
import { Decimal } from '../../src/domain/decimal';
import { ScreeningContext } from '../../src/domain/screening-context';

/** The count of the source account's transactions over `windowSeconds`, as velocity asks for it. */
export function sourceAccountCount(windowSeconds: number): AggregateQuery {
  return { fn: 'count', groupBy: 'sourceAccountId', windowSeconds };
}

/** A context holding the source account's count per window: `{ 60: 3 }`. */
export function withSourceAccountCounts(counts: Readonly<Record<number, number>>): ScreeningContext {
  return {
    aggregates: new Map(Object.entries(counts).map(([window, count]) => [aggregateKey(sourceAccountCount(Number(window))), Decimal.parse(String(count))])),
  };
}

/** The source account's count over `windowSeconds` in a context, as a number (undefined when absent). */
export function sourceAccountCountIn(context: ScreeningContext, windowSeconds: number): number | undefined {
  const value = context.aggregates.get(aggregateKey(sourceAccountCount(windowSeconds)));
  return value === undefined ? undefined : Number(value.toString());
}
