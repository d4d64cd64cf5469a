import { initdbLocaleFlags } from './embedded-database';

describe('initdbLocaleFlags', () => {
  it('always asks for UTF8 text sorted by code point', () => {
    for (const available of [[], ['C', 'POSIX'], ['C', 'C.utf8', 'POSIX'], ['de_DE.utf8']]) {
      expect(initdbLocaleFlags(available).slice(0, 2)).toEqual(['--encoding=UTF8', '--lc-collate=C']);
    }
  });

  it('classes characters by C.UTF-8 where the machine has it, whatever else it has', () => {
    expect(initdbLocaleFlags(['C', 'C.utf8', 'POSIX', 'en_US.utf8'])[2]).toBe('--lc-ctype=C.utf8');
    expect(initdbLocaleFlags(['de_DE.UTF-8', 'C.UTF-8'])[2]).toBe('--lc-ctype=C.UTF-8');
  });

  it('falls back to en_US, then to any UTF-8 locale', () => {
    expect(initdbLocaleFlags(['C', 'de_DE.utf8', 'en_US.UTF-8'])[2]).toBe('--lc-ctype=en_US.UTF-8');
    expect(initdbLocaleFlags(['C', 'POSIX', 'fr_FR.ISO8859-1', 'de_DE.utf8'])[2]).toBe('--lc-ctype=de_DE.utf8');
  });

  it('keeps C where the machine has no UTF-8 locale, or none it can list', () => {
    expect(initdbLocaleFlags(['C', 'POSIX', 'fr_FR.ISO8859-1'])[2]).toBe('--lc-ctype=C');
    expect(initdbLocaleFlags([])[2]).toBe('--lc-ctype=C');
  });
});
