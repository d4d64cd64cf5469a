import { MAX_JSON_DEPTH, topLevelNumberLiteral, unstorableInput, unstorableNumber } from './json-body';

describe('topLevelNumberLiteral', () => {
  it.each([
    ['{"amount":125.50}', '125.50'],
    ['{ "amount" : 9999.999999999999999 , "x": 1}', '9999.999999999999999'],
    ['{"amount":1e4}', '1e4'],
    ['{"a":{"amount":1},"amount":2}', '2'],
    ['{"amount":1,"amount":3}', '3'],
    ['{"note":"\\"amount\\":7","amount":8}', '8'],
    ['{"\\u0061mount":0.30}', '0.30'],
    ['[{"amount":1}]', undefined],
    ['{"amount":"5"}', undefined],
    ['{"nested":[{"amount":1}],"other":2}', undefined],
  ])('finds the literal in %s', (json, literal) => {
    expect(topLevelNumberLiteral(json, 'amount')).toBe(literal);
  });
});

describe('unstorableInput', () => {
  it('accepts ordinary documents, including paired surrogates (emoji)', () => {
    expect(unstorableInput({ name: 'Zoë 💷', list: [1, 'a', null, { deep: true }] }, true)).toBeUndefined();
  });

  it('refuses NUL and unpaired surrogates, naming where', () => {
    expect(unstorableInput({ beneficiary: { name: 'a\u0000b' } }, true)).toBe('beneficiary.name contains a NUL character or an unpaired UTF-16 surrogate');
    expect(unstorableInput({ list: ['ok', '\ud800'] }, true)).toBe('list[1] contains a NUL character or an unpaired UTF-16 surrogate');
    expect(unstorableInput({ x: '\udc00z' }, true)).toMatch(/unpaired/);
    expect(unstorableInput({ ['k\u0000']: 1 }, true)).toMatch(/key/);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels without recursion`, () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000));
    expect(unstorableInput(deep, false)).toMatch(/nested deeper/);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i += 1) ok = [ok];
    expect(unstorableInput(ok, false)).toBeUndefined();
  });
});

describe('unstorableNumber', () => {
  it.each([
    ['small numbers', '{"a":1}'],
    ['the extremes of a double', '{"a":-0.5e-7,"b":[1e308,4.9E-324,1e1000]}'],
    ['a zero-padded exponent', '{"a":1e0000000000000000001}'],
    ['number-like text inside strings', '{"s":"1e999999 inside a string","n":2}'],
    ['a thousand decimals', `{"a":0.${'1'.repeat(1000)}}`],
    ['a thousand digits before the point', `{"a":-${'9'.repeat(1000)}.5}`],
  ])('accepts %s', (_label, json) => {
    expect(unstorableNumber(json)).toBeUndefined();
  });

  it.each([
    ['an exponent PostgreSQL overflows on', '{"a":1e131072}'],
    ['a tiny negative exponent in an array', '{"a":[1,2,-3E-1001]}'],
    ['an exponent with eleven digits', '{"a":1e99999999999}'],
    ['twenty thousand decimals', `{"a":0.${'0'.repeat(20_000)}1}`],
    ['a big exponent after a string', '{"x":"e9999","y":5e1001}'],
    ['an integer of 140,000 digits, more than PostgreSQL numeric holds', `{"event":"x","data":{"n":${'9'.repeat(140_000)}}}`],
    ['a thousand and one digits before the point', `{"a":${'1'.repeat(1001)}}`],
  ])('refuses %s', (_label, json) => {
    expect(unstorableNumber(json)).toMatch(/out of the supported range/);
  });
});
