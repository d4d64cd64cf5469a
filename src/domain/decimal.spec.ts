import { Decimal } from './decimal';
import { DomainError } from './domain-error';
import { Money } from './money';

describe('Decimal', () => {
  it.each([
    ['125.5', '125.5'],
    ['125.50', '125.5'],
    ['0010000', '10000'],
    ['1e4', '10000'],
    ['1.255E2', '125.5'],
    ['12345e-2', '123.45'],
    ['0.000000000000000001', '0.000000000000000001'],
    ['-3.10', '-3.1'],
  ])('parses %s exactly as %s', (text, canonical) => {
    expect(Decimal.parse(text).toString()).toBe(canonical);
  });

  it('keeps digits a binary float would lose', () => {
    const almostTenThousand = Decimal.parse('9999.999999999999999');
    expect(almostTenThousand.toString()).toBe('9999.999999999999999');
    expect(Number('9999.999999999999999')).toBe(10000); // the float cannot tell them apart
    expect(almostTenThousand.compareTo(Decimal.parse('10000'))).toBe(-1);
  });

  it('compares across scales', () => {
    expect(Decimal.parse('0.1').compareTo(Decimal.parse('0.10'))).toBe(0);
    expect(Decimal.parse('0.3').equals(Decimal.parse('0.30000'))).toBe(true);
    expect(Decimal.parse('10000').compareTo(Decimal.parse('9999.99'))).toBe(1);
    expect(Decimal.parse('2').compareTo(Decimal.parse('10'))).toBe(-1);
  });

  it.each(['', 'abc', '1,5', '1.', '.5', '1e', '--1', ' 1', '0x10', 'NaN', 'Infinity', '1e999999'])('refuses %j', (text) => {
    expect(() => Decimal.parse(text)).toThrow(DomainError);
  });

  it('refuses more than 18 decimal places and more than 24 integer digits', () => {
    expect(() => Decimal.parse('0.1234567890123456789')).toThrow(/18 decimal places/);
    expect(() => Decimal.parse('1'.repeat(25))).toThrow(/24 integer digits/);
    expect(Decimal.parse(`${'9'.repeat(24)}.${'9'.repeat(18)}`).toString()).toBe(`${'9'.repeat(24)}.${'9'.repeat(18)}`);
  });

  it('knows positive from zero and negative', () => {
    expect(Decimal.parse('0.01').isPositive()).toBe(true);
    expect(Decimal.parse('0.00').isPositive()).toBe(false);
    expect(Decimal.parse('-1').isPositive()).toBe(false);
  });

  it('adds exactly, across scales, normalised', () => {
    expect(Decimal.parse('0.1').plus(Decimal.parse('0.2')).toString()).toBe('0.3');
    expect(Decimal.parse('999999999999.99').plus(Decimal.parse('0.000000000000000001')).toString()).toBe('999999999999.990000000000000001');
    expect(Decimal.parse('1.25').plus(Decimal.parse('-1.25')).toString()).toBe('0');
    expect(Decimal.parse('2.50').plus(Decimal.parse('7.5')).equals(Decimal.parse('10'))).toBe(true);
  });
});

describe('Money', () => {
  it('is an exact positive amount in an upper-case currency or asset code', () => {
    const money = Money.of('125.50', 'GOLD');
    expect(money.toString()).toBe('125.5 GOLD');
    expect(money.equals(Money.of('125.5', 'GOLD'))).toBe(true);
    expect(money.equals(Money.of('125.5', 'GBP'))).toBe(false);
  });

  it('names the field it refuses', () => {
    expect(() => Money.of('0', 'GBP')).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT', field: 'amount' }));
    expect(() => Money.of('1', 'gbp')).toThrow(expect.objectContaining({ code: 'INVALID_CURRENCY', field: 'currency' }));
    expect(() => Money.of('1', 'ABCDEFGHIJKLM')).toThrow(expect.objectContaining({ field: 'currency' }));
    expect(() => Money.of('x', 'GBP')).toThrow(expect.objectContaining({ field: 'amount' }));
  });
});
