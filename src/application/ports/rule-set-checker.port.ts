// Port to the rules engine's own reading of a rule set: every problem it has, and what it declares.
import { ListDeclaration } from '../../domain/managed-list';
import { TransactionStatus } from '../../domain/transaction-status';

export interface RuleSummary {
  readonly id: string;
  readonly type: string;
  readonly status: TransactionStatus;
  readonly reason: string;
}

export interface RuleSetReading {
  /** Each mistake, prefixed by where it is (`rules[2].threshold: ...`); none when the rule set can be used. */
  readonly problems: readonly string[];
  readonly rules: readonly RuleSummary[];
  readonly lists: readonly ListDeclaration[];
}

export abstract class RuleSetChecker {
  abstract read(source: string): RuleSetReading;
}
