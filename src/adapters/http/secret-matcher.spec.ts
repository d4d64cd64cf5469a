import { SecretMatcher } from './secret-matcher';

describe('SecretMatcher', () => {
  const matcher = new SecretMatcher([
    ['current-key', 'current'],
    ['previous-key', 'previous'],
  ] as const);

  it('finds the value of any accepted secret', () => {
    expect(matcher.match('current-key')).toBe('current');
    expect(matcher.match('previous-key')).toBe('previous');
  });

  it.each(['', 'current-ke', 'current-key ', 'CURRENT-KEY', 'x'.repeat(10_000)])('refuses %j', (presented) => {
    expect(matcher.match(presented)).toBeUndefined();
  });
});
