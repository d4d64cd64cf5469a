import { storableJson, withoutUnstorableEscapes } from './storable-json';

describe('withoutUnstorableEscapes', () => {
  it.each([
    ['replaces a NUL', '{"a":"x\\u0000y"}', '{"a":"x\\ufffdy"}'],
    ['replaces a lone high surrogate', '{"a":"x\\uD800y"}', '{"a":"x\\ufffdy"}'],
    ['replaces a lone low surrogate', '{"a":"\\udc00"}', '{"a":"\\ufffd"}'],
    ['replaces a high surrogate followed by another high one', '{"a":"\\ud800\\ud801\\udc37"}', '{"a":"\\ufffd\\ud801\\udc37"}'],
    ['keeps a pair (an emoji)', '{"a":"\\ud83d\\ude00"}', '{"a":"\\ud83d\\ude00"}'],
    ['keeps other escapes', '{"a":"\\u00e9\\n\\"\\u0001"}', '{"a":"\\u00e9\\n\\"\\u0001"}'],
    ['never reads an escaped backslash as the start of an escape', '{"a":"\\\\u0000"}', '{"a":"\\\\u0000"}'],
    ['cleans keys too', '{"k\\u0000":1}', '{"k\\ufffd":1}'],
  ])('%s', (_what, json, expected) => {
    expect(withoutUnstorableEscapes(json)).toBe(expected);
  });
});

describe('storableJson', () => {
  it('reads a document that only its NULs and lone surrogates kept from PostgreSQL', () => {
    expect(storableJson('{"name":"Ada\\u0000","note":"\\ud800"}')).toEqual({ text: '{"name":"Ada\\ufffd","note":"\\ufffd"}', value: { name: 'Ada\ufffd', note: '\ufffd' } });
  });

  it('gives nothing for a document that holds none of them, or that something else keeps unstorable', () => {
    expect(storableJson('{"a":1}')).toBeUndefined();
    let deep = '"x\\u0000"';
    for (let level = 0; level < 40; level += 1) deep = `{"a":${deep}}`;
    expect(storableJson(deep)).toBeUndefined();
    expect(storableJson('{"a":"\\u0000","n":1e5000}')).toBeUndefined();
    expect(storableJson('{"a":"\\u0000","__proto__":{"x":1}}')).toBeUndefined();
  });
});
