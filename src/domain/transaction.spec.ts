import { TransactionMother } from '../../test/mothers/transaction.mother';
import { Money } from './money';
import { TransactionConflictError } from './domain-error';
import { canonicalJson, contentDifferences } from './transaction';

describe('Transaction content', () => {
  it('treats equal amounts written differently as the same content', () => {
    const first = TransactionMother.create({ id: 't', amount: '125.5' });
    const again = TransactionMother.create({ id: 't', amount: '125.50' });
    expect(() => again.assertSameContentAs(first)).not.toThrow();
  });

  it('names every differing field in the conflict', () => {
    const first = TransactionMother.create({ id: 't', amount: '10', currency: 'GBP', beneficiary: { country: 'GB' } });
    const changed = TransactionMother.create({ id: 't', amount: '11', currency: 'EUR', beneficiary: { country: 'FR' } });
    expect(() => changed.assertSameContentAs(first)).toThrow(TransactionConflictError);
    expect(contentDifferences(first, changed)).toEqual(['amount', 'currency', 'beneficiary']);
  });

  it('ignores key order in the beneficiary but not its values', () => {
    const a = { money: Money.of('1', 'GBP'), beneficiary: { name: 'A', iban: 'X', country: 'GB' } };
    const b = { money: Money.of('1', 'GBP'), beneficiary: { country: 'GB', iban: 'X', name: 'A' } };
    const c = { money: Money.of('1', 'GBP'), beneficiary: { country: 'GB', iban: 'Y', name: 'A' } };
    expect(contentDifferences(a, b)).toEqual([]);
    expect(contentDifferences(a, c)).toEqual(['beneficiary']);
    expect(contentDifferences(a, { money: a.money })).toEqual(['beneficiary']);
  });

  it('upper-cases the beneficiary country so lower case cannot slip past a list', () => {
    expect(TransactionMother.toCountry('kp').beneficiaryCountry).toBe('KP');
    expect(TransactionMother.create({ beneficiary: undefined }).beneficiaryCountry).toBeUndefined();
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: null, c: undefined })).toBe('{"a":null,"b":[{"x":2,"y":1}]}');
  });
});
