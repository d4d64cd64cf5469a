// Unit spec of the repeated-key check: keys compared as decoded, per object, never fooled by strings that look like keys.
import { firstRepeatedKey, repeatedKeyProblem } from './json-repeated-keys';

describe('firstRepeatedKey', () => {
  it('finds a key repeated in one object, at any depth, as decoded', () => {
    expect(firstRepeatedKey('{"a":1,"b":2,"a":3}')).toBe('a');
    expect(firstRepeatedKey('{"x":{"country":"KP","n":[1,{"k":1,"k":2}]}}')).toBe('k');
    expect(firstRepeatedKey('{"beneficiary":{"country":"KP"},"amount":5,"beneficiary":{"country":"GB"}}')).toBe('beneficiary');
    expect(firstRepeatedKey('{"a":1,"\\u0061":2}')).toBe('a');
    expect(firstRepeatedKey('{"a\\"b" : 1, "a\\"b"\n:2}')).toBe('a"b');
  });

  it('finds none where each object has each key once', () => {
    for (const text of [
      '{}',
      '[]',
      '"a"',
      '{"a":{"a":{"a":1}}}',
      '[{"a":1},{"a":2}]',
      '{"a":"b","c":"a:","d":["a","a"]}',
      '{"k":"\\"","k2":"\\\\","k3":"}{]["}',
      JSON.stringify({ transactionId: 't', amount: 12.5, currency: 'GBP', beneficiary: { name: 'Zoë "Z" Smith', iban: 'GB33 BUKB', country: 'GB' } }),
    ]) {
      expect(firstRepeatedKey(text)).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on generated documents: a repeat exactly where parsing loses a key', () => {
    const keysOf = (value: unknown): number =>
      value !== null && typeof value === 'object'
        ? Object.keys(value).length * (Array.isArray(value) ? 0 : 1) + Object.values(value).reduce((sum: number, v) => sum + keysOf(v), 0)
        : 0;
    const keyTokens = (text: string) => (text.match(/"(?:[^"\\]|\\.)*"\s*:/g) ?? []).length;
    for (let seed = 1; seed <= 300; seed += 1) {
      const names = ['a', 'b', 'c', 'é', 'a b', '"q"'];
      let state = seed;
      const random = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648), state % n);
      const build = (depth: number): string => {
        if (depth > 3 || random(3) === 0) return JSON.stringify(random(2) === 0 ? names[random(names.length)] : random(100));
        if (random(4) === 0) return `[${Array.from({ length: random(3) }, () => build(depth + 1)).join(',')}]`;
        return `{${Array.from({ length: random(4) }, () => `${JSON.stringify(names[random(names.length)])}:${build(depth + 1)}`).join(',')}}`;
      };
      const text = build(0);
      const lost = keyTokens(text) !== keysOf(JSON.parse(text));
      expect([text, firstRepeatedKey(text) !== undefined]).toEqual([text, lost]);
    }
  });
});

describe('repeatedKeyProblem', () => {
  it('names the key, cut to 64 characters', () => {
    expect(repeatedKeyProblem('{"amount":1,"amount":2}')).toBe('The request body repeats the key "amount" in one object; send each key once');
    const long = 'k'.repeat(100);
    expect(repeatedKeyProblem(`{"${long}":1,"${long}":2}`)).toBe(`The request body repeats the key "${'k'.repeat(63)}…" in one object; send each key once`);
    expect(repeatedKeyProblem('{"a":1}')).toBeUndefined();
  });
});
