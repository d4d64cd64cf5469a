// The embedded `rules` provider as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { RulesMonitoringProvider } from './rules-monitoring.provider';

@Module({
  providers: [
    {
      provide: RulesMonitoringProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new RulesMonitoringProvider(
          config.monitoring.ruleSet,
          config.monitoring.webhookSecret ? new StandardWebhooksCallbacks(config.monitoring.webhookSecret) : undefined,
        ),
    },
  ],
  exports: [RulesMonitoringProvider],
})
export class RulesMonitoringModule {}
