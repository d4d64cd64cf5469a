// The rules engine behind the RuleSetEvaluator port: a candidate rule set screening stored transactions against the lists and sanctions held in memory now.
import { randomUUID } from 'node:crypto';
import { CandidateRuleSet, RuleSetEvaluator } from '../../../application/ports/rule-set-evaluator.port';
import { aggregatesOf, EngineState, explainRuleSet, parseRuleSet, RuleSetError, usesSanctionsNames } from './rule-set';

/** The sanctions index as a backtest holds it: built while anyone needs it (LiveSanctionsIndex.need). */
export interface SanctionsHolder {
  need(holder: string, needed: boolean): Promise<boolean>;
}

export class RulesEngineEvaluator extends RuleSetEvaluator {
  /**
   * `state()`: this replica's managed lists and sanctions index, as they are when a transaction is
   * screened; `sanctions()`: the index to hold while a candidate with sanctions-name rules screens
   * (none where the rules provider is not enabled: such a candidate screens no names).
   */
  constructor(
    private readonly state: () => EngineState = () => ({}),
    private readonly sanctions: () => SanctionsHolder | undefined = () => undefined,
  ) {
    super();
  }

  compile(source: string): CandidateRuleSet | { problems: readonly string[] } {
    try {
      const ruleSet = parseRuleSet(source);
      const state = this.state();
      const index = usesSanctionsNames(ruleSet) ? this.sanctions() : undefined;
      return {
        aggregates: aggregatesOf(ruleSet),
        hold: () => (index ? hold(index) : Promise.resolve(() => undefined)),
        screen: (transaction, context) => explainRuleSet(ruleSet, transaction, context, state),
      };
    } catch (error) {
      if (error instanceof RuleSetError) return { problems: error.problems };
      throw error;
    }
  }
}

async function hold(index: SanctionsHolder): Promise<() => void> {
  const holder = `backtest ${randomUUID()}`;
  const release = () => void index.need(holder, false);
  if (await index.need(holder, true)) return release;
  release();
  throw new Error('the sanctions index its sanctions-name rules need could not be built');
}
