import { isStorableText, storableText } from './storable-text';
import { usableVerdict } from './verdict';

describe('storable text', () => {
  it('drops NULs and replaces unpaired surrogates, keeping pairs', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('😀')).toBe('😀');
    expect(isStorableText('plain')).toBe(true);
  });

  it('cuts before cleaning, so a cut through a pair leaves no half behind', () => {
    expect(storableText('a😀', 2)).toBe('a\uFFFD');
    expect(isStorableText(storableText('😀'.repeat(600), 1000))).toBe(true);
  });
});

describe('usableVerdict', () => {
  it('cleans and bounds the reasons of a verdict of the right shape', () => {
    expect(usableVerdict({ status: 'REJECTED', reasons: ['bad\u0000', 'x'.repeat(2000)] })).toEqual({ status: 'REJECTED', reasons: ['bad', 'x'.repeat(1000)] });
    expect(usableVerdict({ status: 'APPROVED', reasons: Array.from({ length: 500 }, () => 'r') })?.reasons).toHaveLength(100);
  });

  it('refuses a verdict of the wrong shape, so that the fallback applies', () => {
    expect(usableVerdict({ status: 'MAYBE', reasons: [] })).toBeUndefined();
    expect(usableVerdict({ status: 'APPROVED', reasons: [{}] })).toBeUndefined();
    expect(usableVerdict(null)).toBeUndefined();
  });
});
