import { isUsableId, MAX_TRANSACTION_ID_LENGTH } from './transaction-id';

describe('the id rule', () => {
  it.each([
    ['a UUID', '6f1c2a9e-2d1b-4c8e-9d3a-1b2c3d4e5f60'],
    ['128 ASCII characters', 'x'.repeat(128)],
    ['128 emoji (256 UTF-16 units, as PostgreSQL counts: 128 characters)', '😀'.repeat(128)],
    ['characters URLs reserve', 'a/b?c#d%e f'],
    ['non-Latin text', '中文-1'],
  ])('accepts %s', (_what, id) => {
    expect(isUsableId(id)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['129 characters', 'x'.repeat(129)],
    ['129 emoji', '😀'.repeat(129)],
    ['a NUL', 'a\u0000b'],
    ['a bell (C0)', 'ctl\u0007x'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00'],
    ['a number', 42],
  ])('refuses %s', (_what, id) => {
    expect(isUsableId(id)).toBe(false);
  });

  it('takes a smaller limit where a field is shorter', () => {
    expect(isUsableId('x'.repeat(64), 64)).toBe(true);
    expect(isUsableId('x'.repeat(65), 64)).toBe(false);
    expect(MAX_TRANSACTION_ID_LENGTH).toBe(128);
  });
});
