import { initdbLocaleFlags, textClassWarning } from './embedded-text';

describe('initdbLocaleFlags', () => {
  it('always asks for UTF8 text, everything but letters as C', () => {
    for (const available of [[], ['C', 'POSIX'], ['C', 'C.utf8', 'POSIX'], ['de_DE.utf8']]) {
      expect(initdbLocaleFlags(available).slice(0, 2)).toEqual(['--encoding=UTF8', '--locale=C']);
    }
  });

  it('classes letters by C.UTF-8 where the machine has it, whatever else it has', () => {
    expect(initdbLocaleFlags(['C', 'C.utf8', 'POSIX', 'en_US.utf8'])[2]).toBe('--lc-ctype=C.utf8');
    expect(initdbLocaleFlags(['de_DE.UTF-8', 'C.UTF-8'])[2]).toBe('--lc-ctype=C.UTF-8');
  });

  it('falls back to en_US, as macOS lists it', () => {
    expect(initdbLocaleFlags(['C', 'de_DE.UTF-8', 'en_US.UTF-8'])[2]).toBe('--lc-ctype=en_US.UTF-8');
    expect(initdbLocaleFlags(['C', 'en_US.utf8'])[2]).toBe('--lc-ctype=en_US.utf8');
  });

  it('keeps C rather than a language whose own rules would fold I to ı, or where the machine lists nothing', () => {
    expect(initdbLocaleFlags(['C', 'POSIX', 'az_AZ.utf8', 'tr_TR.utf8'])[2]).toBe('--lc-ctype=C');
    expect(initdbLocaleFlags(['C', 'POSIX', 'de_DE.utf8', 'fr_FR.ISO8859-1'])[2]).toBe('--lc-ctype=C');
    expect(initdbLocaleFlags([])[2]).toBe('--lc-ctype=C');
  });
});

describe('textClassWarning', () => {
  const dir = '/srv/tm/.data/postgres';

  it('says nothing of UTF8 text classed by a UTF-8 locale', () => {
    expect(textClassWarning(dir, { encoding: 'UTF8', ctype: 'C.utf8' })).toBeUndefined();
    expect(textClassWarning(dir, { encoding: 'UTF8', ctype: 'en_US.UTF-8' })).toBeUndefined();
  });

  it('names a SQL_ASCII cluster, what it does to names and how to make it again', () => {
    const warning = textClassWarning(dir, { encoding: 'SQL_ASCII', ctype: 'C' });
    expect(warning).toContain(`embedded PostgreSQL in ${dir} stores text as SQL_ASCII`);
    expect(warning).toContain('by the letters A to Z only');
    expect(warning).toContain(`delete ${dir}`);
  });

  it('names another encoding by what it cannot store', () => {
    expect(textClassWarning(dir, { encoding: 'LATIN1', ctype: 'de_DE' })).toContain('stores text as LATIN1, not UTF8: a name with a character outside LATIN1 cannot be stored');
  });

  it('names UTF8 text classed by C or POSIX, which folds A to Z only', () => {
    for (const ctype of ['C', 'POSIX']) {
      expect(textClassWarning(dir, { encoding: 'UTF8', ctype })).toContain(`classes letters by the ${ctype} locale`);
    }
  });
});
