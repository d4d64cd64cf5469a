// The embedded `rules` provider as a module, reading RULES_FILE at start; MonitoringModule wraps it and exports the MonitoringProvider port.
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../../../config/monitoring.config';
import { LiveSanctionsIndex } from '../../sanctions/live-sanctions-index';
import { SanctionsModule } from '../../sanctions/sanctions.module';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { LiveManagedLists } from './live-managed-lists';
import { readRulesFile } from './rules-file';
import { RulesMonitoringProvider } from './rules-monitoring.provider';
import { RulesStateModule } from './rules-state.module';

@Module({
  providers: [
    {
      provide: RulesMonitoringProvider,
      inject: [monitoringConfig.KEY, { token: LiveSanctionsIndex, optional: true }, { token: LiveManagedLists, optional: true }],
      useFactory: (monitoring: ConfigType<typeof monitoringConfig>, sanctions?: LiveSanctionsIndex, lists?: LiveManagedLists) =>
        new RulesMonitoringProvider(
          readRulesFile(monitoring.rulesFile),
          monitoring.callbackSecrets.rules ? new StandardWebhooksCallbacks(monitoring.callbackSecrets.rules) : undefined,
          { sanctions, lists },
        ),
    },
  ],
  exports: [RulesMonitoringProvider],
})
export class RulesMonitoringModule {
  /**
   * As the service runs it: with the sanctions index and the managed lists (and so PostgreSQL).
   * Alone, its sanctions-name and list rules never fire.
   */
  static withLiveState(): DynamicModule {
    return { module: RulesMonitoringModule, imports: [SanctionsModule, RulesStateModule] };
  }
}
