import { FREQUENT_POSTINGS, PairPostings } from './pair-postings';

/** Token ids 0, 1 and 3 frequent (their postings counts in `all`), 2 rare. */
const all = { start: Int32Array.from([0, FREQUENT_POSTINGS, 2 * FREQUENT_POSTINGS, 2 * FREQUENT_POSTINGS + 1, 3 * FREQUENT_POSTINGS + 1]) };
const namesOf = (...names: number[][]) => ({
  tokenStart: Int32Array.from([0, ...names.map((_, n) => names.slice(0, n + 1).flat().length)]),
  tokenIds: Int32Array.from(names.flat()),
});

describe('PairPostings', () => {
  const { tokenStart, tokenIds } = namesOf([0, 1], [1, 0, 2], [0, 0], [0, 3, 1], [2, 1], [3, 3, 3]);
  const pairs = PairPostings.build(tokenStart, tokenIds, all);
  const namesWith = (a: number, b: number) => {
    const slot = pairs.slot(a, b);
    return slot < 0 ? [] : Array.from(pairs.names.subarray(pairs.start[slot], pairs.start[slot + 1]));
  };

  it('knows a token with at least FREQUENT_POSTINGS postings as frequent', () => {
    expect([0, 1, 2, 3].map((id) => pairs.frequent(id))).toEqual([true, true, false, true]);
  });

  it('lists the names holding both of two frequent tokens, ascending, whatever the order asked in', () => {
    expect(namesWith(0, 1)).toEqual([0, 1, 3]);
    expect(namesWith(1, 0)).toEqual([0, 1, 3]);
    expect(namesWith(1, 3)).toEqual([3]);
  });

  it('lists a frequent token with itself for the names holding it twice or more, once each', () => {
    expect(namesWith(0, 0)).toEqual([2]);
    expect(namesWith(3, 3)).toEqual([5]);
    expect(namesWith(1, 1)).toEqual([]);
  });

  it('carries each posting\'s name features beside it when built with them, and none otherwise', () => {
    const features = Uint32Array.from([10, 11, 12, 13, 14, 15]);
    const withFeatures = PairPostings.build(tokenStart, tokenIds, all, features);
    const slot = withFeatures.slot(0, 1);
    const { start, names } = withFeatures;
    expect(Array.from(withFeatures.features!.subarray(start[slot], start[slot + 1]))).toEqual(Array.from(names.subarray(start[slot], start[slot + 1]), (n) => features[n]));
    expect(Array.from(withFeatures.features!.subarray(start[slot], start[slot + 1]))).toEqual([10, 11, 13]);
    expect(pairs.features).toBeUndefined();
  });

  it('has no pairs with a rare token: its own postings are short enough to walk', () => {
    expect(pairs.slot(1, 2)).toBe(-1);
    expect(pairs.slot(2, 2)).toBe(-1);
  });
});
