// The embedded `rules` provider as a module, reading RULES_FILE at start; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../../../config/monitoring.config';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { readRulesFile } from './rules-file';
import { RulesMonitoringProvider } from './rules-monitoring.provider';

@Module({
  providers: [
    {
      provide: RulesMonitoringProvider,
      inject: [monitoringConfig.KEY],
      useFactory: (monitoring: ConfigType<typeof monitoringConfig>) =>
        new RulesMonitoringProvider(
          readRulesFile(monitoring.rulesFile),
          monitoring.callbackSecrets.rules ? new StandardWebhooksCallbacks(monitoring.callbackSecrets.rules) : undefined,
        ),
    },
  ],
  exports: [RulesMonitoringProvider],
})
export class RulesMonitoringModule {}
