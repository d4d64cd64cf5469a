// Unit spec of numbersAsText: every number outside a string becomes its own text, nothing else changes.
import { numbersAsText, parseKeepingNumbers } from './exact-json';

describe('numbersAsText', () => {
  it('keeps the digits a binary float would lose', () => {
    expect(parseKeepingNumbers('{"amount":12.50,"id":12345678901234567890,"fee":-1e-3}')).toEqual({ amount: '12.50', id: '12345678901234567890', fee: '-1e-3' });
  });

  it('leaves strings, including digits and escaped quotes in them, and the other literals alone', () => {
    const json = '{"a":"12 \\"34\\" 5","b":[true,null,0,"-7"],"c":{"d":3}}';
    expect(parseKeepingNumbers(json)).toEqual({ a: '12 "34" 5', b: [true, null, '0', '-7'], c: { d: '3' } });
    expect(numbersAsText('{"a":"x"}')).toBe('{"a":"x"}');
    expect(parseKeepingNumbers('42')).toBe('42');
  });
});
