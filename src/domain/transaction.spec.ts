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

  it('writes exactly the text of the first version, over which stored decision chains were hashed', () => {
    const firstVersion = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(firstVersion).join(',')}]`;
      if (value !== null && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        const entries = Object.keys(record).sort().filter((key) => record[key] !== undefined).map((key) => `${JSON.stringify(key)}:${firstVersion(record[key])}`);
        return `{${entries.join(',')}}`;
      }
      return JSON.stringify(value) ?? 'null';
    };
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const keys = ['a', 'B', 'é', '', 'z9', '10', '2', 'reasons', 'x"y', '\u2028'];
    const leaves = [null, undefined, true, 0, -1.5, 1e21, 'text', '"quoted"\n', '\u{1F600}', ''];
    const someValue = (depth: number): unknown => {
      const kind = next();
      if (depth > 3 || kind < 0.5) return leaves[Math.floor(next() * leaves.length)];
      if (kind < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => someValue(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [keys[Math.floor(next() * keys.length)], someValue(depth + 1)]));
    };
    for (let n = 0; n < 5_000; n++) {
      const value = someValue(0);
      expect(canonicalJson(value)).toBe(firstVersion(value));
    }
  });
});
