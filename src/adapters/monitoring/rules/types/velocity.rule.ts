// `velocity`: fires when the source account has sent more than `maxTransactions` within `windowSeconds`.
// A shorthand for an `aggregate` rule: count, grouped by sourceAccountId, above maxTransactions.
import { Decimal } from '../../../../domain/decimal';
import { aggregateCheck } from './aggregate.rule';
import { RuleCheck, RuleFields, RuleType } from './rule-type';

export const velocityRule: RuleType = {
  name: 'velocity',
  parse(entry: RuleFields, where: string, problems: string[]): RuleCheck | undefined {
    const max = entry.maxTransactions as number;
    const windowSeconds = entry.windowSeconds as number;
    const before = problems.length;
    // Bounded, so that the count it is compared with is an exact whole number (1e30 passes isInteger).
    if (!Number.isSafeInteger(max) || max < 0) problems.push(`${where}.maxTransactions: must be a whole number ≥ 0`);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 31 * 86_400) {
      problems.push(`${where}.windowSeconds: must be a whole number of seconds between 1 and 2678400`);
    }
    if (problems.length > before) return undefined;
    const check = aggregateCheck({ fn: 'count', groupBy: 'sourceAccountId', windowSeconds }, { value: Decimal.parse(String(max)), inclusive: false });
    // The velocity rule's own placeholders, kept for existing reasons: {count} {max} {windowSeconds}.
    return {
      aggregates: check.aggregates,
      fires: (input) => {
        const values = check.fires(input);
        return values && { count: Number(values.value), max, windowSeconds };
      },
    };
  },
};
