// Unit spec of reading a Retry-After: seconds or an HTTP date, anything else ignored.
import { retryAfterOf } from './webhook-poster';

const NOW = new Date('2030-01-15T09:00:00.000Z');

describe('retryAfterOf', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterOf('120', NOW)).toBe(120_000);
    expect(retryAfterOf(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date as the time left until it, and a date already past as no wait', () => {
    expect(retryAfterOf('Tue, 15 Jan 2030 09:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterOf('Tue, 15 Jan 2030 08:59:00 GMT', NOW)).toBe(0);
  });

  it('ignores what is absent or unreadable', () => {
    for (const value of [undefined, '', 'soon', '-5', '1.5']) expect(retryAfterOf(value, NOW)).toBeUndefined();
  });
});
