import { MAX_REASON_LENGTH, MAX_REASONS, usableVerdict } from './verdict';

describe('usableVerdict', () => {
  it('refuses a shape without a status of the contract and string reasons', () => {
    expect(usableVerdict({ status: 'OK', reasons: [] })).toBeUndefined();
    expect(usableVerdict({ status: 'APPROVED', reasons: [1] })).toBeUndefined();
    expect(usableVerdict(null)).toBeUndefined();
  });

  it('keeps a rule-set version only where a PostgreSQL integer can store it', () => {
    const answer = (ruleSetVersion: unknown) => usableVerdict({ status: 'APPROVED', reasons: [], ruleSetVersion });
    expect(answer(7)).toEqual({ status: 'APPROVED', reasons: [], ruleSetVersion: 7 });
    expect(answer(2_147_483_647)?.ruleSetVersion).toBe(2_147_483_647);
    for (const unstorable of [2_147_483_648, 3_000_000_000, 0, -1, 1.5, '7', Number.MAX_SAFE_INTEGER + 2]) {
      expect(answer(unstorable)).toEqual({ status: 'APPROVED', reasons: [] });
    }
  });

  it('cuts reasons to what an analyst can use and PostgreSQL can store', () => {
    const verdict = usableVerdict({ status: 'REJECTED', reasons: [...Array.from({ length: MAX_REASONS + 5 }, () => 'r'), 'x'.repeat(MAX_REASON_LENGTH * 2)] });
    expect(verdict?.reasons).toHaveLength(MAX_REASONS);
    expect(usableVerdict({ status: 'REJECTED', reasons: ['a\u0000b'] })?.reasons[0]).not.toContain('\u0000');
  });
});
