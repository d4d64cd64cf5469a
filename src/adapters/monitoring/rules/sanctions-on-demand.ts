// The sanctions index is built on a replica only while its active rule set has a sanctions-name rule: about 1 GB and 16 s at 1 M names that a rule set without one never reads.
import { Logger, OnModuleInit } from '@nestjs/common';
import { LiveSanctionsIndex } from '../../sanctions/live-sanctions-index';
import { LiveRuleSet } from './live-rule-set';
import { RuleSet, usesSanctionsNames } from './rule-set';

/** The holder name under which the active rule set needs the index. */
const ACTIVE_RULE_SET = 'the active rule set';

/**
 * Gates activations on the index: a version with a sanctions-name rule becomes active on this
 * replica once the index is built (until then the version before keeps screening, and its verdicts
 * name it), as the start waits for it; a version without one drops the index once it is active.
 */
export class SanctionsOnDemand implements OnModuleInit {
  private readonly logger = new Logger('Sanctions');

  constructor(
    private readonly ruleSet: LiveRuleSet,
    private readonly sanctions: LiveSanctionsIndex,
  ) {}

  /** Runs after RulesStateModule and SanctionsModule started (they are imported by the module that provides this). */
  async onModuleInit(): Promise<void> {
    await this.ruleSet.gateActivations((next) => this.gate(next)).catch((error: Error) => this.logger.error(`${error.message}; the next poll of the lists tries again, and screening answers the fallback until then`));
  }

  private async gate(next: RuleSet): Promise<(() => void) | undefined> {
    if (!usesSanctionsNames(next)) return () => void this.sanctions.need(ACTIVE_RULE_SET, false);
    if (!(await this.sanctions.need(ACTIVE_RULE_SET, true))) throw new Error('the sanctions index a sanctions-name rule needs could not be built');
    return undefined;
  }
}
