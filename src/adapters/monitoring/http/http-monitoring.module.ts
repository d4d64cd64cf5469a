// The generic `http` adapter as a module; MonitoringModule wraps it and exports the MonitoringProvider port.
import { Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { StandardWebhooksCallbacks } from '../standard-webhooks/standard-webhooks.callbacks';
import { HttpMonitoringProvider } from './http-monitoring.provider';

@Module({
  providers: [
    {
      provide: HttpMonitoringProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new HttpMonitoringProvider(config.httpProvider, config.monitoring.webhookSecret ? new StandardWebhooksCallbacks(config.monitoring.webhookSecret) : undefined),
    },
  ],
  exports: [HttpMonitoringProvider],
})
export class HttpMonitoringModule implements OnApplicationShutdown {
  constructor(private readonly provider: HttpMonitoringProvider) {}

  onApplicationShutdown(): void {
    this.provider.close();
  }
}
