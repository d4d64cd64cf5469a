// The embedded `rules` provider as a module exporting the MonitoringProvider port.
import { Module } from '@nestjs/common';
import { MonitoringProvider } from '../../../application/ports/monitoring-provider.port';
import { AppConfig } from '../../../config/app-config';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { RulesMonitoringProvider } from './rules-monitoring.provider';

@Module({
  providers: [
    {
      provide: MonitoringProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new RulesMonitoringProvider(
          config.monitoring.ruleSet,
          config.monitoring.webhookSecret ? new StandardWebhooksCallbacks(config.monitoring.webhookSecret) : undefined,
        ),
    },
  ],
  exports: [MonitoringProvider],
})
export class RulesMonitoringModule {}
