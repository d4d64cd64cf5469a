import { listVersion, SanctionsFileError } from './sanctions-list';

describe('listVersion', () => {
  it('takes a version trimmed, and none for a blank one', () => {
    expect(listVersion('the Report Date', ' 27-Nov-2026 ')).toBe('27-Nov-2026');
    expect(listVersion('the Report Date', '  ')).toBeUndefined();
  });

  it('refuses, as a fault of the file, a version PostgreSQL could not store', () => {
    expect(() => listVersion('the Report Date', '27-Nov-2026\u0000')).toThrow(SanctionsFileError);
    expect(() => listVersion('the Report Date', '27-Nov-2026\u0000')).toThrow('the Report Date holds a NUL character or an unpaired surrogate');
    expect(() => listVersion('the Report Date', 'x'.repeat(201))).toThrow('a list version is at most 200');
  });
});
