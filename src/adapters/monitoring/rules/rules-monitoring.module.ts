// The embedded `rules` provider as a module: the active rule set (RULES_FILE alone when run without PostgreSQL); MonitoringModule wraps it and exports the MonitoringProvider port.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../../../config/monitoring.config';
import { LiveSanctionsIndex } from '../../sanctions/live-sanctions-index';
import { SanctionsModule } from '../../sanctions/sanctions.module';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { LiveManagedLists } from './live-managed-lists';
import { LiveRuleSet } from './live-rule-set';
import { readRulesFile } from './rules-file';
import { fixedRuleSet, RulesMonitoringProvider } from './rules-monitoring.provider';
import { RulesStateModule } from './rules-state.module';
import { SanctionsOnDemand } from './sanctions-on-demand';

@Module({
  providers: [
    {
      provide: RulesMonitoringProvider,
      inject: [monitoringConfig.KEY, { token: LiveSanctionsIndex, optional: true }, { token: LiveManagedLists, optional: true }, { token: LiveRuleSet, optional: true }],
      useFactory: (monitoring: ConfigType<typeof monitoringConfig>, sanctions?: LiveSanctionsIndex, lists?: LiveManagedLists, ruleSet?: LiveRuleSet) =>
        new RulesMonitoringProvider(
          ruleSet ?? fixedRuleSet(readRulesFile(monitoring.rulesFile).ruleSet),
          monitoring.callbackSecrets.rules ? new StandardWebhooksCallbacks(monitoring.callbackSecrets.rules) : undefined,
          { sanctions, lists },
        ),
    },
  ],
  exports: [RulesMonitoringProvider],
})
export class RulesMonitoringModule {
  /**
   * As the service runs it: with the versioned rule sets, the sanctions index (built while the
   * active rule set has a sanctions-name rule) and the managed lists (and so PostgreSQL). Alone, it reads RULES_FILE, and its sanctions-name and list rules never fire.
   */
  static withLiveState(): DynamicModule {
    return {
      module: RulesMonitoringModule,
      imports: [SanctionsModule, RulesStateModule],
      providers: [
        {
          provide: SanctionsOnDemand,
          inject: [LiveRuleSet, LiveSanctionsIndex, monitoringConfig.KEY],
          useFactory: (ruleSet: LiveRuleSet, sanctions: LiveSanctionsIndex, monitoring: ConfigType<typeof monitoringConfig>) => new SanctionsOnDemand(ruleSet, sanctions, monitoring.validateDeadlineMs),
        },
      ],
    };
  }
}
