// The embedded default monitoring provider: decides from the operator's rule file and PostgreSQL history.
import { CallbackCredentials, CallbackRequest, MonitoringProvider, ProviderDecision } from '../../../application/ports/monitoring-provider.port';
import { AggregateQuery } from '../../../domain/aggregate';
import { UnknownProviderError } from '../../../domain/domain-error';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { Verdict } from '../../../domain/verdict';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { aggregatesOf, EngineState, evaluateRuleSet, RuleSet } from './rule-set';

export class RulesMonitoringProvider extends MonitoringProvider {
  readonly name = 'rules';

  /**
   * `callbacks`: the rules engine never changes its mind, but an in-house case tool working
   * beside it may decide what the rules held, through Standard Webhooks callbacks.
   */
  constructor(
    private readonly ruleSet: RuleSet,
    private readonly callbacks?: StandardWebhooksCallbacks,
    /** The in-memory sanctions index and managed lists the `sanctions-name` and `list` rules read. */
    private readonly state: EngineState = {},
  ) {
    super();
    this.ruleAggregates = aggregatesOf(ruleSet);
  }

  override get aggregates(): readonly AggregateQuery[] {
    return this.ruleAggregates;
  }

  private readonly ruleAggregates: readonly AggregateQuery[];

  async screen(transaction: Transaction, context: ScreeningContext): Promise<Verdict> {
    return evaluateRuleSet(this.ruleSet, transaction, context, this.state);
  }

  override async verifyCallback(provider: string, request: CallbackRequest): Promise<ProviderDecision> {
    return this.callbacksOf(provider).verify(request);
  }

  override authenticateCallback(provider: string, request: CallbackCredentials): void {
    this.callbacksOf(provider).authenticate(request);
  }

  private callbacksOf(provider: string): StandardWebhooksCallbacks {
    if (provider !== this.name || !this.callbacks) throw new UnknownProviderError(provider);
    return this.callbacks;
  }
}
