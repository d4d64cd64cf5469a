import { knownCode } from './known-code';

describe('knownCode', () => {
  const table = { ACSC: 'SETTLED', RJCT: 'FAILED' } as const;

  it('finds the entries the table declares', () => {
    expect(knownCode(table, 'ACSC')).toBe('SETTLED');
    expect(knownCode(table, 'RJCT')).toBe('FAILED');
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'acsc', ''])('knows nothing of %j, inherited or absent', (code) => {
    expect(knownCode(table, code)).toBeUndefined();
  });
});
