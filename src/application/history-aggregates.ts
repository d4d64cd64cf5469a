// Computes the aggregates a rule set asks for as stored transactions stream past in order of arrival: the values validate's claim would have gathered, without a query per transaction.
import { AggregateQuery, aggregateFieldOf, aggregateKey } from '../domain/aggregate';
import { Decimal } from '../domain/decimal';
import { ScreeningContext } from '../domain/screening-context';
import { Transaction } from '../domain/transaction';

interface Entry {
  readonly at: number;
  readonly amount?: Decimal;
  readonly of?: string;
}

/** One group's transactions still inside the window, with what they add up to. */
interface Group {
  readonly entries: Entry[];
  start: number;
  sum: Decimal;
  readonly distinct: Map<string, number>;
}

class SlidingAggregate {
  readonly key: string;
  private readonly groups = new Map<string, Group>();
  private readonly windowMs: number;

  constructor(private readonly query: AggregateQuery) {
    this.key = aggregateKey(query);
    this.windowMs = query.windowSeconds * 1000;
  }

  /** Adds the transaction (when it passes the filters) and returns its group's value, or undefined without a group. */
  record(transaction: Transaction, at: number): Decimal | undefined {
    const groupValue = aggregateFieldOf(transaction, this.query.groupBy);
    if (groupValue === undefined) return undefined;
    let group = this.groups.get(groupValue);
    if (!group) this.groups.set(groupValue, (group = { entries: [], start: 0, sum: Decimal.parse('0'), distinct: new Map() }));
    this.evict(group, at);
    if (this.passes(transaction)) this.add(group, transaction, at);
    return this.valueOf(group);
  }

  /** Forgets groups with nothing left in the window. */
  sweep(at: number): void {
    for (const [value, group] of this.groups) {
      this.evict(group, at);
      if (group.start >= group.entries.length) this.groups.delete(value);
    }
  }

  private passes(transaction: Transaction): boolean {
    return (this.query.currency === undefined || transaction.money.currency === this.query.currency) && (this.query.direction === undefined || transaction.direction === this.query.direction);
  }

  private add(group: Group, transaction: Transaction, at: number): void {
    const entry: Entry = { at, amount: this.query.fn === 'sum' ? transaction.money.amount : undefined, of: this.query.fn === 'distinct' ? aggregateFieldOf(transaction, this.query.of!) : undefined };
    group.entries.push(entry);
    if (entry.amount) group.sum = group.sum.plus(entry.amount);
    if (entry.of !== undefined) group.distinct.set(entry.of, (group.distinct.get(entry.of) ?? 0) + 1);
  }

  private evict(group: Group, at: number): void {
    while (group.start < group.entries.length && group.entries[group.start]!.at <= at - this.windowMs) {
      const gone = group.entries[group.start]!;
      if (gone.amount) group.sum = group.sum.minus(gone.amount);
      if (gone.of !== undefined) {
        const left = group.distinct.get(gone.of)! - 1;
        if (left === 0) group.distinct.delete(gone.of);
        else group.distinct.set(gone.of, left);
      }
      group.start += 1;
    }
    if (group.start > 1024 && group.start * 2 > group.entries.length) {
      group.entries.splice(0, group.start);
      group.start = 0;
    }
  }

  private valueOf(group: Group): Decimal {
    switch (this.query.fn) {
      case 'count':
        return Decimal.parse(String(group.entries.length - group.start));
      case 'sum':
        return group.sum;
      case 'distinct':
        return Decimal.parse(String(group.distinct.size));
    }
  }
}

export class HistoryAggregates {
  private readonly aggregates: SlidingAggregate[];
  /** How far before a range the stream must start for the range's first transactions to get full values. */
  readonly longestWindowMs: number;

  constructor(queries: readonly AggregateQuery[]) {
    this.aggregates = queries.map((query) => new SlidingAggregate(query));
    this.longestWindowMs = Math.max(0, ...queries.map((query) => query.windowSeconds)) * 1000;
  }

  /** Notes a transaction (it counts in its own aggregates, as in a claim) and returns its context. */
  record(transaction: Transaction, receivedAt: Date): ScreeningContext {
    const at = receivedAt.getTime();
    const values = new Map<string, Decimal>();
    for (const aggregate of this.aggregates) {
      const value = aggregate.record(transaction, at);
      if (value !== undefined) values.set(aggregate.key, value);
    }
    return { aggregates: values };
  }

  sweep(at: Date): void {
    for (const aggregate of this.aggregates) aggregate.sweep(at.getTime());
  }
}
