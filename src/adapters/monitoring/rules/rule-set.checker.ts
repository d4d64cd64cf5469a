// The rules engine's parser behind the RuleSetChecker port: what the administration API is told about a rule set.
import { RuleSetChecker, RuleSetReading } from '../../../application/ports/rule-set-checker.port';
import { parseRuleSet, RuleSetError } from './rule-set';

export class RulesEngineChecker extends RuleSetChecker {
  read(source: string): RuleSetReading {
    try {
      const ruleSet = parseRuleSet(source);
      return { problems: [], rules: ruleSet.rules.map(({ id, type, status, reason }) => ({ id, type, status, reason })), lists: ruleSet.lists };
    } catch (error) {
      if (error instanceof RuleSetError) return { problems: error.problems, rules: [], lists: [] };
      throw error;
    }
  }
}
