import { TransactionMother } from '../../test/mothers/transaction.mother';
import { AggregateQuery, aggregateKey } from '../domain/aggregate';
import { HistoryAggregates } from './history-aggregates';

const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, second));
const valueOf = (aggregates: HistoryAggregates, query: AggregateQuery, overrides: Parameters<typeof TransactionMother.create>[0], second: number) =>
  aggregates.record(TransactionMother.create(overrides), at(second)).aggregates.get(aggregateKey(query))?.toString();

describe('HistoryAggregates', () => {
  it('counts the source account\'s transactions in the window, the screened one included, as a claim does', () => {
    const count: AggregateQuery = { fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 };
    const aggregates = new HistoryAggregates([count]);
    expect(valueOf(aggregates, count, { sourceAccountId: 'a' }, 0)).toBe('1');
    expect(valueOf(aggregates, count, { sourceAccountId: 'a' }, 30)).toBe('2');
    expect(valueOf(aggregates, count, { sourceAccountId: 'b' }, 31)).toBe('1');
    expect(valueOf(aggregates, count, { sourceAccountId: 'a' }, 60)).toBe('2'); // the one at 0 s has left the window
    expect(valueOf(aggregates, count, { sourceAccountId: undefined }, 61)).toBeUndefined();
    expect(aggregates.longestWindowMs).toBe(60_000);
  });

  it('sums amounts exactly in one currency and direction, and counts distinct beneficiaries', () => {
    const sum: AggregateQuery = { fn: 'sum', groupBy: 'customerId', windowSeconds: 3600, currency: 'EUR', direction: 'OUTBOUND' };
    const distinct: AggregateQuery = { fn: 'distinct', of: 'beneficiaryIban', groupBy: 'customerId', windowSeconds: 3600 };
    const aggregates = new HistoryAggregates([sum, distinct]);
    const pay = (amount: string, currency: string, iban: string, second: number) =>
      aggregates.record(TransactionMother.create({ customerId: 'c', amount, currency, beneficiary: { name: 'x', iban } }), at(second)).aggregates;
    pay('0.1', 'EUR', 'DE89 3704 0044 0532 0130 00', 0);
    pay('5', 'GBP', 'GB82WEST12345698765432', 10);
    const values = pay('0.2', 'EUR', 'de89370400440532013000', 20);
    expect(values.get(aggregateKey(sum))?.toString()).toBe('0.3');
    expect(values.get(aggregateKey(distinct))?.toString()).toBe('2');
    const later = pay('1', 'EUR', 'GB82WEST12345698765432', 3605); // the first two have left
    expect(later.get(aggregateKey(sum))?.toString()).toBe('1.2');
    expect(later.get(aggregateKey(distinct))?.toString()).toBe('2');
  });
});
