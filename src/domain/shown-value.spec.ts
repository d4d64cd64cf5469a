import { shownValue } from './shown-value';

describe('shownValue', () => {
  it('quotes scalars as they are', () => {
    expect(['GB', 12.5, true, null, undefined].map(shownValue)).toEqual(['GB', '12.5', 'true', 'null', 'nothing']);
  });

  it('names containers by kind, without calling what they carry', () => {
    const hostile = JSON.parse('{"toString":1,"valueOf":null}');
    expect(() => String(hostile)).toThrow(TypeError);
    expect(shownValue(hostile)).toBe('a mapping');
    expect(shownValue([hostile])).toBe('a list');
    expect(shownValue(Object.create(null))).toBe('a mapping');
  });
});
