// Errors of the rules engine's administration: managed lists, rule-set versions and backtests.
import { DomainError, FieldProblem } from './domain-error';

export class ListNotFoundError extends DomainError {
  constructor(readonly list: string) {
    super('LIST_NOT_FOUND', `No list "${list}" is declared by a rule set`);
  }
}

export class ListEntryNotFoundError extends DomainError {
  constructor(
    readonly list: string,
    readonly value: string,
  ) {
    super('LIST_ENTRY_NOT_FOUND', `List "${list}" has no entry ${value}`);
  }
}

/** A change to a list that cannot be made as asked: every problem is named, and nothing is changed. */
export class InvalidListChangeError extends DomainError {
  constructor(problems: readonly FieldProblem[]) {
    super('INVALID_LIST_CHANGE', `${problems.length} problem(s): ${problems.slice(0, 5).map((p) => `${p.field} ${p.message}`).join('; ')}`, undefined, problems);
  }
}

/** A rule set that cannot be used, with each mistake (`rules[2].threshold: ...`). */
export class InvalidRuleSetError extends DomainError {
  constructor(readonly problems: readonly string[]) {
    super(
      'INVALID_RULE_SET',
      `The rule set has ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; ...' : ''}`,
      undefined,
      problems.map((problem) => ({ field: problem.split(':')[0]!.trim() || 'ruleSet', message: problem })),
    );
  }
}

export class RuleSetVersionNotFoundError extends DomainError {
  constructor(readonly version: number) {
    super('RULE_SET_VERSION_NOT_FOUND', `No rule set version ${version} is stored`);
  }
}

export class BacktestNotFoundError extends DomainError {
  constructor(readonly backtestId: string) {
    super('BACKTEST_NOT_FOUND', `No backtest ${backtestId} is known`);
  }
}
