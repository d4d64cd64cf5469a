// `velocity`: fires when the source account has sent more than `maxTransactions` within `windowSeconds`.
import { RuleCheck, RuleFields, RuleType } from './rule-type';

export const velocityRule: RuleType = {
  name: 'velocity',
  parse(entry: RuleFields, where: string, problems: string[]): RuleCheck {
    const max = entry.maxTransactions as number;
    const windowSeconds = entry.windowSeconds as number;
    if (!Number.isInteger(max) || max < 0) problems.push(`${where}.maxTransactions: must be a whole number ≥ 0`);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > 31 * 86_400) {
      problems.push(`${where}.windowSeconds: must be a whole number of seconds between 1 and 2678400`);
    }
    return {
      activityWindowsSeconds: [windowSeconds],
      // The counts are gathered from PostgreSQL with the claim, so the rule holds across replicas.
      fires: ({ context }) => {
        const count = context.sourceAccountActivity.get(windowSeconds);
        return count !== undefined && count > max ? { count, max, windowSeconds } : undefined;
      },
    };
  },
};
