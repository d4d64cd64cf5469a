// The rules engine behind the RuleSetEvaluator port: a candidate rule set screening stored transactions against the lists and sanctions held in memory now.
import { CandidateRuleSet, RuleSetEvaluator } from '../../../application/ports/rule-set-evaluator.port';
import { aggregatesOf, EngineState, explainRuleSet, parseRuleSet, RuleSetError } from './rule-set';

export class RulesEngineEvaluator extends RuleSetEvaluator {
  /** `state()`: this replica's managed lists and sanctions index, as they are when a transaction is screened. */
  constructor(private readonly state: () => EngineState = () => ({})) {
    super();
  }

  compile(source: string): CandidateRuleSet | { problems: readonly string[] } {
    try {
      const ruleSet = parseRuleSet(source);
      const state = this.state();
      return {
        aggregates: aggregatesOf(ruleSet),
        screen: (transaction, context) => explainRuleSet(ruleSet, transaction, context, state),
      };
    } catch (error) {
      if (error instanceof RuleSetError) return { problems: error.problems };
      throw error;
    }
  }
}
