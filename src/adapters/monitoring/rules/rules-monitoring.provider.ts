// The embedded default monitoring provider: decides from the operator's rule file and PostgreSQL history.
import { MonitoringProvider } from '../../../application/ports/monitoring-provider.port';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { Verdict } from '../../../domain/verdict';
import { activityWindowsOf, evaluateRuleSet, RuleSet } from './rule-set';

export class RulesMonitoringProvider extends MonitoringProvider {
  readonly name = 'rules';
  override readonly activityWindowsSeconds: readonly number[];

  constructor(private readonly ruleSet: RuleSet) {
    super();
    this.activityWindowsSeconds = activityWindowsOf(ruleSet);
  }

  async screen(transaction: Transaction, context: ScreeningContext): Promise<Verdict> {
    return evaluateRuleSet(this.ruleSet, transaction, context);
  }
}
