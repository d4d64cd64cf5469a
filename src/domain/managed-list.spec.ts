import { canonicalListValue, maskedListValue, parseListValue } from './managed-list';

describe('managed list values', () => {
  it('writes an IBAN without spacing and in capitals, and checks its check digits', () => {
    expect(parseListValue(['iban'], 'gb82 west 1234 5698 7654 32')).toEqual([{ type: 'iban', value: 'GB82WEST12345698765432' }]);
    expect(canonicalListValue('iban', 'GB82-WEST-1234-5698-7654-32')).toBe('GB82WEST12345698765432');
    expect(parseListValue(['iban'], 'GB83WEST12345698765432')).toEqual({ problem: expect.stringContaining('check digits do not match') });
    expect(parseListValue(['iban'], 'hello')).toEqual({ problem: expect.stringContaining('not an IBAN') });
  });

  it('reads a sort code and account number however they are separated', () => {
    for (const raw of ['12-34-56 12345678', '123456/12345678', '12 34 56 12345678', '12345612345678']) {
      expect(parseListValue(['account-number'], raw)).toEqual([{ type: 'account-number', value: '123456/12345678' }]);
    }
    expect(parseListValue(['account-number'], '1234 5678')).toEqual({ problem: expect.stringContaining('sort code') });
  });

  it('lists a value as each declared type that accepts it, in the declared order', () => {
    expect(parseListValue(['iban', 'account-number'], 'DE89 3704 0044 0532 0130 00')).toEqual([{ type: 'iban', value: 'DE89370400440532013000' }]);
    expect(parseListValue(['iban', 'account-number'], '40-47-84 70872490')).toEqual([{ type: 'account-number', value: '404784/70872490' }]);
    expect(parseListValue(['iban', 'account-number'], 'nobody')).toEqual({ problem: 'is none of iban, account-number' });
  });

  it('lists a value every declared type accepts as each of them, so that a field of either type finds it', () => {
    expect(parseListValue(['customer-id', 'source-account'], ' acc-7 ')).toEqual([
      { type: 'customer-id', value: 'acc-7' },
      { type: 'source-account', value: 'acc-7' },
    ]);
    expect(parseListValue(['customer-id', 'iban'], 'GB82 WEST 1234 5698 7654 32')).toEqual([
      { type: 'customer-id', value: 'GB82 WEST 1234 5698 7654 32' },
      { type: 'iban', value: 'GB82WEST12345698765432' },
    ]);
  });

  it('treats a BIC of the primary office (branch XXX) as its eight-character form', () => {
    expect(parseListValue(['bic'], 'deutdeffxxx')).toEqual([{ type: 'bic', value: 'DEUTDEFF' }]);
    expect(parseListValue(['bic'], 'DEUTDEFF500')).toEqual([{ type: 'bic', value: 'DEUTDEFF500' }]);
    expect(parseListValue(['bic'], 'DEUT')).toHaveProperty('problem');
  });

  it('compares names without case, accents, punctuation or word order', () => {
    expect(canonicalListValue('name', 'Núñez, José')).toBe(canonicalListValue('name', 'JOSE NUNEZ'));
    expect(canonicalListValue('name', "O'Brien-Smith")).toBe('obrien smith');
    expect(parseListValue(['name'], '--')).toEqual({ problem: expect.stringContaining('at least one letter') });
  });

  it('keeps identifiers as given (trimmed) and countries in capitals', () => {
    expect(parseListValue(['customer-id'], ' cus-Abc ')).toEqual([{ type: 'customer-id', value: 'cus-Abc' }]);
    expect(parseListValue(['source-account'], 'acc\u0007')).toHaveProperty('problem');
    expect(parseListValue(['country'], 'kp')).toEqual([{ type: 'country', value: 'KP' }]);
    expect(parseListValue(['country'], 'KPX')).toHaveProperty('problem');
  });

  it('refuses what is not a non-empty string of at most 200 characters', () => {
    expect(parseListValue(['name'], 42)).toEqual({ problem: 'must be a non-empty string' });
    expect(parseListValue(['name'], '  ')).toEqual({ problem: 'must be a non-empty string' });
    expect(parseListValue(['name'], 'x'.repeat(201))).toEqual({ problem: 'must be at most 200 characters' });
    // 22 characters whose canonical name is 362: it could not be given back as a page's `after`.
    expect(parseListValue(['name'], `a ${'\uFDFA'.repeat(20)}`)).toEqual({ problem: 'must be at most 200 characters once written canonically' });
  });

  it('shows only the ends of an account identifier in a reason', () => {
    expect(maskedListValue('iban', 'GB82WEST12345698765432')).toBe('GB****5432');
    expect(maskedListValue('account-number', '123456/12345678')).toBe('12****5678');
    expect(maskedListValue('country', 'KP')).toBe('KP');
  });
});
