import { pageOf } from './page';

describe('pageOf', () => {
  it('shows `limit` rows and continues after the last one shown when the extra row came back', () => {
    expect(pageOf(['a', 'b', 'c'], 2)).toEqual({ items: ['a', 'b'], continueAfter: 'b' });
  });

  it('ends the pages when no extra row came back', () => {
    expect(pageOf(['a', 'b'], 2)).toEqual({ items: ['a', 'b'], continueAfter: undefined });
    expect(pageOf([], 2)).toEqual({ items: [], continueAfter: undefined });
  });
});
