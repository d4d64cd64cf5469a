// The embedded default monitoring provider: decides from the active rule set, the lists and sanctions held in memory, and PostgreSQL history.
import { AggregateQuery } from '../../../domain/aggregate';
import { ScreeningContext } from '../../../domain/screening-context';
import { Transaction } from '../../../domain/transaction';
import { Verdict } from '../../../domain/verdict';
import { StandardWebhooksCallbackProvider, StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { aggregatesOf, EngineState, evaluateRuleSet, RuleSet } from './rule-set';

/** A rule set as the engine uses it: its stored version (none when read from a file alone) and the aggregates it needs gathered. */
export interface VersionedRuleSet {
  readonly version?: number;
  readonly ruleSet: RuleSet;
  readonly aggregates: readonly AggregateQuery[];
}

/** Where the provider finds its rules: the active version, and the one a look-up's (or claim's) aggregates were gathered for. */
export interface RuleSetSource {
  current(): VersionedRuleSet;
  /** The rule set to screen with: the active one, unless the aggregates were gathered for an earlier one. */
  covering(transaction: Transaction, context: ScreeningContext): VersionedRuleSet;
}

/** One rule set that never changes (the engine without PostgreSQL, unit specs). */
export function fixedRuleSet(ruleSet: RuleSet, version?: number): RuleSetSource {
  const fixed = { version, ruleSet, aggregates: aggregatesOf(ruleSet) };
  return { current: () => fixed, covering: () => fixed };
}

export class RulesMonitoringProvider extends StandardWebhooksCallbackProvider {
  readonly name = 'rules';

  /**
   * `callbacks`: the rules engine never changes its mind, but an in-house case tool working
   * beside it may decide what the rules held, through Standard Webhooks callbacks.
   */
  constructor(
    private readonly rules: RuleSetSource,
    callbacks?: StandardWebhooksCallbacks,
    /** The in-memory sanctions index and managed lists the `sanctions-name` and `list` rules read. */
    private readonly state: EngineState = {},
  ) {
    super(callbacks);
  }

  override get aggregates(): readonly AggregateQuery[] {
    return this.rules.current().aggregates;
  }

  /**
   * Asking again about an id costs nothing and changes nothing (no call leaves the process), so
   * validate screens before storing and stores the transaction once, with its verdict.
   */
  override get idempotent(): boolean {
    return true;
  }

  /** Decides in memory, from what the look-up gathered: there is no I/O to stop. */
  override get abortable(): boolean {
    return false;
  }

  async screen(transaction: Transaction, context: ScreeningContext): Promise<Verdict> {
    const { version, ruleSet } = this.rules.covering(transaction, context);
    const verdict = evaluateRuleSet(ruleSet, transaction, context, this.state);
    return version === undefined ? verdict : { ...verdict, ruleSetVersion: version };
  }
}
