import { aggregateKey } from '../../../../domain/aggregate';
import { Decimal } from '../../../../domain/decimal';
import { ScreeningContext } from '../../../../domain/screening-context';
import { TransactionMother } from '../../../../../test/mothers/transaction.mother';
import { withSourceAccountCounts } from '../../../../../test/mothers/screening-context.mother';
import { aggregateRule } from './aggregate.rule';
import { velocityRule } from './velocity.rule';

const parse = (fields: Record<string, unknown>) => {
  const problems: string[] = [];
  const check = aggregateRule.parse(fields, 'rules[0]', problems);
  return { check, problems };
};

const dailySum = { function: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR', direction: 'OUTBOUND' };
const contextWith = (value: string): ScreeningContext => ({
  aggregates: new Map([[aggregateKey({ fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR', direction: 'OUTBOUND' }), Decimal.parse(value)]]),
});
const transaction = TransactionMother.create();

describe('the aggregate rule type', () => {
  it('asks for its aggregate and fires above the threshold, comparing exact decimals', () => {
    const { check, problems } = parse({ ...dailySum, above: '50000.00' });
    expect(problems).toEqual([]);
    expect(check!.aggregates).toEqual([{ fn: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR', direction: 'OUTBOUND' }]);
    expect(check!.fires({ transaction, context: contextWith('50000') })).toBeUndefined();
    expect(check!.fires({ transaction, context: contextWith('50000.000000000000000001') })).toEqual({
      value: '50000.000000000000000001', threshold: '50000', function: 'sum', groupBy: 'customerId', windowSeconds: 86_400, currency: 'EUR',
    });
  });

  it('fires at the threshold itself with atLeast', () => {
    const { check } = parse({ ...dailySum, atLeast: '50000' });
    expect(check!.fires({ transaction, context: contextWith('50000') })).toMatchObject({ value: '50000' });
    expect(check!.fires({ transaction, context: contextWith('49999.99') })).toBeUndefined();
  });

  it('does not fire when the transaction has no value for the group (the aggregate is absent)', () => {
    const { check } = parse({ ...dailySum, above: '0' });
    expect(check!.fires({ transaction, context: { aggregates: new Map() } })).toBeUndefined();
  });

  it('names every mistake', () => {
    expect(parse({ function: 'avg', groupBy: 'iban', windowSeconds: 0, currency: 'euro', direction: 'SIDEWAYS', above: 'lots' }).problems).toEqual([
      'rules[0].function: must be one of count, sum, distinct',
      'rules[0].groupBy: must be one of sourceAccountId, customerId, beneficiaryIban, counterparty, currency',
      'rules[0].windowSeconds: must be a whole number of seconds between 1 and 2678400',
      'rules[0].currency: not a currency code',
      'rules[0].direction: must be OUTBOUND or INBOUND',
      'rules[0].above: "lots" is not a decimal ≥ 0, e.g. "50000"',
    ]);
    expect(parse({ function: 'sum', groupBy: 'customerId', windowSeconds: 60, above: '1', atLeast: '2' }).problems).toEqual([
      'rules[0].currency: required with function: sum (amounts in two currencies do not add up)',
      'rules[0]: needs exactly one of "above" (fires when the value is greater) or "atLeast" (greater or equal)',
    ]);
    expect(parse({ function: 'distinct', groupBy: 'sourceAccountId', windowSeconds: 60, above: 3 }).problems).toEqual([
      'rules[0].of: the field counted distinct, one of sourceAccountId, customerId, beneficiaryIban, counterparty, currency',
    ]);
    expect(parse({ function: 'count', of: 'customerId', groupBy: 'sourceAccountId', windowSeconds: 60, above: 3 }).problems).toEqual(['rules[0].of: only with function: distinct']);
  });
});

describe('the velocity rule, an aggregate count by source account', () => {
  const problems: string[] = [];
  const check = velocityRule.parse({ maxTransactions: 10, windowSeconds: 60 }, 'rules[0]', problems)!;

  it('asks for the count and fires above the maximum, with its own placeholders', () => {
    expect(problems).toEqual([]);
    expect(check.aggregates).toEqual([{ fn: 'count', groupBy: 'sourceAccountId', windowSeconds: 60 }]);
    expect(check.fires({ transaction, context: withSourceAccountCounts({ 60: 10 }) })).toBeUndefined();
    expect(check.fires({ transaction, context: withSourceAccountCounts({ 60: 11 }) })).toEqual({ count: 11, max: 10, windowSeconds: 60 });
  });

  it('asks for the same aggregate as the equivalent aggregate rule, so both share one computation', () => {
    const aggregate = aggregateRule.parse({ function: 'count', groupBy: 'sourceAccountId', windowSeconds: 60, above: 10 }, 'rules[1]', [])!;
    expect(aggregate.aggregates!.map(aggregateKey)).toEqual(check.aggregates!.map(aggregateKey));
  });
});
