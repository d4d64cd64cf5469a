// The sanctions index is built on a replica only while its active rule set has a sanctions-name rule: at 1 M names about 15 s and 350 MiB of RSS at its peak (260 MiB held) that a rule set without one never spends.
import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LiveSanctionsIndex } from '../../sanctions/live-sanctions-index';
import { LiveRuleSet } from './live-rule-set';
import { RuleSet, usesSanctionsNames } from './rule-set';

/** The holder name under which the active rule set needs the index. */
const ACTIVE_RULE_SET = 'the active rule set';

/**
 * Gates activations on the index: a version with a sanctions-name rule becomes active on this
 * replica once the index is built (until then the version before keeps screening, and its verdicts
 * name it), as the start waits for it; a version without one drops the index `releaseAfterMs`
 * after it is active. Until then a validate whose aggregates were gathered for the version before is
 * still screened with that version (LiveRuleSet.covering), and its sanctions-name rule reads the
 * index: dropped at once, such a validate failed and was held by the fallback.
 */
export class SanctionsOnDemand implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Sanctions');
  private release: NodeJS.Timeout | undefined;

  constructor(
    private readonly ruleSet: LiveRuleSet,
    private readonly sanctions: LiveSanctionsIndex,
    /** VALIDATE_DEADLINE_MS: no validate counted for the version before outlives it. */
    private readonly releaseAfterMs: number,
  ) {}

  /** Runs after RulesStateModule and SanctionsModule started (they are imported by the module that provides this). */
  async onModuleInit(): Promise<void> {
    await this.ruleSet.gateActivations((next) => this.gate(next)).catch((error: Error) => this.logger.error(`${error.message}; the next poll of the lists tries again, and screening answers the fallback until then`));
  }

  onModuleDestroy(): void {
    clearTimeout(this.release);
  }

  private async gate(next: RuleSet): Promise<(() => void) | undefined> {
    clearTimeout(this.release);
    this.release = undefined;
    if (!usesSanctionsNames(next)) {
      return () => {
        this.release = setTimeout(() => void this.sanctions.need(ACTIVE_RULE_SET, false), this.releaseAfterMs);
        this.release.unref();
      };
    }
    if (!(await this.sanctions.need(ACTIVE_RULE_SET, true))) throw new Error('the sanctions index a sanctions-name rule needs could not be built');
    return undefined;
  }
}
